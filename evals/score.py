"""Scoring: findings against labels (per rule TP/FP/FN), extracted facts against gold facts.

The unit of a finding is (code, line): a label is matched when a finding of its code points at one
of its lines (or, for a label pinned by ``at`` quotes, near the quoted words). Labels and findings are
paired by a maximum bipartite matching, so two labels on the same line need two findings. A finding
left over is absorbed (not counted) when it falls on a matched label's lines (the same defect
reported per column, say) or on a ``may`` label; otherwise it is a false positive.

Real reports are scored ``strict``ly — one problem, one finding (RULES.md): nothing is absorbed; a
``may`` label takes one finding (neither true nor false), and every other finding that no label
takes is a false positive, the same defect reported twice included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from evals.cases import Case, Label
from evals.dataset import GoldClaim, GoldFacts
from reviewer.ingest import normalize
from schemas.facts import NarrativeFacts, NumericClaim
from schemas.findings import Finding


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN); None when there is nothing to count."""
        n = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / n if n else None


@dataclass
class CaseScore:
    per_rule: dict[str, Counts] = field(default_factory=dict)
    missed: list[Label] = field(default_factory=list)
    false: list[Finding] = field(default_factory=list)
    traps: list[Finding] = field(default_factory=list)  # false positives that hit an ``absent`` label

    @property
    def exact(self) -> bool:
        return not self.missed and not self.false


def _matching(labels: list[Label], findings: list[Finding]) -> dict[int, int]:
    """Maximum bipartite matching label -> finding (Kuhn's algorithm; the sets are tiny)."""
    owner: dict[int, int] = {}

    def try_label(i: int, seen: set[int]) -> bool:
        for j, f in enumerate(findings):
            if j in seen or not labels[i].accepts(f.line, f.column):
                continue
            seen.add(j)
            if j not in owner or try_label(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(labels)):
        try_label(i, set())
    return {i: j for j, i in owner.items()}


def score_case(case: Case, findings: list[Finding], *, strict: bool = False) -> CaseScore:
    out = CaseScore()
    codes = {lab.code for lab in case.expect} | {f.code for f in findings}
    for code in sorted(codes):
        labels = [lab for lab in case.expect if lab.code == code]
        mine = [f for f in findings if f.code == code]
        may = [m for m in case.may if m.code == code]
        matched = _matching(labels, mine)
        used = set(matched.values())
        c = Counts(tp=len(matched), fn=len(labels) - len(matched))
        out.missed += [lab for i, lab in enumerate(labels) if i not in matched]
        if strict:
            rest = [j for j in range(len(mine)) if j not in used]
            used |= {rest[k] for k in _matching(may, [mine[j] for j in rest]).values()}
            cover: list[Label] = []
        else:
            cover = [labels[i] for i in matched] + may
        for j, f in enumerate(mine):
            if j in used or any(lab.accepts(f.line, f.column) for lab in cover):
                continue
            c.fp += 1
            out.false.append(f)
            if any(a.code == code and a.accepts(f.line, f.column) for a in case.absent):
                out.traps.append(f)
        out.per_rule[code] = c
    return out


# --- narrative facts ------------------------------------------------------------------------------
SCALARS = ("agency", "level", "report_year", "period", "signature_date", "intro_parts.count", "intro_parts.parts",
           "aspects", "assessment", "has_problems", "has_improvements", "rectification", "rectification.year",
           "rectification.bare_claim", "rectification.quote", "fee", "fee.charged", "fee.cases", "fee.amount_yuan",
           "fee.notices_issued", "fee.quote")  # fmt: skip
LISTS = ("problems", "measures", "claims", "vague", "statements")


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0
    items: Counts | None = None  # for list fields: item-level TP/FP/FN

    def add(self, other: FieldScore) -> None:
        self.correct += other.correct
        self.total += other.total
        if other.items is not None:
            if self.items is None:
                self.items = Counts()
            self.items.add(other.items)

    @property
    def accuracy(self) -> float | None:
        if self.items is not None:
            return self.items.f1
        return self.correct / self.total if self.total else None


def _norm(s: str) -> str:
    return "".join(s.split())


