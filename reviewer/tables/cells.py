"""Cell tokens: find the value tokens in a stretch of table text and classify them."""

from __future__ import annotations

import re
from schemas.plain import plain
from decimal import Decimal, InvalidOperation

from reviewer.lazyre import lazy
from schemas.tables import CellKind

PLACEHOLDERS = {"/", "\\", "-", "—", "——", "–", "－", "無", "无", "空", "/ ", "--", "---", "×", "x", "X"}
# A token is a run of non-space characters, except that digits glued to following Chinese text (a
# table scraped without separators: "…总计100120001100000全年…") are a token of their own — unless
# the text is a unit ("3件", "2022年"), which keeps the token whole.
_TOKEN = lazy(r"\d+(?=[\u4e00-\u9fff])(?![年月日件条个项元次万])|\S+")
_INT = lazy(r"\d+")
_DEC = lazy(r"\d+\.\d+")
_CJK = lazy(r"[\u4e00-\u9fff]")


@plain(slots=True)
class Token:
    text: str
    start: int  # offset in the document text

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def tokens(text: str, start: int, end: int) -> list[Token]:
    return [Token(m.group(), m.start()) for m in _TOKEN.finditer(text, start, end)]


_SIGNED_RUNS = lazy(r"\d+(?:[+\-−]\d+)+")  # "2648-18538", "97+82179": cells whose separator is a sign


def is_value_token(t: str) -> bool:
    """A token that stands in a value cell: a number, a placeholder, a number-like mistake, or
    numbers run together across a sign ("2648-18538": 上一年 2648, 增减 -18, …)."""
    return (
        t in PLACEHOLDERS
        or bool(_INT.fullmatch(t))
        or bool(_SIGNED_RUNS.fullmatch(t))
        or bool(_DEC.fullmatch(t))
        or bool(re.fullmatch(r"[-−]\d+(?:\.\d+)?", t))
        or bool(re.fullmatch(r"\d+(?:\.\d+)?[%件条个项元]", t))
    )


def is_text_token(t: str) -> bool:
    return bool(_CJK.search(t)) and t not in PLACEHOLDERS


def classify(raw: str, *, decimal_ok: bool = False) -> tuple[Decimal | None, CellKind]:
    """Value and kind of one cell's text. Counts must be whole non-negative numbers; an amount
    (decimal_ok) may have decimals."""
    t = raw.strip()
    if not t:
        return None, CellKind.BLANK
    if t in PLACEHOLDERS:
        return None, CellKind.PLACEHOLDER
    if _INT.fullmatch(t) or (_DEC.fullmatch(t) and decimal_ok):
        try:
            v = Decimal(t)
        except InvalidOperation:  # pragma: no cover - the regexes admit only valid literals
            return None, CellKind.INVALID
        return v, (CellKind.ZERO if v == 0 else CellKind.NUMBER)
    try:
        v = Decimal(t.replace("−", "-"))
    except InvalidOperation:
        return None, CellKind.INVALID
    return v, CellKind.INVALID  # negative, or a fraction in a count: keep the value, flag the kind
