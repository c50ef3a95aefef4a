"""Profiles as data: shandong extends national, the README's example is a working profile, and
required items are interpreted generically."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from reviewer.engine import Engine
from reviewer.profile import load_profile
from tests.conftest import ROOT, base_text


def readme_profile() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Profiles: writing your own", 1)[1]
    return re.search(r"```toml\n(.*?)```", section, re.S).group(1)


def test_shandong_extends_national() -> None:
    p = load_profile("shandong")
    assert p.lineage == ["shandong", "national"]
    rules = {i.rule for i in p.required_items}
    assert {"S106", "S107", "R603"} <= rules
    r603 = [i.key for i in p.required_items if i.rule == "R603"]
    assert r603 == ["工作要点落实", "建议提案办理结果公开", "创新情况", "数据统计说明", "其他事项"]
    assert p.deadlines["人民政府"] == (3, 31) and p.deadlines["部门"] == (1, 31)
    assert not [i for i in load_profile("national").required_items if i.rule == "R603"]


def test_readme_example_profile(tmp_path: Path) -> None:
    path = tmp_path / "my_city.toml"
    path.write_text(readme_profile(), encoding="utf-8")
    p = load_profile(str(path))
    assert p.lineage == ["my_city", "shandong", "national"]
    keys = [i.key for i in p.required_items]
    assert len(keys) == len(set(keys)), "an item with an inherited key replaces it"
    stats = next(i for i in p.required_items if i.key == "数据统计说明")
    assert "数据说明" in stats.patterns
    assert p.deadlines["乡镇街道"] == (1, 20) and p.deadlines["人民政府"] == (3, 31)
    # The profile runs: its own item is reported missing on the clean base, the opt-in S108 is on, Q102 off.
    text = base_text("clean_department_2023").replace("\n临川市生态环境局\n2024年1月20日", "")
    text = text.replace("加强政务新媒体管理", "加强的的政务新媒体管理")
    codes = [(f.code, f.message) for f in Engine(profile=p).review_text(text).findings]
    assert any(c == "R603" and "依申请公开工作流程说明" in m for c, m in codes)
    assert any(c == "S108" for c, _ in codes)
    assert not any(c == "Q102" for c, _ in codes)
    assert "Q102" in {f.code for f in Engine().review_text(text).findings}


def test_cli_lists_profiles_and_takes_a_file(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "reviewer", "profiles"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "shandong" in out.stdout and "national" in out.stdout
    path = tmp_path / "own.toml"
    path.write_text(readme_profile(), encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text(base_text("clean_department_2023"), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "reviewer", "--profile", str(path), "--select", "R603", str(report)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr  # R603 is a warning: below the default --fail-on error
    assert "R603" in out.stdout and "依申请公开工作流程说明" in out.stdout


def test_bad_item_pattern_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\n[[required_items]]\nkey = "x"\nlabel = "x"\npatterns = ["(unclosed"]\n', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text(base_text("clean_department_2023"), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "reviewer", "--profile", str(path), str(report)], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "x" in out.stderr
