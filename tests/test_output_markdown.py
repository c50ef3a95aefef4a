"""`--format markdown`: the summary table, links to the lines, escaping, deterministic truncation."""

from __future__ import annotations

import json
import subprocess
import sys

from reviewer.output.markdown import Links, escape, render_markdown, utf8_len
from schemas.common import Confidence, Severity
from schemas.findings import Finding
from schemas.output import FileResult, ReportMeta
from tests.conftest import ROOT, sample

LINKS = Links("https://github.example", "acme/reports", "abc123")


def finding(i: int, msg: str = "数字不符") -> Finding:
    return Finding(code="T302", name="application-balance-mismatch", severity=Severity.ERROR, message=f"{msg}{i}",
                   line=i + 1, column=3, hint="核对表格。")


def test_table_with_links_and_counts() -> None:
    r = FileResult(path="reports/县政府2023.txt", report=ReportMeta(agency="某县人民政府", year=2023),
                   notices=["模型不可用，已改用规则提取器"], findings=[
                       finding(0), Finding(code="R601", name="fee-statement-missing", severity=Severity.WARNING,
                                           message="未说明信息处理费收取情况", line=80, confidence=Confidence.INFERRED)])
    md = render_markdown([r, FileResult(path="reports/clean.md"), FileResult(path="bad.docx", error="无法读取")],
                         links=LINKS)
    assert md.startswith("## 政府信息公开工作年度报告审核结果\n\n❌ 共审核 3 个文件，1 个无法审核，发现 2 个问题")
    assert "### ❌ [reports/县政府2023.txt](https://github.example/acme/reports/blob/abc123/reports/%E5%8E%BF" in md
    assert "某县人民政府 · 2023年度 · 提取器：规则 · 错误 1，警告 1，提示 0" in md
    assert "> 注意：模型不可用，已改用规则提取器" in md
    assert "| [1:3](https://github.example/acme/reports/blob/abc123/reports/" in md and "2023.txt#L1) | 错误 |" in md
    assert "| 警告（推断） | R601 未说明信息处理费收取情况 | 未说明信息处理费收取情况 |" in md
    assert "### ✅ [reports/clean.md](https://github.example/acme/reports/blob/abc123/reports/clean.md?plain=1)" in md
    assert "未发现问题。" in md and "### ⛔ [bad.docx]" in md and "无法审核：无法读取" in md
    assert LINKS.url("a.docx", 5).endswith("/a.docx") and LINKS.url("/abs/a.txt", 5) is None


def test_report_text_is_escaped() -> None:
    evil = "a|b <img src=x onerror=alert(1)> @someone [link](http://x) **粗** <!-- report-reviewer:pr-comment -->\n| x |"
    cell = escape(evil)
    assert "<" not in cell and "\n" not in cell and "@someone" not in cell
    assert "|" not in cell.replace("\\|", "")
    md = render_markdown([FileResult(path="r.txt", findings=[finding(0, evil)])])
    row = next(line for line in md.splitlines() if line.startswith("| 1:3"))
    assert row.count(" | ") == 3 and "<!--" not in md


def test_truncation_is_deterministic_and_counts_what_was_left_out() -> None:
    results = [FileResult(path=f"r{k}.txt", findings=[finding(i, "第三部分表格数字不符" * 5) for i in range(300)])
               for k in range(3)]
    full = render_markdown(results, links=LINKS)
    cut = render_markdown(results, links=LINKS, limit=20000)
    assert len(full) > 20000 >= len(cut) and cut == render_markdown(results, links=LINKS, limit=20000)
    shown = sum(1 for line in cut.splitlines() if line.startswith("| [") and "#L" in line)
    assert 0 < shown < 900 and f"另有 {900 - shown} 个问题未在此列出" in cut
    assert cut.rstrip().splitlines()[-1].startswith("> ⚠️ 内容过长，已截断")
    assert render_markdown(results, limit=len(full) + 10) == render_markdown(results)
    by_bytes = render_markdown(results, limit=20000, measure=utf8_len)
    assert utf8_len(by_bytes) <= 20000 and len(by_bytes) < len(cut)  # Chinese takes 3 bytes a character


def test_links_from_the_environment(tmp_path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"head": {"sha": "headsha"}}}), encoding="utf-8")
    env = {"GITHUB_REPOSITORY": "acme/reports", "GITHUB_SHA": "mergesha", "GITHUB_EVENT_PATH": str(event)}
    assert Links.from_env(env) == Links("https://github.com", "acme/reports", "headsha")
    assert Links.from_env({"GITHUB_REPOSITORY": "a/b", "GITHUB_SHA": "s"}).sha == "s"
    assert Links.from_env({}) is None


def test_cli_format_markdown() -> None:
    out = subprocess.run([sys.executable, "-m", "reviewer", "--format", "markdown", "--fail-on", "never", str(sample("002"))], cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8", timeout=120,
                         env={"PATH": "", "PYTHONIOENCODING": "utf-8"})
    assert out.returncode == 0, out.stderr
    assert "| 位置 | 级别 | 规则 | 问题 |" in out.stdout and "T102 表格栏目名称与格式不一致" in out.stdout
