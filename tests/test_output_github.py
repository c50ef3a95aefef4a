"""`--format github`: escaping, caps, and report text that tries to inject workflow commands."""

from __future__ import annotations

import re
import subprocess
import sys

from reviewer.output.github import (
    JOB_CAP,
    escape_data,
    escape_property,
    render_github,
    wrap_untrusted,
)
from schemas.common import Severity
from schemas.findings import Finding
from schemas.output import FileResult
from tests.conftest import ROOT, sample

COMMAND = re.compile(r"^::([a-z-]+)(?: ([^:]*))?::(.*)$")


def run_log(log: str) -> list[tuple[str, dict[str, str], str]]:
    """Process a log as the Actions runner does: the commands it would execute, honouring
    ::stop-commands:: (until the line ``::<token>::``), with properties and message unescaped."""
    executed, stopped = [], None
    for line in log.splitlines():
        if stopped is not None:
            if line == f"::{stopped}::":
                stopped = None
            continue
        m = COMMAND.match(line)
        if not m:
            continue
        name, props, msg = m.group(1), m.group(2) or "", m.group(3)
        if name == "stop-commands":
            stopped = msg
            continue
        fields = dict(p.split("=", 1) for p in props.split(",") if p)
        unescape = lambda s: s.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")  # noqa: E731
        executed.append((name, {k: unescape(v) for k, v in fields.items()}, unescape(msg)))
    return executed


def f(code: str, severity: Severity, line: int = 1, msg: str = "问题", hint: str = "") -> Finding:
    return Finding(code=code, name="some-problem", severity=severity, message=msg, line=line, column=2, hint=hint)


def test_escaping() -> None:
    assert escape_data("100% a\r\nb:c,d") == "100%25 a%0D%0Ab:c,d"
    assert escape_property("100% a\r\nb:c,d") == "100%25 a%0D%0Ab%3Ac%2Cd"
    tricky = FileResult(path="报告,v1:草稿.txt", findings=[
        f("T302", Severity.ERROR, 5, "自然人列：3 + 0 ≠ 2，占比 4.2%\r\n::set-output name=x::y", hint="核对, 再改")])
    (ann,) = [c for c in run_log(render_github([tricky])) if c[0] == "error"]
    assert ann[1] == {"file": "报告,v1:草稿.txt", "line": "5", "col": "2", "title": "T302 第三部分表格勾稽关系不成立"}
    assert ann[2] == "自然人列：3 + 0 ≠ 2，占比 4.2%\r\n::set-output name=x::y\n建议：核对, 再改"


def test_caps_most_severe_first_and_the_rest_counted() -> None:
    findings = ([f("T302", Severity.INFO, i) for i in range(12)] + [f("T301", Severity.WARNING, 100 + i) for i in range(15)]
                + [f("T201", Severity.ERROR, 200 + i) for i in range(25)])
    log = render_github([FileResult(path="a.txt", findings=findings)])
    executed = run_log(log)
    levels = [c[0] for c in executed if c[0] in ("error", "warning", "notice")]
    assert (levels.count("error"), levels.count("warning"), levels.count("notice")) == (10, 10, 10)
    assert "另有 22 条未显示为注解" in log
    shown_errors = [int(c[1]["line"]) for c in executed if c[0] == "error"]
    assert shown_errors == list(range(200, 210))  # the first ten, in line order
    # a smaller job budget keeps the most severe
    small = run_log(render_github([FileResult(path="a.txt", findings=findings)], total=15))
    levels = [c[0] for c in small if c[0] in ("error", "warning", "notice")]
    assert (levels.count("error"), levels.count("warning"), levels.count("notice")) == (10, 5, 0)
    assert JOB_CAP == 50


def test_unreadable_file_outranks_findings_and_groups_per_file() -> None:
    results = [FileResult(path="a.txt", findings=[f("T201", Severity.ERROR, i) for i in range(10)]),
               FileResult(path="b.docx", error="无法读取：文件已损坏")]
    executed = run_log(render_github(results))
    names = [c[0] for c in executed]
    assert names.count("group") == names.count("endgroup") == 2
    errors = [c for c in executed if c[0] == "error"]
    assert len(errors) == 10 and errors[-1][1] == {"file": "b.docx", "title": "无法审核"}


def test_report_text_cannot_inject_workflow_commands() -> None:
    evil = "::add-mask::秘密\n::set-output name=result::pass\n::stop-commands::x\n::x::\n::error::伪造的错误"
    r = FileResult(path="evil.txt", notices=["注意\n::warning::伪造"], findings=[
        Finding(code="R601", name="fee-statement-missing", severity=Severity.WARNING, message="缺少收费说明",
                evidence=evil, hint="忽略以上检查\n::notice::本报告合规")])
    log = render_github([r])
    assert "::add-mask::秘密" in log  # echoed to the log for the reader …
    executed = run_log(log)  # … but never executed
    assert {c[0] for c in executed} <= {"group", "endgroup", "warning", "notice"}
    assert [c[0] for c in executed].count("warning") == 1 and [c[0] for c in executed].count("notice") == 1
    assert not any("伪造" in c[2] and c[0] != "notice" for c in executed)
    wrapped = wrap_untrusted(evil)
    token = wrapped.splitlines()[0].split("::")[-1]
    assert token not in evil and wrapped == wrap_untrusted(evil)


def test_cli_format_github_on_a_sample() -> None:
    out = subprocess.run([sys.executable, "-m", "reviewer", "--format", "github", "--fail-on", "never", str(sample("002"))], cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert out.returncode == 0, out.stderr
    executed = run_log(out.stdout)
    warnings = [c for c in executed if c[0] == "warning"]
    assert warnings and all(c[1]["file"] == "evals/samples/" + sample("002").name for c in warnings)
    assert any(line.startswith("共审核 1 个文件") for line in out.stdout.splitlines())
