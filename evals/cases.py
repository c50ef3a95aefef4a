"""Eval cases: a text (and how it is encoded), the findings it must cause, may cause and must not
cause, and optionally the gold narrative facts. Built from the gold files, the bases, their recipes
and the generic mutations of ``evals.mutate``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from evals.anchors import Anchors, LineMap, lines_of
from evals.dataset import Absent, Expect, GoldCase, GoldFacts, load_bases, load_gold

GROUPS = ("real", "sample", "base", "clean", "defect", "not-report")


@dataclass(frozen=True)
class Label:
    """A finding by code, with the lines it may point at (None: anywhere) — or, when the label was
    pinned by ``at`` quotes on real reports, the regions it may point at: (line, first column, last
    column), the stretches of text around the quotes (evals.realgold.regions). A scraped page is one
    long line: there the line alone says little."""

    code: str
    lines: frozenset[int] | None = None
    note: str = ""
    regions: frozenset[tuple[int, int, int]] | None = None
    anchor: str = ""  # the ``at`` quotes the regions come from (for messages)

    def accepts(self, line: int, column: int | None = None) -> bool:
        if self.regions is not None:
            return any(ln == line and (column is None or a <= column <= b) for ln, a, b in self.regions)
        return self.lines is None or line in self.lines


def label(code: str, lines: set[int] | frozenset[int] | None = None, note: str = "") -> Label:
    return Label(code, frozenset(lines) if lines is not None else None, note)


@dataclass
class Case:
    id: str
    group: str
    text: str
    expect: list[Label] = field(default_factory=list)
    may: list[Label] = field(default_factory=list)
    absent: list[Label] = field(default_factory=list)
    base: str | None = None
    op: str = ""
    rule: str | None = None  # the rule a defect was injected for
    encoding: str = "utf-8"  # how the text is turned into the bytes the reviewer reads
    crlf: bool = False
    profile: str = "national"
    year: int | None = None
    facts: GoldFacts | None = None
    description: str = ""
    path: Path | None = None  # a real report: reviewed from this file by the reviewer's own readers
    tables: object | None = None  # a real report's gold tables (evals.realgold.GoldTables)
    batch: int | None = None  # a real report's gold batch (None: the first, tuned on; 2: fresh validation)

    def data(self) -> bytes:
        if self.path is not None:
            return self.path.read_bytes()
        text = self.text.replace("\n", "\r\n") if self.crlf else self.text
        return text.encode(self.encoding)

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        h.update(self.id.encode())
        h.update(self.data())
        for lab in sorted(self.expect + self.may, key=repr):
            h.update(repr(lab).encode())
        if self.facts is not None:
            h.update(self.facts.model_dump_json().encode())
        return h.hexdigest()[:16]


# --- resolving anchors ----------------------------------------------------------------------------
def resolve(e: Expect | Absent, text: str) -> Label:
    """Turn an Expect (literal lines or anchors in ``text``) into a Label."""
    if isinstance(e, Absent):
        lines = Expect(code=e.code, line=e.line, lines=e.lines).line_set()
        return label(e.code, lines or None, e.note)
    lines = e.line_set()
    for s in e.at:
        lines |= lines_of(text, s)
    if e.heading or e.section or e.row:
        a = Anchors(text)
        for k in e.heading:
            lines.add(a.heading_line(k))
        for k in e.section:
            lines |= a.lines(*a.section_span(k))
        for key in e.row:
            lines |= a.row_lines(a.t3[key])
    if e.end:
        lines.add(LineMap(text).line(len(text.rstrip())))
    return label(e.code, lines, e.note)


# --- the gold cases -------------------------------------------------------------------------------
def gold_case(g: GoldCase, group: str, text: str | None = None) -> Case:
    text = g.read_source() if text is None else text
    return Case(
        id=g.id,
        group=group,
        text=text,
        expect=[resolve(e, text) for e in g.expect],
        may=[resolve(e, text) for e in g.may],
        absent=[resolve(e, text) for e in g.absent],
        base=g.id if group == "base" else None,
        profile=g.profile,
        year=g.year,
        facts=g.facts,
        description=g.description,
    )


NOT_REPORTS = {
    "meeting-notice": (
        "关于召开2023年度政务公开工作会议的通知\n\n各科室、各直属单位：\n\n"
        "经研究，定于2023年3月10日上午9时在局机关三楼会议室召开2023年度政务公开工作会议，请各单位分管负责同志参加。\n\n"
        "特此通知。\n\n临川市生态环境局办公室\n2023年3月1日\n"
    ),
    "work-summary": (
        "临川市生态环境局2023年上半年工作总结\n\n"
        "今年以来，我局在市委、市政府的坚强领导下，扎实推进污染防治攻坚战。一是空气质量持续改善，优良天数比例达到88.5%；"
        "二是水环境质量稳中向好，国控断面水质优良率100%；三是完成环评审批45件。\n\n下半年，我局将继续加大工作力度。\n"
    ),
    "press-release": (
        "我市召开政务公开工作推进会\n\n6月12日，我市召开政务公开工作推进会，通报上半年全市政务公开工作情况，"
        "部署下一阶段重点任务。会议要求，各级各部门要进一步提高认识，压实责任，推动政务公开工作再上新台阶。\n"
    ),
}


def not_report_cases() -> list[Case]:
    return [
        Case(id=f"not-report:{name}", group="not-report", text=text, expect=[label("D001", {1})], op=name, rule="D001")
        for name, text in NOT_REPORTS.items()
    ]


def all_cases(seed: int | None = None) -> list[Case]:
    """Every case of the suite, in a stable order: samples, then per base the base, its clean
    variants and its defects, then the texts that are not reports."""
    from evals.mutate import SEED, generate

    cases = [gold_case(g, "sample") for g in load_gold()]
    cases += generate(load_bases(), SEED if seed is None else seed)
    cases += not_report_cases()
    ids = [c.id for c in cases]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ValueError(f"duplicate case ids: {sorted(dup)}")
    return cases


__all__ = ["Case", "Label", "label", "resolve", "all_cases", "gold_case"]
