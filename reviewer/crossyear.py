"""Across years: attach the same agency's previous report to a report's Context, so that the C
rules (reviewer/rules/crossyear.py) can compare them.

``review report.txt --previous last.txt`` uses it for one pair; a batch pairs consecutive years of
the same agency (matched by agency name and year) and runs only the C rules on each pair.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.agency import same_agency
from reviewer.readers import read
from reviewer.rules.base import Context
from schemas.findings import Finding

if TYPE_CHECKING:
    from reviewer.engine import Engine

CROSS_YEAR_PREFIX = "C"


def text_context(engine: Engine, raw: str, path: str, *, encoding: str = "utf-8", fmt: str = "txt", tables=None) -> Context | None:
    """The Context of a report given as text; None when it is not an annual report (D001)."""
    doc = engine.document(raw, path, encoding=encoding, fmt=fmt)
    if engine.gate(doc):
        return None
    ctx, _ = engine.context(doc, tables)
    return ctx


def load_context(engine: Engine, path: str | Path) -> Context | None:
    """The Context of a report file (InputError when it cannot be read; None when it is not a report)."""
    res = read(path)
    return text_context(engine, res.raw, str(path), encoding=res.encoding, fmt=res.format, tables=res.tables)


def pair_problem(ctx: Context, previous: Context, *, agencies: bool = False) -> str | None:
    """Why two reports cannot be compared as consecutive years, in Chinese; None when they can.
    ``agencies``: also when they name different agencies (``--previous``; a batch pairs reports by
    agency already, a manifest's names winning over the documents')."""
    mine, theirs = ctx.doc.agency, previous.doc.agency
    if agencies and mine and theirs and not same_agency(mine, theirs):
        return f"上年度报告（{previous.doc.path}）的机关“{theirs}”与本报告的“{mine}”不同，未进行跨年度检查"
    if ctx.year is not None and previous.year is not None and previous.year != ctx.year - 1:
        return (
            f"上年度报告（{previous.doc.path}）为{previous.year}年度，不是{ctx.year}年度的上一年，未进行跨年度检查"
        )
    return None


def cross_year_findings(engine: Engine, ctx: Context, previous: Context) -> list[Finding]:
    """Only the C rules' findings for a pair (the batch adds them to the report's own findings)."""
    if pair_problem(ctx, previous):
        return []
    ctx.previous = previous
    rules = [r for r in engine.rules if r.code.startswith(CROSS_YEAR_PREFIX)]
    return sorted((f for r in rules for f in r.check(ctx)), key=Finding.sort_key)


def review_pair(engine: Engine, path: str | Path, previous_path: str | Path) -> list[Finding]:
    """The C findings of a report against its previous year's report, both given as files."""
    ctx = load_context(engine, path)
    prev = load_context(engine, previous_path)
    if ctx is None or prev is None:
        return []
    return cross_year_findings(engine, ctx, prev)
