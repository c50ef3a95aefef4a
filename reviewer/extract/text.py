"""Small text helpers shared by the rules extractor: facts from spans, clauses, enumerations.

All offsets are into ``doc.text`` (the normalised text); quotes are cut from ``doc.raw`` at the same
offsets, so a quote is always verbatim and its span always exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TypeVar

from reviewer.lazyre import lazy
from schemas.common import Span
from schemas.document import Document
from schemas.facts import Fact

F = TypeVar("F", bound=Fact)

# An arabic ordinal "1、" / "1." (not a decimal "3.5"; "1.2022年" is an ordinal before a year).
ARABIC_ORD = r"\d{1,2}\s*(?:、|\.(?!\d)|\.(?=(?:19|20)\d\d\s*年))"
# Placeholders left by converters at a line start ("[bookmark: _GoBack]", "[image: x]"): transparent.
PLACEHOLDERS = r"(?:\[[^\]\n]{0,60}\][ \t]*)*"
_SENTENCE_END = lazy(r"[。！？!?；;\n\]】]")
_CLAUSE_END = lazy(r"[。！？!?；;，,：:\n\]】]")
# The last sentence (clause) end in a stretch of text: where the sentence around a point begins.
_SENTENCE_START = lazy(r"[。！？!?；;\n\]】][^。！？!?；;\n\]】]*$")
_CLAUSE_START = lazy(r"[。！？!?；;，,：:\n\]】][^。！？!?；;，,：:\n\]】]*$")
LOOKBACK = 400
# An enumerated item: 一是/二是…, 1./1、, (1)/(一), 第一， — at a line or clause start.
ENUM = lazy(
    r"(?:(?<=^)|(?<=[\n。；;：:，,\s]))"
    r"(?:[一二三四五六七八九十]{1,3}是|" + ARABIC_ORD + r"|\((?:[一二三四五六七八九十]{1,3}|\d{1,2})\)"
    r"|第[一二三四五六七八九十]{1,3}[，,、])",
    re.M,
)
# Book titles (《…》): a law's name mentions 信息处理费 without stating anything about it.
BOOK_TITLE = lazy(r"《[^》\n]{0,80}》")
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_int(s: str) -> int | None:
    """"六" -> 6, "十二" -> 12, "6" -> 6; None when it is not a small number."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if not s or any(ch not in CN_DIGITS and ch != "十" for ch in s):
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    return CN_DIGITS[s] if len(s) == 1 else None


def trim(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace."""
    seg = doc.text[start:end]
    stripped = seg.lstrip()
    start += len(seg) - len(stripped)
    return start, start + len(stripped.rstrip())


def fact(doc: Document, cls: type[F], lo: int, hi: int, /, **values: object) -> F:
    """A fact quoting ``doc.raw[lo:hi]`` (trimmed) with its exact span."""
    lo, hi = trim(doc, lo, hi)
    return cls(quote=doc.raw[lo:hi], span=Span(start=lo, end=hi), **values)


def sentence_at(text: str, pos: int, lo: int = 0, hi: int | None = None, *, clause: bool = False) -> tuple[int, int]:
    """The sentence (or clause) around ``pos``, within [lo, hi); the end keeps its punctuation."""
    hi = len(text) if hi is None else hi
    back = max(lo, pos - LOOKBACK)
    m = (_CLAUSE_START if clause else _SENTENCE_START).search(text, back, pos)
    start = m.start() + 1 if m else back
    m = (_CLAUSE_END if clause else _SENTENCE_END).search(text, pos, hi)
    end = m.end() if m and text[m.start()] not in "\n]】" else (m.start() if m else hi)
    return start, end


def sentences(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """Non-blank sentences of text[lo:hi]."""
    pos = lo
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if text[pos : m.start()].strip():
            yield pos, m.end() if text[m.start()] not in "\n]】" else m.start()
        pos = m.end()
    if text[pos:hi].strip():
        yield pos, hi


def enumerated(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The enumerated items of text[lo:hi] (一是…二是…): each from its marker to the next marker,
    cut at the end of the item's first sentence so quotes stay short."""
    marks = [m.start() for m in ENUM.finditer(text, lo, hi)]
    items = []
    for i, start in enumerate(marks):
        stop = marks[i + 1] if i + 1 < len(marks) else hi
        m = _SENTENCE_END.search(text, start, stop)
        end = (m.end() if text[m.start()] not in "\n]】" else m.start()) if m else stop
        if text[start:end].strip():
            items.append((start, end))
    return items


def mask_titles(text: str) -> str:
    """The text with book titles (《…》) blanked out, offsets unchanged."""
    return BOOK_TITLE.sub(lambda m: "《" + "＿" * (len(m.group()) - 2) + "》", text)
