"""Split runs of digits that lost their cell separators ("21710000218" -> 217,1,0,0,0,0,218).

Only splits that are valid numbers (no leading zeros) and satisfy the table's identities are kept;
the caller decides what to do when more than one survives (the table is then ambiguous, T101).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

MAX_CANDIDATES = 5000


def _parts(s: str, k: int) -> Iterator[tuple[int, ...]]:
    """All ways to cut the digit string s into k valid non-negative integers."""
    if k == 1:
        if s and (s == "0" or s[0] != "0"):
            yield (int(s),)
        return
    if len(s) < k:
        return
    if s[0] == "0":
        for rest in _parts(s[1:], k - 1):
            yield (0, *rest)
        return
    for i in range(1, len(s) - k + 2):
        for rest in _parts(s[i:], k - 1):
            yield (int(s[:i]), *rest)


def splits(
    runs: Sequence[str], k: int, accept: Callable[[tuple[int, ...]], bool] | None = None
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Ways to cut a sequence of digit runs into k numbers in total.

    Returns (values, lengths) pairs, where lengths[i] is the number of characters of part i (to
    locate each part in the source). ``accept`` filters by identities (e.g. a row sum)."""
    out: list[tuple[tuple[int, ...], tuple[int, ...]]] = []

    def rec(i: int, left: int, vals: tuple[int, ...], lens: tuple[int, ...]) -> None:
        if len(out) > MAX_CANDIDATES:
            return
        if i == len(runs):
            if left == 0 and (accept is None or accept(vals)):
                out.append((vals, lens))
            return
        remaining_runs = len(runs) - i - 1
        run = runs[i]
        for n in range(1, min(len(run), left - remaining_runs) + 1):
            for p in _parts(run, n):
                rec(i + 1, left - n, vals + p, lens + tuple(len(str(x)) for x in p))

    rec(0, k, (), ())
    return out
