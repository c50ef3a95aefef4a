"""From the text a .docx was read into back to the document: for every character of the review text,
the run (``w:r``) and the character of that run's text it was read from.

Built by ``docx_reader.read_located`` from the very blocks and XML elements the text was assembled
from (paragraph runs in the reader's order, a numbering prefix that no run holds, table cells joined
by ``assemble.join_lines_map``), and checked against the text as it is built: if the two ever
disagree the map raises ``DocxMapDrift`` instead of pointing at the wrong words.

A character with no run behind it (automatic numbering, a space inserted between the lines of a
cell, a picture placeholder) has no owner. ``split_before(offset)`` splits a run so that a run
boundary falls exactly before a character, which is what anchoring a Word comment on a span needs.
"""

from __future__ import annotations

import bisect
import copy
from dataclasses import dataclass

from reviewer.readers.assemble import Para, join_lines_map
from reviewer.readers.docx_reader import W, paragraph_runs, paragraph_text

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ONE_CHAR = {W + "tab", W + "ptab", W + "cr", W + "noBreakHyphen"}


class DocxMapDrift(Exception):
    """The runs do not give the text the reader built (a reader change the map does not follow)."""


@dataclass
class _Host:
    """Where a point (a zero-length span) can be anchored: the paragraph covering [start, end]."""

    start: int
    end: int
    paragraph: object  # lxml w:p


def char_len(child) -> int:
    """How many characters a run child adds to the run's text (python-docx's ``CT_R.text``)."""
    tag = child.tag
    if tag == W + "t":
        return len(child.text or "")
    if tag in _ONE_CHAR:
        return 1
    if tag == W + "br":
        return 1 if child.get(W + "type", "textWrapping") == "textWrapping" else 0
    return 0


class DocxMap:
    def __init__(self, raw: str, blocks: list, sources: list) -> None:
        self.raw = raw
        self.owner: list[tuple[object, int] | None] = [None] * len(raw)
        self.hosts: list[_Host] = []
        self._where: dict[object, list[int]] = {}  # run -> the text offsets it owns, in order
        starts = [0] + [i + 1 for i, ch in enumerate(raw) if ch == "\n"]
        line = 0
        for block, src in zip(blocks, sources):
            if line >= len(starts):
                break  # blocks the reader dropped (a seal after the 落款)
            if isinstance(block, Para):
                el, prefix = src
                self._paragraph(el, starts[line] + prefix, starts[line] + len(block.text), prefix < len(block.text))
                self.hosts.append(_Host(starts[line], starts[line] + len(block.text), el))
                line += 1
                continue
            _tbl, cells = src
            for cell, paragraphs in zip(block.cells, cells):
                if cell.start >= 0 and paragraphs:
                    self._cell(cell.start, cell.text, paragraphs)
                    self.hosts.append(_Host(cell.start, cell.start + len(cell.text), paragraphs[0]))
            line += len(block.slots)
        self.hosts.sort(key=lambda h: h.start)
        self._host_starts = [h.start for h in self.hosts]

    # --- building -----------------------------------------------------------------------------
    def _own(self, at: int, run, i: int) -> None:
        self.owner[at] = (run, i)
        self._where.setdefault(run, []).append(at)

    def _paragraph(self, el, start: int, end: int, has_text: bool) -> None:
        if not has_text:
            return
        at = start
        for run in paragraph_runs(el):
            for i in range(len(run.text)):
                self._own(at, run, i)
                at += 1
        if at != end:
            raise DocxMapDrift(f"paragraph runs give {at - start} characters, the text has {end - start}")

    def _cell(self, start: int, text: str, paragraphs: list) -> None:
        joined, where = join_lines_map("\n".join(paragraph_text(p) for p in paragraphs))
        if joined != text:
            raise DocxMapDrift(f"cell text {joined!r} is not the assembled {text!r}")
        chars: list[tuple[object, int] | None] = []
        for j, p in enumerate(paragraphs):
            if j:
                chars.append(None)  # the line break between two paragraphs of the cell
            for run in paragraph_runs(p):
                chars.extend((run, i) for i in range(len(run.text)))
        for k, w in enumerate(where):
            if w >= 0 and chars[w] is not None:
                self._own(start + k, *chars[w])

    # --- queries ------------------------------------------------------------------------------
    def owned(self, start: int, end: int) -> list[int]:
        """The offsets in [start, end) that a run holds."""
        return [k for k in range(max(0, start), min(end, len(self.owner))) if self.owner[k] is not None]

    def host(self, offset: int):
        """The paragraph to hold a point at ``offset``: the paragraph or cell whose text covers it
        (an empty cell covers the point where it stands), else the nearest one before it."""
        i = bisect.bisect_right(self._host_starts, offset) - 1
        for h in self.hosts[max(0, i - 8) : i + 1][::-1]:
            if h.start <= offset <= h.end:
                return h.paragraph
        return self.hosts[max(0, i)].paragraph if self.hosts else None

    # --- editing ------------------------------------------------------------------------------
    def split_before(self, offset: int) -> None:
        """Make a run boundary fall just before the character at ``offset`` (a run split in two, the
        second a copy of the first's properties); the map follows the split."""
        if 0 <= offset < len(self.owner) and self.owner[offset] is not None:
            self._split(*self.owner[offset])

    def split_after(self, offset: int) -> None:
        """Make a run boundary fall just after the character at ``offset``."""
        if 0 <= offset < len(self.owner) and self.owner[offset] is not None:
            run, k = self.owner[offset]
            self._split(run, k + 1)

    def _split(self, run, k: int) -> None:
        if k <= 0 or k >= len(run.text):
            return
        second = split_run(run, k)
        mine = self._where[run]
        keep, moved = [a for a in mine if self.owner[a][1] < k], [a for a in mine if self.owner[a][1] >= k]
        self._where[run] = keep
        self._where[second] = moved
        for a in moved:
            self.owner[a] = (second, self.owner[a][1] - k)


def split_run(run, k: int):
    """Split a ``w:r`` at character ``k`` of its text into two sibling runs with the same properties
    and attributes; returns the second. A ``w:t`` straddling the point is split in two."""
    second = copy.deepcopy(run)
    for child in list(second):
        if child.tag != W + "rPr":
            second.remove(child)
    pos = 0
    for child in [c for c in run if c.tag != W + "rPr"]:
        n = char_len(child)
        if pos >= k:
            second.append(child)  # moves it
        elif pos + n > k:  # a w:t holding the split point
            text = child.text or ""
            tail = copy.deepcopy(child)
            child.text, tail.text = text[: k - pos], text[k - pos :]
            for t in (child, tail):
                if t.text != t.text.strip():
                    t.set(XML_SPACE, "preserve")
            second.append(tail)
        pos += n
    run.addnext(second)
    return second
