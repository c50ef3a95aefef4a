"""``review report --format html``: one self-contained page per report.

The report's text as the reviewer read it (one row per line, page markers for a PDF), each finding
highlighted at its span (reviewer.output.spans) with a note beside its line, the list of findings
linking to each, notices on top, a severity filter, and tables 三 and 四 as tables with the cells that
findings point at marked.

Report text is data: everything goes through jinja2's autoescaping (in a sandboxed environment), and
the page carries a Content-Security-Policy that allows no script and no network at all, so even a
mistake in escaping could not run anything. The filter is CSS (``:has``), the jumps are plain links.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reviewer import __version__
from reviewer.output.labels import extractor_label
from reviewer.output.spans import TextMap
from reviewer.output.where import page_note
from schemas.findings import Finding
from schemas.tables import TABLE3_COLUMNS, TABLE3_ROW_KEYS, TABLE4_BLOCKS, TABLE4_COLUMNS, table3_label

LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITIES = ("error", "warning", "info")
STATES = {"parsed": "已读出", "absent": "未找到表格", "not_readable": "表格不可机读", "ambiguous": "数字连写，无法唯一拆分",
          "incomplete": "表格不完整"}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@dataclass
class Piece:
    text: str
    marks: list[Finding | Any] = field(default_factory=list)  # the findings (Item) covering it, outermost first
    anchors: list[int] = field(default_factory=list)  # findings whose span starts here
    points: list[Any] = field(default_factory=list)  # findings whose span is empty and stands here
    page: int | None = None  # a page begins here


@dataclass
class Item:
    i: int
    f: Finding
    start: int
    end: int
    line: int

    @property
    def sev(self) -> str:
        return self.f.severity.value


@dataclass
class Line:
    no: int
    pieces: list[Piece]
    notes: list[Item]
    page: int | None = None  # a page begins with this line


def layout(raw: str, findings: list[Finding], pages: list[tuple[int, int, int]] | None) -> tuple[list[Line], list[Item]]:
    """The text cut into pieces at every span boundary and page start, line by line."""
    tm = TextMap(raw)
    items = []
    for i, f in enumerate(findings):
        start, end = tm.span(f)
        items.append(Item(i=i, f=f, start=start, end=end, line=tm.line_of(start)))
    page_at = {tm.offset(ln, col): page for ln, col, page in pages or []}
    order = sorted({x for it in items for x in (it.start, it.end)} | set(page_at))
    starts: dict[int, list[Item]] = {}
    notes: dict[int, list[Item]] = {}
    for it in items:
        starts.setdefault(it.start, []).append(it)
        notes.setdefault(it.line, []).append(it)
    over: dict[int, list[Item]] = {}  # line -> the items whose span overlaps it, outermost first
    for it in sorted(items, key=lambda it: (it.start, -it.end, it.i)):
        for no in range(it.line, tm.line_of(max(it.start, it.end - 1)) + 1):
            over.setdefault(no, []).append(it)
    lines: list[Line] = []
    at = 0
    for no, text in enumerate(raw.split("\n"), 1):
        lo, hi = at, at + len(text)
        inner = order[bisect.bisect_right(order, lo) : bisect.bisect_left(order, hi)]
        bounds = [lo, *inner, hi]
        live = over.get(no, [])
        pieces: list[Piece] = []
        for a, b in zip(bounds, bounds[1:]):
            if b <= a:
                continue
            here = starts.get(a, [])
            pieces.append(Piece(
                text=raw[a:b],
                marks=[it for it in live if it.start < b and it.end > a],
                anchors=[it.i for it in here],
                points=[it for it in here if it.start == it.end],
                page=page_at.get(a) if a != lo else None,
            ))
        tail = starts.get(hi, []) if hi > lo or not pieces else []
        if tail:  # spans starting at the end of the line: points there
            pieces.append(Piece(text="", anchors=[it.i for it in tail], points=[it for it in tail if it.start == it.end]))
        lines.append(Line(no=no, pieces=pieces, notes=notes.get(no, []), page=page_at.get(lo)))
        at = hi + 1
    return lines, items


def text_html(lines: list[Line]):
    """The text section, built here rather than in the template (it is most of the page and most of
    the pieces): markupsafe's ``Markup.format`` and ``escape`` escape every value, as autoescaping does."""
    from markupsafe import Markup, escape

    out = []
    for ln in lines:
        if ln.page:
            out.append(Markup('<div class="pg" id="p{0}">第{0}页</div>\n').format(ln.page))
        out.append(Markup('<div class="ln" id="L{0}"><a class="no" href="#L{0}">{0}</a><div class="tx">').format(ln.no))
        for p in ln.pieces:
            if p.page:
                out.append(Markup('<span class="pg" id="p{0}">第{0}页</span>').format(p.page))
            out.extend(Markup('<span class="anchor" id="f{}"></span>').format(i) for i in p.anchors)
            out.extend(Markup('<a class="pt sev-{}" data-f="{}" href="#n{}" title="{} {}"></a>').format(
                it.sev, it.i, it.i, it.f.code, it.f.message) for it in p.points)
            out.extend(Markup('<mark class="f sev-{}" data-f="{}" title="{} {}">').format(
                it.sev, it.i, it.f.code, it.f.message) for it in p.marks)
            out.append(escape(p.text))
            out.append(Markup("</mark>") * len(p.marks))
        out.append(Markup('</div><div class="notes">'))
        for it in ln.notes:
            page = page_note(it.f)
            out.append(Markup('<div class="note sev-{0}" id="n{1}"><a href="#f{1}"><span class="tag">[{2}]</span> '
                              '<b>{3}</b></a> {4}{5}').format(it.sev, it.i, LABELS[it.sev], it.f.code, it.f.message, page))
            if it.f.hint:
                out.append(Markup('<div class="hint">建议：{}</div>').format(it.f.hint))
            out.append(Markup("</div>"))
        out.append(Markup("</div></div>\n"))
    return Markup("").join(out)