def _scalar_values(gold: GoldFacts, facts: NarrativeFacts) -> dict[str, tuple[object, object]]:
    """(gold, extracted) per scalar field that the gold file sets."""
    out: dict[str, tuple[object, object]] = {}
    given = gold.scored()
    if "agency" in given:
        want = gold.agency if isinstance(gold.agency, list) else [gold.agency]
        got = _norm(facts.agency.value) if facts.agency else None
        ok = got in {_norm(a) for a in want if a} if got else gold.agency is None
        out["agency"] = (True, ok)
    if "level" in given:
        out["level"] = (gold.level, facts.level.value if facts.level else None)
    if "report_year" in given:
        out["report_year"] = (gold.report_year, facts.report_year.value if facts.report_year else None)
    if "period" in given:
        want = (gold.period.start, gold.period.end) if gold.period else None
        got = (facts.period.start, facts.period.end) if facts.period else None
        out["period"] = (want, got)
    if "signature_date" in given:
        out["signature_date"] = (gold.signature_date, facts.signature_date.value if facts.signature_date else None)
    if "intro_parts" in given:
        g, f = gold.intro_parts, facts.intro_parts
        out["intro_parts.count"] = (g.count if g else None, f.count if f else None)
        out["intro_parts.parts"] = (g.parts if g else 0, len(f.parts) if f else 0)
    if "aspects" in given:
        out["aspects"] = (set(gold.aspects), {a.aspect for a in facts.aspects})
    if "assessment" in given:
        out["assessment"] = (set(gold.assessment), {a.kind for a in facts.assessment})
    if "has_problems" in given:
        out["has_problems"] = (gold.has_problems, bool(facts.problems))
    if "has_improvements" in given:
        out["has_improvements"] = (gold.has_improvements, bool(facts.improvements))
    if "rectification" in given:
        g, f = gold.rectification, facts.rectification
        out["rectification"] = (g is not None, f is not None)
        if g is not None:
            out["rectification.year"] = (g.year, f.year if f else None)
            out["rectification.bare_claim"] = (g.bare_claim, f.bare_claim if f else None)
            if g.quote:
                out["rectification.quote"] = (True, bool(f and same_words(g.quote, f.quote)))
    if "fee" in given:
        g, f = gold.fee, facts.fee
        out["fee"] = (g is not None, f is not None)
        if g is not None:
            out["fee.charged"] = (g.charged, f.charged if f else None)
            if g.cases is not None:
                out["fee.cases"] = (g.cases, f.cases if f else None)
            if g.amount_yuan is not None:
                out["fee.amount_yuan"] = (g.amount_yuan, f.amount_yuan if f else None)
            if g.notices_issued is not None:
                out["fee.notices_issued"] = (g.notices_issued, f.notices_issued if f else None)
            if g.quote:
                out["fee.quote"] = (True, bool(f and same_words(g.quote, f.quote)))
    return out


def _dec(v: object) -> Decimal | None:
    try:
        return Decimal(str(v)).normalize() if v is not None else None
    except Exception:  # noqa: BLE001 - a malformed extracted value simply does not match
        return None


def claim_matches(g: GoldClaim, c: NumericClaim) -> bool:
    if c.subject != g.subject or _dec(c.value) != _dec(g.value):
        return False
    kinds = {g.kind.value} | ({"total"} if g.kind.value == "count" and not g.parts else set())
    if c.kind.value not in kinds:
        return False
    if g.parts and sorted(map(_dec, c.parts)) != sorted(map(_dec, g.parts)):
        return False
    if g.percent is not None and _dec(c.percent) != _dec(g.percent):
        return False
    if g.whole is not None and c.whole is not None and _dec(c.whole) != _dec(g.whole):
        return False
    return g.direction is None or c.direction is None or c.direction == g.direction


def same_words(a: str, b: str) -> bool:
    """Two quotes name the same words: one contains the other, or they share a run of at least half
    the shorter one (an extractor may cut a sentence a little earlier or later than the gold)."""
    a, b = _norm(normalize(a)), _norm(normalize(b))
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= max(4, min(len(a), len(b)) // 2)


@dataclass
class _Quoted:
    """A gold list item that is only a quote (problems, measures)."""

    text: str
    optional: bool = False


def _vague_matches(g, v) -> bool:
    a, b = _norm(g.text), _norm(v.quote)
    return bool(b) and (a in b or b in a)


def _items(gold: list, got: list, match) -> Counts:
    """Item-level counts with optional gold items (matched or not, they count neither way)."""
    free = list(range(len(got)))
    c = Counts()
    for g in sorted(gold, key=lambda x: x.optional):
        j = next((j for j in free if match(g, got[j])), None)
        if j is not None:
            free.remove(j)
            c.tp += 0 if g.optional else 1
        elif not g.optional:
            c.fn += 1
    c.fp = len(free)
    return c


def score_facts(gold: GoldFacts, facts: NarrativeFacts) -> dict[str, FieldScore]:
    out: dict[str, FieldScore] = {}
    for name, (want, got) in _scalar_values(gold, facts).items():
        out[name] = FieldScore(correct=int(want == got), total=1)
    given = gold.scored()
    for name, items in (("problems", facts.problems), ("measures", facts.improvements)):
        if name in given:
            want = [_Quoted(q) for q in getattr(gold, name)]
            out[name] = FieldScore(items=_items(want, items, lambda g, f: same_words(g.text, f.quote)))
    if "claims" in given:  # figures about nothing a table counts (subject "other") are not scored
        want = [c for c in gold.claims if c.subject.value != "other"]
        got = [c for c in facts.claims if c.subject.value != "other"]
        out["claims"] = FieldScore(items=_items(want, got, claim_matches))
    if "vague" in given:
        out["vague"] = FieldScore(items=_items(gold.vague, facts.vague, _vague_matches))
    if "statements" in given:
        out["statements"] = FieldScore(items=_items(gold.statements, facts.statements, lambda g, s: s.kind == g.kind))
    return out
