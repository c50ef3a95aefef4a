"""Chinese everywhere a reviewer reads (issue #13, item 10): rule names, extractor names, the command
line's own usage errors and help, `review rules` in aligned columns, JSON that shows Chinese, errors on
stderr with the JSON contract intact on stdout, and `review -` reading standard input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata

import pytest

from reviewer.engine import Engine
from reviewer.output.github import render_github
from reviewer.output.markdown import render_markdown
from reviewer.output.text import render_full
from reviewer.rules.base import all_rules, rule_title
from tests.conftest import ROOT, base_text, sample
from tests.test_output_github import run_log

SLUG = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=60, input=stdin)


@pytest.fixture(scope="module")
def result():
    r = Engine().review_path(sample("002"))
    assert r.findings
    return r


def test_every_rule_has_a_chinese_title() -> None:
    for cls in all_rules():
        assert cls.title and re.search(r"[\u4e00-\u9fff]", cls.title) and not SLUG.search(cls.title), cls.code
        assert rule_title(cls.code) == cls.title
    assert rule_title("Z999", "plugin-rule") == "plugin-rule"


def test_markdown_and_annotations_name_rules_in_chinese(result) -> None:
    md = render_markdown([result])
    assert not SLUG.search(md.split("<sub>")[0]), SLUG.search(md).group()
    for f in result.findings:
        assert f"{f.code} {rule_title(f.code)}" in md
    titles = {c[1]["title"] for c in run_log(render_github([result])) if c[0] in ("error", "warning", "notice") and "title" in c[1]}
    assert titles and not any(SLUG.search(t) for t in titles)


def test_json_and_sarif_keep_the_slug(result) -> None:
    from reviewer.output.sarif import sarif_log

    assert {f.name for f in result.findings} <= {cls.name for cls in all_rules()}
    log = sarif_log([result])
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {f.code for f in result.findings}
    assert all(SLUG.fullmatch(d["name"]) for d in log["runs"][0]["tool"]["driver"]["rules"])


def test_full_text_reads_naturally(result) -> None:
    out = render_full([result])
    assert "依据rules" not in out and "提取器" in out and "依据规则提取器" in out
    assert not SLUG.search(out)
    assert f"规则：{rule_title(result.findings[0].code)}" in out


def test_dashboard_names_rules_in_chinese(tmp_path) -> None:
    import shutil

    from reviewer.batch import Batch, EngineSpec

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(sample("002"), src / "a.txt")
    Batch(tmp_path / "out", EngineSpec(), pages=False).run([str(src)])
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    body = re.sub(r"<script>.*?</script>|<style>.*?</style>|<[^>]*>", " ", page, flags=re.S)  # the text shown
    body = body.replace(str(tmp_path), "").replace("report-reviewer", "")  # (paths and the tool's name)
    assert not SLUG.search(body), SLUG.search(body).group()
    assert rule_title("T102") in body


@pytest.mark.parametrize(("args", "says"), [
    (["--fail-on", "sometimes", "x.txt"], "--fail-on"),
    (["--year", "abc", "x.txt"], "abc"),
    (["--year", "1800", "x.txt"], "1800"),
    (["--no-such-flag", "x.txt"], "--no-such-flag"),
    (["check"], "缺少"),
    (["batch", "x"], "--out"),
    (["x.txt", "--select"], "--select"),
])
def test_usage_errors_are_one_chinese_line(args: list[str], says: str) -> None:
    p = run(*args)
    assert p.returncode == 2 and p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("review: 错误：") and says in lines[0], p.stderr
    assert not re.search(r"Usage|Error|Invalid|Missing|No such|Try ", p.stderr), p.stderr


def test_bare_review_prints_the_help_in_chinese() -> None:
    p = run()
    text = p.stdout + p.stderr
    assert "用法" in text and "命令" in text and "check" in text and "batch" in text
    assert "Usage" not in text and "Commands" not in text and "Missing" not in text
    help_ = run("check", "-h")
    assert help_.returncode == 0 and "用法：" in help_.stdout and "选项" in help_.stdout
    assert "Show this message" not in help_.stdout and "Options" not in help_.stdout


def test_json_shows_chinese_and_errors_go_to_stderr(tmp_path) -> None:
    missing = tmp_path / "missing.txt"
    p = run(str(sample("003")), str(missing), "--format", "json")
    assert p.returncode == 2
    doc = json.loads(p.stdout)  # the contract is intact on stdout …
    assert "成武县人民政府" in p.stdout and "\\u" not in p.stdout
    assert doc["files"][1]["error"] and f"{missing}: 错误：" in p.stderr  # … the error also on stderr


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def test_review_rules_columns_line_up() -> None:
    p = run("rules")
    rows = [ln for ln in p.stdout.splitlines() if re.match(r"[A-Z]\d{3}  ", ln)]
    assert len(rows) == len(all_rules())
    # the summary column starts at the same display column on every row
    starts = {display_width(ln[: ln.index(cls.summary())]) for ln, cls in zip(rows, all_rules())}
    assert len(starts) == 1, starts
    assert all(cls.title in ln for ln, cls in zip(rows, all_rules()))
    assert not any(SLUG.search(ln) for ln in rows)


def test_review_reads_standard_input() -> None:
    text = base_text("clean_department_2023").replace("本年废止件数", "本年度止件数")
    p = run("-", "--select", "T102", "--fail-on", "warning", stdin=text)
    assert p.returncode == 1, p.stderr
    assert re.search(r"^<标准输入>:\d+:\d+: T102 ", p.stdout, re.M), p.stdout
    js = run("-", "--format", "json", stdin=text)
    assert json.loads(js.stdout)["files"][0]["path"] == "<标准输入>"
    assert run("-", stdin="").returncode == 2
