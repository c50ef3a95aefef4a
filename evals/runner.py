"""Run the reviewer on every case with one extractor; collect findings, facts, time and usage."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from evals.cases import Case, Label
from evals.extractors import ExtractorFactory, Unavailable
from evals.realgold import read_report
from evals.score import CaseScore, Counts, FieldScore, score_case, score_facts
from reviewer.engine import Engine
from reviewer.errors import InputError, UsageError
from reviewer.extract.base import Extraction
from reviewer.ingest import decode, to_lf
from reviewer.profile import load_profile
from reviewer.rules.base import all_rules
from schemas.facts import NarrativeFacts
from schemas.findings import Finding
from schemas.tables import Tables


class Capture:
    """Wraps an extractor to keep its last extraction (the facts behind a review)."""

    def __init__(self, inner) -> None:
        self.inner, self.name = inner, getattr(inner, "name", "extractor")
        self.last: Extraction | None = None
        self.tables: Tables | None = None

    def extract(self, doc, tables) -> Extraction:
        self.tables = tables
        self.last = self.inner.extract(doc, tables)
        return self.last


@dataclass
class CaseResult:
    case: Case
    findings: list[Finding] = field(default_factory=list)
    facts: NarrativeFacts | None = None
    error: str | None = None
    seconds: float = 0.0
    requests: int = 0
    tokens: int = 0
    score: CaseScore = field(default_factory=CaseScore)
    fields: dict[str, FieldScore] = field(default_factory=dict)
    tables: Tables | None = None  # the tables the rules saw
    notices: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    extractor: str
    results: list[CaseResult] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # case id -> why
    seconds: float = 0.0

    # --- aggregates ---------------------------------------------------------------------------
    @property
    def implemented(self) -> set[str]:
        return {cls.code for cls in all_rules()}

    def per_rule(self) -> dict[str, Counts]:
        out: dict[str, Counts] = {}
        for r in self.results:
            for code, c in r.score.per_rule.items():
                out.setdefault(code, Counts()).add(c)
        return dict(sorted(out.items()))

    def per_field(self) -> dict[str, FieldScore]:
        out: dict[str, FieldScore] = {}
        for r in self.results:
            for name, s in r.fields.items():
                out.setdefault(name, FieldScore()).add(s)
        return out

    def cases_per_rule(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            for code in {lab.code for lab in r.case.expect}:
                out[code] = out.get(code, 0) + 1
        return out

    def summary(self) -> dict[str, float | int]:
        clean = [r for r in self.results if r.case.group in ("clean", "base")]
        return {
            "cases": len(self.results),
            "skipped": len(self.skipped),
            "errors": sum(1 for r in self.results if r.error),
            "exact": sum(1 for r in self.results if r.score.exact and not r.error),
            "clean_cases": len(clean),
            "clean_ok": sum(1 for r in clean if not r.score.false and not r.error),
            "requests": sum(r.requests for r in self.results),
            "tokens": sum(r.tokens for r in self.results),
            "seconds": round(self.seconds, 2),
        }


def run(cases: list[Case], name: str, factory: ExtractorFactory) -> RunResult:
    """Review every case with the named extractor. An unknown profile skips its cases; an input
    error or a crash is recorded on the case (its labels all count as missed), never raised."""
    out = RunResult(extractor=name)
    engines: dict[tuple[str, int | None], tuple[Engine, Capture] | str] = {}
    t0 = time.perf_counter()
    for case in cases:
        key = (case.profile, case.year)
        if key not in engines:
            try:
                profile = load_profile(case.profile)
                cap = Capture(factory(profile))
                engines[key] = (Engine(extractor=cap, profile=profile, year=case.year), cap)
            except UsageError as e:
                engines[key] = f"配置不可用：{e}"
        entry = engines[key]
        if isinstance(entry, str):
            out.skipped[case.id] = entry
            continue
        out.results.append(_review(case, *entry))
    out.seconds = time.perf_counter() - t0
    return out


def _review(case: Case, engine: Engine, cap: Capture) -> CaseResult:
    res = CaseResult(case=case)
    cap.last, cap.tables = None, None
    t0 = time.perf_counter()
    try:
        if case.path is not None:  # a real report: read as the reviewer reads that format
            fr = engine.review_read(read_report(case.path), case.id)
        else:
            raw, encoding = decode(case.data())
            fr = engine.review_text(to_lf(raw), case.id, encoding=encoding)
        res.findings = fr.findings
        res.notices = list(fr.notices)
        if fr.usage:
            res.requests = fr.usage.requests
            res.tokens = fr.usage.prompt_tokens + fr.usage.completion_tokens
    except InputError as e:
        res.error = f"输入错误：{e}"
    except Unavailable:
        raise
    except Exception as e:  # noqa: BLE001 - a crash is a result to report, not a reason to stop
        res.error = f"内部错误（{type(e).__name__}）：{e}"
    res.seconds = time.perf_counter() - t0
    res.facts = cap.last.facts if cap.last else None
    res.tables = cap.tables
    # after an error: no findings, every label missed
    res.score = score_case(case, res.findings, strict=case.group == "real")
    if case.facts is not None:
        res.fields = score_facts(case.facts, res.facts or NarrativeFacts())
    return res


def describe(lab: Label) -> str:
    if lab.regions is not None:  # pinned by quotes: the lines near them, and the quotes
        lines = sorted({ln for ln, _, _ in lab.regions})
        where = ",".join(map(str, lines[:6])) + ("…" if len(lines) > 6 else "") if lines else "（引文未找到）"
        return f"{lab.code}@{where}“{_short(lab.anchor, 30)}”" + (f"（{lab.note}）" if lab.note else "")
    if lab.lines is None:
        where = "任意行"
    else:
        where = ",".join(map(str, sorted(lab.lines)[:6])) + ("…" if len(lab.lines) > 6 else "")
    return f"{lab.code}@{where}" + (f"（{lab.note}）" if lab.note else "")


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
