"""Shared machinery of the table parsers: value regions between labels, cells from tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewer.tables.cells import Token, classify, is_text_token, is_value_token, tokens
from reviewer.tables.split import splits
from schemas.document import Document
from schemas.tables import Cell, CellKind, TableBase, TableStatus

IMAGE = re.compile(r"\[(?:image|图片|img|IMAGE|Image|不可机读)[:：][^\]]*\]|<img[^>]*>|\(cid:\d+\)")


def no_table(doc: Document, table: TableBase, start: int, end: int, part: str) -> TableBase:
    """Mark a table that was not found in [start, end): not readable when an image placeholder (or
    an unreadable-page marker) stands there, else absent. ``part`` names the section (第三部分)."""
    img = IMAGE.search(doc.text, start, end)
    if img:
        table.status, table.loc = TableStatus.NOT_READABLE, doc.location(img.start())
        table.reason = f"表格以图片或无法识别的内容呈现（{img.group()[:30]}），无法核对数字"
    else:
        table.status = TableStatus.ABSENT
        table.reason = f"{part}没有可识别的表格"
    table.drift = []
    return table


@dataclass
class RowValues:
    """The cells found for one row, or why they could not be found."""

    cells: list[Cell] = field(default_factory=list)
    candidates: list[list[Cell]] = field(default_factory=list)  # for run-together digits
    problem: str = ""


def cell_from(doc: Document | MaskedView, raw: str, start: int, *, decimal_ok: bool = False, split: bool = False) -> Cell:
    value, kind = classify(raw, decimal_ok=decimal_ok)
    return Cell(doc.raw[start : start + len(raw)], value, kind, doc.location(start), split)


def blank_cells(doc: Document | MaskedView, at: int, n: int) -> list[Cell]:
    loc = doc.location(at)
    return [Cell("", None, CellKind.BLANK, loc) for _ in range(n)]


def value_tokens(doc: Document | MaskedView, start: int, end: int, *, stop_at_text: bool = False) -> list[Token]:
    """The value tokens in [start, end); label fragments are skipped. With stop_at_text, the first
    prose token after some values ends the region (a table followed by prose)."""
    out: list[Token] = []
    for t in tokens(doc.text, start, end):
        if is_value_token(t.text):
            out.append(t)
        elif stop_at_text and out and is_text_token(t.text):
            break
    return out


def tab_fields(doc: Document | MaskedView, label_end: int, n: int) -> list[tuple[str, int]] | None:
    """For a tab-separated row, the n fields after the label on its line, blanks included."""
    text = doc.text
    line_end = text.find("\n", label_end)
    line_end = len(text) if line_end == -1 else line_end
    line = text[label_end:line_end]
    if "\t" not in line:
        return None
    fields: list[tuple[str, int]] = []
    pos = label_end
    for part in line.split("\t"):
        fields.append((part.strip(), pos + len(part) - len(part.lstrip())))
        pos += len(part) + 1
    if fields and not fields[0][0]:
        fields = fields[1:]  # the separator right after the label
    while len(fields) > n and not fields[0][0]:
        fields = fields[1:]  # a label spanning merged columns
    while len(fields) > n and not fields[-1][0]:
        fields = fields[:-1]
    return fields if len(fields) == n else None


def row_values(
    doc: Document | MaskedView,
    label_end: int,
    region_end: int,
    n: int,
    *,
    decimal_ok: bool = False,
    accept=None,
    prefix_ok=None,
    stop_at_text: bool = False,
) -> RowValues:
    """Find the n cells of a row whose values stand in [label_end, region_end)."""
    toks = value_tokens(doc, label_end, region_end, stop_at_text=stop_at_text)
    if len(toks) == n:
        return RowValues(cells=[cell_from(doc, t.text, t.start, decimal_ok=decimal_ok) for t in toks])
    if not toks:
        return RowValues(cells=blank_cells(doc, label_end, n))
    if len(toks) < n:
        fields = tab_fields(doc, label_end, n)
        if fields is not None:
            return RowValues(
                cells=[
                    cell_from(doc, f, pos, decimal_ok=decimal_ok) if f else blank_cells(doc, pos, 1)[0]
                    for f, pos in fields
                ]
            )
        if all(t.text.isdigit() for t in toks):
            found = splits([t.text for t in toks], n, accept, prefix_ok)
            cands = []
            for vals, lens in found:
                cells, ti, off = [], 0, 0
                for v, ln in zip(vals, lens):
                    while off >= len(toks[ti].text):
                        ti, off = ti + 1, 0
                    start = toks[ti].start + off
                    cells.append(cell_from(doc, doc.text[start : start + ln], start, split=True))
                    off += ln
                cands.append(cells)
            if len(cands) == 1:
                return RowValues(cells=cands[0])
            if cands:
                return RowValues(candidates=cands)
            return RowValues(problem=f"数字连写“{''.join(t.text for t in toks)}”无法拆分为{n}个单元格")
        return RowValues(problem=f"只找到{len(toks)}个单元格，应为{n}个")
    return RowValues(problem=f"找到{len(toks)}个单元格，应为{n}个")


class MaskedView:
    """The document seen through a copy of its text where label matches are blanked out (same
    offsets), so digits glued to a label ("0000000(三)不予公开") become tokens of their own."""

    def __init__(self, doc: Document, pattern: re.Pattern[str], start: int, end: int) -> None:
        text = doc.text
        self.matches = list(pattern.finditer(text, start, end))
        parts, pos = [], 0
        for m in self.matches:
            parts += [text[pos : m.start()], " " * (m.end() - m.start())]
            pos = m.end()
        parts.append(text[pos:])
        self.doc, self.text = doc, "".join(parts)
        self.raw, self.location = doc.raw, doc.location  # the hot attributes, without __getattr__

    def __getattr__(self, name: str):
        return getattr(self.doc, name)
