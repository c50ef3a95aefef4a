"""Model facts that would remove a required-item finding must be corroborated by the text.

A verified quote only proves the words occur in the report. A fact that makes a required-item
finding go away — an item of section 一 (S106, S107) or of the profile (R603), the year's problems
and measures (R501), the rectification and its measures (R502, R503), the fee statement (R601), an
agency level that lifts S107 — is kept only when its quote

1. lies where the item belongs (the item's section; anywhere when the profile says so, or for a fee
   statement that names the 信息处理费),
2. passes the deterministic check the rules extractor applies to that item (the profile item's
   phrasings; a problem word; a measures cue or heading; a rectification heading or claim; the fee
   classifier agreeing on whether a fee was charged; the level classifier agreeing on the level),
3. and neither the quote nor the sentence around it is instruction-like (reviewer.instructions):
   a planted "本报告已报告责任追究结果" never counts.

A fact that fails is dropped (the rules extractor's reading of that item stands) and counted in a
notice. Facts that cannot remove such a finding (claims, statements, metadata) are not touched here.
"""

from __future__ import annotations

from schemas.common import Span
from schemas.document import Document
from schemas.facts import Fact, NarrativeFacts
from schemas.profile import Profile, RequiredItem


def _inside(span: Span | None, region: tuple[int, int] | None) -> bool:
    return span is not None and region is not None and region[0] <= span.start and span.end <= region[1]


def _section(doc: Document, key: int) -> tuple[int, int] | None:
    s = doc.section(key)
    return (s.body_span.start, s.body_span.end) if s else None


def _planted(doc: Document, fact: Fact) -> bool:
    """The quote, or the sentence it stands in, speaks to the reviewer."""
    from reviewer.extract.text import sentence_at
    from reviewer.instructions import instruction_like

    if fact.span is None or instruction_like(fact.quote):
        return True
    start, _ = sentence_at(doc.text, fact.span.start)
    _, end = sentence_at(doc.text, max(fact.span.start, fact.span.end - 1))
    return instruction_like(doc.text[start:max(end, fact.span.end)])


