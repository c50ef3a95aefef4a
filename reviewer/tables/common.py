"""Shared machinery of the table parsers: value regions between labels, cells from tokens and from
the fields of tab- or pipe-separated lines, readings of run-together digits."""

from __future__ import annotations

import re
from schemas.plain import field, plain

from reviewer.lazyre import lazy
from reviewer.tables.cells import Token, classify, is_text_token, is_value_token, tokens
from reviewer.tables.split import CAP, Shape, free, readings, runs_of
from schemas.document import Document
from schemas.tables import Cell, CellKind, TableBase, TableStatus

IMAGE = lazy(r"\[(?:image|图片|img|IMAGE|Image|不可机读)[:：][^\]]*\]|<img[^>]*>|\(cid:\d+\)")
PARTS = {2: "第二部分", 3: "第三部分", 4: "第四部分"}


def notice(part: str, detail: str) -> str:
    """A tool limit, shown on the file (never a finding)."""
    return f"{part}表格未能自动核对：{detail}，请人工核对"


_NUMBER = lazy(r"\d+")


def no_table(
    doc: Document, table: TableBase, start: int, end: int, part: str, header: re.Pattern[str] | None = None
) -> TableBase:
    """Mark a table that was not found in [start, end): not readable when an image placeholder (or
    an unreadable-page marker) stands there; present but not mapped (a notice, not the report's
    fault) when its ``header`` words and numbers are there; else absent. ``part`` names the
    section (第三部分)."""
    img = IMAGE.search(doc.text, start, end)
    if img:
        table.status, table.loc = TableStatus.NOT_READABLE, doc.location(img.start())
        table.reason = f"表格以图片或无法识别的内容呈现（{img.group()[:30]}），无法核对数字"
    elif header is not None and header.search(doc.text, start, end) and len(_NUMBER.findall(doc.text, start, end)) >= 5:
        table.status = TableStatus.INCOMPLETE
        table.reason = "表格的行无法识别"
        table.notices.append(notice(part, table.reason))
    else:
        table.status = TableStatus.ABSENT
        table.reason = f"{part}没有可识别的表格"
    table.drift = []
    return table


@plain
class RowValues:
    """The cells found for one row, or its readings, or why they could not be found."""

    cells: list[Cell] = field(default_factory=list)
    options: list[list[Cell]] = field(default_factory=list)  # several readings satisfy the row's identities
    broken: list[list[Cell]] = field(default_factory=list)  # no reading does: all of them (at most CAP)
    digits: str = ""  # run-together digits as written (for messages); "" when the cells were separate
    problem: str = ""
    unplaced: int = 0  # blank cells whose place in the row is unknown (put last)

    @property
    def readings(self) -> list[list[Cell]]:
        return [self.cells] if self.cells else (self.options or self.broken)


def cell_from(doc: Document | MaskedView, raw: str, start: int, *, decimal_ok: bool = False, split: bool = False) -> Cell:
    value, kind = classify(raw, decimal_ok=decimal_ok)
    return Cell(doc.raw[start : start + len(raw)], value, kind, doc.location(start), split)


UNPLACED = "空白格的位置无法确定"


def unplaced_note(rv: RowValues) -> str:
    """A row read with blank cells whose place is unknown (for the findings on it)."""
    return f"数字连写“{rv.digits}”只有{len(rv.cells) - rv.unplaced}个数，{UNPLACED}"


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


_SEP = lazy(r"[\t|]")


def line_fields(text: str, start: int, end: int) -> list[tuple[str, int]] | None:
    """The fields of [start, end) of a tab- or pipe-separated line (blanks included, the outer
    pipes of a Markdown row dropped): (stripped text, offset), or None when it has no separator."""
    seg = text[start:end]
    if not _SEP.search(seg):
        return None
    body = seg.rstrip(" \r")  # trailing tabs are blank cells
    if "|" in body and body.endswith("|"):
        body = body[:-1]
    fields: list[tuple[str, int]] = []
    pos = start
    for part in _SEP.split(body):
        fields.append((part.strip(), pos + len(part) - len(part.lstrip())))
        pos += len(part) + 1
    return fields


def fit_fields(fields: list[tuple[str, int]], n: int, *, after_label: bool = True) -> list[tuple[str, int]] | None:
    """The n value fields of a row: the separator right after the label (when the fields start
    at the label's end), leading blanks (a label spanning merged columns) and trailing blanks
    beyond n are dropped."""
    if after_label and fields and not fields[0][0]:
        fields = fields[1:]
    while len(fields) > n and not fields[0][0]:
        fields = fields[1:]
    while len(fields) > n and not fields[-1][0]:
        fields = fields[:-1]
    return fields if len(fields) == n else None


