"""Per-rule YAML cases (sqlfluff style), all run by one parametrized test.

Each ``tests/rules/CODE.yml`` holds::

    rule: T302
    cases:
      - name: what the case shows
        base: clean_department_2023        # evals/bases/NAME.txt ...
        file: t3_subtotal.txt              # ... or tests/data/NAME ...
        text: |                            # ... or the whole report inline
          ...
        replace:                           # optional edits applied to the text, in order
          - ["old", "new"]                 # (each "old" must occur in the text)
        replace_re:                        # optional regex edits (re.S), after replace
          - ["pattern", "replacement"]
        profile: national                  # optional (a file-level ``profile:`` is every case's default)
        select: [N104]                     # optional --select (e.g. an opt-in rule by its code)
        year: 2023                         # optional --year
        expect:                            # the findings of this rule, exactly
          - {line: 63, contains: "自然人列"}
        absent: [T301]                     # optional: other codes that must not fire
        facts:                             # optional: narrative facts that replace the extracted ones
          rectification: {quote: "…", year: 2022}   # (NarrativeFacts fields; quotes are located in the text)
        previous:                          # optional: the same agency's previous report (C rules)
          base: clean_department_2023      # base/file/text/replace/facts as above
          replace: [["2023", "2022"]]

``expect: []`` is a passing case.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reviewer.crossyear import text_context
from reviewer.engine import Engine
from reviewer.extract.quotes import find_quote
from schemas.facts import Fact, NarrativeFacts
from schemas.record import Record
from tests.conftest import DATA, base_text

CASE_DIR = Path(__file__).parent / "rules"


def load_cases() -> list:
    params = []
    for path in sorted(CASE_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            if "profile" in data:
                case = {"profile": data["profile"], **case}
            params.append(pytest.param(data["rule"], case, id=f"{data['rule']}:{case['name']}"))
    return params


def case_text(case: dict) -> str:
    if "text" in case:
        text = case["text"]
    elif "file" in case:
        text = (DATA / case["file"]).read_text(encoding="utf-8")
    else:
        text = base_text(case["base"])
    for old, new in case.get("replace", []):
        assert old in text, f"replace target not found: {old!r}"
        text = text.replace(old, new)
    for pattern, repl in case.get("replace_re", []):
        text, n = re.subn(pattern, repl, text, flags=re.S)
        assert n, f"replace_re pattern not found: {pattern!r}"
    return text


class FactsOverride:
    """The rules extractor, with some narrative facts replaced by a case's hand-written ones."""

    name = "rules"

    def __init__(self, inner, facts: dict) -> None:
        self.inner, self.facts = inner, facts

    def extract(self, doc, tables):
        extraction = self.inner.extract(doc, tables)
        given = NarrativeFacts.model_validate(self.facts)
        for name in self.facts:
            setattr(extraction.facts, name, getattr(given, name))
        _locate(extraction.facts, doc)
        return extraction


def _locate(model, doc) -> None:
    for value in (getattr(model, name) for name in model.model_fields):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Fact) and item.span is None:
                item.span = find_quote(doc, item.quote)
            if isinstance(item, Record):
                _locate(item, doc)


def case_engine(case: dict) -> Engine:
    engine = Engine(profile=case.get("profile", "national"), year=case.get("year"), select=case.get("select", ()))
    if "facts" in case:
        engine.extractor = FactsOverride(engine.extractor, case["facts"])
    return engine


def run_case(code: str, case: dict):
    engine = case_engine(case)
    previous = None
    if "previous" in case:
        prev = case["previous"]
        previous = text_context(case_engine({**prev, "profile": case.get("profile", "national")}), case_text(prev), "previous.txt")
        assert previous is not None, "the previous report is not recognised as an annual report"
    return engine.review_text(case_text(case), f"{code}.txt", previous=previous).findings


@pytest.mark.parametrize(("code", "case"), load_cases())
def test_rule_case(code: str, case: dict) -> None:
    findings = run_case(code, case)
    mine = [f for f in findings if f.code == code]
    expected = case.get("expect", [])
    shown = "\n".join(f"  {f.line}:{f.column} {f.code} {f.message}" for f in findings)
    assert len(mine) == len(expected), f"expected {len(expected)} {code} finding(s), got:\n{shown}"
    for f, exp in zip(sorted(mine, key=lambda f: (f.line, f.column)), sorted(expected, key=lambda e: e["line"])):
        assert f.line == exp["line"], f"{code} at line {f.line}, expected {exp['line']}:\n{shown}"
        for word in ([exp["contains"]] if isinstance(exp.get("contains"), str) else exp.get("contains", [])):
            assert word in f.message, f"{word!r} not in {f.message!r}"
        if "confidence" in exp:
            assert f.confidence.value == exp["confidence"]
    for other in case.get("absent", []):
        assert not [f for f in findings if f.code == other], f"{other} must not fire:\n{shown}"
