"""The engine: file -> Document -> Tables -> facts -> rules -> FileResult.

Every stage is a pure function of what came before, except the extractor, which is injected
(``Engine(extractor=...)``): the rules extractor by default, an LLM extractor when configured,
a fake in tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from reviewer.crossyear import pair_problem
from reviewer.document import build_document
from reviewer.errors import InputError
from reviewer.extract.base import Extraction, Extractor
from reviewer.extract.rules import RulesExtractor
from reviewer.limits import LimitError
from reviewer.profile import load_profile
from reviewer.readers import ReadResult, page_of, read
from reviewer.rules.base import Context, Rule, active_rules, check_codes
from reviewer.tables import parse_tables
from schemas.document import Document
from schemas.findings import Finding
from schemas.output import FileResult, ReportMeta
from schemas.profile import Profile
from schemas.tables import Tables, TableStatus

STOP_CODES = {"D001"}


class Engine:
    def __init__(
        self,
        *,
        extractor: Extractor | None = None,
        profile: Profile | str = "national",
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        year: int | None = None,
    ) -> None:
        self.profile = load_profile(profile) if isinstance(profile, str) else profile
        select, ignore = list(select), list(ignore)
        check_codes([*select, *ignore])  # a typo is a usage error, never "no findings"
        self.extractor: Extractor = extractor or RulesExtractor(self.profile)
        self.rules: list[Rule] = active_rules(self.profile, select, ignore)
        # D001 runs even when not selected: it decides whether anything else can run.
        self._gate = [r for r in active_rules(self.profile, ("D001",)) if r.code == "D001"]
        self.year = year

    # --- entry points -----------------------------------------------------------------------
    def review_path(self, path: str | Path, *, previous: Context | None = None, raise_limits: bool = False) -> FileResult:
        """Review one file. Input problems become ``FileResult.error``, never an exception (but an
        input over a limit raises LimitError with ``raise_limits``: the batch does not store those).
        ``previous`` is the same agency's previous report (reviewer.crossyear), for the C rules."""
        try:
            res = read(path)
        except InputError as e:
            if raise_limits and isinstance(e, LimitError):
                raise
            return FileResult(path=str(path), error=str(e))
        return self.review_read(res, str(path), previous=previous)

    def review_read(self, res: ReadResult, path: str, *, previous: Context | None = None) -> FileResult:
        """Review what a reader read (pages, when the input has them, go onto the findings)."""
        result = self.review_text(
            res.raw, path, encoding=res.encoding, fmt=res.format, tables=res.tables, notices=res.notices,
            previous=previous,
        )
        if res.pages:
            for f in result.findings:
                f.page = page_of(res.pages, f.line, f.column)
        return result

    def review_text(
        self,
        raw: str,
        path: str = "<text>",
        *,
        encoding: str = "utf-8",
        fmt: str = "txt",
        tables: Tables | None = None,
        notices: list[str] | None = None,
        previous: Context | None = None,
    ) -> FileResult:
        doc = self.document(raw, path, encoding=encoding, fmt=fmt)
        if notices:
            doc.notices.extend(notices)
        return self.review_document(doc, tables=tables, previous=previous)

    def document(self, raw: str, path: str, *, encoding: str = "utf-8", fmt: str = "txt") -> Document:
        return build_document(raw, path, encoding=encoding, fmt=fmt, year=self.year)

    def context(self, doc: Document, tables: Tables | None = None) -> tuple[Context, Extraction]:
        tables = merge_tables(tables, doc)
        doc.notices.extend(n for t in (tables.t2, tables.t3, tables.t4) for n in t.notices if n not in doc.notices)
        extraction = self.extractor.extract(doc, tables)
        ctx = Context(doc=doc, tables=tables, facts=extraction.facts, profile=self.profile, extractor=extraction.extractor)
        return ctx, extraction

    def gate(self, doc: Document) -> list[Finding]:
        """D001's findings: non-empty when the input is not an annual report at all."""
        return [f for r in self._gate for f in r.check(_bare_context(doc, self.profile))]

    def review_document(self, doc: Document, tables: Tables | None = None, previous: Context | None = None) -> FileResult:
        gate = self.gate(doc)
        if gate:
            return FileResult(path=doc.path, findings=gate, notices=list(doc.notices), report=ReportMeta())
        ctx, extraction = self.context(doc, tables)
        if previous is not None:
            problem = pair_problem(ctx, previous, agencies=True)
            if problem:
                doc.notices.append(problem)
            else:
                ctx.previous = previous
        findings = self.run(ctx)
        level = extraction.facts.level.value.value if extraction.facts.level else None
        return FileResult(
            path=doc.path,
            extractor=extraction.extractor,
            notices=list(doc.notices) + list(extraction.notices),
            report=ReportMeta(agency=doc.agency, year=doc.year, level=level),
            findings=findings,
            usage=extraction.usage,
        )

    def run(self, ctx: Context) -> list[Finding]:
        findings = [f for rule in self.rules if rule.code not in STOP_CODES for f in rule.check(ctx)]
        seen: set[tuple] = set()
        unique = []
        for f in sorted(findings, key=Finding.sort_key):
            key = (f.code, f.line, f.column, f.message)
            if key not in seen:
                seen.add(key)
                unique.append(f)
        return unique


def merge_tables(given: Tables | None, doc: Document) -> Tables:
    """Tables read from a real structure win; the text parsers fill in the rest."""
    parsed = parse_tables(doc)
    if given is None:
        return parsed
    return Tables(
        t2=given.t2 if given.t2.status != TableStatus.ABSENT else parsed.t2,
        t3=given.t3 if given.t3.status != TableStatus.ABSENT else parsed.t3,
        t4=given.t4 if given.t4.status != TableStatus.ABSENT else parsed.t4,
    )


def _bare_context(doc: Document, profile: Profile) -> Context:
    from schemas.facts import NarrativeFacts

    return Context(doc=doc, tables=Tables(), facts=NarrativeFacts(), profile=profile)
