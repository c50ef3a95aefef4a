"""schemas.plain: the stage classes' ``@plain`` behaves as the ``@dataclass`` it replaces, and pydantic
sees a plain class (Location, Cell) as it saw the dataclass."""

from __future__ import annotations

import copy
import inspect
import pickle
from decimal import Decimal

import pytest

from schemas.common import Location
from schemas.plain import FrozenInstanceError, field, fields, plain, replace
from schemas.tables import Cell, CellKind, LabelDrift


@plain
class Row:
    label: str
    cells: list[int] = field(default_factory=list)
    n: int = 0


@plain(frozen=True, slots=True)
class Point:
    x: int
    y: int = 2


def test_init_defaults_and_factories() -> None:
    a, b = Row("x"), Row(label="y", n=3)
    assert (a.label, a.cells, a.n) == ("x", [], 0) and (b.label, b.n) == ("y", 3)
    a.cells.append(1)
    assert Row("z").cells == []  # a new list per instance
    with pytest.raises(TypeError):
        Row()
    with pytest.raises(TypeError):
        Row("x", nope=1)


def test_equality_repr_hash() -> None:
    assert Row("x", [1]) == Row("x", [1]) and Row("x") != Row("y") and Row("x") != ("x", [], 0)
    assert repr(Row("x", [1], 2)) == "Row(label='x', cells=[1], n=2)"
    assert Row.__hash__ is None
    assert hash(Point(1)) == hash(Point(1, 2)) and {Point(1), Point(1, 2)} == {Point(1)}
    assert repr(Point(1)) == "Point(x=1, y=2)"


def test_frozen_and_slots() -> None:
    p = Point(1)
    with pytest.raises(FrozenInstanceError):
        p.x = 3
    with pytest.raises(AttributeError):
        p.z = 3
    assert not hasattr(p, "__dict__") and Point.__slots__ == ("x", "y")


def test_fields_replace_copy_pickle() -> None:
    assert fields(Row) == ("label", "cells", "n") and fields(Point) == ("x", "y")
    assert replace(Point(1), y=5) == Point(1, 5) and replace(Row("x"), n=4) == Row("x", [], 4)
    with pytest.raises(TypeError):
        replace(Point(1), z=1)
    for obj in (Row("x", [1]), Point(1), Location(3, 4), Cell("1", Decimal(1), CellKind.NUMBER, Location(2, 3))):
        assert pickle.loads(pickle.dumps(obj)) == obj and copy.deepcopy(obj) == obj


def test_pydantic_sees_the_dataclass() -> None:
    drift = LabelDrift(found="a", canonical="b", loc=Location(2, 5))
    dumped = drift.model_dump()
    assert dumped == {"found": "a", "canonical": "b", "loc": {"line": 2, "column": 5}, "legacy_2019": False}
    back = LabelDrift.model_validate(dumped)
    assert back == drift and type(back.loc) is Location
    assert LabelDrift.model_validate_json(drift.model_dump_json()) == drift
    schema = LabelDrift.model_json_schema()
    assert schema["$defs"]["Location"]["properties"] == {"line": {"default": 1, "title": "Line", "type": "integer"},
                                                        "column": {"default": 1, "title": "Column", "type": "integer"}}
    assert schema["$defs"]["Location"]["description"] == inspect.cleandoc(Location.__doc__)  # the docstring, as before
