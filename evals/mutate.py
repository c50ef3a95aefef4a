"""The mutation generator: from each clean base, labelled variants with exactly one injected defect,
and clean variants that must stay clean.

Reproducible: a fixed seed drives every choice (which cell, by how much, which date), and the order
of generation is fixed, so the same seed gives the same cases byte for byte. Labels come from the
mutation itself — which identity a changed cell breaks, which prose sentence states the number that
no longer matches — never from the reviewer's output.

Two sources of defects:
- generic operators below (table cells, labels, rows, sections, the 落款, the format notice, the
  statistical period), applied to every base whose layout allows them;
- hand-written recipes in each base's YAML file (prose numbers, shares, rates, rectification, fee,
  ordinals…), whose expected findings are anchored by the words they change.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Iterator

from evals.anchors import (
    HEADINGS,
    T3_BALANCE,
    T3_COLUMNS,
    T3_LEAVES,
    Anchors,
    LineMap,
    Row,
    lines_of,
    outcome_group,
    replace_spans,
    row_splits,
)
from evals.cases import Case, Label, gold_case, label, resolve
from evals.dataset import BaseFile

SEED = 20240531
REENCODE_SHARE = 0.15  # defects also re-encoded (labels are unchanged: re-encoding keeps the lines)
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CITATION = re.compile(r"[和、]?《[^》]*年度报告格式[^》]*》\s*[（(]国办公开办函〔2021〕30号[）)]")
_PERIOD = re.compile(r"[^。\n]*统计期限[^。\n]*。")  # one sentence, never a heading above it


class Mutator:
    """The generic operators for one base."""

    def __init__(self, base: BaseFile, text: str, rng: random.Random) -> None:
        self.base, self.text, self.rng = base, text, rng
        self.a = Anchors(text).complete()
        self.tables = base.layout in ("tsv", "cells")
        self.level = base.facts.level.value if base.facts and base.facts.level else "部门"
        self.year = base.facts.report_year if base.facts and base.facts.report_year else 2023

    # --- helpers --------------------------------------------------------------------------------
    def case(self, op: str, text: str, expect: list[Label], rule: str | None, may: list[Label] = (), **kw) -> Case:
        return Case(
            id=f"{self.base.id}:{op}",
            group="defect" if expect else "clean",
            text=text,
            expect=list(expect),
            may=list(may),
            base=self.base.id,
            op=op.split(":")[0],
            rule=rule,
            profile=kw.pop("profile", self.base.profile),
            **kw,
        )

    def mention(self, key: str, text: str) -> set[int] | None:
        words = self.base.mentions.get(key)
        return lines_of(text, words) if words else None

    def x_label(self, code: str, key: str, text: str, note: str) -> list[Label]:
        lines = self.mention(key, text)
        return [label(code, lines, note)] if lines else []

    def lines(self, text: str, start: int, end: int) -> set[int]:
        return LineMap(text).lines(start, end)

    def section_lines(self, k: int, text: str | None = None) -> set[int]:
        a = self.a if text is None else Anchors(text)
        return a.lines(*a.section_span(k))

    def balance_lines(self) -> set[int]:
        return self.a.t3_lines(*T3_BALANCE)

    def set_cells(self, *edits: tuple[Row, int, str]) -> str:
        return replace_spans(self.text, [(r.cells[i].start, r.cells[i].end, new) for r, i, new in edits])

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def leaf_cells(self, pred: Callable[[int], bool], cols: range = range(7)) -> list[tuple[str, int]]:
        return [(k, i) for k in T3_LEAVES for i in cols if pred(self.a.t3[k].cells[i].value)]

    # --- clean variants ---------------------------------------------------------------------------
    def clean_variants(self) -> Iterator[Case]:
        t, a = self.text, self.a
        yield self.case("enc-gb18030", t, [], None, encoding="gb18030")
        yield self.case("enc-utf16", t, [], None, encoding="utf-16")
        yield self.case("enc-utf16le-nobom", t, [], None, encoding="utf-16-le")
        yield self.case("enc-utf8-bom", t, [], None, encoding="utf-8-sig")
        yield self.case("crlf", t, [], None, crlf=True)
        ws = "\n".join(line + ("  " if i % 3 == 0 and line else "") for i, line in enumerate(t.split("\n")))
        yield self.case("trailing-spaces", ws, [], None)
        s1, e1 = a.section_span(1)
        yield self.case("fullwidth-digits", t[:s1] + t[s1:e1].translate(FULLWIDTH) + t[e1:], [], None)
        if self.base.layout == "inline":
            yield self.case("t4-run-together", self._t4_run_together(), [], None)
            return
        for h in HEADINGS.values():
            t = t.replace("\n" + h + "\n", "\n\n" + h + "\n\n")
        yield self.case("blank-lines", t, [], None)
        yield self.case("one-line", self.text.replace("\n", ""), [], None)
        yield self.case("t3-flattened", self._flatten_t3(), [], None)
        if all(len(c.raw) == 1 for r in a.t4.values() for c in r.cells):
            yield self.case("t4-run-together", self._t4_run_together(), [], None)
        if self.base.layout == "tsv":
            yield self.case("tabs-to-spaces", self.text.replace("\t", "  "), [], None)

    def _flatten_t3(self) -> str:
        """Table 三 on one line; a row's digits run together wherever the row identity still
        determines the only split (otherwise they keep a space)."""
        a, t = self.a, self.text
        edits = []
        for row in a.t3.values():
            digits = "".join(c.raw for c in row.cells)
            unique = row_splits(digits, 7, lambda v: sum(v[:6]) == v[6]) == 1
            joined = digits if unique else " ".join(c.raw for c in row.cells)
            edits.append((row.cells[0].start, row.cells[-1].end, joined))
        t = replace_spans(t, edits)
        start = Anchors(t).headings[3][1]
        end = Anchors(t).headings[4][0]
        region = re.sub(r"\s+", "", t[start:end])
        return t[:start] + "\n" + region + "\n\n" + t[end:]

    def _t4_run_together(self) -> str:
        cells = [c for r in self.a.t4.values() for c in r.cells]
        return self.text[: cells[0].start] + "".join(c.raw for c in cells) + self.text[cells[-1].end :]

    # --- table 三 and 四 cells --------------------------------------------------------------------
    def table_defects(self) -> Iterator[Case]:
        a, rng = self.a, self.rng
        zeros = self.leaf_cells(lambda v: v == 0)
        for n, (key, i) in enumerate(rng.sample(zeros, 3)):
            mark = "" if (n == 2 and self.base.layout == "tsv") else self.pick(["/", "—", "无"])
            text = self.set_cells((a.t3[key], i, mark))
            yield self.case(f"t103-placeholder:{key}:{i}", text, [label("T103", a.row_lines(a.t3[key]))], "T103")
        t2zero = [(k, i) for k, r in a.t2.items() for i, c in enumerate(r.cells) if c.value == 0]
        if t2zero:
            key, i = self.pick(t2zero)
            text = self.set_cells((a.t2[key], i, "/"))
            yield self.case(f"t103-table2:{key}:{i}", text, [label("T103", a.row_lines(a.t2[key]))], "T103")
        for bad, (key, i) in zip(("-1", "0.5"), rng.sample(zeros, 2)):
            row = a.t3[key]
            may = [label("T301", a.row_lines(row)), label("T303", a.t3_lines("total") | a.row_lines(row))]
            text = self.set_cells((row, i, bad))
            yield self.case(f"t104:{key}:{i}:{bad}", text, [label("T104", a.row_lines(row))], "T104", may)
        # T301: a leaf cell changed (its row total and its column's outcome total no longer hold).
        for key, i in rng.sample(self.leaf_cells(lambda v: True, range(6)), 2):
            row, k = a.t3[key], rng.randint(1, 3)
            text = self.set_cells((row, i, str(row.cells[i].value + k)))
            exp = [
                label("T301", a.row_lines(row), f"{key}行"),
                label("T303", a.t3_lines("total") | a.row_lines(row), f"{T3_COLUMNS[i]}列"),
            ]
            yield self.case(f"t301-leaf:{key}:{i}:+{k}", text, exp, "T301")
        # T301 in row 一: the row total and the column's 勾稽关系 break.
        i, k = rng.randrange(6), rng.randint(1, 3)
        row = a.t3["new"]
        text = self.set_cells((row, i, str(row.cells[i].value + k)))
        exp = [label("T301", a.row_lines(row)), label("T302", self.balance_lines(), f"{T3_COLUMNS[i]}列")]
        yield self.case(f"t301-new:{i}:+{k}", text, exp, "T301")
        # T302: move applications between two columns of a balance row (row totals stay right).
        moves = [
            (r, i, j)
            for r in ("new", "carried_over", "carry_next")
            for i in range(6)
            if a.t3[r].cells[i].value > 0
            for j in range(6)
            if j != i
        ]
        for key, src, dst in rng.sample(moves, 2):
            row = a.t3[key]
            k = rng.randint(1, row.cells[src].value)
            text = self.set_cells(
                (row, src, str(row.cells[src].value - k)), (row, dst, str(row.cells[dst].value + k))
            )
            exp = [label("T302", self.balance_lines(), f"{T3_COLUMNS[src]}列、{T3_COLUMNS[dst]}列")]
            yield self.case(f"t302:{key}:{src}->{dst}:{k}", text, exp, "T302")
        # T303: a leaf row grows consistently (cell and row total), (七)总计 does not follow.
        for key, i in rng.sample(self.leaf_cells(lambda v: True, range(6)), 2):
            row, k = a.t3[key], rng.randint(1, 3)
            text = self.set_cells((row, i, str(row.cells[i].value + k)), (row, 6, str(row.cells[6].value + k)))
            exp = [label("T303", a.t3_lines("total") | a.row_lines(row))]
            exp += self.x_label("X101", outcome_group(key), text, "正文的该项办理结果数与表格不再一致")
            yield self.case(f"t303:{key}:{i}:+{k}", text, exp, "T303")
        # T401: a block's part changed, its total not.
        block = self.pick(list(a.t4))
        i, k = rng.randrange(4), rng.randint(1, 2)
        row = a.t4[block]
        text = self.set_cells((row, i, str(row.cells[i].value + k)))
        may = []
        for st in ("no_review", "no_litigation"):
            if self.mention(st, text):
                may.append(label("X104", self.mention(st, text)))
        yield self.case(f"t401-part:{block}:{i}:+{k}", text, [label("T401", a.row_lines(row))], "T401", may)
        # T401 by the total: the prose that states the total no longer matches either.
        row = a.t4["review"]
        k = rng.randint(1, 2)
        text = self.set_cells((row, 4, str(row.cells[4].value + k)))
        exp = [label("T401", a.row_lines(row))] + self.x_label("X102", "review", text, "正文的行政复议数与表格总计不一致")
        exp += self.x_label("X104", "no_review", text, "正文说未发生行政复议，表格总计大于0")
        yield self.case(f"t401-total:review:+{k}", text, exp, "T401")

    # --- table 二 ---------------------------------------------------------------------------------
    def table2_defects(self) -> Iterator[Case]:
        a, t = self.a, self.text
        nd = a.t2["normative_docs"]
        text = t[: nd.label_start] + t[nd.label_start :].replace("行政规范性文件", "规范性文件", 1)
        may = [label("T201", self.section_lines(2, text)), label("T102", a.row_lines(nd))]
        yield self.case("f102-row-label", text, [label("F102", a.row_lines(nd))], "F102", may)
        h = t.find("本年制发件数", a.headings[2][1])
        text = t[:h] + "本年新制作数量" + t[h + len("本年制发件数") :]
        may = [label("T102", self.lines(text, h, h + 7)), label("T101", self.section_lines(2, text))]
        yield self.case("f102-column-label", text, [label("F102", self.lines(text, h, h + 7))], "F102", may)
        yield from self._t201()
        issued, repealed, _ = nd.values()
        if issued >= 1 and issued - repealed - 1 >= 0:
            text = self.set_cells((nd, 2, str(issued - repealed - 1)))
            yield self.case("t202", text, [label("T202", a.row_lines(nd))], "T202")
        elif self.tables:
            text = self.set_cells((nd, 0, "1"))
            exp = [label("T202", a.row_lines(nd))] + self.x_label("X103", "normative_docs", text, "制发件数变了")
            yield self.case("t202", text, exp, "T202")

    def _t201(self) -> Iterator[Case]:
        a, t = self.a, self.text
        cut = self._row_cut(a.t2["enforcement"])
        text = t[: cut[0]] + t[cut[1] :]
        exp = [label("T201", self.section_lines(2, text))]
        may = [label("X103", self.mention("enforcement", text))] if self.mention("enforcement", text) else []
        yield self.case("t201-row", text, exp, "T201", may)
        start = t.find("第二十条第（八）项", a.headings[2][1])
        if self.base.layout != "inline":
            start = t.rfind("\n", 0, start) + 1
        end = self._row_cut(a.t2["fees"])[1]
        text = t[:start] + t[end:]
        yield self.case("t201-subtable", text, [label("T201", self.section_lines(2, text))], "T201")

    def _row_cut(self, row: Row) -> tuple[int, int]:
        """The text of a row (label and cells), with its line break(s) in line layouts."""
        t = self.text
        if self.base.layout == "inline":
            return row.label_start, row.end
        start = t.rfind("\n", 0, row.label_start) + 1
        end = row.end
        while end < len(t) and t[end] == "\n":
            end += 1
            if self.base.layout == "tsv":
                break
        return start, end

    # --- labels ------------------------------------------------------------------------------------
    def label_defects(self) -> Iterator[Case]:
        t = self.text
        for op, old, new in (
            ("t102-repealed", "本年废止件数", "本年度止件数"),
            ("t102-denied-2", "2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开"),
        ):
            i = t.find(old, self.a.headings[2][1])
            text = t[:i] + new + t[i + len(old) :]
            yield self.case(op, text, [label("T102", self.lines(text, i, i + len(new)))], "T102")

    def unreadable_tables(self) -> Iterator[Case]:
        t, a = self.text, self.a
        for k in (2, 3, 4):
            s, e = a.table_span(k)
            if k == 4:  # keep the prose that follows table 四
                e = a.t4["litigation_after_review"].end
            sep = "" if self.base.layout == "inline" else "\n"
            text = t[:s] + sep + f"[image: 表格{k}]" + sep + t[e:]
            may = [label("T201", self.section_lines(2, text))] if k == 2 else []
            yield self.case(f"t101-image:{k}", text, [label("T101", self.section_lines(k, text))], "T101", may)
        s, e = a.headings[4][1], a.t4["litigation_after_review"].end
        text = t[:s] + t[e:]
        yield self.case("t101-empty:4", text, [label("T101", self.section_lines(4, text))], "T101")

    # --- sections ---------------------------------------------------------------------------------
    SECTION_MAY = {
        1: ("S106", "S107"),
        2: ("T101", "T201"),
        3: ("T101", "T304"),
        4: ("T101", "X104"),
        5: ("R501", "R502", "R503"),
        6: ("R601", "R602", "R603", "T304"),
    }

    def section_defects(self) -> Iterator[Case]:
        t, a = self.text, self.a
        for k in range(1, 7):
            s, e = a.section_span(k)
            text = t[:s] + t[e:]
            if k < 6:
                where = lines_of(text, HEADINGS[k + 1])
            else:
                m = LineMap(text)
                where = {1, m.line(s), m.line(len(text.rstrip()))}
            may = [label(c) for c in self.SECTION_MAY[k]] + [label("S104")]
            if _PERIOD.search(t, s, e):  # the period statement went with the section (sample 004's 六)
                may.append(label("S105"))
            yield self.case(f"s101-missing:{k}", text, [label("S101", where)], "S101", may)
        for x, y in ((5, 6), (2, 3)):
            (s1, e1), (s2, e2) = a.section_span(x), a.section_span(y)
            text = t[:s1] + t[s2:e2] + t[s1:e1] + t[e2:]
            where = lines_of(text, HEADINGS[x]) | lines_of(text, HEADINGS[y])
            may = [label("T101")] if x == 2 else []
            yield self.case(f"s101-order:{x}{y}", text, [label("S101", where)], "S101", may)

    # --- title, intro, 落款 -------------------------------------------------------------------------
    def document_defects(self) -> Iterator[Case]:
        t, a, rng = self.text, self.a, self.rng
        agency = self.base.facts.agency if self.base.facts else None
        agency = agency[0] if isinstance(agency, list) else agency
        if agency and t.lstrip().startswith(agency + str(self.year)):
            text = t.replace(agency, "", 1)
            yield self.case("s103-no-agency", text, [label("S103", {1})], "S103")
        i = t.find("国办公开办函〔2021〕30号")
        text = t.replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号", 1)
        yield self.case("f101-2019", text, [label("F101", self.lines(text, i, i + 15))], "F101")
        intro = set(range(1, a.heading_line(1) + 1))
        text = _CITATION.sub("", t, count=1)
        yield self.case("f101-none", text, [], None)  # citing no format notice is no finding (RULES.md F101)
        m = _PERIOD.search(t)
        text = t[: m.start()] + t[m.end() :]
        where = intro | {1} | LineMap(t).lines(m.start(), m.end())
        yield self.case("s105-none", text, [label("S105", where)], "S105")
        # The 落款.
        s, e, (y, mo, d), (ds, de) = a.signature
        sig = a.signature_lines()
        text = t[:s].rstrip() + "\n"
        where = {1, LineMap(text).line(len(text.rstrip()))} | self.section_lines(6, text)
        # S108 is opt-in: the case runs with the profile that enables it.
        yield self.case("s108-no-signature", text, [label("S108", where)], "S108", [label("P101")], profile="strict")
        deadline = dt.date(self.year + 1, *((3, 31) if self.level == "人民政府" else (1, 31)))
        late = deadline + dt.timedelta(days=rng.randint(1, 40))
        yield self.case(f"p101-late:{late}", self._date(late), [label("P101", sig)], "P101")
        early = dt.date(self.year, 12, rng.randint(1, 28))
        may = [label("Y101", sig | {1})]
        yield self.case(f"p101-early:{early}", self._date(early), [label("P101", sig)], "P101", may)
        later = dt.date(y + 1, mo, d)
        exp = [label("Y101", sig | {1}), label("P101", sig)]
        yield self.case(f"y101-signature-year:{later.year}", self._date(later), exp, "Y101")

    def _date(self, date: dt.date) -> str:
        ds, de = self.a.signature[3]
        return self.text[:ds] + f"{date.year}年{date.month}月{date.day}日" + self.text[de:]

    # --- all --------------------------------------------------------------------------------------
    def defects(self) -> Iterator[Case]:
        if self.tables:
            yield from self.table_defects()
            yield from self.table2_defects()
        yield from self.label_defects()
        yield from self.unreadable_tables()
        yield from self.section_defects()
        yield from self.document_defects()


def recipe_cases(base: BaseFile, text: str) -> Iterator[Case]:
    for r in base.recipes:
        mutated = text
        for old, new in r.replace:
            if old not in mutated:
                raise ValueError(f"{base.id}:{r.id}: replace target not found: {old!r}")
            mutated = mutated.replace(old, new, 1)
        yield Case(
            id=f"{base.id}:{r.id}",
            group="defect",
            text=mutated,
            expect=[resolve(e, mutated) for e in r.expect],
            may=[resolve(e, mutated) for e in r.may],
            base=base.id,
            op="recipe",
            rule=r.rule,
            profile=r.profile or base.profile,
            description=r.note,
        )


def generate(bases: list[BaseFile], seed: int = SEED) -> list[Case]:
    """Every base as a gold case, its clean variants, its generic defects and its recipes."""
    rng = random.Random(seed)
    out: list[Case] = []
    for base in bases:
        text = base.read_source()
        m = Mutator(base, text, rng)
        out.append(gold_case(base, "base", text))
        out += list(m.clean_variants())
        defects = list(m.defects()) + list(recipe_cases(base, text))
        for c in defects:
            if rng.random() < REENCODE_SHARE:
                c.encoding = rng.choice(["gb18030", "utf-16"])
                c.id += f"@{c.encoding}"
        out += defects
    return out
