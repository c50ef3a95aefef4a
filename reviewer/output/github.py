"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message`` annotations,
grouped per file, within GitHub's caps, with every piece of report text echoed to the log wrapped in
``::stop-commands::`` so that a report cannot inject workflow commands (``::add-mask::``,
``::set-output::`` …).

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and 50 per job; the most
severe are emitted first and the rest are counted in the summary line (the log, the job summary and
the SARIF file still hold every finding).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from reviewer.output.paths import repo_relative
from reviewer.output.safe import terminal
from reviewer.output.text import render_full, summary_line
from reviewer.output.where import page_note
from reviewer.rules.base import rule_title
from schemas.common import Confidence, Severity
from schemas.output import FileResult

STEP_CAPS = {"error": 10, "warning": 10, "notice": 10}
JOB_CAP = 50
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_RANK = {"failed": 4, "error": 3, "warning": 2, "notice": 1}


def escape_data(value: object) -> str:
    """Escape a command's message (as actions/toolkit does), and write other control characters
    (ANSI escapes in a file name) visibly: the log renders them."""
    text = str(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal(text, one_line=True)


def escape_property(value: object) -> str:
    """Escape a command property value: also ``:`` and ``,``, which delimit properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: object) -> str:
    args = ",".join(f"{k}={escape_property(v)}" for k, v in props.items() if v is not None and v != "")
    return f"::{name}{' ' + args if args else ''}::{escape_data(message)}"


def wrap_untrusted(text: str) -> str:
    """Echo text to the log with workflow commands switched off while it prints.

    The resume token is a hash of the text itself, so the text cannot contain it (deterministic output,
    and no way for a report to end the quiet section early)."""
    token = "rr-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]
    body = text if text.endswith("\n") else text + "\n"
    return f"::stop-commands::{token}\n{body}::{token}::\n"


@dataclass(frozen=True)
class Annotation:
    level: str  # error | warning | notice
    file_index: int
    file: str
    message: str
    title: str
    line: int | None = None
    col: int | None = None
    rank: int = 0
    inferred: bool = False  # resting on reading prose: after the certain ones of its level

    def render(self) -> str:
        return command(self.level, self.message, file=self.file, line=self.line, col=self.col, title=self.title)


def annotations(results: list[FileResult]) -> list[Annotation]:
    """Every annotation the results call for, in file order."""
    out: list[Annotation] = []
    for i, r in enumerate(results):
        rel = repo_relative(r.path)
        if r.error:
            out.append(Annotation("error", i, rel, r.error, "无法审核", rank=_RANK["failed"]))
            continue
        for n in r.notices:
            out.append(Annotation("notice", i, rel, n, "注意", rank=_RANK["notice"]))
        for f in r.findings:
            level = LEVELS[f.severity]
            message = f.message + page_note(f) + (f"\n建议：{f.hint}" if f.hint else "")
            title = f"{f.code} {rule_title(f.code, f.name)}" + (f" · 第{f.page}页" if f.page else "")
            out.append(Annotation(level, i, rel, message, title, f.line, f.column, _RANK[level],
                                  f.confidence == Confidence.INFERRED))
    return out


def select(anns: list[Annotation], caps: dict[str, int] | None = None, total: int = JOB_CAP) -> list[Annotation]:
    """The annotations GitHub will show: most severe first, within the per-level and per-job caps;
    within a level the certain before the inferred, and the files taking turns (each file's first,
    then each file's second …), so that no file is starved by an earlier one. Returned in their
    original (file, line) order."""
    caps = STEP_CAPS if caps is None else caps
    used = {k: 0 for k in caps}
    keep: set[int] = set()
    turn: dict[tuple[int, str, bool], int] = {}
    order = []
    for idx, a in enumerate(anns):
        key = (a.file_index, a.level, a.inferred)
        order.append((-a.rank, a.inferred, turn.get(key, 0), a.file_index, idx))
        turn[key] = turn.get(key, 0) + 1
    for *_, idx in sorted(order):
        a = anns[idx]
        if len(keep) >= total:
            break
        if used[a.level] < caps[a.level]:
            used[a.level] += 1
            keep.add(idx)
    return [a for k, a in enumerate(anns) if k in keep]


def render_github(results: list[FileResult], *, caps: dict[str, int] | None = None, total: int = JOB_CAP) -> str:
    every = annotations(results)
    shown = select(every, caps, total)
    out: list[str] = []
    for i, r in enumerate(results):
        c = r.counts()
        state = "无法审核" if r.error else "，".join(f"{s.label} {c[s.value]}" for s in Severity)
        out.append(command("group", f"{repo_relative(r.path)}（{state}）"))
        out.append(wrap_untrusted(render_full([r])).rstrip("\n"))
        out.extend(a.render() for a in shown if a.file_index == i)
        out.append("::endgroup::")
    out.append(summary_line(results))
    omitted = len(every) - len(shown)
    if omitted:
        out.append(
            f"另有 {omitted} 条未显示为注解（GitHub 每步最多显示 10 个错误、10 个警告和 10 个提示注解，"
            f"每个作业最多 {JOB_CAP} 个）；完整结果见上方日志、任务摘要或 SARIF 文件。"
        )
    return "\n".join(out) + "\n"
