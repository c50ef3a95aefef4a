"""Table 四 (行政复议、行政诉讼情况): one row of 15 cells in three blocks of five."""

from __future__ import annotations

import re

from reviewer.tables.common import MaskedView, no_table, row_values, value_tokens
from schemas.document import Document
from schemas.tables import TABLE4_BLOCKS, Table4, TableStatus

HEADER = re.compile(
    r"行政复议|行政诉讼|未经复议直接起诉|复议后起诉|结\s*果\s*维\s*持|结\s*果\s*纠\s*正|其\s*他\s*结\s*果|尚\s*未\s*审\s*结|总\s*计"
    r"|结果|维持|纠正|其他|尚未|审结"
)
N = 15
# Header words by canonical key, for tables read from a real structure.
BLOCK_RX: dict[str, re.Pattern[str]] = {
    "suit_after_review": re.compile(r"复\s*议\s*后\s*起\s*诉"),
    "direct_suit": re.compile(r"未\s*经\s*复\s*议|直\s*接\s*起\s*诉"),
    "review": re.compile(r"行\s*政\s*复\s*议"),
}
COLUMN_RX: dict[str, re.Pattern[str]] = {
    "upheld": re.compile(r"维\s*持"),
    "corrected": re.compile(r"纠\s*正"),
    "other": re.compile(r"其\s*他"),
    "pending": re.compile(r"审\s*结"),
    "total": re.compile(r"总\s*计"),
}


def _blocks_ok(vals: tuple[int, ...]) -> bool:
    """总计 = the other four, for every block complete so far (prunes the digit-run search)."""
    return all(sum(vals[b : b + 4]) == vals[b + 4] for b in range(0, len(vals) - 4, 5))


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
        return no_table(doc, table, start, end, "第四部分")
    view = MaskedView(doc, HEADER, start, end)
    # The values follow the header: the first value token after the first 维持/审结 header word,
    # and the header ends at the last header word before it (prose after the table is ignored).
    first_value = next((t for t in value_tokens(view, anchor.end(), end)), None)
    limit = first_value.start if first_value else end
    header_end = max(m.end() for m in heads if m.end() <= limit)
    rv = row_values(view, header_end, end, N, prefix_ok=_blocks_ok, stop_at_text=True)
    if rv.candidates:
        table.status = TableStatus.AMBIGUOUS
        table.reason = "数字连写在一起，有多种拆分方式都满足“总计=各项之和”，无法确定各单元格的值"
        return table
    if rv.problem:
        table.status = TableStatus.INCOMPLETE
        table.reason = rv.problem
        return table
    table.blocks = {key: rv.cells[i * 5 : i * 5 + 5] for i, key in enumerate(TABLE4_BLOCKS)}
    table.status = TableStatus.PARSED
    return table

