"""Where a finding sits in the text the reviewer read: a character span, for highlighting it (the HTML
page) or anchoring a comment on it (the annotated .docx).

A finding carries a line and column (where it points) and usually the evidence it quotes. The span is
the evidence where it stands: at the finding's position, or the occurrence in that line covering or
nearest to it, or (a quote spread over several lines, a label quoted in its canonical wording) its
longest part found there. Without evidence: a table cell is the cell (empty: a point), a short line
such as the heading a missing item belongs under is the whole line, prose runs to the end of the
sentence.
"""

from __future__ import annotations

import bisect
import re
from difflib import SequenceMatcher

from schemas.findings import Finding

SENTENCE_END = "。！？；!?;"
HEADING_MAX = 60  # a line this short, pointed at from its start, is the item itself (a heading, a title)
PROSE_MAX = 80
WINDOW = 400  # how far around a finding a quote is looked for in a long line (a scraped one-line page)


class TextMap:
    def __init__(self, raw: str) -> None:
        self.raw = raw
        starts, find, pos = [0], raw.find, raw.find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.starts = starts

    def offset(self, line: int, column: int) -> int:
        line = min(max(line, 1), len(self.starts))
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.raw)
        return min(self.starts[line - 1] + max(column, 1) - 1, end)

    def line_end(self, offset: int) -> int:
        end = self.raw.find("\n", offset)
        return len(self.raw) if end == -1 else end

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_bounds(self, offset: int) -> tuple[int, int]:
        start = self.starts[self.line_of(offset) - 1]
        return start, self.line_end(start)

    def span(self, f: Finding) -> tuple[int, int]:
        """The [start, end) of the text a finding concerns (start == end: a point)."""
        at = self.offset(f.line, f.column)
        lo, hi = self.line_bounds(at)
        quote = _quote(f.evidence)
        if quote:
            found = self._quote_near(quote, at, lo, hi)
            if found:
                return found
        line = self.raw[lo:hi]
        if "\t" in line:  # a table row: the cell
            start = self.raw.rfind("\t", lo, at) + 1 if at > lo else lo
            end = self.raw.find("\t", at, hi)
            return max(start, lo), hi if end == -1 else end
        if at == lo and len(line.strip()) <= HEADING_MAX:
            return _trim(self.raw, lo, hi)
        end, limit = at, min(hi, at + PROSE_MAX)
        while end < limit and self.raw[end] not in SENTENCE_END:
            end += 1
        if end < hi and self.raw[end] in SENTENCE_END:
            end += 1
        return at, end

    def _quote_near(self, quote: str, at: int, lo: int, hi: int) -> tuple[int, int] | None:
        raw = self.raw
        if raw.startswith(quote, at):
            return at, at + len(quote)
        wlo, whi = max(lo, at - WINDOW), min(hi, at + WINDOW)
        best = None
        i = raw.find(quote, wlo, whi)
        while i != -1:
            covers = i <= at < i + len(quote)
            key = (0 if covers else 1, abs(i - at))
            if best is None or key < best[0]:
                best = (key, i)
            i = raw.find(quote, i + 1, whi)
        if best:
            return best[1], best[1] + len(quote)
        # a quote over several lines (a label wrapped in its cell, a paragraph cut by the PDF reader)
        spread = re.compile(r"\s*".join(map(re.escape, quote)))
        nlo, nhi = self.starts[max(0, self.line_of(at) - 4)], self.line_end(min(len(raw), hi + 1))
        near = [m for m in spread.finditer(raw, max(nlo, at - WINDOW), min(nhi, at + WINDOW + len(quote)))]
        if near:
            m = min(near, key=lambda m: (not (m.start() <= at < m.end()), abs(m.start() - at)))
            return m.start(), m.end()
        # the quote in other words ("（三）1.属于国家秘密" for the cell "1.属于国家秘密"): its longest part here
        m = SequenceMatcher(None, raw[wlo:whi], quote, autojunk=False).find_longest_match(0, whi - wlo, 0, len(quote))
        if m.size >= max(2, (len(quote) + 1) // 2):
            return wlo + m.a, wlo + m.a + m.size
        return None


def _quote(evidence: str) -> str:
    q = evidence.strip()
    if q.endswith("…"):  # Document.quote cuts long quotes
        q = q[:-1].rstrip()
    return q


def _trim(raw: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and raw[lo].isspace():
        lo += 1
    while hi > lo and raw[hi - 1].isspace():
        hi -= 1
    return lo, hi