def _cells(table, keys, labels, columns, items: list[Item], tm: TextMap) -> list[dict[str, Any]]:
    rows = []
    for key in keys:
        cells = table.rows.get(key) if hasattr(table, "rows") else table.blocks.get(key)
        if not cells:
            rows.append({"label": labels(key), "cells": [None] * len(columns)})
            continue
        out = []
        for c in cells:
            off = tm.offset(c.loc.line, c.loc.column)
            hits = [it for it in items if it.start <= off < it.end or (it.start == it.end == off)
                    or (it.f.line, it.f.column) == (c.loc.line, c.loc.column)]
            worst = min((it.sev for it in hits), key=SEVERITIES.index, default=None)
            out.append({"raw": c.raw.strip() or "（空）", "line": c.loc.line, "hits": hits, "sev": worst})
        rows.append({"label": labels(key), "cells": out})
    return rows


def tables_view(tables, items: list[Item], raw: str) -> list[dict[str, Any]]:
    if tables is None:
        return []
    tm = TextMap(raw)
    out = []
    t3, t4 = tables.t3, tables.t4
    out.append({
        "title": "第三部分：收到和处理政府信息公开申请情况", "id": "table3", "status": t3.status.value,
        "state": STATES.get(t3.status.value, t3.status.value),
        "reason": t3.reason, "columns": list(TABLE3_COLUMNS.values()),
        "rows": _cells(t3, TABLE3_ROW_KEYS, table3_label, TABLE3_COLUMNS, items, tm) if t3.rows else [],
    })
    out.append({
        "title": "第四部分：政府信息公开行政复议、行政诉讼情况", "id": "table4", "status": t4.status.value,
        "state": STATES.get(t4.status.value, t4.status.value),
        "reason": t4.reason, "columns": list(TABLE4_COLUMNS.values()),
        "rows": _cells(t4, TABLE4_BLOCKS, TABLE4_BLOCKS.get, TABLE4_COLUMNS, items, tm) if t4.blocks else [],
    })
    return out


@lru_cache(maxsize=1)
def _template():
    """Compiled once per process (a batch's workers render many pages); sandboxed and autoescaped, as
    every template of the project."""
    from jinja2 import PackageLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=PackageLoader("reviewer.output", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2")


def render_page(reviewed) -> str:
    """The page for one reviewed report (reviewer.annotate.Reviewed)."""
    result = reviewed.result
    lines, items = layout(reviewed.raw, result.findings, reviewed.pages)
    return _template().render(
        result=result, text=text_html(lines), items=items, tables=tables_view(reviewed.tables, items, reviewed.raw),
        counts=result.counts(), labels=LABELS, severities=SEVERITIES, csp=CSP, version=__version__,
        extractor=extractor_label(result.extractor),
        name=result.path.replace("\\", "/").rsplit("/", 1)[-1], paged=bool(reviewed.pages),
    )
