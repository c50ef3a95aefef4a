"""Exact arithmetic behind N102/N103: half-up rounding at the stated precision, and which change
rates a whole previous-year figure can produce."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from reviewer.rules.arith import implied_previous, parse_percent, previous_exists, round_half_up, show


def test_half_up_not_bankers() -> None:
    assert round_half_up(Fraction(25, 2), 0) == 13  # 12.5 -> 13 (round() would give 12)
    assert show(Fraction(2, 47) * 100, 1) == "4.3"
    assert show(Fraction(42, 47) * 100, 1) == "89.4"
    assert show(Fraction(1, 47) * 100, 1) == "2.1"


@given(st.integers(0, 10**6), st.integers(1, 10**4), st.integers(0, 3))
def test_round_half_up_matches_decimal(num: int, den: int, places: int) -> None:
    x = Fraction(num, den)
    expected = (Decimal(num) / Decimal(den)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # Decimal division is rounded to 28 digits first; compare only where that cannot matter.
    if abs(x * 10**places * 2 - round(x * 10**places * 2)) > Fraction(1, 10**12):
        assert round_half_up(x, places) == Fraction(expected)


def test_sample_figures() -> None:
    assert not previous_exists(Fraction(3), Fraction(300), 0, True)  # 004: 0.75 last year
    assert implied_previous(Fraction(3), Fraction(300), True) == Fraction(3, 4)
    assert previous_exists(Fraction(3), Fraction(200), 0, True)  # 1 last year
    assert previous_exists(Fraction(47), Fraction("17.5"), 1, False)  # 003: 57 last year
    assert previous_exists(Fraction(0), Fraction(100), 0, False)  # everything gone
    assert previous_exists(Fraction(5), Fraction(100), 0, False)  # 1000 -> 5 is 99.5%, written 100%
    assert not previous_exists(Fraction(5), Fraction(101), 0, False)
    assert not previous_exists(Fraction(0), Fraction(50), 0, True)


@given(st.integers(0, 5000), st.integers(1, 5000), st.integers(0, 2))
def test_every_real_previous_figure_is_accepted(value: int, previous: int, places: int) -> None:
    """Whatever the true previous figure, the rate it gives (rounded as a report would) is accepted."""
    rate = Fraction(value - previous, previous) * 100
    stated = round_half_up(abs(rate), places)
    assert previous_exists(Fraction(value), stated, places, rate > 0 or (rate == 0))


def test_parse_percent() -> None:
    assert parse_percent("4.2 %") == (Fraction(21, 5), 1, "4.2")
    assert parse_percent("300") == (Fraction(300), 0, "300")
    assert parse_percent("52.0") == (Fraction(52), 1, "52.0")
    assert parse_percent("约5") is None and parse_percent(None) is None
