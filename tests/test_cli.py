"""The command line as users run it: output contract, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, base_text, sample


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        input=stdin,
    )


def test_text_output_is_ruff_style_with_a_summary() -> None:
    p = run(str(sample("002")), "--fail-on", "warning")
    lines = p.stdout.strip().splitlines()
    assert p.returncode == 1
    assert any(":18:13: T102 [warning] " in line for line in lines)
    assert lines[-1].startswith("共审核 1 个文件")
    assert "警告" in lines[-1]


def test_clean_report_exits_zero(tmp_path) -> None:
    f = tmp_path / "clean.txt"
    f.write_text(base_text("clean_department_2023"), encoding="utf-8")
    p = run(str(f))
    assert p.returncode == 0, p.stdout
    assert "未发现问题" in p.stdout


def test_fail_on_levels(tmp_path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(base_text("clean_department_2023").replace("本年废止件数", "本年度止件数"), encoding="utf-8")
    assert run(str(f), "--select", "T102").returncode == 0  # a warning, fail-on error
    assert run(str(f), "--select", "T102", "--fail-on", "warning").returncode == 1
    assert run(str(f), "--select", "T102", "--fail-on", "never").returncode == 0


def test_select_and_ignore_take_codes_and_prefixes() -> None:
    p = run(str(sample("002")), "--select", "T1", "--format", "json")
    codes = {f["code"] for f in json.loads(p.stdout)["files"][0]["findings"]}
    assert codes and all(c.startswith("T1") for c in codes)
    p = run(str(sample("002")), "--select", "T1", "--ignore", "T103,T102", "--format", "json")
    assert json.loads(p.stdout)["files"][0]["findings"] == []


def test_json_contract() -> None:
    p = run(str(sample("003")), "--format", "json")
    doc = json.loads(p.stdout)
    assert doc["version"] == 1
    (f,) = doc["files"]
    assert set(f) >= {"path", "error", "extractor", "notices", "report", "findings"}
    assert f["error"] is None and f["extractor"] == "rules"
    assert f["report"] == {"agency": "成武县人民政府", "year": 2022, "level": f["report"]["level"]}
    finding = next(x for x in f["findings"] if x["code"] == "F101")
    assert set(finding) >= {"code", "name", "severity", "message", "line", "column", "evidence", "hint", "confidence"}
    assert finding["line"] == 3 and finding["severity"] == "warning" and finding["confidence"] == "certain"


def test_bad_file_among_good_ones(tmp_path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 100)
    p = run(str(sample("004")), str(bad), str(tmp_path / "missing.txt"), "--format", "json")
    assert p.returncode == 2
    files = json.loads(p.stdout)["files"]
    assert [x["error"] is None for x in files] == [True, False, False]
    assert "Traceback" not in p.stderr


def test_errors_are_one_line_without_traceback(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    p = run(str(empty))
    assert p.returncode == 2
    assert f"{empty}: 错误：文件为空" in p.stderr and "错误：" not in p.stdout  # errors on stderr
    assert "1 个无法审核" in p.stdout  # … and counted in the summary
    assert "Traceback" not in p.stdout + p.stderr


@pytest.mark.parametrize("args", [["--profile", "nope"], ["--fail-on", "sometimes", "x.txt"], ["--year", "abc", "x.txt"], []])
def test_usage_errors_exit_2(args: list[str]) -> None:
    p = run(*args)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr


def test_doc_format_is_refused(tmp_path) -> None:
    f = tmp_path / "report.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    p = run(str(f))
    assert p.returncode == 2 and ".docx" in p.stderr


def test_not_a_report_gets_d001_only(tmp_path) -> None:
    f = tmp_path / "memo.txt"
    f.write_text("关于召开工作会议的通知\n各科室：请准时参加。\n", encoding="utf-8")
    p = run(str(f), "--format", "json")
    assert p.returncode == 1
    assert [x["code"] for x in json.loads(p.stdout)["files"][0]["findings"]] == ["D001"]


def test_directory_is_expanded() -> None:
    p = run(str(ROOT / "evals" / "samples"), "--format", "json", "--fail-on", "never")
    assert p.returncode == 0
    assert len(json.loads(p.stdout)["files"]) == 5


def test_rules_and_rule_docs() -> None:
    p = run("rules")
    assert p.returncode == 0 and "T302" in p.stdout and "第三部分表格勾稽关系不成立" in p.stdout
    p = run("rule", "t302")
    assert p.returncode == 0
    for heading in ("检查内容", "依据", "不合规示例", "合规示例"):
        assert heading in p.stdout
    assert run("rule", "Z999").returncode == 2


def test_year_override_changes_format_checks(tmp_path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(base_text("clean_department_2023").replace("〔2021〕30号", "〔2019〕60号"), encoding="utf-8")
    assert "F101" in run(str(f), "--select", "F").stdout
    assert "F101" not in run(str(f), "--select", "F", "--year", "2020").stdout


# What a rules-only review of a .txt never imports (issue #15, a fast cold start): the LLM stack,
# the readers of other formats, pydantic (the records' mirrors are for JSON and the model), click
# (``review FILE`` goes straight to reviewer.check), and the modules of other commands and formats.
HEAVY = ("openai", "instructor", "jinja2", "httpx", "docx", "lxml", "pdfplumber", "charset_normalizer", "pydantic",
         "pydantic_core", "click", "rich", "yaml", "openpyxl", "sqlite3", "multiprocessing", "concurrent",
         "dataclasses", "inspect", "pkgutil")  # the stage classes are @plain (schemas/plain.py): no inspect
NOT_FOR_TXT = ("reviewer.llm", "reviewer.batch", "reviewer.github", "reviewer.annotate", "reviewer.cli",
               "reviewer.readers.", "reviewer.output.html_page", "reviewer.output.sarif", "reviewer.output.jsonout",
               "reviewer.output.markdown", "reviewer.output.github", "schemas.mirror")


def _imported_by(*args: str) -> tuple[list[str], list[str], subprocess.CompletedProcess]:
    code = (
        "import os, sys, runpy; sys.argv=['review', *%r]\n"
        "os._exit = sys.exit  # the fast path ends with os._exit: end here with SystemExit instead\n"
        "try:\n    runpy.run_module('reviewer', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    ) % (args,)
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=60)
    modules = p.stdout.split("MODULES ")[-1].split()
    heavy = [m for m in modules if m.split(".")[0] in HEAVY]
    ours = [m for m in modules if m.startswith(NOT_FOR_TXT)]
    return heavy, ours, p


def test_rules_only_run_imports_nothing_heavy() -> None:
    heavy, ours, p = _imported_by(str(sample("004")))
    assert "共审核 1 个文件" in p.stdout and heavy == [] and ours == [], (heavy, ours, p.stderr)
    heavy, ours, p = _imported_by(str(sample("004")), "--format", "json")  # JSON: pydantic at the boundary
    assert "pydantic" in heavy and "schemas.mirror" in ours and "click" in heavy
    assert not [m for m in heavy if m.split(".")[0] in ("openai", "instructor", "jinja2", "docx", "lxml", "pdfplumber")]
