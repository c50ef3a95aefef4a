"""Figures the prose states for a table row, to choose among readings of run-together digits.

"集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件" reads "8855698" as
88 | 55 | 698. Only clauses outside the table's own section count, and only numbers in a clause
that names the row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reviewer.lazyre import lazy
from schemas.document import Document
from schemas.tables import Cell

_CLAUSE = lazy(r"[^。；;，,！？!?\n]+")
_NUMBER = lazy(r"(?<![\d.])\d+(?![\d.])")


def stated(doc: Document, words: Sequence[str], skip: tuple[int, int] | None = None) -> set[int]:
    """The numbers of every clause that contains one of ``words``, outside [skip)."""
    rx = re.compile("|".join(re.escape(w) for w in words))
    out: set[int] = set()
    for m in _CLAUSE.finditer(doc.text):
        if skip and skip[0] <= m.start() < skip[1]:
            continue
        if rx.search(m.group()):
            out.update(int(n) for n in _NUMBER.findall(m.group()))
    return out


def prefer(options: list[list[Cell]], numbers: set[int]) -> list[list[Cell]]:
    """The readings with the most distinct non-zero values the prose states (all of them when the
    prose states none)."""
    def score(cells: list[Cell]) -> int:
        return len({int(c.value) for c in cells if c.value and c.value == int(c.value) and int(c.value) in numbers})

    scores = [score(o) for o in options]
    best = max(scores, default=0)
    return [o for o, s in zip(options, scores) if s == best] if best else options
