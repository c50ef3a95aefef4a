"""Profile-defined required items: which of them the text mentions, found by their phrasings.

The phrasings are data (``[[required_items]]`` in the profile files). Items of S106 become
``facts.aspects``, items of S107 ``facts.assessment``, every other item ``facts.section6_items``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reviewer.extract.text import ARABIC_ORD, PLACEHOLDERS, fact, sentence_at
from reviewer.lazyre import compile as compile_re
from reviewer.lazyre import lazy
from schemas.document import Document
from schemas.facts import Aspect, AspectFact, AssessmentFact, AssessmentKind, ItemPresence, NarrativeFacts
from schemas.profile import Profile, RequiredItem

ASPECTS = {a.value for a in Aspect}
KINDS = {k.value for k in AssessmentKind}


@lru_cache(maxsize=256)
def compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for an item's phrasings (compiled once per distinct list)."""
    return compile_re("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def region(doc: Document, section: int) -> tuple[int, int] | None:
    """Where an item of ``section`` is looked for: that section's body (0 = the whole text)."""
    if section == 0:
        return 0, len(doc.text)
    s = doc.section(section)
    return (s.body_span.start, s.body_span.end) if s else None


_SUBHEAD = lazy(
    r"[ \t]*" + PLACEHOLDERS + r"(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}[、是]|" + ARABIC_ORD + ")"
)


def _first(rx: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    """The first match, preferring one on a sub-heading line ("（五）监督保障") for a telling quote."""
    first = None
    for m in rx.finditer(text, lo, hi):
        line = text.rfind("\n", lo, m.start()) + 1
        if _SUBHEAD.match(text, max(line, lo)) and m.start() - line <= 30:
            return m
        first = first or m
    return first


def find_item(doc: Document, item: RequiredItem) -> re.Match[str] | None:
    rx = compiled(tuple(item.patterns))
    if rx is None:
        return None
    where = region(doc, item.section)
    m = _first(rx, doc.text, *where) if where else None
    if m is None and item.anywhere and item.section != 0:
        m = _first(rx, doc.text, 0, len(doc.text))
    return m


def fill(doc: Document, facts: NarrativeFacts, profile: Profile) -> None:
    for item in profile.required_items:
        m = find_item(doc, item)
        if m is None:
            continue
        start, end = sentence_at(doc.text, m.start(), clause=True)
        end = max(end, m.end())
        if item.rule == "S106" and item.key in ASPECTS:
            facts.aspects.append(fact(doc, AspectFact, start, end, aspect=Aspect(item.key)))
        elif item.rule == "S107" and item.key in KINDS:
            facts.assessment.append(fact(doc, AssessmentFact, start, end, kind=AssessmentKind(item.key)))
        else:
            facts.section6_items.append(fact(doc, ItemPresence, start, end, item=item.key))
