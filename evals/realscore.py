"""The real set's figures: overall precision and recall (every finding no label takes is false —
true but unwanted included), recall on the expectations that must never be missed, the false
positives of error severity, and how well the tables were read — for the whole set and per gold
batch (batch 1, the reports the reviewer was tuned on; batch 2, a fresh validation set).

Pure functions over an ``evals.runner.RunResult`` of real cases (scored strictly, see evals.score).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from evals.realgold import GoldTables
from evals.runner import CaseResult, RunResult
from evals.score import Counts, FieldScore
from reviewer.rules.base import REGISTRY
from schemas.common import Severity
from schemas.findings import Finding
from schemas.tables import TABLE2_ROWS, Tables

# The expectations whose recall must be 1.0 (issue #16): never silent on these.
KEY_GROUPS: dict[str, tuple[str, ...]] = {
    "R502": ("R502",),
    "R601": ("R601",),
    "T3xx": ("T301", "T302", "T303", "T304"),
    "T401": ("T401",),
}
# Gold batches (``batch`` in a gold file; none is batch 1): what each measures.
BATCH_NAMES = {1: "调校用", 2: "新验证", 3: "新验证"}


def batch_of(case) -> int:
    return case.batch or 1


def batch_name(batch: int) -> str:
    return f"第{batch}批（{BATCH_NAMES[batch]}）" if batch in BATCH_NAMES else f"第{batch}批"


@dataclass
class RealFigures:
    extractor: str
    overall: Counts = field(default_factory=Counts)
    per_rule: dict[str, Counts] = field(default_factory=dict)
    groups: dict[str, Counts] = field(default_factory=dict)
    error_fp: list[tuple[str, Finding]] = field(default_factory=list)  # (case id, finding)
    traps: list[tuple[str, Finding]] = field(default_factory=list)  # false positives the gold named as traps
    fields: dict[str, FieldScore] = field(default_factory=dict)
    cases: int = 0
    errors: int = 0
    batches: dict[int, RealFigures] = field(default_factory=dict)  # the same figures per gold batch

    def error_fp_counts(self) -> dict[str, int]:
        """{"case:code": n}: the gate's unit (lines move when a reader changes; cases and codes do not)."""
        out: dict[str, int] = {}
        for case, f in self.error_fp:
            key = f"{case}:{f.code}"
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))


def figures(run: RunResult, *, per_batch: bool = True) -> RealFigures:
    out = RealFigures(extractor=run.extractor, cases=len(run.results))
    if per_batch:
        parts: dict[int, list[CaseResult]] = {}
        for r in run.results:
            parts.setdefault(batch_of(r.case), []).append(r)
        out.batches = {
            b: figures(RunResult(extractor=run.extractor, results=rs), per_batch=False) for b, rs in sorted(parts.items())
        }
    out.per_rule = run.per_rule()
    for c in out.per_rule.values():
        out.overall.add(c)
    for name, codes in KEY_GROUPS.items():
        g = Counts()
        for code in codes:
            if code in out.per_rule:
                g.add(Counts(tp=out.per_rule[code].tp, fn=out.per_rule[code].fn))
        out.groups[name] = g
    for r in run.results:
        out.errors += bool(r.error)
        out.error_fp += [(r.case.id, f) for f in r.score.false if f.severity == Severity.ERROR]
        out.traps += [(r.case.id, f) for f in r.score.traps]
    out.fields = run.per_field()
    for name, s in table_scores(run.results).items():
        out.fields[name] = s
    return out


def severity(code: str) -> str:
    cls = REGISTRY.get(code)
    return cls.severity.value if cls is not None else "—"


# --- the tables as read against the tables as a person reads them ------------------------------
def table_scores(results: list[CaseResult]) -> dict[str, FieldScore]:
    """Per table, the share of gold cells the reviewer read with the same value (a blank cell is
    None on both sides). A table 三 ``other`` row (2019 layout) is not compared."""
    out = {name: FieldScore() for name in ("tables.t2", "tables.t3", "tables.t4")}
    for r in results:
        gold = r.case.tables
        if not isinstance(gold, GoldTables):
            continue
        for name, want, got in _pairs(gold, r.tables or Tables()):
            out[name].total += 1
            out[name].correct += int(want == got)
    return {k: v for k, v in out.items() if v.total}


def _pairs(gold: GoldTables, tables: Tables):
    for key, cells in (gold.t2 or {}).items():
        row = tables.t2.rows.get(key) or []
        for i in range(len(TABLE2_ROWS[key][1])):
            yield "tables.t2", _val(cells[i]), _val(row[i].value) if i < len(row) else "missing"
    for key, cells in (gold.t3 or {}).items():
        if key == "other":
            continue
        row = tables.t3.rows.get(key) or []
        for i in range(7):
            yield "tables.t3", _val(cells[i]), _val(row[i].value) if i < len(row) else "missing"
    for key, cells in (gold.t4 or {}).items():
        row = tables.t4.blocks.get(key) or []
        for i in range(5):
            yield "tables.t4", _val(cells[i]), _val(row[i].value) if i < len(row) else "missing"


def _val(v: Decimal | None) -> Decimal | None:
    return None if v is None else Decimal(v).normalize()
