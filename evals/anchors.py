"""Where things are in a clean base report: lines, section headings, table cells, the 落款.

Deliberately independent of ``reviewer`` (the mutation labels must not come from the tool under
test), and deliberately simple: it only has to read the clean bases of this suite, which use the
canonical labels of the national format in one of three layouts (tab-separated rows, one cell per
line, everything on one line).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from schemas.document import SECTION_TITLES

HEADINGS = SECTION_TITLES  # the canonical headings (the spec's, not the reviewer's detection)

# Table 三: (row key, label) in order; group labels (None key) only bound the rows' value regions.
T3_MARKERS: list[tuple[str | None, str]] = [
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    (None, "三、本年度办理结果"),
    ("granted", "（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    (None, "（三）不予公开"),
    ("denied_1", "1.属于国家秘密"),
    ("denied_2", "2.其他法律行政法规禁止公开"),
    ("denied_3", "3.危及“三安全一稳定”"),
    ("denied_4", "4.保护第三方合法权益"),
    ("denied_5", "5.属于三类内部事务信息"),
    ("denied_6", "6.属于四类过程性信息"),
    ("denied_7", "7.属于行政执法案卷"),
    ("denied_8", "8.属于行政查询事项"),
    (None, "（四）无法提供"),
    ("unable_1", "1.本机关不掌握相关政府信息"),
    ("unable_2", "2.没有现成信息需要另行制作"),
    ("unable_3", "3.补正后申请内容仍不明确"),
    (None, "（五）不予处理"),
    ("rejected_1", "1.信访举报投诉类申请"),
    ("rejected_2", "2.重复申请"),
    ("rejected_3", "3.要求提供公开出版物"),
    ("rejected_4", "4.无正当理由大量反复申请"),
    ("rejected_5", "5.要求行政机关确认或重新出具已获取信息"),
    (None, "（六）其他处理"),
    ("other_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_3", "3.其他"),
    ("total", "（七）总计"),
    ("carry_next", "四、结转下年度继续办理"),
]
T3_LEAVES = [k for k, _ in T3_MARKERS if k and k not in ("new", "carried_over", "total", "carry_next")]
T3_BALANCE = ("new", "carried_over", "total", "carry_next")
T3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

T2_MARKERS: list[tuple[str | None, str]] = [
    (None, "第二十条第（一）项"),
    ("regulations", "规章"),
    ("normative_docs", "行政规范性文件"),
    (None, "第二十条第（五）项"),
    ("licensing", "行政许可"),
    (None, "第二十条第（六）项"),
    ("penalty", "行政处罚"),
    ("enforcement", "行政强制"),
    (None, "第二十条第（八）项"),
    ("fees", "行政事业性收费"),
]
T4_BLOCKS = ["review", "litigation_direct", "litigation_after_review"]

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def outcome_group(row: str) -> str:
    """The outcome group a table 三 row belongs to (granted, partial, denied, unable, rejected, other)."""
    return row.split("_")[0]


@dataclass
class Cell:
    raw: str
    start: int
    end: int

    @property
    def value(self) -> int | float:
        return float(self.raw) if "." in self.raw else int(self.raw)


@dataclass
class Row:
    key: str
    label_start: int
    label_end: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.cells[-1].end if self.cells else self.label_end

    def values(self) -> list[int | float]:
        return [c.value for c in self.cells]


class LineMap:
    """1-based line numbers of offsets in a text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def lines(self, start: int, end: int) -> set[int]:
        return set(range(self.line(start), self.line(max(start, end - 1)) + 1))


