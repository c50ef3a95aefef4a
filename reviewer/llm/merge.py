"""Verify the model's facts against the source and merge them with the rules extractor's.

The merge policy (README, "LLM extraction"):

1. Every fact from the model carries a quote that must occur in the report (``find_quote``: exact
   up to whitespace and full-width folding). A fact whose quote is not found is dropped, with a
   notice; a fact nested in another (a rectification measure) is dropped alone.
2. Single facts (agency, level, report year, period, 落款 date, intro parts, rectification, fee):
   a verified model fact wins; where the model has none, the rules fact stands.
3. Lists (aspects, assessment, problems, improvements, section 六 items, claims, vague quantities,
   statements): the union. A model fact replaces a rules fact of the same list that overlaps it in
   the source and has the same kind (aspect / kind / item / subject); every other rules fact stands.
   The model can add and refine; it cannot silently remove what the patterns found.
4. Every fact records its extractor (``llm`` or ``rules``); a finding built on a fact names it.
"""

from __future__ import annotations

from collections.abc import Callable

from reviewer.extract.quotes import find_quote
from reviewer.llm.narrative import OMITTED
from schemas.common import Span
from schemas.document import Document
from schemas.facts import Fact, NarrativeFacts

KIND_FIELDS = ("aspect", "kind", "item", "subject")


def quote_problem(doc: Document, quote: str) -> str | None:
    """Why ``quote`` is not a verbatim quote of the report (the validator's message), or None."""
    q = quote.strip()
    if len(q) < 2:
        return "引文为空或太短，必须逐字摘录报告原文"
    if OMITTED in q:
        return f"引文不能包含“{OMITTED}”标记，必须逐字摘录报告原文"
    if find_quote(doc, q) is None:
        shown = q if len(q) <= 40 else q[:39] + "…"
        return f"引文“{shown}”在报告原文中找不到，必须逐字摘录报告原文，不得改写或拼接"
    return None


def quote_checker(doc: Document) -> Callable[[str], str | None]:
    return lambda quote: quote_problem(doc, quote)


def _walk(facts: NarrativeFacts, fix: Callable[[Fact], Fact | None]) -> NarrativeFacts:
    """Apply ``fix`` to every fact (nested facts first); a None result removes the fact."""

    def visit(fact: Fact) -> Fact | None:
        nested = {
            name: [y for x in value if (y := visit(x)) is not None]
            for name, value in fact
            if isinstance(value, list) and value and isinstance(value[0], Fact)
        }
        return fix(fact.model_copy(update=nested) if nested else fact)

    updates: dict[str, object] = {}
    for name, value in facts:
        if isinstance(value, list):
            updates[name] = [y for x in value if isinstance(x, Fact) and (y := visit(x)) is not None]
        elif isinstance(value, Fact):
            updates[name] = visit(value)
    return facts.model_copy(update=updates)


def verify(facts: NarrativeFacts, doc: Document, extractor: str = "llm") -> tuple[NarrativeFacts, list[str]]:
    """Locate every quote (setting ``span`` and ``extractor``); drop the facts whose quote is not in
    the report. Returns the verified facts and the dropped quotes."""
    dropped: list[str] = []

    def fix(fact: Fact) -> Fact | None:
        if quote_problem(doc, fact.quote) is not None:
            dropped.append(fact.quote)
            return None
        return fact.model_copy(update={"span": find_quote(doc, fact.quote.strip()), "extractor": extractor})

    return _walk(facts, fix), dropped


def tag(facts: NarrativeFacts, doc: Document, extractor: str = "rules") -> NarrativeFacts:
    """Mark facts with their extractor and locate those without a span; nothing is dropped."""

    def fix(fact: Fact) -> Fact:
        span = fact.span or (find_quote(doc, fact.quote) if fact.quote else None)
        return fact.model_copy(update={"span": span, "extractor": fact.extractor or extractor})

    return _walk(facts, fix)


def _overlaps(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def _kind(fact: Fact) -> tuple:
    return tuple(getattr(fact, f, None) for f in KIND_FIELDS)


def merge(rules: NarrativeFacts, llm: NarrativeFacts) -> NarrativeFacts:
    """Merge verified model facts into the rules facts by the policy above."""
    updates: dict[str, object] = {}
    for name in NarrativeFacts.model_fields:
        mine, theirs = getattr(rules, name), getattr(llm, name)
        if isinstance(theirs, list):
            kept = [r for r in mine if not any(_overlaps(r.span, m.span) and _kind(r) == _kind(m) for m in theirs)]
            both = theirs + kept
            updates[name] = sorted(both, key=lambda f: f.span.start if f.span else 1 << 60)
        else:
            updates[name] = theirs if theirs is not None else mine
    return rules.model_copy(update=updates)
