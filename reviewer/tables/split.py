"""Split runs of digits that lost their cell separators ("21710000218" -> 217,1,0,0,0,0,218).

A row is cut into cells of 1..MAX_DIGITS digits (no leading zero unless the cell is "0"); a cell
never spans two runs (a space in the source is a cell boundary). The row's own identities come
first: a ``Shape`` lists the row as blocks of free cells and of "summands then their total"
(table 三: six applicant columns then 总计; table 四: three blocks of four results then 总计).

The search is bounded. A block "m summands + total" is solved by meeting in the middle: the
first ⌊m/2⌋ summands are enumerated forward from the block start, the rest backward from the
total, and the two halves are joined on (position, sum) in a dictionary — O(L^⌈m/2⌉) per
total, L = MAX_DIGITS, whatever the length of the run. A feasibility table (can [pos, n) still
hold c cells?) prunes every branch, so a run too long for its cells is rejected at once. At most
CAP + 1 readings are returned (enough to tell "several").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from schemas.plain import field, plain
from functools import lru_cache

from reviewer.lazyre import lazy

MAX_DIGITS = 7  # a count of 10 million applications, decisions or cases is beyond any real table
CAP = 64
BUDGET = 200_000  # search steps per row; beyond it the row is left to a person (a notice)

_RUN = lazy(r"[+\-−]?\d+")


@plain(frozen=True)
class Block:
    cells: int  # free cells, or the summands of a sum block
    total: bool = False  # a sum block: ``cells`` summands followed by their total


@plain(frozen=True)
class Shape:
    blocks: tuple[Block, ...]
    check: Callable[[tuple[int, ...]], bool] | None = None  # a further identity across blocks

    @property
    def n(self) -> int:
        return sum(b.cells + b.total for b in self.blocks)

    def holds(self, vals: Sequence[int]) -> bool:
        """Whether a full row of values satisfies the shape's identities."""
        i = 0
        for b in self.blocks:
            if b.total and sum(vals[i : i + b.cells]) != vals[i + b.cells]:
                return False
            i += b.cells + b.total
        return self.check is None or self.check(tuple(vals))


def free(n: int) -> Shape:
    return Shape((Block(n),))


@plain
class Readings:
    """Readings of a row: ``fit`` satisfy the shape's identities; ``loose`` are all readings
    ignoring them (only when there are at most CAP); ``count`` is the number of all readings."""

    fit: list[tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=list)  # (values, lengths)
    loose: list[tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=list)
    count: int = 0
    fit_overflow: bool = False  # more than CAP readings fit
    exhausted: bool = False  # the search ran out of its step budget: nothing is known

    @property
    def splittable(self) -> bool:
        return self.count > 0


def runs_of(text: str) -> list[str] | None:
    """The digit runs of a value stretch ("2648-18538" -> ["2648", "-18538"]), or None when it
    holds anything else (a decimal, a letter)."""
    parts = _RUN.findall(text)
    return parts if "".join(parts) == re.sub(r"\s+", "", text) and parts else None


class _Exhausted(Exception):
    pass


class _Digits:
    """A row's digit string with its cut constraints."""

    def __init__(self, runs: Sequence[str], max_digits: int) -> None:
        self.steps = 0
        self.signs: dict[int, int] = {}
        chunks: list[str] = []
        self.run_end: list[int] = []  # for each position, the end of its run
        pos = 0
        for run in runs:
            sign = -1 if run[0] in "-−" else 1
            digits = run.lstrip("+-−")
            self.signs[pos] = sign
            chunks.append(digits)
            pos += len(digits)
            self.run_end.extend([pos] * len(digits))
        self.s = "".join(chunks)
        self.n = len(self.s)
        self.L = max_digits
        # ends[a]: the valid end positions of a cell starting at a
        self.ends: list[list[int]] = []
        for a in range(self.n):
            if self.s[a] == "0":
                self.ends.append([a + 1])
            else:
                self.ends.append(list(range(a + 1, min(self.run_end[a], a + self.L) + 1)))
        self.starts: list[list[int]] = [[] for _ in range(self.n + 1)]
        for a, ends in enumerate(self.ends):
            for b in ends:
                self.starts[b].append(a)

    def tick(self) -> None:
        self.steps += 1
        if self.steps > BUDGET:
            raise _Exhausted

    def value(self, a: int, b: int) -> int:
        """The value of cell [a, b); a run's sign belongs to its first cell."""
        v = int(self.s[a:b])
        return -v if self.signs.get(a, 1) < 0 else v


def readings(runs: Sequence[str], shape: Shape, *, max_digits: int = MAX_DIGITS, cap: int = CAP) -> Readings:
    k = shape.n
    n = sum(len(r.lstrip("+-−")) for r in runs)
    if n == 0 or n < k or n > k * max_digits:
        return Readings()  # more digits than the row's cells can hold, or fewer than its cells
    d = _Digits(runs, max_digits)
    # ways[c][pos]: number of ways to cut [pos, n) into exactly c cells (exact, may be large)
    ways = [[0] * (d.n + 1) for _ in range(k + 1)]
    ways[0][d.n] = 1
    for c in range(1, k + 1):
        row, prev = ways[c], ways[c - 1]
        for a in range(d.n - 1, -1, -1):
            row[a] = sum(prev[b] for b in d.ends[a])
    out = Readings(count=ways[k][0])
    if out.count == 0:
        return out
    try:
        out.fit = _search(d, shape, ways, cap)
        out.fit_overflow = len(out.fit) > cap
        out.fit = out.fit[:cap]
        if out.count <= cap:
            out.loose = _search(d, free(k), ways, cap)
    except _Exhausted:
        return Readings(count=out.count, exhausted=True)
    return out


