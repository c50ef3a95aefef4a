"""Tables written one row per line: tab-separated (the text the structured readers assemble, Word
copied as text) or Markdown pipe tables (PDF converters), with rows that lost their labels, labels
that drifted off their rows, split and repeated header rows, and rows standing outside the pipes.

A data row is a line with value fields after its label part (a row of blanks only counts when it
has a label); its value fields keep their blanks. Markdown separator lines (|---|---|) and header
rows (text up to the last field) are skipped.
"""

from __future__ import annotations

from schemas.plain import plain

from reviewer.lazyre import lazy
from reviewer.tables.cells import is_value_token
from reviewer.tables.common import line_fields
from schemas.document import Document

_RULE = lazy(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_DIGIT = lazy(r"\d")
_WORD = lazy(r"\S+")
_GLUED = lazy(r"(?<=[^\d.、．])\d+$")  # digits glued to the end of a label ("其他处理4")


@plain
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
        return _loose(line, start)
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


def _loose(line: str, start: int) -> DataRow | None:
    """A line without separators whose values end it ("行政许可 97", "（六）其他处理4 0 0 0 0 0 4")."""
    words = list(_WORD.finditer(line))
    i = len(words)
    while i > 0 and is_value_token(words[i - 1].group()):
        i -= 1
    values = [(w.group(), start + w.start()) for w in words[i:]]
    if i == 0:
        return None
    last = words[i - 1]
    label_end = last.end()
    glued = _GLUED.search(last.group())
    if glued:
        label_end = last.start() + glued.start()
        values.insert(0, (glued.group(), start + label_end))
    label = line[words[0].start() : label_end].strip()
    if not values or not label or not any(_DIGIT.search(v) for v, _ in values):
        return None
    return DataRow(label, start + words[0].start(), start + label_end, values, False)