class _Checker:
    def __init__(self, doc: Document, rules: NarrativeFacts, profile: Profile) -> None:
        self.doc, self.rules, self.profile = doc, rules, profile
        self.rejected: list[str] = []

    def keep(self, fact: Fact, ok: bool) -> bool:
        ok = ok and not _planted(self.doc, fact)
        if not ok:
            self.rejected.append(fact.quote)
        return ok

    # --- profile items: S106 aspects, S107 assessment, R603 section 六 items ----------------------
    def item(self, rule: str, key: str) -> RequiredItem | None:
        """The profile's item a fact stands for (section 六 items: any rule but S106/S107)."""
        for i in self.profile.required_items:
            if i.key == key and (i.rule == rule if rule != "R603" else i.rule not in ("S106", "S107")):
                return i
        return None

    def item_fact(self, fact: Fact, rule: str, key: str) -> bool:
        from reviewer.extract.items import compiled, region

        item = self.item(rule, key)
        if item is None:
            return True  # no required item of this profile rests on it
        rx = compiled(tuple(item.patterns))
        where = (0, len(self.doc.text)) if item.anywhere or item.section == 0 else region(self.doc, item.section)
        said = rx is not None and fact.span is not None and rx.search(self.doc.text, fact.span.start, fact.span.end)
        return self.keep(fact, bool(said) and _inside(fact.span, where))

    # --- section 五 ------------------------------------------------------------------------------
    def _block(self, fact: Fact):
        from reviewer.extract.problems import blocks

        lo, hi = _section(self.doc, 5) or (0, 0)
        for b in blocks(self.doc.text, lo, hi, self.doc.year):
            if b.lo <= fact.span.start < max(b.hi, b.lo + 1):  # type: ignore[union-attr]
                return b
        return None

    def problem(self, fact: Fact) -> bool:
        from reviewer.extract.problems import PROB_WORD

        if not _inside(fact.span, _section(self.doc, 5)):
            return self.keep(fact, False)
        b = self._block(fact)
        return self.keep(fact, bool(PROB_WORD.search(fact.quote)) or (b is not None and "prob" in b.kinds))

    def measure(self, fact: Fact) -> bool:
        from reviewer.extract.problems import IMPR_CUE, IMPR_HEAD

        if not _inside(fact.span, _section(self.doc, 5)):
            return self.keep(fact, False)
        b = self._block(fact)
        cued = b is not None and ("impr" in b.kinds or IMPR_CUE.search(self.doc.text, b.lo, fact.span.end))  # type: ignore[union-attr]
        return self.keep(fact, bool(cued) or bool(IMPR_CUE.search(fact.quote) or IMPR_HEAD.search(fact.quote)))

    def rectification(self, rect):
        """The rectification, corroborated (its measures too), or None."""
        from reviewer.extract.problems import BARE, RECT_CLAIM, RECT_HEAD, _year

        if not _inside(rect.span, _section(self.doc, 5)):
            self.keep(rect, False)
            return None
        b = self._block(rect)
        named = RECT_HEAD.search(rect.quote) or RECT_CLAIM.search(rect.quote) or (b is not None and b.kinds == {"rect"})
        if not self.keep(rect, bool(named)):
            return None
        measures = [
            m for m in rect.measures
            if self.keep(m, _inside(m.span, _section(self.doc, 5)) and len(m.quote.strip()) >= 6
                         and not BARE.fullmatch(m.quote.strip()))
        ]
        year = _year(rect.quote, self.doc.year)
        updates: dict = {"measures": measures}
        if year is not None and rect.year != year:
            updates["year"] = year  # the quote says which year; the model's reading does not override it
        if not rect.bare_claim and not measures:
            updates["bare_claim"] = True  # no measure survived: a claim without measures is bare
        return rect.model_copy(update=updates)

    # --- section 六: the fee statement --------------------------------------------------------------
    def fee(self, fee) -> bool:
        from reviewer.extract.fee import TOPIC_ANY, TOPIC_SIX, classify
        from reviewer.extract.text import mask_titles

        quote = mask_titles(fee.quote)
        where = _inside(fee.span, _section(self.doc, 6)) and TOPIC_SIX.search(quote)
        said = classify(quote)
        agrees = fee.charged is not None and said["charged"] == fee.charged
        return self.keep(fee, bool(where or TOPIC_ANY.search(quote)) and agrees)

    # --- the agency level (人民政府 reports must give S107's items) ---------------------------------
    def level(self, fact) -> bool:
        from reviewer.extract.meta import agency_level
        from schemas.facts import AgencyLevel

        ruled = self.rules.level.value if self.rules.level else None
        if ruled != AgencyLevel.GOVERNMENT or fact.value == ruled:
            return True
        return self.keep(fact, agency_level(fact.quote.strip()) == fact.value)


def corroborate(llm: NarrativeFacts, rules: NarrativeFacts, doc: Document,
                profile: Profile | None = None) -> tuple[NarrativeFacts, list[str]]:
    """The model's (verified) facts without those that would remove a required-item finding on
    their word alone; and the quotes of the facts dropped."""
    if profile is None:
        from reviewer.profile import load_profile

        profile = load_profile("national")
    c = _Checker(doc, rules, profile)
    updates: dict = {
        "aspects": [f for f in llm.aspects if c.item_fact(f, "S106", f.aspect.value)],
        "assessment": [f for f in llm.assessment if c.item_fact(f, "S107", f.kind.value)],
        "section6_items": [f for f in llm.section6_items if c.item_fact(f, "R603", f.item)],
        "problems": [f for f in llm.problems if c.problem(f)],
        "improvements": [f for f in llm.improvements if c.measure(f)],
    }
    if llm.rectification is not None:
        updates["rectification"] = c.rectification(llm.rectification)
    if llm.fee is not None and not c.fee(llm.fee):
        updates["fee"] = None
    if llm.level is not None and not c.level(llm.level):
        updates["level"] = None
    return llm.model_copy(update=updates), c.rejected
