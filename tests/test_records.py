"""The stage objects are light records (schemas/record.py) with pydantic mirrors built on first use
(schemas/mirror.py): the mirrors have exactly the records' fields, so the JSON output, the facts
schema given to the model and the validation of its answers are those of the fields declared once."""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import pickle
import pkgutil
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

import schemas
from reviewer import profile as profile_module
from reviewer.extract.base import Extraction
from reviewer.profile import builtin_names, builtin_profile, load_profile
from schemas.common import Location, Span
from schemas.document import Document
from schemas.facts import Aspect, AspectFact, Fact, NarrativeFacts, NumericClaim
from schemas.mirror import mirror, to_record
from schemas.output import FileResult, ReviewOutput
from schemas.profile import Profile
from schemas.record import MISSING, Record, field


def _records() -> list[type[Record]]:
    out = {Extraction}
    for mod in pkgutil.iter_modules(schemas.__path__):
        module = importlib.import_module(f"schemas.{mod.name}")
        out.update(v for v in vars(module).values()
                   if inspect.isclass(v) and issubclass(v, Record) and v is not Record)
    return sorted(out, key=lambda c: (c.__module__, c.__name__))


RECORDS = _records()


def test_every_stage_object_is_a_record() -> None:
    names = {c.__name__ for c in RECORDS}
    assert {"Document", "Section", "Span", "Finding", "Tables", "Table3", "NarrativeFacts", "NumericClaim",
            "FileResult", "ReviewOutput", "Profile", "RequiredItem", "BatchRecord", "Extraction"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_the_mirror_has_the_records_fields(cls: type[Record]) -> None:
    model = mirror(cls)
    assert issubclass(model, BaseModel) and model.__name__ == cls.__name__ and model.__doc__ == cls.__doc__
    assert list(model.model_fields) == list(cls.model_fields)  # same names, same order
    for name, spec in cls.model_fields.items():
        info = model.model_fields[name]
        assert info.description == spec.description, name
        assert info.is_required() == spec.required, name
        if spec.default is not MISSING:
            assert info.default == spec.default, name
    shown = list(model.model_json_schema().get("properties", {}))
    assert shown == [n for n, spec in cls.model_fields.items() if spec.in_schema]


def test_the_facts_schema_keeps_engine_fields_out_and_the_quote_check_in() -> None:
    schema = NarrativeFacts.model_json_schema()
    fact = schema["$defs"]["TextFact"]
    assert list(fact["properties"]) == ["quote", "value"] and fact["required"] == ["quote", "value"]
    assert schema["properties"]["agency"]["description"] == "发布报告的机关全称。"
    check = {"quote_check": lambda q: None if q == "原文" else f"“{q}”不在原文中"}
    assert mirror(NarrativeFacts).model_validate({"agency": {"quote": "原文", "value": "x"}}, context=check)
    with pytest.raises(ValidationError, match="不在原文中"):
        mirror(NarrativeFacts).model_validate({"agency": {"quote": "编造", "value": "x"}}, context=check)


def test_validation_gives_records_with_coerced_values() -> None:
    facts = NarrativeFacts.model_validate({"aspects": [{"quote": "q", "aspect": "主动公开"}],
                                           "claims": [{"quote": "q", "kind": "count", "subject": "review",
                                                       "value": 2}]})
    assert type(facts) is NarrativeFacts and type(facts.aspects[0]) is AspectFact
    assert facts.aspects[0].aspect is Aspect.PROACTIVE and facts.claims[0].value == Decimal(2)
    assert isinstance(facts.claims[0].value, Decimal)
    with pytest.raises(ValidationError):
        NumericClaim.model_validate({"quote": "q", "kind": "count", "subject": "review", "value": "many"})


def test_json_round_trip_and_output() -> None:
    result = FileResult(path="a.txt", notices=["n"])
    text = ReviewOutput(files=[result]).model_dump_json(indent=2)
    assert json.loads(text)["files"][0] == {"path": "a.txt", "error": None, "extractor": "rules", "notices": ["n"],
                                           "report": {"agency": None, "year": None, "level": None},
                                           "findings": [], "usage": None}
    assert ReviewOutput.model_validate_json(text) == ReviewOutput(files=[result])
    assert to_record(mirror(FileResult).model_validate(result.model_dump())) == result


def test_records_behave_as_the_models_did() -> None:
    a = AspectFact(quote="q", aspect=Aspect.PROACTIVE)
    assert a == AspectFact(quote="q", aspect=Aspect.PROACTIVE) and a != AspectFact(quote="r", aspect=Aspect.PROACTIVE)
    assert dict(a) == {"quote": "q", "span": None, "extractor": None, "aspect": Aspect.PROACTIVE}
    b = a.model_copy(update={"span": Span(start=1, end=2)})
    assert b.span == Span(start=1, end=2) and a.span is None
    assert hash(Span(start=1, end=2)) == hash(Span(start=1, end=2))
    facts = NarrativeFacts(aspects=[a])
    deep = facts.model_copy(deep=True)
    assert deep == facts and deep.aspects[0] is not a
    assert copy.copy(facts).aspects is facts.aspects
    assert NarrativeFacts().aspects is not NarrativeFacts().aspects  # factories, not shared defaults
    with pytest.raises(TypeError, match="missing field 'quote'"):
        Fact()
    with pytest.raises(TypeError, match="unknown fields"):
        Fact(quote="q", qoute="q")
    assert not hasattr(a, "__dict__")  # slots


def test_records_pickle() -> None:
    """Batch workers send results between processes."""
    from reviewer.engine import Engine
    from tests.conftest import sample

    result = Engine().review_path(sample("003"))
    assert result.findings and pickle.loads(pickle.dumps(result)) == result
    doc = Document(path="a.txt", raw="一\n二", text="一\n二")
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc and again.location(2) == doc.location(2) == Location(2, 1)


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_profiles_are_what_validation_gives(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built-in profiles are made without pydantic (a rules-only review does not import it): the
    same record as validating them."""
    same = []

    def checked(merged: dict) -> Profile:
        trusted = builtin_profile(merged)
        same.append(trusted == Profile.model_validate(merged))
        return trusted

    monkeypatch.setattr(profile_module, "builtin_profile", checked)
    profile = load_profile(name)
    assert same == [True] and type(profile) is Profile and profile.required_items
    assert all(isinstance(v, tuple) for v in profile.deadlines.values())


def test_one_mirror_per_record_whatever_the_threads() -> None:
    """The batch's LLM threads check the model's answer against the mirror they asked with."""
    import threading

    class Probe(Record):
        quote: str
        facts: NarrativeFacts = field(default_factory=NarrativeFacts)

    barrier = threading.Barrier(6)
    got: list[type] = []

    def build() -> None:
        barrier.wait()
        got.append(mirror(Probe))

    threads = [threading.Thread(target=build) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 6 and len(set(got)) == 1 and got[0].__name__ == "Probe"