def row_values(
    doc: Document | MaskedView,
    label_end: int,
    region_end: int,
    n: int,
    *,
    shape: Shape | None = None,
    decimal_ok: bool = False,
    stop_at_text: bool = False,
) -> RowValues:
    """Find the n cells of a row whose values stand in [label_end, region_end)."""
    toks = value_tokens(doc, label_end, region_end, stop_at_text=stop_at_text)
    if len(toks) == n:
        return RowValues(cells=[cell_from(doc, t.text, t.start, decimal_ok=decimal_ok) for t in toks])
    if not toks:
        return RowValues(cells=blank_cells(doc, label_end, n))
    text = doc.text
    line_end = text.find("\n", label_end)
    line_end = len(text) if line_end == -1 else line_end
    same_line = [t for t in toks if t.start < line_end]
    if len(same_line) == n:  # the row on its own line, something else (a page number) after it
        return RowValues(cells=[cell_from(doc, t.text, t.start, decimal_ok=decimal_ok) for t in same_line])
    if len(toks) < n:
        fields = line_fields(text, label_end, line_end)
        if fields is not None:
            fitted = fit_fields(fields, n)
            if fitted is not None:
                return RowValues(cells=fields_cells(doc, fitted, decimal_ok=decimal_ok))
            if sum(1 for f, _ in fields if f) > 1:  # separated cells: one is missing, none ran together
                return RowValues(problem=f"只找到{sum(1 for f, _ in fields if f)}个单元格，应为{n}个")
        return split_row(doc, [(t.text, t.start) for t in toks], n, shape)
    return RowValues(problem=f"找到{len(toks)}个单元格，应为{n}个")


def fields_cells(doc: Document | MaskedView, fields: list[tuple[str, int]], *, decimal_ok: bool = False) -> list[Cell]:
    return [cell_from(doc, f, pos, decimal_ok=decimal_ok) if f else blank_cells(doc, pos, 1)[0] for f, pos in fields]


def split_row(doc: Document | MaskedView, parts: list[tuple[str, int]], n: int, shape: Shape | None) -> RowValues:
    """The readings of a row whose n cells ran together in ``parts`` (text, offset), fewer than n."""
    runs: list[tuple[str, int]] = []
    for text, start in parts:
        pieces = runs_of(text)
        if pieces is None:
            return RowValues(problem=f"只找到{len(parts)}个单元格，应为{n}个")
        pos = start
        for p in pieces:
            pos = text.index(p, pos - start) + start
            runs.append((p, pos))
            pos += len(p)
    digits = " ".join(doc.raw[s : s + len(t)] for t, s in parts)
    if len(digits) > 40:  # for messages: the start of a long run and its length
        digits = f"{digits[:30]}…（共{len(digits)}个字符）"
    zeros = [("0", p + i) for r, p in runs if set(r) == {"0"} for i in range(len(r))]
    if len(zeros) == sum(len(r) for r, _ in runs) and 1 < len(zeros) < n:
        # Zeros only ("0 0 0 0 0 0", or run together "000000": a number never starts with 0, so each
        # is a cell), too few for the row: cells left empty (a scraped page drops them). Where they
        # stood is unknown, every reading has the same numbers: the blanks go last.
        cells = [cell_from(doc, r, p) for r, p in zeros]
        blanks = blank_cells(doc, zeros[-1][1] + 1, n - len(zeros))
        return RowValues(cells=cells + blanks, digits=digits, unplaced=n - len(zeros))
    res = readings([r for r, _ in runs], shape or free(n))
    if res.exhausted or not res.splittable:
        return RowValues(problem=f"数字连写“{digits}”无法拆分为{n}个单元格", digits=digits)
    if res.fit_overflow:
        return RowValues(problem=f"数字连写“{digits}”有{CAP}种以上拆分方式", digits=digits)
    fit = [_cells(doc, runs, lens) for _, lens in res.fit]
    if len(fit) == 1:
        return RowValues(cells=fit[0], digits=digits)
    if fit:
        return RowValues(options=fit, digits=digits)
    if not res.loose:
        return RowValues(problem=f"数字连写“{digits}”有{res.count}种拆分方式，都不满足本行的合计关系", digits=digits)
    broken = [_cells(doc, runs, lens) for _, lens in res.loose]
    return RowValues(broken=broken, digits=digits)


def _cells(doc: Document | MaskedView, runs: list[tuple[str, int]], lens: tuple[int, ...]) -> list[Cell]:
    """The cells of one reading: ``lens`` counts digits; a run's sign goes with its first cell."""
    cells: list[Cell] = []
    ri, off = 0, 0
    for ln in lens:
        while off >= len(runs[ri][0].lstrip("+-−")):
            ri, off = ri + 1, 0
        run, start = runs[ri]
        sign = len(run) - len(run.lstrip("+-−"))
        a = start + sign + off - (sign if off == 0 else 0)
        b = start + sign + off + ln
        cells.append(cell_from(doc, doc.text[a:b], a, split=True))
        off += ln
    return cells


def shown(cells: list[Cell], sep: str = "、") -> str:
    """A reading's cells as written ("空" for a blank)."""
    return sep.join(c.raw.strip() or "空" for c in cells)


def shown_readings(opts: list[list[Cell]], sep: str = "、", limit: int = 3) -> str:
    """The first readings of a row, for messages."""
    return "；".join(shown(o, sep) for o in opts[:limit]) + ("；…" if len(opts) > limit else "")


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
