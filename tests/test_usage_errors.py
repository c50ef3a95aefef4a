"""Typos are usage errors, never silence (issue #13, item 5): an unknown rule code or prefix in --select,
--ignore or a profile, an unknown profile setting or agency level, and an impossible deadline are one
Chinese line and exit 2, naming the nearest valid spelling."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.engine import Engine
from reviewer.errors import UsageError
from reviewer.profile import load_profile
from reviewer.rules.base import active_rules, unknown_code
from tests.conftest import ROOT, sample


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


@pytest.mark.parametrize(("given", "nearest"), [("T33", "T3"), ("T3O2", "T3"), ("X999", "X"), ("R60", "R60"),
                                                ("DOO1", "D"), ("ZZ", None)])
def test_the_nearest_valid_code(given: str, nearest: str | None) -> None:
    message = unknown_code(given)
    if nearest == given:
        assert message is None
    else:
        assert message is not None and f"“{given}”" in message
        assert (f"是否想用“{nearest}”" in message) if nearest else "review rules" in message


@pytest.mark.parametrize("valid", ["T", "T3", "T302", "N104", "n1", "C"])
def test_valid_codes_and_prefixes_pass(valid: str) -> None:
    assert unknown_code(valid.upper()) is None


def test_select_of_a_typo_is_exit_2_naming_the_nearest() -> None:
    p = run(str(sample("002")), "--select", "T33")
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.strip() == "review: 错误：未知的规则代码或前缀“T33”，是否想用“T3”？"
    assert run(str(sample("002")), "--ignore", "T1,Q9").returncode == 2
    assert run("batch", str(sample("002")), "--out", "/nonexistent/out", "--select", "T33").returncode == 2


def test_select_n1_still_leaves_the_opt_in_n104_off() -> None:
    codes = {r.code for r in active_rules(load_profile(), ["N1"])}
    assert codes == {"N101", "N102", "N103"}
    assert {r.code for r in Engine(select=["N104"]).rules} == {"N104"}


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "my.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("toml", "says"), [
    ('disabel = ["Q102"]\n', "未知的设置“disabel”，是否想用“disable”？"),
    ('disable = ["Q1O2"]\n', "未知的规则代码或前缀“Q1O2”，是否想用“Q1”？"),
    ('enable = ["S18"]\n', "未知的规则代码或前缀“S18”，是否想用“S1”？"),
    ('[deadlines]\n"乡镇" = [1, 20]\n', "未知的机关层级“乡镇”，是否想用“乡镇街道”？"),
    ('[deadlines]\n"部门" = [13, 40]\n', "截止日期"),
    ('[deadlines]\n"部门" = [2, 30]\n', "截止日期"),
    ('[[required_items]]\nkey = "k"\nlabel = "l"\nrule = "R63"\npatterns = ["x"]\n', "“R63”"),
    ('[[required_items]]\nkey = "k"\nlabel = "l"\nlevels = ["县政府"]\npatterns = ["x"]\n', "“县政府”"),
    ('[[required_items]]\nkey = "k"\nlabel = "l"\npattern = ["x"]\n', "未知的设置“pattern”，是否想用“patterns”？"),
    ('description = 3\n', "description"),
])
def test_profile_typos_are_one_error(tmp_path: Path, toml: str, says: str) -> None:
    path = write(tmp_path, toml)
    with pytest.raises(UsageError) as e:
        load_profile(path)
    assert says in str(e.value) and path in str(e.value)
    assert "validation error" not in str(e.value) and "\n" not in str(e.value)


def test_a_bad_deadline_is_one_profile_error_not_one_per_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[deadlines]\n"部门" = [13, 40]\n')
    p = run("--profile", path, str(sample("002")), str(sample("003")))
    assert p.returncode == 2 and p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "截止日期" in lines[0] and "ValueError" not in p.stderr


def test_the_built_in_profiles_are_valid() -> None:
    for name in ("national", "shandong", "strict"):
        load_profile(name)
