"""ruff-style text: ``path:line:col: CODE [severity] message`` grouped per file, then a summary."""

from __future__ import annotations

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


def _render(results: list[FileResult], full: bool) -> str:
    out: list[str] = []
    for r in results:
        if r.error:
            out.append(f"{r.path}: 错误：{r.error}")
            continue
        for n in r.notices:
            out.append(f"{r.path}: 注意：{n}")
        for f in r.findings:
            page = f"（第{f.page}页）" if f.page else ""
            out.append(f"{r.path}:{f.line}:{f.column}: {f.code} [{f.severity.value}] {f.message}{page}")
            if full:
                if f.evidence:
                    out.append(f"    原文：{f.evidence}")
                if f.hint:
                    out.append(f"    建议：{f.hint}")
                conf = "确定" if f.confidence.value == "certain" else "推断"
                src = f"，依据{f.extractor}提取器" if f.extractor else ""
                out.append(f"    置信度：{conf}{src}")
        if r.findings or r.notices:
            out.append("")
    out.append(summary_line(results))
    return "\n".join(out) + "\n"


def render_text(results: list[FileResult]) -> str:
    return _render(results, full=False)


def render_full(results: list[FileResult]) -> str:
    return _render(results, full=True)
