"""The eval datasets as data: gold annotations of real reports, clean bases and their mutation
recipes. YAML files, validated by the pydantic models below.

These models are the eval suite's own (not a cross-stage contract), so they live here rather than in
``schemas/``; the enums of the narrative facts are reused from ``schemas.facts`` so that a gold file
cannot name a subject or a kind the extractors do not know.

A gold file (``evals/gold/*.yml``) describes one report::

    id: sample-003
    source: samples/003_2907b5d9cfef7e5d.txt     # relative to evals/
    profile: national
    expect:                                       # findings that must appear
      - {code: F101, line: 3, note: 引用〔2019〕60号}
      - {code: S108, lines: [425, "430-432"], note: 没有落款}
    may: [{code: S107, line: 25}]                 # findings that are acceptable, not required
    absent: [{code: T302, note: 47 + 0 = 47 + 0}] # findings that must not appear (traps)
    facts: {...}                                  # the gold narrative facts (fields that are set are scored)

Every finding not expected and not allowed by ``may`` counts as a false positive (closed world);
``absent`` documents the traps worth naming. A base file (``evals/bases/*.yml``) is a gold file of a
clean report plus its layout and its mutation recipes. A real gold file (``evals/real/gold/*.yml``,
``evals.realgold``) adds the report's provenance and tables, and verbatim quotes to its facts
(``problems``, ``measures``, rectification, fee, claims, statements) and anchors (``at``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.facts import AgencyLevel, Aspect, AssessmentKind, ClaimKind, ClaimSubject, StatementKind

EVALS = Path(__file__).resolve().parent
GOLD_DIR = EVALS / "gold"
BASES_DIR = EVALS / "bases"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- expected findings ------------------------------------------------------------------------
LineSpec = int | str  # 12, or "12-15" (inclusive)


class Expect(Strict):
    """A finding by code and where it may point. Where is given by line numbers (``line``,
    ``lines``) or, in recipes, by anchors resolved against the mutated text: ``at`` (the lines where
    these strings occur), ``heading`` (the line of section N's heading), ``row`` (the lines of a table
    row, by its label), ``end`` (the last line)."""

    code: str = Field(pattern=r"^[A-Z]\d{3}$")
    line: int | None = None
    lines: list[LineSpec] = Field(default_factory=list)
    at: list[str] = Field(default_factory=list)
    heading: list[int] = Field(default_factory=list)
    section: list[int] = Field(default_factory=list)
    row: list[str] = Field(default_factory=list)
    end: bool = False
    note: str = ""

    @field_validator("at", "row", "heading", "section", mode="before")
    @classmethod
    def _listify(cls, v: object) -> object:
        return [v] if isinstance(v, (str, int)) else v

    def line_set(self) -> set[int]:
        """The literal lines (anchors are resolved elsewhere)."""
        out: set[int] = set()
        if self.line is not None:
            out.add(self.line)
        for spec in self.lines:
            if isinstance(spec, int):
                out.add(spec)
            else:
                a, _, b = spec.partition("-")
                out.update(range(int(a), int(b or a) + 1))
        return out

    @property
    def anchored(self) -> bool:
        return bool(
            self.line is not None or self.lines or self.at or self.heading or self.section or self.row or self.end
        )


class Absent(Strict):
    code: str = Field(pattern=r"^[A-Z]\d{3}$")
    line: int | None = None
    lines: list[LineSpec] = Field(default_factory=list)
    at: list[str] = Field(default_factory=list)
    note: str = ""

    @field_validator("at", mode="before")
    @classmethod
    def _listify(cls, v: object) -> object:
        return [v] if isinstance(v, str) else v


# --- gold narrative facts ---------------------------------------------------------------------
class GoldPeriod(Strict):
    start: dt.date
    end: dt.date


class GoldIntro(Strict):
    count: int | None = None  # the declared number of parts ("六个部分"), null when not declared
    parts: int = 0  # how many parts the intro lists
    names: list[str] = Field(default_factory=list)  # optional: the listed parts, verbatim (for the oracle)


class GoldRectification(Strict):
    year: int | None = None
    bare_claim: bool = False
    has_measures: bool = True
    quote: str | None = None  # verbatim (required in evals/real/gold)


class GoldFee(Strict):
    charged: bool | None = None
    cases: int | None = None
    amount_yuan: Decimal | None = None
    notices_issued: bool | None = None  # set only when the report says whether fee notices went out
    quote: str | None = None  # verbatim (required in evals/real/gold)


class GoldClaim(Strict):
    kind: ClaimKind
    subject: ClaimSubject
    value: Decimal
    parts: list[Decimal] = Field(default_factory=list)
    percent: Decimal | None = None
    whole: Decimal | None = None
    direction: Literal["增长", "下降"] | None = None
    # what the oracle run needs besides (see schemas.facts.NumericClaim); not scored
    parts_exhaustive: bool = False
    previous: Decimal | None = None
    delta: Decimal | None = None
    measure: Literal["issued", "repealed", "in_force"] | None = None
    unit: str = ""
    line: int | None = None
    quote: str | None = None  # verbatim: the words that state the figure
    optional: bool = False  # acceptable, not required (neither a miss when absent nor a false hit)
    note: str = ""


class GoldVague(Strict):
    text: str
    line: int | None = None
    optional: bool = False


class GoldStatement(Strict):
    kind: StatementKind
    line: int | None = None
    quote: str | None = None
    optional: bool = False
    note: str = ""


class GoldFacts(Strict):
    """Gold narrative facts. Only the fields set in the file are scored; an explicit ``null`` means
    the report does not contain the fact (and an extractor must not invent it)."""

    agency: str | list[str] | None = None
    level: AgencyLevel | None = None
    report_year: int | None = None
    period: GoldPeriod | None = None
    signature_date: dt.date | None = None
    intro_parts: GoldIntro | None = None
    aspects: list[Aspect] = Field(default_factory=list)
    assessment: list[AssessmentKind] = Field(default_factory=list)
    has_problems: bool | None = None
    has_improvements: bool | None = None
    problems: list[str] = Field(default_factory=list, description="Section 五's problems, verbatim, one each.")
    measures: list[str] = Field(default_factory=list, description="Section 五's improvement measures, verbatim.")
    rectification: GoldRectification | None = None
    fee: GoldFee | None = None
    claims: list[GoldClaim] = Field(default_factory=list)
    vague: list[GoldVague] = Field(default_factory=list)
    statements: list[GoldStatement] = Field(default_factory=list)

    def scored(self) -> set[str]:
        return set(self.model_fields_set)


# --- gold cases and bases ---------------------------------------------------------------------
class GoldCase(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    source: str = Field(description="Path of the report, relative to evals/.")
    description: str = ""
    profile: str = "national"
    year: int | None = None
    expect: list[Expect] = Field(default_factory=list)
    may: list[Expect] = Field(default_factory=list)
    absent: list[Absent] = Field(default_factory=list)
    facts: GoldFacts | None = None

    @model_validator(mode="after")
    def _anchored(self) -> GoldCase:
        for e in self.expect:
            if not e.anchored:
                raise ValueError(f"{self.id}: expected {e.code} has no line or anchor")
        return self

    def read_source(self) -> str:
        return (EVALS / self.source).read_text(encoding="utf-8")


class Recipe(Strict):
    """One hand-written mutation of a base: text edits and the findings they must cause."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    rule: str = Field(pattern=r"^[A-Z]\d{3}$", description="The rule the defect is injected for.")
    replace: list[tuple[str, str]] = Field(min_length=1)
    expect: list[Expect] = Field(min_length=1)
    may: list[Expect] = Field(default_factory=list)
    profile: str | None = None
    note: str = ""


