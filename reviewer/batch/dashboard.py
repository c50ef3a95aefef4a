"""index.html: a self-contained dashboard (no network): totals, how often each rule fires, problems
by year and by agency as inline SVG, a sortable table of reports, and each report's findings with
evidence. Rendered with jinja2 (autoescaped: report text is never markup), streamed to the file so
memory stays flat however many reports there are."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TextIO

from reviewer import __version__
from reviewer.batch.outputs import SEVERITIES, Stats, codes, counts, not_report, not_report_reason
from reviewer.output.where import position
from reviewer.rules.base import rule_title

TOP_AGENCIES = 20
TOP_CODES = 40
BAR_H = 22


def bars(items: Iterable[tuple[str, str, Mapping[str, int]]], width: int = 520) -> dict[str, Any]:
    """Horizontal stacked bars (error / warning / info) as geometry for the template."""
    items = list(items)
    peak = max((sum(c[s] for s in SEVERITIES) for _, _, c in items), default=0) or 1
    rows = []
    for i, (label, title, c) in enumerate(items):
        x, segs = 0.0, []
        for s in SEVERITIES:
            w = c[s] / peak * width
            if w:
                segs.append({"x": round(x, 1), "w": round(w, 1), "cls": s, "n": c[s]})
            x += w
        total = sum(c[s] for s in SEVERITIES)
        rows.append({"y": i * BAR_H, "label": label, "title": title, "segs": segs, "total": total, "end": round(x, 1)})
    return {"rows": rows, "height": max(len(rows), 1) * BAR_H, "width": width}


def charts(stats: Stats) -> dict[str, Any]:
    code_rows = []  # bar length: the reports in which the rule fires, coloured by its severity
    for code, n in sorted(stats.code_findings.items(), key=lambda kv: (-stats.code_reports[kv[0]], kv[0]))[:TOP_CODES]:
        name, sev = stats.code_info[code]
        reports = stats.code_reports[code]
        about = rule_title(code, name)
        code_rows.append((f"{code} {about}", f"{code} {about}：{reports} 份报告，共 {n} 处",
                          {s: reports if s == sev else 0 for s in SEVERITIES}))
    years = sorted(stats.by_year.items(), key=lambda kv: (isinstance(kv[0], str), kv[0]))
    agencies = sorted(stats.by_agency.items(), key=lambda kv: (-kv[1]["error"], -kv[1]["warning"], -kv[1]["info"], kv[0]))
    return {
        "codes": bars(code_rows),
        "years": bars((f"{y}年" if not isinstance(y, str) else y, f"{y}：{c['reports']} 份报告", c) for y, c in years),
        "agencies": bars((a, f"{a}：{c['reports']} 份报告", c) for a, c in agencies[:TOP_AGENCIES]),
        "n_agencies": len(stats.by_agency),
    }


def rows(recs: Iterable[dict[str, Any]], link: Callable[[dict[str, Any]], str | None] | None = None,
         ) -> Iterator[dict[str, Any]]:
    """The reports (the files that are not reports are listed apart: ``others``)."""
    for i, rec in enumerate(r for r in recs if not not_report(r)):
        yield {"i": i, "rec": rec, "c": counts(rec), "codes": codes(rec), "page": link(rec) if link else None}


def others(recs: Iterable[dict[str, Any]]) -> Iterator[dict[str, str]]:
    """The files that are not annual reports (D001), with why."""
    for rec in recs:
        if not_report(rec):
            yield {"path": rec["path"], "why": not_report_reason(rec).split("：", 1)[-1]}


_TEMPLATE: Any = None
_TEMPLATE_LOCK = threading.Lock()


def template() -> Any:
    """The compiled dashboard template (importing jinja2 and compiling it take tens of ms: done once
    a process, and by ``prepare`` while the workers review, not after them)."""
    global _TEMPLATE
    with _TEMPLATE_LOCK:
        if _TEMPLATE is None:
            from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

            env = Environment(
                loader=PackageLoader("reviewer.batch", "templates"),
                autoescape=select_autoescape(default=True),
                undefined=StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.filters["position"] = position
            env.filters["title"] = rule_title
            _TEMPLATE = env.get_template("dashboard.html.j2")
        return _TEMPLATE


def prepare() -> None:
    """Compile the template on a thread of its own (call it once the workers are running: the batch
    process mostly waits for them then); ``render`` waits for it if it is not done yet."""
    if _TEMPLATE is None:
        threading.Thread(target=_prepare_quietly, name="dashboard-template", daemon=True).start()


def _prepare_quietly() -> None:
    try:
        template()
    except Exception:  # noqa: BLE001 - render() compiles it again and the error shows there
        pass


def render(out: TextIO, stats: Stats, recs: Callable[[], Iterable[dict[str, Any]]],
           link: Callable[[dict[str, Any]], str | None] | None = None) -> None:
    """``link(rec)``: the relative URL of a report's own page (reviewer.batch.pages), or None."""
    for chunk in template().generate(
        stats=stats, charts=charts(stats), table=rows(recs(), link), details=rows(recs(), link), others=others(recs()), version=__version__,
        severities=SEVERITIES, labels={"error": "错误", "warning": "警告", "info": "提示"},
    ):
        out.write(chunk)
