"""Choosing among the readings of table 三's run-together rows by the identities between rows.

Each row's own identity (总计 = the six applicant columns) has already narrowed its readings
(tables.split). What is left is decided by the column identities, one equation per column:
the 21 outcome rows (or a merged group's single row) add up to （七）总计, and 一 + 二 = （七） + 四.
First an identity with a single undecided row fixes that row (its values are the difference of
the others); then, when few combinations remain (at most LIMIT), every combination is scored by
how many (identity, column) equations hold and the best ones win. A row the identities cannot
decide is left with its readings (the caller asks the prose, then gives a notice).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from schemas.tables import TABLE3_GROUPS, TABLE3_OUTCOME_ROWS, Cell

LIMIT = 4096
COLS = 7

Vector = tuple[int, ...]


def vector(cells: list[Cell]) -> Vector | None:
    """A row's values for the identities; blank or placeholder cells count as 0, anything that is
    not a whole non-negative number makes the row unusable."""
    out = []
    for c in cells:
        if c.value is None:
            out.append(0)
        elif c.is_number and c.value == int(c.value):
            out.append(int(c.value))
        else:
            return None
    return tuple(out)


def identities(present: Iterable[str], merged: Iterable[str] = ()) -> list[tuple[list[str], list[str]]]:
    """The column identities whose rows are all present, as (left rows, right rows)."""
    have = set(present) | set(merged)
    leaves: list[str] = []
    grouped = {k: g for g, (_, keys) in TABLE3_GROUPS.items() if g in have for k in keys}
    for k in TABLE3_OUTCOME_ROWS:
        if k in grouped:
            if grouped[k] not in leaves:
                leaves.append(grouped[k])
        else:
            leaves.append(k)
    out = []
    if all(k in have for k in leaves) and "total" in have:
        out.append((leaves, ["total"]))
    if all(k in have for k in ("new", "carried_over", "total", "carry_next")):
        out.append((["new", "carried_over"], ["total", "carry_next"]))
    return out


def _holds(eq: tuple[list[str], list[str]], vec: dict[str, Vector]) -> int:
    left, right = eq
    return sum(
        sum(vec[k][c] for k in left) == sum(vec[k][c] for k in right) for c in range(COLS)
    )


def resolve(options: dict[str, list[list[Cell]]], eqs: list[tuple[list[str], list[str]]]) -> dict[str, list[list[Cell]]]:
    """Narrow each row's readings (a row with one reading is fixed) by the identities."""
    opts = {k: [o for o in v if vector(o) is not None] or v for k, v in options.items()}
    open_rows = [k for k, v in opts.items() if len(v) > 1]
    if not open_rows:
        return opts
    changed = True
    while changed:  # an identity with one undecided row fixes it
        changed = False
        for left, right in eqs:
            unknown = [k for k in left + right if len(opts[k]) > 1]
            if len(unknown) != 1 or any(vector(opts[k][0]) is None for k in left + right if k not in unknown):
                continue
            k = unknown[0]
            sign = 1 if k in left else -1
            need = tuple(
                sum(vector(opts[r][0])[c] for r in right if r != k) - sum(vector(opts[r][0])[c] for r in left if r != k)  # type: ignore[index]
                for c in range(COLS)
            )
            need = tuple(sign * v for v in need)
            match = [o for o in opts[k] if vector(o) == need]
            if match and len(match) < len(opts[k]):
                opts[k] = match
                changed = True
    open_rows = [k for k, v in opts.items() if len(v) > 1]
    involved = [eq for eq in eqs if any(k in open_rows for k in eq[0] + eq[1])]
    size = 1
    for k in open_rows:
        size *= len(opts[k])
    if not open_rows or not involved or size > LIMIT:
        return opts
    fixed = {k: vector(v[0]) for k, v in opts.items() if len(v) == 1}
    best, winners = -1, []
    for combo in itertools.product(*(range(len(opts[k])) for k in open_rows)):
        vec = dict(fixed)
        for k, i in zip(open_rows, combo):
            vec[k] = vector(opts[k][i])
        if any(v is None for v in vec.values()):
            continue
        score = sum(_holds(eq, vec) for eq in involved)  # type: ignore[arg-type]
        if score > best:
            best, winners = score, [combo]
        elif score == best:
            winners.append(combo)
    for j, k in enumerate(open_rows):
        keep = sorted({combo[j] for combo in winners})
        opts[k] = [opts[k][i] for i in keep]
    return opts
