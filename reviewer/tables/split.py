"""Split runs of digits that lost their cell separators ("21710000218" -> 217,1,0,0,0,0,218).

Only splits into valid numbers (no leading zeros) that satisfy the table's identities are kept; the
caller decides what to do when more than one survives (the table is then ambiguous, T101). The
search is a backtracking over cut positions, pruned by ``prefix_ok`` (an identity checked as soon as
the cells it involves are known), so long runs stay cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

MAX_CANDIDATES = 64

Check = Callable[[tuple[int, ...]], bool]


def splits(
    runs: Sequence[str], k: int, accept: Check | None = None, prefix_ok: Check | None = None
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Ways to cut a sequence of digit runs into k numbers in total; a part never spans two runs.

    Returns (values, lengths) pairs, where lengths[i] is the number of characters of part i (to
    locate each part in the source). ``accept`` filters complete splits; ``prefix_ok`` prunes
    partial ones. At most MAX_CANDIDATES + 1 are returned (enough to tell "several")."""
    s = "".join(runs)
    bounds: list[int] = []  # the end of the run each position belongs to
    for run in runs:
        end = len(bounds) + len(run)
        bounds.extend([end] * len(run))
    ends = sorted(set(bounds))
    out: list[tuple[tuple[int, ...], tuple[int, ...]]] = []

    def rec(pos: int, vals: tuple[int, ...], lens: tuple[int, ...]) -> None:
        if len(out) > MAX_CANDIDATES:
            return
        if len(vals) == k:
            if pos == len(s) and (accept is None or accept(vals)):
                out.append((vals, lens))
            return
        if pos == len(s):
            return
        # every remaining run boundary needs at least one cut after it
        runs_left = sum(1 for e in ends if e > pos)
        if k - len(vals) < runs_left or len(s) - pos < k - len(vals):
            return
        limit = bounds[pos]
        last = pos + 1 if s[pos] == "0" else limit
        for end in range(pos + 1, last + 1):
            nv = vals + (int(s[pos:end]),)
            if prefix_ok is not None and not prefix_ok(nv):
                continue
            rec(end, nv, lens + (end - pos,))

    rec(0, (), ())
    return out