def _search(d: _Digits, shape: Shape, ways: list[list[int]], cap: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    blocks = shape.blocks
    after = [0] * (len(blocks) + 1)  # cells after block i
    for i in range(len(blocks) - 1, -1, -1):
        after[i] = after[i + 1] + blocks[i].cells + blocks[i].total
    found: list[tuple[tuple[int, ...], tuple[int, ...]]] = []

    @lru_cache(maxsize=None)
    def block_readings(i: int, a: int) -> tuple[tuple[int, tuple[int, ...]], ...]:
        """(end, cell boundaries) of block i starting at a, leaving a feasible rest."""
        b = blocks[i]
        if b.total:
            return tuple(_sum_block(d, a, b.cells, ways, after[i + 1], cap))
        return tuple(_free_block(d, a, b.cells, ways, after[i + 1], cap))

    def rec(i: int, a: int, cuts: tuple[int, ...]) -> None:
        d.tick()
        if len(found) > cap:
            return
        if i == len(blocks):
            if a == d.n:
                vals = tuple(d.value(x, y) for x, y in zip(cuts, cuts[1:]))
                if shape.check is None or shape.check(vals):
                    found.append((vals, tuple(y - x for x, y in zip(cuts, cuts[1:]))))
            return
        for end, inner in block_readings(i, a):
            rec(i + 1, end, cuts + inner)

    rec(0, 0, (0,))
    return found


def _free_block(d: _Digits, a: int, m: int, ways: list[list[int]], rest: int, cap: int) -> list[tuple[int, tuple[int, ...]]]:
    """m free cells from a, leaving room for ``rest`` cells: (end, cuts after a)."""
    out: list[tuple[int, tuple[int, ...]]] = []

    def rec(pos: int, left: int, cuts: tuple[int, ...]) -> None:
        d.tick()
        if len(out) > cap or not ways[left + rest][pos]:
            return
        if left == 0:
            out.append((pos, cuts))
            return
        for b in d.ends[pos]:
            rec(b, left - 1, cuts + (b,))

    rec(a, m, ())
    return out


def _half_forward(d: _Digits, a: int, m: int, ways: list[list[int]], rest: int) -> dict[tuple[int, int], list[tuple[int, ...]]]:
    """m cells from a, leaving room for ``rest`` cells: (end, sum) -> the cut lists."""
    out: dict[tuple[int, int], list[tuple[int, ...]]] = {}

    def rec(pos: int, left: int, total: int, cuts: tuple[int, ...]) -> None:
        d.tick()
        if not ways[left + rest][pos]:
            return
        if left == 0:
            out.setdefault((pos, total), []).append(cuts)
            return
        for b in d.ends[pos]:
            rec(b, left - 1, total + d.value(pos, b), cuts + (b,))

    rec(a, m, 0, ())
    return out


def _half_backward(d: _Digits, t: int, m: int, lo: int, hi: int, width: int, limit: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """m cells of at most ``width`` digits ending at t, summing to at most ``limit`` and starting
    in [lo, hi]: (start, sum, cuts inside)."""
    out: list[tuple[int, int, tuple[int, ...]]] = []

    def rec(pos: int, left: int, total: int, cuts: tuple[int, ...]) -> None:
        d.tick()
        if left == 0:
            if pos <= hi:
                out.append((pos, total, cuts))
            return
        for a in d.starts[pos]:
            if pos - a > width or a < lo:
                continue
            v = total + d.value(a, pos)
            if v <= limit:
                rec(a, left - 1, v, ((a,) if left > 1 else ()) + cuts)

    rec(t, m, 0, ())
    return out


def _sum_block(
    d: _Digits, a: int, m: int, ways: list[list[int]], rest: int, cap: int
) -> list[tuple[int, tuple[int, ...]]]:
    """Readings of "m summands then their total" starting at a, leaving room for ``rest``
    cells: (end, cuts after a).

    For a total T of w digits every summand has at most w digits, and (m < 10) one has at least
    w - 1, which bounds where the total can start. The block's cuts after a are the left half's
    cell ends (the last is where the right half starts), the right half's inner cuts, the end of
    the last summand (t) and the end of the block (e)."""
    h = m // 2
    left = _half_forward(d, a, h, ways, m - h + 1 + rest)
    out: list[tuple[int, tuple[int, ...]]] = []
    for e in range(a + m + 1, min(d.n, a + (m + 1) * d.L) + 1):
        if not ways[rest][e]:
            continue
        for t in d.starts[e]:
            w = e - t
            total = d.value(t, e)
            lo = a + m if total == 0 else a + m + w - 2
            if not lo <= t <= a + m * w:
                continue
            for start, s, rcuts in _half_backward(d, t, m - h, a + h, a + h * w, w, total):
                d.tick()
                for lcuts in left.get((start, total - s), ()):
                    out.append((e, lcuts + rcuts + (t, e)))
                    if len(out) > cap:
                        return out
    return out
