"""The real-report eval set (``evals/real/``): gold files written by reading real reports, their
provenance, and the text the quotes and ``at`` anchors are checked against.

A real gold file (format: ``evals/real/GOLD.md``) is a gold case plus where the report came from
(``provenance``, with the sha256 of the stored bytes) and the tables as a person reads them. Quotes
(facts, ``at`` anchors) are verbatim words of the report as the reviewer reads it: for .txt and .md
the file itself, for .html and .pdf the text the reviewer's reader produces (one line per paragraph
or table row) — lines and columns of findings are in that text too. Full-width forms fold as in
``reviewer.ingest.normalize`` (character for character); spaces and line breaks may differ, since a
PDF or a converted Markdown breaks lines in mid-sentence.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator

from evals.cases import Case, Label, label, resolve
from evals.dataset import EVALS, Absent, Expect, GoldCase, Strict, _load
from reviewer.errors import InputError
from reviewer.ingest import decode, normalize, to_lf
from reviewer.readers import ReadResult, read
from schemas.tables import TABLE2_ROWS, TABLE3_ROW_KEYS, TABLE4_BLOCKS

REAL_DIR = EVALS / "real"
REAL_GOLD_DIR = REAL_DIR / "gold"

Num = Decimal | None  # a cell: its number, or null for a blank cell
T2_2019_THREE = ("regulations", "normative_docs", "licensing", "other_services", "penalty", "enforcement")


class Provenance(Strict):
    repo: str = Field(pattern=r"^[\w.-]+/[\w.-]+$")
    path: str
    commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    form: str = ""
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class GoldTables(Strict):
    """The statutory tables as a person reads them (rows by their schemas/tables.py keys). A table
    that cannot be read is left out; a 2019-layout table 三 may give one ``other`` row instead of
    ``other_1``..``other_3`` (it is then not compared cell by cell for those rows)."""

    t2: dict[str, list[Num]] | None = None
    t3: dict[str, list[Num]] | None = None
    t4: dict[str, list[Num]] | None = None
    # a 2019-format table 二 (2019–2020 reports), kept for reading, not compared cell by cell:
    # regulations/normative_docs = [本年新制作数量, 本年新公开数量, 对外公开总数量]; licensing/other_services/
    # penalty/enforcement = [上一年项目数量, 本年增/减, 处理决定数量]; fees = [上一年项目数量, 本年增/减];
    # procurement = [采购项目数量, 采购总金额（元）]
    t2_2019: dict[str, list[Num]] | None = None

    @model_validator(mode="after")
    def _shapes(self) -> GoldTables:
        widths = {
            "二": {k: len(cols) for k, (_, cols) in TABLE2_ROWS.items()},
            "三": dict.fromkeys((*TABLE3_ROW_KEYS, "other"), 7),
            "四": dict.fromkeys(TABLE4_BLOCKS, 5),
            "二（2019年格式）": dict.fromkeys(T2_2019_THREE, 3) | {"fees": 2, "procurement": 2},
        }
        tables = (("二", self.t2), ("三", self.t3), ("四", self.t4), ("二（2019年格式）", self.t2_2019))
        for name, rows in tables:
            for key, cells in (rows or {}).items():
                if key not in widths[name]:
                    raise ValueError(f"table {name}: unknown row {key!r} (one of {', '.join(widths[name])})")
                if len(cells) != widths[name][key]:
                    raise ValueError(f"table {name} {key}: {len(cells)} cells, expected {widths[name][key]}")
        return self


class RealGold(GoldCase):
    provenance: Provenance
    tables: GoldTables | None = None
    batch: int | None = None  # the gold batch that added the file (2: the fresh validation set, never tuned on)

    @property
    def path(self) -> Path:
        return EVALS / self.source

    def read_source(self) -> str:
        return reader_text(self.path)


def load_real(directory: Path = REAL_GOLD_DIR) -> list[RealGold]:
    return [_load(p, RealGold) for p in sorted(directory.glob("*.yml"))]  # type: ignore[misc]


# --- the text as the reviewer reads it ------------------------------------------------------------
@lru_cache(maxsize=64)
def _read(path: Path, stamp: float) -> ReadResult:
    return read(path)


def read_report(path: Path) -> ReadResult:
    """The reviewer's reading of a report (cached: a PDF takes a second or two)."""
    return _read(path, path.stat().st_mtime)


