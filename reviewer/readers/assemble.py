"""Blocks read from a structured file (paragraphs and grids, in document order) to the review text.

The text has one line per paragraph and one line per table row, the row's cells separated by tabs
(a merged cell appears once, in its first slot; a slot continuing a cell from the row above is an
empty field, so columns stay aligned). So for .docx and .html a line number is the index of the
paragraph or table row in the document; .pdf lines are paragraphs rebuilt from the page layout.
Each grid cell learns its offset in that text, which is where its findings point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from reviewer import limits
from reviewer.document import UNREADABLE, build_document, unreadable_where
from reviewer.errors import InputError
from reviewer.readers import ReadResult
from reviewer.tables import parse_tables
from reviewer.tables.grid import Grid
from reviewer.tables.structured import tables_from_grids
from schemas.document import Document
from schemas.tables import Table2, Table3, Table4, Tables, TableStatus

T = TypeVar("T", Table2, Table3, Table4)

WIDE = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’"
_SPACE_NEARWIDE = re.compile(rf"(?<=[{WIDE}])[ \t]+|[ \t]+(?=[{WIDE}])")
_ENDSWIDE = re.compile(rf"[{WIDE}]$")
_STARTSWIDE = re.compile(rf"^[{WIDE}]")


@dataclass
class Para:
    text: str
    page: int | None = None
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page) where a page begins


Block = Para | Grid


def image_mark(name: str) -> str:
    """The line standing for a picture on a paragraph of its own (the table parsers know it)."""
    return f"[图片: {name}]"


def join_lines(text: str) -> str:
    """A multi-line text (a cell, a paragraph with soft breaks) as one line: wide characters join
    directly ("商业企\\n业" -> "商业企业"), anything else with a space. Tabs become spaces."""
    return join_lines_map(text)[0]


def join_lines_map(text: str) -> tuple[str, list[int]]:
    """``join_lines`` and, for each character of its result, the index of the character of ``text``
    it comes from (-1 for a space it inserted): how a .docx cell's text maps back to its runs."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for part in text.replace("\t", " ").replace("\r", "\n").split("\n"):
        start, pos = pos, pos + len(part) + 1
        p = part.strip()
        if not p:
            continue
        if out and not (_ENDSWIDE.search(out[-1]) and _STARTSWIDE.search(p)):
            out.append(" ")
            where.append(-1)
        lead = start + len(part) - len(part.lstrip())
        out.append(p)
        where.extend(range(lead, lead + len(p)))
    return "".join(out), where


def drop_wide_spaces(text: str) -> str:
    """Remove spaces next to CJK characters: PDF text extraction inserts them where glyphs of
    different widths meet ("2024 年 1 月"); Chinese text has none."""
    return _SPACE_NEARWIDE.sub("", text)


@dataclass
class Assembled:
    raw: str
    grids: list[Grid]
    page_starts: list[tuple[int, int, int]]  # (line, column, page), 1-based, in text order


def assemble(blocks: list[Block]) -> Assembled:
    lines: list[str] = []
    grids: list[Grid] = []
    page_starts: list[tuple[int, int, int]] = []
    offset = 0
    page = None

    def note_page(p: int | None, col: int = 1) -> None:
        nonlocal page
        if p is not None and p != page:
            page_starts.append((len(lines) + 1, col, p))
            page = p

    for block in blocks:
        if isinstance(block, Para):
            note_page(block.page)
            for at, p in block.breaks:
                note_page(p, at + 1)
            line = block.text.replace("\t", " ").replace("\n", " ")
            lines.append(line)
            offset += len(line) + 1
            continue
        note_page(block.page)
        grids.append(block)
        block.row_starts = []
        for r in range(len(block.slots)):
            block.row_starts.append(offset)
            fields: list[str] = []
            col = 0  # characters so far in this line
            prev = None
            for idx in block.slots[r]:
                if idx is None or idx == prev:
                    prev = idx
                    continue
                prev = idx
                cell = block.cells[idx]
                text = ""
                if cell.row == r:
                    cell.text = text = join_lines(cell.text)
                    cell.start = offset + col + len(fields)  # the tabs before it
                fields.append(text)
                col += len(text)
            line = "\t".join(fields)
            lines.append(line)
            offset += len(line) + 1
    return Assembled(raw="\n".join(lines), grids=grids, page_starts=page_starts)


def structured_tables(raw: str, grids: list[Grid], path: str, fmt: str) -> Tables:
    """Tables read from the grids where they parse; otherwise the text parsers' reading of the same
    text when that parses; otherwise the grids' reading (which says why it failed)."""
    doc = build_document(raw, path, fmt=fmt)
    from_grids = tables_from_grids(doc, grids)
    from_text = parse_tables(doc)
    picked = {}
    for n, key in ((2, "t2"), (3, "t3"), (4, "t4")):
        g, t = getattr(from_grids, key), getattr(from_text, key)
        if g.status == TableStatus.PARSED or (t.status != TableStatus.PARSED and g.status != TableStatus.ABSENT):
            picked[key] = g
        else:
            picked[key] = t
        picked[key] = _on_unreadable_pages(doc, n, picked[key])
    return Tables(**picked)


def _on_unreadable_pages(doc: Document, n: int, table: T) -> T:
    """A table not parsed whose section (or the place its section belongs) holds an unreadable
    page is not machine-readable, and the reason names the page."""
    if table.status == TableStatus.PARSED and not table.missing:
        return table
    sec = doc.section(n)
    if sec is None:
        marks = unreadable_where(doc, n)
    else:
        marks = list(UNREADABLE.finditer(doc.text, sec.body_span.start, sec.body_span.end))
    if not marks:
        return table
    what = "；".join(doc.raw[m.start() + 1 : m.end() - 1].split(":", 1)[-1].strip() for m in marks)
    if sec is None:
        reason = f"{what}，第{'二三四'[n - 2]}部分及其表格可能在该页上"
    else:
        reason = f"{what}，表格全部或部分在该页上" + (f"；{table.reason}" if table.reason and "不可机读" not in table.reason else "")
    loc = table.loc if sec else doc.location(marks[0].start())
    return table.model_copy(update={"status": TableStatus.NOT_READABLE, "reason": reason, "loc": loc})


def read_result(
    blocks: list[Block],
    path: Path,
    fmt: str,
    encoding: str,
    *,
    notices: list[str] | None = None,
    paged: bool = False,
) -> ReadResult:
    """The reader's answer: the assembled text, the tables read from its grids, and the page map."""
    while blocks and isinstance(last := blocks[-1], Para) and (not last.text.strip() or last.text.startswith("[图片: ")):
        blocks = blocks[:-1]  # a seal or a QR code after the 落款 is not content
    limits.check("paragraphs", len(blocks))
    a = assemble(blocks)
    if not a.raw.strip():
        raise InputError("文档中没有文字")
    limits.check_text(a.raw)
    return ReadResult(
        raw=a.raw,
        encoding=encoding,
        format=fmt,
        tables=structured_tables(a.raw, a.grids, str(path), fmt),
        notices=notices or None,
        pages=a.page_starts if paged else None,
    )
