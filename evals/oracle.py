"""The oracle extractor: the gold narrative facts in place of an extractor — what a perfect LLM
extraction would give.

Reviewing the real set with it separates "the rules are wrong" (a false or missed finding even with
perfect facts) from "the extraction is wrong" (the rules extractor's figures fall short of the
oracle's). It is the bar any model must be compared with.

Every field the gold file sets replaces the extracted one, each quote located in the text as read
(so findings point where the words are); a field the gold file does not set keeps what the rules
extractor read (gold files of evals/real set every field the rules consume, so this is a fallback
for facts no gold format has, such as a profile's section-六 items). Tables are never the oracle's
business: they are parsed as usual.
"""

from __future__ import annotations

import datetime as dt

from evals.dataset import GoldFacts, GoldIntro
from evals.realgold import occurrences
from reviewer.extract.base import Extraction
from reviewer.extract.rules import RulesExtractor
from schemas.common import Span
from schemas.document import SECTION_TITLES, Document
from schemas.facts import (
    AspectFact,
    AssessmentFact,
    DateFact,
    FeeStatement,
    IntFact,
    IntroParts,
    ItemFact,
    LevelFact,
    NarrativeFacts,
    NumericClaim,
    PeriodFact,
    Rectification,
    Statement,
    TextFact,
    VagueQuantity,
)
from schemas.profile import Profile
from schemas.tables import Tables

NAME = "oracle"


class OracleExtractor:
    """Gives the gold facts of the case being reviewed (found by the document's path, which the eval
    runner sets to the case id); a document without gold facts gets the rules extraction."""

    name = NAME

    def __init__(self, profile: Profile | None, gold: dict[str, GoldFacts]) -> None:
        self.rules = RulesExtractor(profile)
        self.gold = gold

    def extract(self, doc: Document, tables: Tables) -> Extraction:
        base = self.rules.extract(doc, tables)
        gold = self.gold.get(doc.path)
        if gold is None:
            return base
        located = _Locator(doc)
        facts = oracle_facts(gold, located, base.facts)
        notices = [f"oracle：金标准引文在文本中找不到：{q}" for q in located.missing]
        return Extraction(facts=facts, extractor=NAME, notices=base.notices + notices)


def factory(gold: dict[str, GoldFacts]):
    """An ``evals.extractors.ExtractorFactory`` over the gold facts of the given cases."""
    return lambda profile: OracleExtractor(profile, gold)


class _Locator:
    def __init__(self, doc: Document) -> None:
        self.doc, self.missing = doc, []  # type: list[str]

    def span(self, quote: str | None, line: int | None = None) -> Span | None:
        if not quote:
            return None
        found = occurrences(self.doc.text, quote)
        if not found:
            self.missing.append(quote)
            return None
        if line is not None:
            on_line = [o for o in found if self.doc.location(o[0]).line == line]
            found = on_line or found
        return Span(start=found[0][0], end=found[0][1])

    def fact(self, cls, quote: str | None, *, line: int | None = None, **kw):
        q = quote or ""
        return cls(quote=q, span=self.span(quote, line), extractor=NAME, **kw)


def oracle_facts(g: GoldFacts, at: _Locator, rules: NarrativeFacts) -> NarrativeFacts:
    """The gold facts as NarrativeFacts; fields the gold does not set come from ``rules``."""
    out = rules.model_copy(deep=True)
    given = g.scored()
    if "agency" in given:
        names = g.agency if isinstance(g.agency, list) else [g.agency]
        name = next((n for n in names if n), None)
        out.agency = at.fact(TextFact, name, value=name) if name else None
    if "level" in given:
        out.level = LevelFact(quote=out.agency.quote if out.agency else "", value=g.level) if g.level else None
    if "report_year" in given:
        out.report_year = IntFact(quote=str(g.report_year), value=g.report_year) if g.report_year else None
    if "period" in given:
        out.period = PeriodFact(quote="", start=g.period.start, end=g.period.end) if g.period else None
    if "signature_date" in given:
        d = g.signature_date
        out.signature_date = _signature(d, at, rules.signature_date) if d else None
    if "intro_parts" in given:
        p = g.intro_parts
        out.intro_parts = IntroParts(quote="", count=p.count, parts=_part_names(p, rules)) if p else None
    if "aspects" in given:
        out.aspects = [AspectFact(quote=a.value, aspect=a) for a in g.aspects]
    if "assessment" in given:
        out.assessment = [AssessmentFact(quote=k.value, kind=k) for k in g.assessment]
    if "problems" in given:
        out.problems = [at.fact(ItemFact, q, text=q) for q in g.problems]
    elif g.has_problems is False:
        out.problems = []
    if "measures" in given:
        out.improvements = [at.fact(ItemFact, q, text=q) for q in g.measures]
    elif g.has_improvements is False:
        out.improvements = []
    if "rectification" in given:
        r = g.rectification
        out.rectification = None
        if r is not None:
            measures = [at.fact(ItemFact, r.quote, text=r.quote or "")] if r.has_measures else []
            out.rectification = at.fact(Rectification, r.quote, year=r.year, bare_claim=r.bare_claim, measures=measures)
    if "fee" in given:
        f = g.fee
        out.fee = None
        if f is not None:
            out.fee = at.fact(
                FeeStatement, f.quote, charged=f.charged, cases=f.cases, amount_yuan=f.amount_yuan,
                notices_issued=f.notices_issued,
            )  # fmt: skip
    if "claims" in given:
        out.claims = [
            at.fact(
                NumericClaim, c.quote, line=c.line, kind=c.kind, subject=c.subject, value=c.value, unit=c.unit,
                parts=c.parts, percent=None if c.percent is None else str(c.percent), whole=c.whole,
                direction=c.direction, previous=c.previous, delta=c.delta, measure=c.measure,
                parts_exhaustive=c.parts_exhaustive,
            )  # fmt: skip
            for c in g.claims
        ]
    if "statements" in given:
        out.statements = [at.fact(Statement, s.quote, line=s.line, kind=s.kind) for s in g.statements]
    if "vague" in given:
        out.vague = [at.fact(VagueQuantity, v.text, line=v.line) for v in g.vague]
    return out


def _part_names(p: GoldIntro, rules: NarrativeFacts) -> list[str]:
    """The parts the intro lists: the gold's names; else, for six, the six statutory titles (a gold
    file gives ``names`` when the six listed are not the six sections); else the rules extractor's
    when it found as many; else blanks (only the count can then be compared)."""
    if p.names:
        return list(p.names)
    if p.parts == len(SECTION_TITLES):
        return [t[2:] for t in SECTION_TITLES.values()]
    if rules.intro_parts is not None and len(rules.intro_parts.parts) == p.parts:
        return list(rules.intro_parts.parts)
    return [""] * p.parts


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _signature(d: dt.date, at: _Locator, read: DateFact | None) -> DateFact:
    """The gold 落款 date, located where the report writes it (the last occurrence: the 落款 closes the
    report), so a finding on it points at the 落款 as the rules extractor's would."""
    if read is not None and read.value == d and read.span is not None:
        return DateFact(quote=read.quote, span=read.span, value=d, extractor=NAME)
    for form in (_cn_date(d), f"{d.year}年{d.month:02d}月{d.day:02d}日"):
        found = occurrences(at.doc.text, form)
        if found:
            start, end = found[-1]
            return DateFact(quote=at.doc.raw[start:end], span=Span(start=start, end=end), value=d, extractor=NAME)
    return DateFact(quote=_cn_date(d), value=d, extractor=NAME)
