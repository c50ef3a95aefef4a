"""Tables written one row per line: tab-separated (the text the structured readers assemble, Word
copied as text) or Markdown pipe tables (PDF converters), with rows that lost their labels, labels
that drifted off their rows, split and repeated header rows, and rows standing outside the pipes.

A data row is a line with value fields after its label part (a row of blanks only counts when it
has a label); its value fields keep their blanks. Markdown separator lines (|---|---|) and header
rows (text up to the last field) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.tables.cells import is_value_token
from reviewer.tables.common import line_fields
from schemas.document import Document

_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# The values at the end of a line without separators ("行政许可 97", "（六）其他处理4 0 0 0 0 0 4").
_TAIL = re.compile(r"(?:\s*(?:[+\-−]?\d+(?:[.+\-−]\d+)*|[/／—–]+|-))+\s*$")
_DIGIT = re.compile(r"\d")


@dataclass
class DataRow:
    label: str  # the label text (label fields joined), "" when the row has none
    label_start: int  # offset of the label part in the document text
    label_end: int
    fields: list[tuple[str, int]]  # the value fields: (stripped text, offset), blanks included
    separated: bool  # tab- or pipe-separated

    @property
    def has_number(self) -> bool:
        return any(_DIGIT.search(f) for f, _ in self.fields)


def data_rows(doc: Document, start: int, end: int) -> list[DataRow]:
    text = doc.text
    out: list[DataRow] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        row = _row(text, pos, line_end)
        if row is not None:
            out.append(row)
        pos = line_end + 1
    return out


def _row(text: str, start: int, end: int) -> DataRow | None:
    line = text[start:end]
    if not line.strip() or _RULE.match(line):
        return None
    fields = line_fields(text, start, end)
    if fields is None:
        m = _TAIL.search(line)
        if not m or m.start() == 0 or not _DIGIT.search(m.group()):
            return None
        label = line[: m.start()].strip()
        if not label or label[-1].isdigit():
            return None
        values = [(t.group(), start + m.start() + t.start()) for t in re.finditer(r"\S+", m.group())]
        return DataRow(label, start + len(line) - len(line.lstrip()), start + m.start(), values, False)
    last_text = -1
    for i, (f, _) in enumerate(fields):
        if f and not is_value_token(f):
            last_text = i
    values = fields[last_text + 1 :]
    if not values or (last_text < 0 and not any(_DIGIT.search(f) for f, _ in values)):
        return None  # a header row, or a line of blanks
    labels = [f for f, _ in fields[: last_text + 1] if f]
    label_start = next((p for f, p in fields[: last_text + 1] if f), start)
    label_end = fields[last_text][1] + len(fields[last_text][0]) if last_text >= 0 else start
    return DataRow("".join(labels), label_start, label_end, values, True)