class Anchors(LineMap):
    """Offsets and lines of a base report's parts."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.headings: dict[int, tuple[int, int]] = {}
        pos = 0
        for k, h in HEADINGS.items():
            i = text.find(h, pos)
            if i != -1:
                self.headings[k] = (i, i + len(h))
                pos = i + len(h)

    @cached_property
    def signature(self) -> tuple[int, int, tuple[int, int, int], tuple[int, int]]:
        return self._signature()

    @cached_property
    def t2(self) -> dict[str, Row]:
        return self._rows(T2_MARKERS, self.headings[2][1], self.headings[3][0])

    @cached_property
    def t3(self) -> dict[str, Row]:
        return self._rows(T3_MARKERS, self.headings[3][1], self.headings[4][0])

    @cached_property
    def t4(self) -> dict[str, Row]:
        return self._table4()

    def complete(self) -> Anchors:
        """Check that every part a base needs is found (raises ValueError otherwise)."""
        missing = [HEADINGS[k] for k in HEADINGS if k not in self.headings]
        if missing:
            raise ValueError(f"headings not found: {missing}")
        _ = self.signature, self.t2, self.t3, self.t4
        return self

    # --- lines --------------------------------------------------------------------------------
    def heading_line(self, k: int) -> int:
        return self.line(self.headings[k][0])

    def section_span(self, k: int) -> tuple[int, int]:
        """From heading k to the next heading (or to the 落款 for 六)."""
        start = self.headings[k][0]
        following = [self.headings[j][0] for j in self.headings if j > k]
        if following:
            return start, min(following)
        try:
            return start, self.signature[0]
        except ValueError:
            return start, len(self.text)

    def last_line(self) -> int:
        return self.line(len(self.text.rstrip()))

    # --- tables -------------------------------------------------------------------------------
    def _rows(self, markers: list[tuple[str | None, str]], start: int, end: int) -> dict[str, Row]:
        found: list[tuple[str | None, int, int]] = []
        pos = start
        for key, label in markers:
            i = self.text.find(label, pos, end)
            if i == -1:
                raise ValueError(f"table label not found: {label}")
            found.append((key, i, i + len(label)))
            pos = i + len(label)
        rows: dict[str, Row] = {}
        for n, (key, s, e) in enumerate(found):
            if key is None:
                continue
            stop = found[n + 1][1] if n + 1 < len(found) else end
            row = Row(key, s, e)
            row.cells = [Cell(m.group(), e + m.start(), e + m.end()) for m in NUMBER.finditer(self.text[e:stop])]
            rows[key] = row
        return rows

    def _table4(self) -> dict[str, Row]:
        start, end = self.headings[4][1], self.headings[5][0]
        cells = [Cell(m.group(), start + m.start(), start + m.end()) for m in NUMBER.finditer(self.text[start:end])]
        cells = cells[:15]
        out = {}
        for b, key in enumerate(T4_BLOCKS):
            block = cells[b * 5 : b * 5 + 5]
            out[key] = Row(key, block[0].start if block else start, block[0].start if block else start, block)
        return out

    def row_lines(self, row: Row) -> set[int]:
        return self.lines(row.label_start, row.end)

    def t3_lines(self, *keys: str) -> set[int]:
        out: set[int] = set()
        for k in keys:
            out |= self.row_lines(self.t3[k])
        return out

    def table_span(self, k: int) -> tuple[int, int]:
        """The body of section k (2, 3 or 4) up to the next heading: where its table stands."""
        return self.headings[k][1], self.headings[k + 1][0]

    # --- the 落款 -------------------------------------------------------------------------------
    def _signature(self) -> tuple[int, int, tuple[int, int, int], tuple[int, int]]:
        """(start, end, (y, m, d), date span) of the closing agency name and date."""
        tail_from = self.headings[6][1] if 6 in self.headings else max(0, len(self.text) - 300)
        dates = list(DATE.finditer(self.text, tail_from))
        if not dates:
            raise ValueError("no 落款 date")
        m = dates[-1]
        if self.text[m.end() :].strip():
            raise ValueError("the 落款 date does not close the report")
        # The agency: the line above, or the text after the last sentence end on the same line.
        line_start = self.text.rfind("\n", 0, m.start()) + 1
        before = self.text[line_start : m.start()]
        if before.strip():
            cut = max(before.rfind("。"), before.rfind("；"))
            start = line_start + cut + 1
        else:
            prev_end = line_start - 1
            while prev_end > 0 and self.text[prev_end - 1] in " \t\n":
                prev_end -= 1
            start = self.text.rfind("\n", 0, prev_end) + 1
        ymd = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return start, m.end(), ymd, (m.start(), m.end())

    def signature_lines(self) -> set[int]:
        return self.lines(self.signature[0], self.signature[1])


def lines_of(text: str, needle: str) -> set[int]:
    """The lines of the first occurrence of ``needle``."""
    i = text.find(needle)
    if i == -1:
        raise ValueError(f"anchor not found in the mutated text: {needle!r}")
    return LineMap(text).lines(i, i + len(needle))


def replace_spans(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping (start, end, new) edits."""
    for s, e, new in sorted(edits, key=lambda x: x[0], reverse=True):
        text = text[:s] + new + text[e:]
    return text


def row_splits(digits: str, n: int, identity) -> int:
    """How many ways the digit run can be cut into n valid numbers satisfying ``identity`` (capped at 2).
    Used to flatten only rows whose run-together digits stay unambiguous."""
    count = 0

    def rec(s: str, k: int, acc: tuple[int, ...]) -> None:
        nonlocal count
        if count > 1:
            return
        if k == 1:
            if s and (s == "0" or s[0] != "0") and identity(acc + (int(s),)):
                count += 1
            return
        if s.startswith("0"):
            rec(s[1:], k - 1, acc + (0,))
            return
        for i in range(1, len(s) - k + 2):
            rec(s[i:], k - 1, acc + (int(s[:i]),))

    rec(digits, n, ())
    return count
