"""Light records: the objects passed between the stages (documents, tables, facts, findings, results).

A record is a ``__slots__`` class made from its annotations: keyword-only construction with the
declared defaults, equality by fields and a repr. Nothing is validated or coerced, so defining the
classes and building instances costs next to nothing and a rules-only review never imports pydantic.

Where validation or serialisation is the point — the JSON output contract, the LLM's answers,
cached facts, profiles from users' files, test data — the methods named as pydantic's
(``model_validate``, ``model_validate_json``, ``model_dump``, ``model_dump_json``,
``model_json_schema``) go through the record's pydantic mirror (schemas/mirror.py), built on first
use from the same fields, so the JSON and its schema are what a pydantic model of these fields
gives. ``model_copy`` and ``model_fields`` are the record's own.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, ClassVar

MISSING: Any = object()


class FieldSpec:
    """A field's default (or default factory), its description and whether a JSON schema shows it
    (``in_schema=False``: set by the engine, not by the model)."""

    __slots__ = ("default", "default_factory", "description", "in_schema")

    def __init__(self, default: Any = MISSING, *, default_factory: Any = None, description: str | None = None,
                 in_schema: bool = True) -> None:
        self.default = default
        self.default_factory = default_factory
        self.description = description
        self.in_schema = in_schema

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.default_factory is None


def field(default: Any = MISSING, *, default_factory: Any = None, description: str | None = None,
          in_schema: bool = True) -> Any:
    """A field with a default, a factory or a description (``pydantic.Field``'s spelling)."""
    return FieldSpec(default, default_factory=default_factory, description=description, in_schema=in_schema)


class RecordMeta(type):
    """Turns the annotated class attributes into slots and ``model_fields`` (base fields first)."""

    def __new__(mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any], frozen: bool = False) -> type:
        fields: dict[str, FieldSpec] = {}
        for base in reversed(bases):
            fields.update(getattr(base, "model_fields", {}))
        own = [n for n, a in ns.get("__annotations__", {}).items() if not str(a).startswith("ClassVar")]
        for n in own:
            value = ns.pop(n, MISSING)
            fields[n] = value if isinstance(value, FieldSpec) else FieldSpec(value)
        extra = ns.get("__slots__", ())
        ns["__slots__"] = (*[n for n in own if not any(n in getattr(b, "model_fields", {}) for b in bases)], *extra)
        ns["model_fields"] = fields
        if frozen:
            ns["__hash__"] = lambda self: hash(tuple(getattr(self, f) for f in fields))
        return super().__new__(mcls, name, bases, ns)


class Record(metaclass=RecordMeta):
    model_fields: ClassVar[dict[str, FieldSpec]]

    def __init__(self, **values: Any) -> None:
        for name, spec in self.model_fields.items():
            if name in values:
                value = values.pop(name)
            elif spec.default is not MISSING:
                value = spec.default
            elif spec.default_factory is not None:
                value = spec.default_factory()
            else:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__}: unknown fields {sorted(values)}")
        post = getattr(self, "__post_init__", None)
        if post is not None:
            post()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.model_fields)

    __hash__ = None  # type: ignore[assignment]  # mutable, as pydantic models are (frozen records hash)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.model_fields)})"

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """(name, value) pairs, as pydantic models iterate."""
        for name in self.model_fields:
            yield name, getattr(self, name)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy (shallow unless ``deep``) with some fields replaced."""
        new = copy.deepcopy(self) if deep else copy.copy(self)
        for name, value in (update or {}).items():
            object.__setattr__(new, name, value)
        return new

    # --- through the pydantic mirror (schemas/mirror.py) -------------------------------------------
    @classmethod
    def model_validate(cls, data: Any, **kw: Any) -> Any:
        from schemas.mirror import validate

        return validate(cls, data, **kw)

    @classmethod
    def model_validate_json(cls, text: str | bytes, **kw: Any) -> Any:
        from schemas.mirror import mirror, to_record

        return to_record(mirror(cls).model_validate_json(text, **kw))

    @classmethod
    def model_json_schema(cls, **kw: Any) -> dict[str, Any]:
        from schemas.mirror import mirror

        return mirror(cls).model_json_schema(**kw)

    def model_dump(self, **kw: Any) -> dict[str, Any]:
        from schemas.mirror import to_mirror

        return to_mirror(self).model_dump(**kw)

    def model_dump_json(self, **kw: Any) -> str:
        from schemas.mirror import to_mirror

        return to_mirror(self).model_dump_json(**kw)
