"""Exact arithmetic for the prose rules: rational numbers (fractions.Fraction), rounding half-up to
the precision the report wrote ("4.2%" has one decimal), and the previous-year figures a change rate
allows. No floats anywhere: 2 ÷ 47 × 100 = 4.2553… rounds to 4.3, never to a binary neighbour."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from reviewer.lazyre import lazy

HUNDRED = Fraction(100)


_PERCENT = lazy(r"\s*(\d+(?:\.(\d+))?)\s*[%％]?\s*")


def parse_percent(stated: str | None) -> tuple[Fraction, int, str] | None:
    """A percentage as written ("4.2", "4.2 %", "300") -> (its value, its number of decimals, its
    digits), or None when it is not a plain non-negative number (an extractor may hand over anything)."""
    m = _PERCENT.fullmatch(stated or "")
    if not m:
        return None
    return Fraction(Decimal(m.group(1))), len(m.group(2) or ""), m.group(1)


def round_half_up(x: Fraction, places: int) -> Fraction:
    scale = 10**places
    return Fraction(math.floor(x * scale + Fraction(1, 2)), scale)


def truncate(x: Fraction, places: int) -> Fraction:
    scale = 10**places
    return Fraction(math.floor(x * scale), scale)


def show(x: Fraction, places: int) -> str:
    """``x`` rounded half-up and written with exactly ``places`` decimals."""
    r = round_half_up(x, places)
    q = Decimal(r.numerator) / Decimal(r.denominator)
    return f"{q:.{places}f}"


def precision_words(places: int) -> str:
    return "取整" if places == 0 else "保留" + "零一两三四五六"[places] + "位小数"


def previous_exists(value: Fraction, stated: Fraction, places: int, increase: bool) -> bool:
    """Whether some whole number P >= 1 of last year gives the stated rate, rounded half-up to
    ``places``: (value - P) / P for an increase, (P - value) / P for a decrease, in percent."""
    half = Fraction(1, 2 * 10**places)
    lo, hi = max(stated - half, Fraction(0)), stated + half  # the rate r lies in [lo, hi)
    if increase:
        # r = 100·value/P − 100, decreasing in P: P in (100·value/(hi+100), 100·value/(lo+100)]
        if value <= 0:
            return False
        p_max = math.floor(HUNDRED * value / (lo + HUNDRED))
        return p_max >= 1 and p_max > HUNDRED * value / (hi + HUNDRED)
    # r = 100 − 100·value/P, increasing in P: P in [100·value/(100−lo), 100·value/(100−hi))
    if value == 0:
        return lo <= HUNDRED < hi
    if lo >= HUNDRED:
        return False
    p_min = max(1, math.ceil(HUNDRED * value / (HUNDRED - lo)))
    return hi >= HUNDRED or p_min < HUNDRED * value / (HUNDRED - hi)


def implied_previous(value: Fraction, stated: Fraction, increase: bool) -> Fraction | None:
    """The exact previous figure the stated rate implies, or None when it has none (下降100%+)."""
    factor = 1 + stated / HUNDRED if increase else 1 - stated / HUNDRED
    return value / factor if factor > 0 else None