def reader_text(path: Path) -> str:
    """The normalised text findings and quotes refer to."""
    return normalize(read_report(path).raw)


_WS = re.compile(r"\s+")


def occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (start, end) where ``quote`` occurs in ``text``: verbatim after folding, else with
    spaces and line breaks ignored on both sides."""
    q = normalize(quote).strip()
    if not q:
        return []
    found = [(m.start(), m.start() + len(q)) for m in re.finditer(re.escape(q), text)]
    if found:
        return found
    chars = "".join(_WS.split(q))
    rx = re.compile(r"\s*".join(re.escape(ch) for ch in chars))
    return [(m.start(), m.end()) for m in rx.finditer(text)]


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


NEAR = 40  # characters: how far from an ``at`` quote a finding may point and still be "at" it


def regions(text: str, quotes: list[str], near: int = 0) -> set[tuple[int, int, int]]:
    """(line, first column, last column) of every line of every occurrence of the quotes, widened by
    ``near`` characters on both sides on its own lines, and by the ``near`` characters next to it on
    the line before and the line after (a finding on the table row under a quoted heading)."""
    lines = text.split("\n")
    starts = _line_starts(text)
    out: set[tuple[int, int, int]] = set()
    for q in quotes:
        for a, b in occurrences(text, q):
            first, last = _bisect(starts, a), _bisect(starts, max(a, b - 1))
            for i in range(first, last + 1):
                lo = a - starts[i] + 1 - near if i == first else 1
                hi = b - starts[i] + near if i == last else len(lines[i])
                out.add((i + 1, max(1, lo), min(max(hi, lo), len(lines[i]) + 1)))
            if near and first > 0:
                width = len(lines[first - 1])
                out.add((first, max(1, width - near + 1), width + 1))
            if near and last + 1 < len(lines):
                out.add((last + 2, 1, near))
    return out


def _bisect(starts: list[int], pos: int) -> int:
    import bisect

    return bisect.bisect_right(starts, pos) - 1


# --- checking a gold file -------------------------------------------------------------------------
def quotes(g: RealGold) -> list[tuple[str, str]]:
    """(where, quote) for every quote of a gold file that must occur in the report."""
    out: list[tuple[str, str]] = []
    for kind, items in (("expect", g.expect), ("may", g.may), ("absent", g.absent)):
        for e in items:
            out += [(f"{kind} {e.code} at", q) for q in e.at]
    f = g.facts
    if f is None:
        return out
    out += [("facts.problems", q) for q in f.problems] + [("facts.measures", q) for q in f.measures]
    if f.rectification is not None and f.rectification.quote:
        out.append(("facts.rectification.quote", f.rectification.quote))
    if f.fee is not None and f.fee.quote:
        out.append(("facts.fee.quote", f.fee.quote))
    out += [(f"facts.claims {c.subject.value} {c.value}", c.quote) for c in f.claims if c.quote]
    out += [(f"facts.statements {s.kind.value}", s.quote) for s in f.statements if s.quote]
    return out


def check(g: RealGold) -> list[str]:
    """What is wrong with a gold file (empty when nothing): the stored bytes against the sha256,
    every quote against the report as read, every line within the report, ``line`` and ``at``
    together pointing at the same place."""
    problems: list[str] = []
    if not g.path.is_file():
        return [f"source {g.source} does not exist"]
    digest = hashlib.sha256(g.path.read_bytes()).hexdigest()
    if digest != g.provenance.sha256:
        problems.append(f"sha256 of {g.source} is {digest}, the gold file says {g.provenance.sha256}")
    text = reader_text(g.path)
    n_lines = text.count("\n") + 1
    for where, q in quotes(g):
        if not occurrences(text, q):
            problems.append(f"{where}: not in the report as read: {q!r}")
    f = g.facts
    if f is not None:
        if f.rectification is not None and not f.rectification.quote:
            problems.append("facts.rectification: no quote")
        if f.fee is not None and not f.fee.quote:
            problems.append("facts.fee: no quote")
        problems += [f"facts.claims {c.subject.value} {c.value}: no quote" for c in f.claims if not c.quote]
        problems += [f"facts.statements {s.kind.value}: no quote" for s in f.statements if not s.quote]
    for kind, items in (("expect", g.expect), ("may", g.may), ("absent", g.absent)):
        for e in items:
            lines = _lines(e)
            if e.at and lines and _stored_line(g, e):
                continue  # the line of the HTML source that holds the quotes: matched by the quotes
            if any(not 1 <= ln <= n_lines for ln in lines):
                problems.append(f"{kind} {e.code}: line out of the report (1–{n_lines}): {sorted(lines)}")
            if lines and e.at and not {r[0] for r in regions(text, e.at)} & lines:
                problems.append(f"{kind} {e.code}: the at quotes are not on lines {sorted(lines)}")
    return problems


def _stored_line(g: RealGold, e: Expect | Absent) -> bool:
    """For an .html report, whether ``line``/``lines`` name lines of the file as stored (GOLD.md's
    first wording) that hold the ``at`` quotes, rather than lines of the text as read. A scraped page's
    article often sits on one source line; such a label is then pinned by its quotes alone."""
    if g.path.suffix.lower() not in (".html", ".htm", ".xhtml"):
        return False
    lines = _lines(e)
    if {r[0] for r in regions(reader_text(g.path), e.at)} & lines:
        return False  # the lines of the text as read
    try:
        stored = normalize(to_lf(decode(g.path.read_bytes())[0])).split("\n")
    except InputError:
        return False
    return all(1 <= ln <= len(stored) for ln in lines) and any(
        occurrences(stored[ln - 1], q) for ln in lines for q in e.at
    )


# --- cases ----------------------------------------------------------------------------------------
def _lines(e: Expect | Absent) -> set[int]:
    return Expect(code=e.code, line=e.line, lines=e.lines).line_set()


def _label(e: Expect | Absent, text: str, g: RealGold | None = None) -> Label:
    """A label: pinned to the quotes' regions when ``at`` is given (only those on ``line``/``lines``
    when these are given too, unless they are lines of an HTML source), else by its lines (Expect's
    own anchors: heading, row…, resolved as for the synthetic set)."""
    if e.at:
        lines = set() if g is not None and _stored_line(g, e) else _lines(e)
        spots = {r for r in regions(text, e.at, NEAR) if not lines or r[0] in lines}
        return Label(e.code, None, e.note, frozenset(spots), "|".join(e.at))
    if isinstance(e, Absent):
        return resolve(e, text)
    return resolve(e, text) if e.anchored else label(e.code, None, e.note)


def real_case(g: RealGold) -> Case:
    text = g.read_source()
    return Case(
        id=g.id,
        group="real",
        text=text,
        expect=[_label(e, text, g) for e in g.expect],
        may=[_label(e, text, g) for e in g.may],
        absent=[_label(e, text, g) for e in g.absent],
        profile=g.profile,
        year=g.year,
        facts=g.facts,
        description=g.description,
        path=g.path,
        tables=g.tables,
        batch=g.batch,
    )


def real_cases() -> list[Case]:
    return [real_case(g) for g in load_real()]


# --- for people writing gold files ------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """``python -m evals.realgold REPORT…`` prints a report as the reviewer reads it, with line
    numbers (what quotes and lines in a gold file refer to); ``python -m evals.realgold --check``
    checks every gold file in evals/real/gold (exit 1 when one is wrong)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args == ["--check"]:
        bad = 0
        for g in load_real():
            for problem in check(g):
                bad += 1
                print(f"{g.id}: {problem}")
        print(f"{len(load_real())} gold files, {bad} problems")
        return 1 if bad else 0
    if not args:
        print(main.__doc__)
        return 2
    for name in args:
        for i, line in enumerate(reader_text(Path(name)).split("\n"), 1):
            print(f"{i:5d}| {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
