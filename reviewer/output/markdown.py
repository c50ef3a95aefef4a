"""The human summary in GitHub-flavoured Markdown: an overall line, then per file its counts and a
table of findings linking to the lines. Used for ``--format markdown``, the job summary and the PR
comment. Report text is escaped so it cannot add HTML, links, mentions or table cells; a size limit
truncates deterministically (whole rows) and says how many findings were left out."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from reviewer import __version__
from reviewer.output.labels import extractor_label
from reviewer.output.paths import repo_relative
from reviewer.output.safe import terminal
from reviewer.output.text import summary_line
from reviewer.output.where import position
from reviewer.rules.base import rule_title
from schemas.common import Confidence, Severity
from schemas.output import FileResult

TITLE = "政府信息公开工作年度报告审核结果"
_PUNCT = re.compile(r"([\\`*_\[\]|~#!()])")
_NO_LINE_ANCHOR = {".docx", ".pdf"}


def escape(text: str) -> str:
    """Plain text for a Markdown table cell or line: no HTML, no emphasis, no cell breaks, no @mentions,
    no raw control characters (reviewer.output.safe)."""
    text = terminal(text.replace("\t", " "))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCT.sub(r"\\\1", text)
    text = text.replace("@", "@&#8203;")
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


@dataclass(frozen=True)
class Links:
    """Where the reviewed files can be seen: ``{server}/{repo}/blob/{sha}/{path}#L{line}``."""

    server: str
    repo: str
    sha: str

    def url(self, path: str, line: int | None = None) -> str | None:
        if path.startswith("/") or ".." in path.split("/"):
            return None
        url = f"{self.server.rstrip('/')}/{self.repo}/blob/{self.sha}/{quote(path, safe='/')}"
        ext = os.path.splitext(path)[1].lower()
        if ext == ".md":
            url += "?plain=1"
        if line and ext not in _NO_LINE_ANCHOR:
            url += f"#L{line}"
        return url

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Links | None:
        """From the Actions environment: the PR head commit when there is one, else GITHUB_SHA."""
        env = os.environ if env is None else env
        repo = env.get("GITHUB_REPOSITORY")
        sha = env.get("GITHUB_SHA")
        event_path = env.get("GITHUB_EVENT_PATH")
        if event_path:
            try:
                with open(event_path, encoding="utf-8") as fh:
                    event = json.load(fh)
                sha = ((event.get("pull_request") or {}).get("head") or {}).get("sha") or sha
            except (OSError, ValueError, AttributeError):
                pass
        if not repo or not sha:
            return None
        return cls(env.get("GITHUB_SERVER_URL") or "https://github.com", repo, sha)


def _file_lines(r: FileResult, links: Links | None) -> list[tuple[str, bool]]:
    rel = repo_relative(r.path)
    name = escape(rel)
    file_url = links.url(rel) if links else None
    shown = f"[{name}]({file_url})" if file_url else name
    if r.error:
        return [(f"### ⛔ {shown}", False), ("", False), (f"无法审核：{escape(r.error)}", False), ("", False)]
    c = r.counts()
    icon = "❌" if c["error"] else "⚠️" if c["warning"] else "ℹ️" if c["info"] else "✅"
    out = [(f"### {icon} {shown}", False), ("", False)]
    meta = [escape(r.report.agency)] if r.report.agency else []
    if r.report.year:
        meta.append(f"{r.report.year}年度")
    meta.append(f"提取器：{escape(extractor_label(r.extractor))}")
    meta.append("，".join(f"{s.label} {c[s.value]}" for s in Severity))
    out.append((" · ".join(meta), False))
    out.append(("", False))
    for n in r.notices:
        out += [(f"> 注意：{escape(n)}", False), ("", False)]
    if not r.findings:
        return out + [("未发现问题。", False), ("", False)]
    out += [("| 位置 | 级别 | 规则 | 问题 |", False), ("| --- | --- | --- | --- |", False)]
    for f in r.findings:
        pos = position(f)
        url = links.url(rel, f.line) if links else None
        level = f.severity.label + ("（推断）" if f.confidence == Confidence.INFERRED else "")
        problem = escape(f.message) + (f"<br>建议：{escape(f.hint)}" if f.hint else "")
        cell = f"[{pos}]({url})" if url else pos
        out.append((f"| {cell} | {level} | {f.code} {escape(rule_title(f.code, f.name))} | {problem} |", True))
    return out + [("", False)]


def _fit(lines: list[tuple[str, bool]], limit: int | None, measure: Callable[[str], int]) -> str:
    """Join lines; over ``limit`` keep whole lines from the top and append a note counting the
    findings left out. Same input, same output."""
    full = "\n".join(t for t, _ in lines) + "\n"
    if limit is None or measure(full) <= limit:
        return full
    total = sum(1 for _, row in lines if row)

    def note(n: int) -> str:
        return (f"> ⚠️ 内容过长，已截断：另有 {n} 个问题未在此列出。"
                "完整结果见工作流运行的任务摘要、日志或 SARIF 文件。\n")

    budget = limit - measure(note(total)) - 2
    kept: list[str] = []
    used = 0
    cut = len(lines)
    for i, (text, _) in enumerate(lines):
        size = measure(text) + 1
        if used + size > budget:
            cut = i
            break
        kept.append(text)
        used += size
    omitted = sum(1 for _, row in lines[cut:] if row)
    return "\n".join(kept) + "\n\n" + note(omitted)


def render_markdown(
    results: list[FileResult],
    *,
    links: Links | None = None,
    limit: int | None = None,
    measure: Callable[[str], int] = len,
) -> str:
    counts = [f.severity for r in results for f in r.findings]
    bad = any(r.error for r in results) or Severity.ERROR in counts
    icon = "❌" if bad else "⚠️" if Severity.WARNING in counts else "✅"
    lines: list[tuple[str, bool]] = [(f"## {TITLE}", False), ("", False), (f"{icon} {summary_line(results)}", False)]
    lines.append(("", False))
    for r in results:
        lines += _file_lines(r, links)
    lines.append((f"<sub>report-reviewer {__version__}</sub>", False))
    return _fit(lines, limit, measure)


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))
