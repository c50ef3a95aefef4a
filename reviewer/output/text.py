"""ruff-style text: ``path:line:col: CODE [severity] message`` grouped per file, then a summary."""

from __future__ import annotations

from reviewer.output.labels import extractor_label
from reviewer.output.safe import terminal
from reviewer.output.where import page_note
from reviewer.rules.base import rule_title
from schemas.common import Severity
from schemas.output import FileResult


def summary_line(results: list[FileResult]) -> str:
    counts = {s: 0 for s in Severity}
    for r in results:
        for f in r.findings:
            counts[f.severity] += 1
    total = sum(counts.values())
    failed = sum(1 for r in results if r.error)
    parts = [f"共审核 {len(results)} 个文件"]
    if failed:
        parts.append(f"{failed} 个无法审核")
    if total:
        detail = "，".join(f"{s.label} {counts[s]}" for s in Severity)
        parts.append(f"发现 {total} 个问题（{detail}）")
    else:
        parts.append("未发现问题")
    return "，".join(parts) + "。"


def _render(results: list[FileResult], full: bool, errors: bool = True) -> str:
    """``errors=False``: a file's error is left to the caller (``review`` writes it to stderr); the
    summary still counts it."""
    out: list[str] = []
    for r in results:
        path = terminal(r.path, one_line=True)
        if r.error:
            if errors:
                out.append(f"{path}: 错误：{terminal(r.error, one_line=True)}")
            continue
        for n in r.notices:
            out.append(f"{path}: 注意：{terminal(n, one_line=True)}")
        for f in r.findings:
            out.append(f"{path}:{f.line}:{f.column}: {f.code} [{f.severity.value}] {terminal(f.message, one_line=True)}{page_note(f)}")
            if full:
                out.append(f"    规则：{rule_title(f.code, f.name)}")
                if f.evidence:
                    out.append(f"    原文：{terminal(f.evidence, one_line=True)}")
                if f.hint:
                    out.append(f"    建议：{terminal(f.hint, one_line=True)}")
                conf = "确定" if f.confidence.value == "certain" else "推断"
                src = f"，依据{extractor_label(f.extractor)}提取器" if f.extractor else ""
                out.append(f"    置信度：{conf}{src}")
        if r.findings or r.notices:
            out.append("")
    out.append(summary_line(results))
    return "\n".join(out) + "\n"


def render_text(results: list[FileResult], *, errors: bool = True) -> str:
    return _render(results, full=False, errors=errors)


def render_full(results: list[FileResult], *, errors: bool = True) -> str:
    return _render(results, full=True, errors=errors)
