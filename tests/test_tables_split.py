"""Splitting run-together digits: exact against a brute-force enumeration on small rows, bounded on
hostile ones (how fast is measured by evals/bench.py, not here)."""

from __future__ import annotations

import itertools
import random

import pytest

from reviewer.tables.split import CAP, MAX_DIGITS, Block, Shape, free, readings, runs_of

T3 = Shape((Block(6, total=True),))
T4 = Shape((Block(4, total=True),) * 3)


def brute(runs: list[str], shape: Shape) -> tuple[set[tuple[int, ...]], int]:
    """Every cut of each run into cells (1..MAX_DIGITS digits, no leading zero), all combined."""
    per_run = []
    for run in runs:
        ways = []
        for cuts in itertools.product((0, 1), repeat=len(run) - 1):
            parts, start = [], 0
            for i, c in enumerate(cuts, 1):
                if c:
                    parts.append(run[start:i])
                    start = i
            parts.append(run[start:])
            if all(len(p) <= MAX_DIGITS and (p == "0" or p[0] != "0") for p in parts):
                ways.append([int(p) for p in parts])
        per_run.append(ways)
    fit, count = set(), 0
    for combo in itertools.product(*per_run):
        vals = tuple(v for part in combo for v in part)
        if len(vals) == shape.n:
            count += 1
            if shape.holds(vals):
                fit.add(vals)
    return fit, count


@pytest.mark.parametrize("seed", range(30))
def test_readings_are_exactly_the_brute_force_ones(seed: int) -> None:
    rng = random.Random(seed)
    shape = rng.choice([T3, T4, free(3)])
    digits = "".join(rng.choice("0000111223456789") for _ in range(rng.randint(shape.n, shape.n + (2 if shape.n > 10 else 6))))
    cut = sorted(rng.sample(range(1, len(digits)), rng.randint(0, 2)))
    runs = [digits[a:b] for a, b in zip([0, *cut], [*cut, len(digits)])]
    want_fit, want_count = brute(runs, shape)
    got = readings(runs, shape)
    assert got.count == want_count
    if len(want_fit) <= CAP:
        assert {v for v, _ in got.fit} == want_fit and not got.fit_overflow
        for vals, lens in got.fit:
            assert sum(lens) == len("".join(runs)) and shape.holds(vals)


def test_a_row_read_by_its_own_total() -> None:
    assert [v for v, _ in readings(["21710000218"], T3).fit] == [(217, 1, 0, 0, 0, 0, 218)]
    # a space in the source is a cell boundary: "200 000121" is 20 | 0 and 0 | 0 | 0 | 1 | 21
    assert [v for v, _ in readings(["200", "000121"], T3).fit] == [(20, 0, 0, 0, 0, 1, 21)]


def test_no_reading_fits_and_all_are_listed() -> None:
    got = readings(["213001027"], T3)
    assert got.fit == [] and got.count == len(got.loose) == 12
    assert (21, 3, 0, 0, 1, 0, 27) in [v for v, _ in got.loose]


def test_table_four_blocks_decide() -> None:
    assert [v for v, _ in readings(["21317000001324019"], T4).fit] == [(2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19)]
    assert len(readings(["10101122011410001"], T4).fit) == 2


def test_signs_belong_to_the_cell_they_start() -> None:
    assert runs_of("2648-18538") == ["2648", "-18538"]
    assert runs_of("97+82179") == ["97", "+82179"]
    assert runs_of("12.5") is None
    assert [v for v, _ in readings(["35", "-15"], free(2)).fit] == [(35, -15)]
    assert (2648, -18, 538) in [v for v, _ in readings(["2648", "-18538"], free(3)).fit]


@pytest.mark.parametrize("n", [30, 49, 60, 100, 400])
def test_hostile_runs_are_decided_within_the_budget(n: int) -> None:
    """Runs longer than the row can hold have no reading; the others are searched to the end."""
    for shape in (T3, T4):
        got = readings(["1" * n], shape)
        assert not got.exhausted
        if n > shape.n * MAX_DIGITS:
            assert got.count == 0
    assert readings(["1" * 49], T3).count == 1 and readings(["1" * 49], T3).fit == []  # 7 x 1111111