MENTION_KEYS = {
    # table 三 rows and outcome groups, table 四 blocks, table 二 rows (issued), categorical statements
    "new", "carried_over", "total", "carry_next", "granted", "partial", "denied", "unable", "rejected", "other",
    "review", "litigation", "regulations", "normative_docs", "licensing", "penalty", "enforcement",
    "no_review", "no_litigation", "no_applications", "all_completed",
}  # fmt: skip


class BaseFile(GoldCase):
    """A clean report to mutate: a gold case (it must review clean) with its layout and recipes."""

    layout: Literal["tsv", "cells", "inline"]
    mentions: dict[str, str] = Field(
        default_factory=dict,
        description="Where the prose states what a table counts (key -> the exact words), so that a "
        "mutated table cell is labelled with the X1xx finding it must then cause.",
    )
    patch: list[tuple[str, str]] = Field(
        default_factory=list, description="Edits that turn ``source`` into the clean base (for real samples)."
    )
    recipes: list[Recipe] = Field(default_factory=list)

    @model_validator(mode="after")
    def _clean(self) -> BaseFile:
        if self.expect:
            raise ValueError(f"{self.id}: a base must review clean (expect: [])")
        unknown = set(self.mentions) - MENTION_KEYS
        if unknown:
            raise ValueError(f"{self.id}: unknown mention keys {sorted(unknown)}")
        ids = [r.id for r in self.recipes]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id}: duplicate recipe ids")
        return self

    def read_source(self) -> str:
        text = super().read_source()
        for old, new in self.patch:
            if old not in text:
                raise ValueError(f"{self.id}: patch target not found: {old!r}")
            text = text.replace(old, new)
        return text


def _load(path: Path, model: type[GoldCase]) -> GoldCase:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return model.model_validate(data)
    except Exception as e:
        raise ValueError(f"{path.name}: {e}") from e


def load_gold(directory: Path = GOLD_DIR) -> list[GoldCase]:
    return [_load(p, GoldCase) for p in sorted(directory.glob("*.yml"))]


def load_bases(directory: Path = BASES_DIR) -> list[BaseFile]:
    return [_load(p, BaseFile) for p in sorted(directory.glob("*.yml"))]  # type: ignore[misc]
