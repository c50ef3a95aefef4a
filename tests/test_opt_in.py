"""Opt-in rules (RULES.md, "What may be a finding" 4): N104 and S108 are off in a default run and
on with --select CODE or a profile that enables them; `review rules` marks them."""

from __future__ import annotations

from pathlib import Path

from reviewer.engine import Engine
from reviewer.profile import load_profile
from reviewer.rules.base import active_rules, all_rules
from tests.conftest import base_text
from tests.test_cli import run

OPT_IN = {"N104", "S108"}
# A department report without a 落款 and with a vague count: both opt-in rules have a finding to give.
TEXT = (
    base_text("clean_department_2023")
    .replace("\n临川市生态环境局\n2024年1月20日", "")
    .replace("组织业务培训2次。", "组织业务培训若干次。")
)


def codes(engine: Engine) -> set[str]:
    return {f.code for f in engine.review_text(TEXT, "r.txt").findings}


def test_the_opt_in_rules_are_data_on_the_rule_class() -> None:
    assert {cls.code for cls in all_rules() if cls.opt_in} == OPT_IN


def test_a_default_run_leaves_them_out() -> None:
    assert not {r.code for r in active_rules(load_profile("national"))} & OPT_IN
    assert not codes(Engine()) & OPT_IN


def test_select_by_exact_code_turns_one_on() -> None:
    assert codes(Engine(select=["N104"])) == {"N104"}
    assert "S108" in codes(Engine(select=["S1", "S108"]))
    assert not codes(Engine(select=["N", "S"])) & OPT_IN  # a prefix selects only default rules
    assert not codes(Engine(select=["S108"], ignore=["S108"]))


def test_a_profile_turns_them_on(tmp_path: Path) -> None:
    assert codes(Engine(profile="strict")) >= OPT_IN
    own = tmp_path / "own.toml"
    own.write_text('name = "own"\nenable = ["N104"]\n', encoding="utf-8")
    found = codes(Engine(profile=str(own)))
    assert "N104" in found and "S108" not in found


def test_a_profile_that_disables_one_wins_over_select(tmp_path: Path) -> None:
    own = tmp_path / "own.toml"
    own.write_text('name = "own"\ndisable = ["N104"]\n', encoding="utf-8")
    assert "N104" not in codes(Engine(profile=str(own), select=["N104"]))


def test_review_rules_marks_them() -> None:
    p = run("rules")
    assert p.returncode == 0
    marked = {line.split()[0] for line in p.stdout.splitlines() if "可选" in line and line[:1].isupper()}
    assert marked == OPT_IN
    assert "--profile strict" in run("rule", "N104").stdout
    assert "可选" not in run("rule", "T302").stdout
