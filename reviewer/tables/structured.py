"""Tables read from a real table structure (.docx, .html and .pdf grids) onto the canonical models.

The grids standing in sections 二, 三 and 四 are read row by row. A row's label cells are matched with
the text parsers' own label patterns (tables.table2/3/4, so drift is judged the same way); its values
are the cells in the value columns the header names. Nothing is split or guessed: a merged or
missing value cell is reported as such. A section whose grids hold no recognisable row gives an
ABSENT table, so the text parsers get their turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.tables import table2, table3, table4
from reviewer.tables.cells import is_value_token
from reviewer.tables.common import PARTS, RowValues, cell_from, notice
from reviewer.tables.grid import Grid, GridCell
from schemas.document import Document
from schemas.tables import (
    TABLE2_ROWS,
    TABLE3_COLUMN_KEYS,
    TABLE3_COLUMNS,
    TABLE3_ROW_KEYS,
    TABLE3_ROWS,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
    Cell,
    LabelDrift,
    Table2,
    Table3,
    Table4,
    Tables,
    TableStatus,
)

_WS = re.compile(r"\s+")


def tables_from_grids(doc: Document, grids: list[Grid]) -> Tables:
    per: dict[int, list[Grid]] = {2: [], 3: [], 4: []}
    for g in grids:
        key = _section_of(doc, g)
        if key in per:
            per[key].append(g)
    return Tables(
        t2=read_table2(doc, per[2]) if per[2] else Table2(),
        t3=read_table3(doc, per[3]) if per[3] else Table3(),
        t4=read_table4(doc, per[4]) if per[4] else Table4(),
    )


def _section_of(doc: Document, g: Grid) -> int | None:
    """The section a grid stands in (a heading written in its first row counts)."""
    if not g.row_starts:
        return None
    first_end = doc.text.find("\n", g.row_starts[0])
    first_end = len(doc.text) if first_end == -1 else first_end
    key = None
    for s in doc.sections:
        if s.heading_span.start < first_end:
            key = int(s.key)
    return key


# --- cells --------------------------------------------------------------------------------------
def _search(rx: re.Pattern[str], doc: Document, cell: GridCell) -> re.Match[str] | None:
    if cell.start < 0:
        return None
    return rx.search(doc.text, cell.start, cell.start + len(cell.text))


def _compact(doc: Document, cell: GridCell) -> str:
    return _WS.sub("", doc.text[cell.start : cell.start + len(cell.text)]) if cell.start >= 0 else ""


def _is_value(doc: Document, cell: GridCell) -> bool:
    t = _compact(doc, cell)
    return not t or is_value_token(t)


def _cell(doc: Document, gc: GridCell, *, decimal_ok: bool = False) -> Cell:
    return cell_from(doc, doc.text[gc.start : gc.start + len(gc.text)], gc.start, decimal_ok=decimal_ok)


def _status(table: Table2 | Table3 | Table4, problems: list[str], part: int) -> None:
    table.status = TableStatus.INCOMPLETE if problems else TableStatus.PARSED
    table.reason = "；".join(problems)
    if problems:
        table.notices.append(notice(PARTS[part], table.reason))


# --- table 二 -----------------------------------------------------------------------------------
def read_table2(doc: Document, grids: list[Grid]) -> Table2:
    sec = doc.section(2)
    table = Table2(source=doc.format, loc=doc.location(grids[0].row_starts[0]))
    keys = list(TABLE2_ROWS)
    pos, found, problems = 0, [], []
    legacy: set[str] = set()
    if sec is not None:
        span = (sec.body_span.start, sec.body_span.end)
        legacy = {k for ks, rx in table2.LEGACY_COLUMNS.items() if rx.search(doc.text, *span) for k in ks}
        table.layout = "2019" if legacy else table.layout
    for g in grids:
        for r in range(len(g.slots)):
            own = g.own(r)
            hit = next(
                (
                    (j, i, m)
                    for j in range(pos, len(keys))
                    for i, c in enumerate(own)
                    if (m := _search(table2.ROW_RX[keys[j]], doc, c))
                ),
                None,
            )
            if hit is None:
                continue
            j, i, m = hit
            key, pos = keys[j], j + 1
            found.append(key)
            table.drift.extend(table2.row_drift(doc, key, m))
            if key in legacy:
                continue  # a 2019 row: present, its cells are not the 2021 ones
            label, cols = TABLE2_ROWS[key]
            values = own[i + 1 :]
            while len(values) > len(cols) and not _compact(doc, values[-1]):
                values.pop()
            if len(values) != len(cols):
                problems.append(f"{label}行：找到{len(values)}个单元格，应为{len(cols)}个")
                continue
            table.rows[key] = [_cell(doc, c, decimal_ok=key == "fees") for c in values]
    if len(found) < 2:
        return Table2()
    if sec is not None:
        table.drift[:0] = table2.scan_drift(doc, sec.body_span.start, sec.body_span.end)
    _status(table, problems, 2)
    table.missing = [k for k in keys if k not in found]
    if table.missing:
        absent = "缺少行：" + "、".join(TABLE2_ROWS[k][0] for k in table.missing)
        table.reason = "；".join(filter(None, [table.reason, absent]))
    return table


# --- table 三 -----------------------------------------------------------------------------------
@dataclass
class _Layout:
    cols: list[int]  # grid columns of the 7 canonical value columns
    subtotal: int | None
    width: int

    @property
    def first(self) -> int:
        return min(self.cols + ([self.subtotal] if self.subtotal is not None else []))


def _header_rows(doc: Document, g: Grid) -> range:
    """The rows above the first row holding a number."""
    for r in range(len(g.slots)):
        if any(_compact(doc, c).isdigit() for c in g.own(r)):
            return range(r)
    return range(len(g.slots))


def _t3_layout(doc: Document, g: Grid) -> _Layout | None:
    """The value columns as the header names them (自然人 … 总计, and a 小计 column if any)."""
    found: dict[str, set[int]] = {}
    rows = _header_rows(doc, g)
    for c in range(g.width):
        for cell in reversed(g.covering(c, rows)):
            text = _compact(doc, cell)
            key = next((k for k, rx in table3.COLUMN_RX.items() if rx.fullmatch(text)), None)
            if key:
                found.setdefault(key, set()).add(c)
                break
    if any(len(found.get(k, ())) != 1 for k in TABLE3_COLUMN_KEYS) or len(found.get("subtotal", ())) > 1:
        return None
    sub = found.get("subtotal")
    return _Layout([next(iter(found[k])) for k in TABLE3_COLUMN_KEYS], next(iter(sub)) if sub else None, g.width)


def _fallback_layout(width: int, subtotal: bool) -> _Layout:
    """No header in this grid (a table continued on the next page): the values are the last columns."""
    if subtotal:
        return _Layout([*range(width - 8, width - 2), width - 1], width - 2, width)
    return _Layout(list(range(width - 7, width)), None, width)


def _match3(
    doc: Document, labels: list[GridCell], pos: int, filled: bool
) -> tuple[str | None, re.Match[str] | None, GridCell | None]:
    """The canonical row a row's label cells name. The label patterns decide, unless the row is
    numbered as the row expected next and the pattern that matched belongs to a row numbered
    otherwise ("2.其他法律行政止公开" is 2., not "3.其他"): then the expected row, its label drifted."""
    keys = TABLE3_ROW_KEYS
    last = _compact(doc, labels[-1]) if labels else ""

    def numbered(key: str) -> bool:
        return re.match(table3.ROWS[key][1], last) is not None

    hit = next(
        ((k, m, c) for k in keys[pos:] for c in labels if (m := _search(table3.ROW_RX[k], doc, c))),
        None,
    )
    expected = keys[pos] if pos < len(keys) else None
    by_number = expected is not None and filled and bool(labels) and numbered(expected)
    if hit is not None and (hit[0] == expected or numbered(hit[0]) or not by_number):
        return hit
    if by_number:
        return expected, None, labels[-1]
    return None, None, None


def _values3(doc: Document, g: Grid, r: int, layout: _Layout) -> tuple[list[Cell], str]:
    cells = []
    for key, c in zip(TABLE3_COLUMN_KEYS, layout.cols):
        gc = g.at(r, c) if c >= 0 else None
        name = TABLE3_COLUMNS[key]
        if gc is None:
            return [], f"“{name}”列没有单元格"
        if gc.row != r or len(g.columns(gc)) > 1:
            return [], f"“{name}”列的单元格与相邻单元格合并"
        cells.append(_cell(doc, gc))
    return cells, ""


def read_table3(doc: Document, grids: list[Grid]) -> Table3:
    table = Table3(source=doc.format, loc=doc.location(grids[0].row_starts[0]))
    pos, found, unknown = 0, [], []
    layout: _Layout | None = None
    for g in grids:
        if (header := _t3_layout(doc, g)) is not None:
            layout = header
        elif layout is None or layout.width != g.width:
            layout = _fallback_layout(g.width, bool(layout and layout.subtotal is not None))
        if layout.subtotal is not None and not table.nonstandard:
            table.nonstandard.append("表头含“法人或其他组织小计”列（非标准的28×8格式），已按标准7列处理")
        for r in range(len(g.slots)):
            labels = [c for c in g.own(r) if c.col < layout.first and _compact(doc, c)]
            values = [g.at(r, c) for c in layout.cols if c >= 0]
            own_values = [v for v in values if v is not None and v.row == r]
            filled = any(_compact(doc, v) for v in own_values)
            label = "".join(_compact(doc, c) for c in labels)
            shown = "".join(c.text.strip() for c in labels)
            if table3.SUBTOTAL.search(label):
                if "表中含小计行，已忽略" not in table.nonstandard:
                    table.nonstandard.append("表中含小计行，已忽略")
                continue
            key, m, cell = _match3(doc, labels, pos, filled)
            if key is None and filled and table3.ONE_ROW_OTHER.search(label) and pos <= table3.ORDER["other_1"]:
                key, m, cell = "other", None, None  # the 2019 layout's single （六）其他处理 row
            if key is None:
                if filled and all(_is_value(doc, v) for v in own_values):  # not a header row
                    unknown.append(shown or "（无标题）")
                continue
            pos = table3.ORDER[key] + 1
            if m is None and cell is not None:
                table.drift.append(LabelDrift(found=cell.text, canonical=TABLE3_ROWS[key][1], loc=doc.location(cell.start)))
            cells, problem = _values3(doc, g, r, layout)
            found.append(table3.Found(key, m, RowValues(cells=cells, problem=problem)))
    if not found:
        return Table3()
    table3.settle(doc, table, found, (0, 0))
    if unknown:
        extra = "无法识别的行：" + "、".join(f"“{u}”" for u in unknown)
        table.reason = "；".join(filter(None, [table.reason, extra]))
        table.notices.append(notice(PARTS[3], extra))
        if table.status == TableStatus.PARSED:
            table.status = TableStatus.INCOMPLETE
    return table


# --- table 四 -----------------------------------------------------------------------------------
def _data_cells(doc: Document, g: Grid, r: int) -> list[GridCell]:
    """A row's value cells (after any label cells), or [] when the row holds header text."""
    own = g.own(r)
    i = 0
    while i < len(own) and not _is_value(doc, own[i]):
        i += 1
    values = own[i:]
    if not values or any(not _is_value(doc, c) for c in values):
        return []
    if not any(_compact(doc, c) for c in values) and len(values) < 5:
        return []
    return values


