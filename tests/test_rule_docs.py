"""Meta-tests: every registered rule is documented and has failing and passing YAML cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reviewer.rules.base import DOC_HEADINGS, all_rules

CASE_DIR = Path(__file__).parent / "rules"
RULES_MD_CODE = re.compile(r"^[A-Z]\d{3}$")


@pytest.mark.parametrize("cls", all_rules(), ids=lambda c: c.code)
def test_rule_is_documented(cls) -> None:
    assert RULES_MD_CODE.match(cls.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", cls.name), "name is kebab-case, the problem not the fix"
    assert cls.summary(), "docstring opens with a one-line summary"
    sections = cls.doc_sections()
    for heading in DOC_HEADINGS:
        assert sections.get(heading), f"{cls.code} docstring lacks {heading}"
    assert cls.groups and cls.profiles


@pytest.mark.parametrize("cls", all_rules(), ids=lambda c: c.code)
def test_rule_has_failing_and_passing_cases(cls) -> None:
    path = CASE_DIR / f"{cls.code}.yml"
    assert path.exists(), f"missing {path.name}"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["rule"] == cls.code
    cases = data["cases"]
    assert any(c.get("expect") for c in cases), "needs a failing case"
    assert any(not c.get("expect") for c in cases), "needs a passing case"


def test_codes_are_unique_and_stable() -> None:
    codes = [c.code for c in all_rules()]
    assert len(codes) == len(set(codes))
