"""Table 四 (行政复议、行政诉讼情况): one row of 15 cells in three blocks of five.

The values follow the header: the fields of the lines after it (tab- or pipe-separated, blanks
kept; one line or one per block), else the value tokens, else digits run together, split by the
three block identities (总计 = the other four), then the prose ("行政复议N件") as tie-breaker.
"""

from __future__ import annotations

import re

from reviewer.lazyre import lazy
from reviewer.tables import hints
from reviewer.tables.common import (
    PARTS,
    MaskedView,
    RowValues,
    fields_cells,
    no_table,
    notice,
    row_values,
    shown,
    shown_readings,
    value_tokens,
)
from reviewer.tables.lines import data_rows
from reviewer.tables.split import Block, Shape
from schemas.document import Document
from schemas.tables import TABLE4_BLOCKS, Cell, Table4, TableStatus

HEADER = lazy(
    r"行政复议|行政诉讼|未经复议直接起诉|复议后起诉|结\s*果\s*维\s*持|结\s*果\s*纠\s*正|其\s*他\s*结\s*果|尚\s*未\s*审\s*结|总\s*计"
    r"|结果|维持|纠正|其他|尚未|审结"
)
N = 15
SHAPE = Shape((Block(4, total=True),) * 3)
# Header words by canonical key, for tables read from a real structure.
BLOCK_RX: dict[str, re.Pattern[str]] = {
    "suit_after_review": lazy(r"复\s*议\s*后\s*起\s*诉"),
    "direct_suit": lazy(r"未\s*经\s*复\s*议|直\s*接\s*起\s*诉"),
    "review": lazy(r"行\s*政\s*复\s*议"),
}
COLUMN_RX: dict[str, re.Pattern[str]] = {
    "upheld": lazy(r"维\s*持"),
    "corrected": lazy(r"纠\s*正"),
    "other": lazy(r"其\s*他"),
    "pending": lazy(r"审\s*结"),
    "total": lazy(r"总\s*计"),
}


def blocks_of(cells: list[Cell]) -> dict[str, list[Cell]]:
    return {key: cells[i * 5 : i * 5 + 5] for i, key in enumerate(TABLE4_BLOCKS)}


def parse_table4(doc: Document) -> Table4:
    sec = doc.section(4)
    if sec is None:
        return Table4(status=TableStatus.ABSENT, reason="报告中没有第四部分")
    start, end = sec.body_span.start, sec.body_span.end
    text = doc.text
    table = Table4(loc=doc.location(sec.heading_span.start))
    heads = list(HEADER.finditer(text, start, end))
    anchor = next((m for m in heads if "维持" in m.group() or "审结" in m.group()), None)
    if anchor is None:
        return no_table(doc, table, start, end, "第四部分")  # type: ignore[return-value]
    view = MaskedView(doc, HEADER, start, end)
    # The values follow the header: the first value token after the first 维持/审结 header word,
    # and the header ends at the last header word before it (prose after the table is ignored).
    first_value = next((t for t in value_tokens(view, anchor.end(), end)), None)
    limit = first_value.start if first_value else end
    header_end = max(m.end() for m in heads if m.end() <= limit)
    rv = _line_values(doc, header_end, end) or row_values(view, header_end, end, N, shape=SHAPE, stop_at_text=True)
    settle(doc, table, rv, (start, end))
    return table


def _line_values(doc: Document, start: int, end: int) -> RowValues | None:
    """The 15 fields of the separated lines after the header (blanks kept), if they hold exactly 15."""
    fields: list[tuple[str, int]] = []
    for row in data_rows(doc, start, end):
        if not row.separated:
            break
        fields += row.fields
        if len(fields) >= N:
            break
    if len(fields) != N:
        return None
    return RowValues(cells=fields_cells(doc, fields))


def settle(doc: Document, table: Table4, rv: RowValues, section: tuple[int, int]) -> None:
    """The row's reading onto the table: its blocks, or its readings and a notice."""
    if rv.problem:
        table.status, table.reason = TableStatus.INCOMPLETE, rv.problem
        table.notices.append(notice(PARTS[4], rv.problem))
        return
    opts = rv.readings
    if len(opts) > 1 and rv.broken:  # no reading satisfies every block: the one satisfying most
        score = [sum(_block_holds(o[b * 5 : b * 5 + 5]) for b in range(3)) for o in opts]
        opts = [o for o, s in zip(opts, score) if s == max(score)]
    if len(opts) > 1:
        opts = hints.prefer(opts, hints.stated(doc, ("复议", "诉讼"), section))
    if len(opts) == 1:
        table.blocks = blocks_of(opts[0])
        table.status = TableStatus.PARSED
        if len(rv.readings) > 1:
            table.split_notes["row"] = _note(rv, opts[0])
        if len(rv.broken) > 1:  # chosen among readings that all break a block: T401 sees them all
            table.alternatives = [blocks_of(o) for o in rv.broken]
        return
    table.alternatives = [blocks_of(o) for o in opts]
    table.split_notes["row"] = f"数字连写“{rv.digits}”，可读作{shown_readings(opts, ' ')}"
    table.status = TableStatus.AMBIGUOUS
    table.reason = f"数字连写“{rv.digits}”有{len(opts)}种读法（{shown_readings(opts, ' ')}）"
    table.notices.append(notice(PARTS[4], table.reason))


def _block_holds(cells: list[Cell]) -> bool:
    v = [int(c.value or 0) for c in cells]
    return sum(v[:4]) == v[4]


def _note(rv: RowValues, chosen: list[Cell]) -> str:
    read = shown(chosen, " ")
    if rv.broken:
        return f"数字连写“{rv.digits}”，{len(rv.broken)}种读法都不满足各组总计，按满足组数最多的读作{read}"
    return f"数字连写“{rv.digits}”，有{len(rv.options)}种读法满足各组总计，按正文读作{read}"