def _t4_by_header(doc: Document, g: Grid, r: int, values: list[GridCell]) -> list[GridCell] | None:
    """The 15 value cells in canonical order, placed by the block and column the header names."""
    slots: dict[tuple[str, str], GridCell] = {}
    for cell in values:
        texts = [_compact(doc, h) for h in reversed(g.covering(cell.col, range(r)))]
        block = next((b for b, rx in table4.BLOCK_RX.items() for t in texts if rx.search(t)), None)
        col = next((k for t in texts for k, rx in table4.COLUMN_RX.items() if rx.search(t)), None)
        if block is None or col is None or (block, col) in slots:
            return None
        slots[(block, col)] = cell
    order = [(b, c) for b in TABLE4_BLOCKS for c in TABLE4_COLUMNS]
    return [slots[k] for k in order] if len(slots) == len(order) else None


def read_table4(doc: Document, grids: list[Grid]) -> Table4:
    table = Table4(source=doc.format, loc=doc.location(grids[0].row_starts[0]))
    rows = [(g, r, v) for g in grids for r in range(len(g.slots)) if (v := _data_cells(doc, g, r))]
    if not rows:
        return Table4()
    g, r, first = rows[0]
    cells = _t4_by_header(doc, g, r, first)
    if cells is None:
        cells = [c for _, _, v in rows for c in v]
        if len(cells) != table4.N:
            _status(table, [f"找到{len(cells)}个单元格，应为{table4.N}个"], 4)
            return table
    values = [_cell(doc, c) for c in cells]
    table.blocks = {key: values[i * 5 : i * 5 + 5] for i, key in enumerate(TABLE4_BLOCKS)}
    _status(table, [], 4)
    return table
