"""A table read from a real structure (.docx, .html, .pdf): a grid of slots where a merged cell
occupies every slot it covers.

Word and HTML repeat nothing: a merged cell is one cell with a span. python-docx and pdfplumber
report it slot by slot (python-docx repeats its text, pdfplumber leaves ``None``); the readers fold
both into this model, so a merged cell is read once, at its top-left slot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class GridCell:
    text: str
    row: int  # top-left slot
    col: int
    start: int = -1  # offset of the cell's text in the document text (set when the text is assembled)


@dataclass
class Grid:
    slots: list[list[int | None]] = field(default_factory=list)  # row -> column -> index into cells
    cells: list[GridCell] = field(default_factory=list)
    page: int | None = None
    row_starts: list[int] = field(default_factory=list)  # offset of each row's line in the document text

    @classmethod
    def from_spans(cls, spans: Iterable[tuple[int, int, int, int, str]], page: int | None = None) -> Grid:
        """Build from (row, col, rowspan, colspan, text) cells; later cells never overwrite earlier ones."""
        grid = cls(page=page)
        for row, col, rowspan, colspan, text in spans:
            idx = len(grid.cells)
            grid.cells.append(GridCell(text=text, row=row, col=col))
            for r in range(row, row + max(1, rowspan)):
                while len(grid.slots) <= r:
                    grid.slots.append([])
                line = grid.slots[r]
                for c in range(col, col + max(1, colspan)):
                    while len(line) <= c:
                        line.append(None)
                    if line[c] is None:
                        line[c] = idx
        return grid

    @property
    def width(self) -> int:
        return max((len(r) for r in self.slots), default=0)

    def at(self, r: int, c: int) -> GridCell | None:
        line = self.slots[r]
        idx = line[c] if c < len(line) else None
        return self.cells[idx] if idx is not None else None

    def own(self, r: int) -> list[GridCell]:
        """The cells that start in row r, left to right, each once."""
        out: list[GridCell] = []
        seen: set[int] = set()
        for idx in self.slots[r]:
            if idx is None or idx in seen:
                continue
            seen.add(idx)
            cell = self.cells[idx]
            if cell.row == r:
                out.append(cell)
        return out

    def columns(self, cell: GridCell) -> range:
        """The columns a cell covers in its first row."""
        line = self.slots[cell.row]
        idx = line[cell.col]
        end = cell.col
        while end + 1 < len(line) and line[end + 1] == idx:
            end += 1
        return range(cell.col, end + 1)

    def covering(self, c: int, rows: Iterable[int]) -> list[GridCell]:
        """The distinct cells covering column c in the given rows, top to bottom (to read a header)."""
        out: list[GridCell] = []
        for r in rows:
            cell = self.at(r, c)
            if cell is not None and all(cell is not o for o in out):
                out.append(cell)
        return out
