"""S102 and Q101: the numbering of headings and lists in the prose.

S102 — sub-headings inside the prose sections (一, 五, 六). Official documents number headings
一、 → （一） → 1. → （1）. Within each section the ordinals of a level must run 1, 2, 3… without
repeats or gaps, restarting under each new parent; a marker in the style of another level that
continues the running sequence ("（一）（二）（三）（4）") is a style slip; a top-level "X、" inside a
section is a sub-topic promoted to a section heading. One broken list is one finding: a list (the
siblings under one parent) is reported at its first wrong ordinal, and the promoted "X、" headings
of a section are reported once, together. Only markers at a line start count (Markdown "#"
allowed; inline lists are Q101's) — on a scraped page without line breaks, the parenthesised ones
after a full stop, colon or semicolon, with "1." there as a parent that restarts them (but is not
itself checked: there it is as often a list item as a heading); a scraped list that seems to start
at （二） is not reported, its （一） may be glued to the text before it — and the table sections
二–四 are skipped: their row labels ("一、本年新收……") are not headings.

Q101 — "一是…二是…" lists in the prose: ordinals skipped or repeated within one list. A list ends at
a new heading or numbered item (its parent), so "一是…二是" under "5.加强平台建设" is a new list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from schemas.plain import plain

from reviewer.document import body_parts
from reviewer.extract.prose import prose_pieces
from reviewer.extract.text import PLACEHOLDERS, cn_int
from reviewer.lazyre import lazy
from reviewer.rules.base import Context, Rule
from schemas.common import Confidence, Severity
from schemas.findings import Finding

PROSE_SECTIONS = (1, 5, 6)
TOP, CPAREN, ARABIC, APAREN = range(4)
_CN = "一二三四五六七八九十"
_ORDINALS = (
    r"(?:(?P<top>[一二三四五六七八九十]{1,3})、"
    r"|\((?P<cparen>[一二三四五六七八九十]{1,3})\)"
    r"|(?P<arabic>\d{1,2})\s*(?:、|\.(?!\d)|\.(?=(?:19|20)\d\d\s*年))"
    r"|\((?P<aparen>\d{1,2})\))"
)
_MARKER = lazy(r"^[ \t]*(?:#{1,6}[ \t]+)?" + PLACEHOLDERS + _ORDINALS, re.M)
# Scraped pages have no line breaks: there a heading starts after a full stop.
_INLINE_MARKER = lazy(r"(?<=[。：；:;])[ \t]*" + _ORDINALS)
_AT_START = lazy(r"[ \t]*" + _ORDINALS)


def cn(n: int) -> str:
    """1 -> 一, 12 -> 十二 (for messages)."""
    if n <= 10:
        return "零一二三四五六七八九十"[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


def show(family: int, n: int) -> str:
    return {TOP: f"{cn(n)}、", CPAREN: f"（{cn(n)}）", ARABIC: f"{n}.", APAREN: f"（{n}）"}[family]


@plain
class Marker:
    family: int
    value: int
    start: int
    end: int
    soft: bool = False  # a scraped page's "1." after a full stop: restarts deeper lists, is not checked
    scraped: bool = False  # read from a page without line breaks, where a first item may be glued to its text


def markers(text: str, lo: int, hi: int) -> list[Marker]:
    out = []
    inline = "\n" not in text[lo:hi].strip()
    if not inline:
        found = list(_MARKER.finditer(text, lo, hi))
    else:  # a scraped page: right after the section heading, or after a full stop
        first = _AT_START.match(text, lo, hi)
        found = ([first] if first else []) + list(_INLINE_MARKER.finditer(text, lo, hi))
    for m in found:
        family = next(i for i, g in enumerate(("top", "cparen", "arabic", "aparen")) if m.group(g))
        if inline and family == TOP:
            continue  # "一、" after a full stop is as often a list item as a heading
        value = cn_int(m.group(family + 1))
        if value:
            start = m.start() + len(m.group()) - len(m.group().lstrip(" \t#"))
            out.append(Marker(family, value, start, m.end(), soft=inline and family == ARABIC, scraped=inline))
    return out


@plain
class _Level:
    """An open level of headings: its style, the last ordinal seen, and which list it is."""

    family: int
    last: int
    id: int
    soft: bool = False  # the last marker was a scraped "1." (not checked)


def _next_sibling(marks: list[Marker], i: int) -> Marker | None:
    """The next marker of the same style before one of a higher level (a lower family number)."""
    for j in range(i + 1, len(marks)):  # (no slice: a copy per marker is quadratic on a huge page)
        mk = marks[j]
        if mk.family == marks[i].family:
            return mk
        if mk.family < marks[i].family:
            return None
    return None


class NumberingInconsistent(Rule):
    """小标题编号重复、跳号、样式混用，或把下级内容升格为一级标题。

    检查内容:
        第一、五、六部分内的小标题按“（一）→1.→（1）”分级编号，同级编号应连续（一、二、三……），不重复、不跳号，
        每遇上级标题重新从1开始。检查：重复或跳过的编号；同一序列中混入其他样式的编号（“（一）（二）（三）（4）”）；
        部分内出现“X、”形式的一级标题（下级内容升格为一级标题）。只检查行首的编号（可带Markdown的“#”；没有换行的
        网页文本中为句号后的编号，其中的“1.”只作为上级条目，其下的“（1）”重新编号）；表格所在的第二至四部分不检查。
        一组同级编号有错只报告一次（在第一处错误），一个部分内升格的“二、”“三、”……合并报告一次。

    依据:
        《党政机关公文格式》（GB/T 9704）结构层次序数：第一层“一、”，第二层“（一）”，第三层“1.”，第四层“（1）”。

    不合规示例:
        （三）强化支撑，提升政府信息管理水平
        （4） 倾心倾情，提升政府信息公开平台质效
        （五）筑牢基础，提升监督保障能力

    合规示例:
        （三）强化支撑，提升政府信息管理水平
        （四）倾心倾情，提升政府信息公开平台质效
        （五）筑牢基础，提升监督保障能力
    """

    code = "S102"
    name = "numbering-inconsistent"
    title = "小标题编号不规范"
    severity = Severity.WARNING
    groups = ("structure",)
    hint = "按“（一）→1.→（1）”的层次连续编号，同级使用同一样式。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        # the report's own parts numbered in sequence ("六、下一步改进举措" after "五、当前存在的突出问题",
        # "二、政务公开工作主要任务落实情况" between 一 and 三) are parts, not promoted sub-headings
        parts = {start for start, _, _, _ in body_parts(ctx.doc)}
        for key in PROSE_SECTIONS:
            s = ctx.doc.section(key)
            if s is not None:
                yield from self._section(ctx, key, markers(ctx.doc.text, s.body_span.start, s.body_span.end), parts)

    def _section(self, ctx: Context, key: int, marks: list[Marker], parts: set[int]) -> Iterator[Finding]:
        part = f"第{_CN[key - 1]}部分"
        tops = [mk for mk in marks if mk.family == TOP and mk.start not in parts]
        if tops:
            shown = "".join(f"“{show(TOP, mk.value)}”" for mk in tops)
            yield self.finding(
                ctx, f"{part}内出现一级标题样式的编号{shown}，下级内容不应使用“一、”级编号",
                at=tops[0].start, evidence=self._line(ctx, tops[0]),
            )
        stack: list[_Level] = []  # outermost first
        broken: set[int] = set()  # lists already reported: one finding per broken list
        ids = iter(range(1, 1 << 30))
        for i, mk in enumerate(marks):
            if mk.family == TOP:
                stack.clear()  # what follows a promoted heading is numbered under it
                continue
            found = self._place(part, mk, marks, i, stack, ids, ctx.doc.text)
            if found is not None and found[0] not in broken:
                broken.add(found[0])
                yield self.finding(ctx, found[1], at=mk.start, evidence=self._line(ctx, mk))

    @staticmethod
    def _line(ctx: Context, mk: Marker) -> str:
        # the quote is 60 characters: look no further for the line's end (a single-line page of
        # megabytes would otherwise be scanned and copied once per finding: quadratic)
        stop = min(len(ctx.doc.text), mk.start + 240)
        eol = ctx.doc.text.find("\n", mk.start, stop)
        return ctx.doc.quote((mk.start, stop if eol == -1 else eol), 60)

    def _place(
        self, part: str, mk: Marker, marks: list[Marker], i: int, stack: list[_Level], ids: Iterator[int],
        text: str,
    ) -> tuple[int, str] | None:
        """Put a marker on the stack of open levels; the problem it shows, as (list id, message)."""
        levels = [lv.family for lv in stack]
        if mk.family in levels:
            del stack[levels.index(mk.family) + 1 :]
            level = stack[-1]
            last, level.last, level.soft = level.last, mk.value, mk.soft
            if mk.value == last + 1 or mk.soft:
                return None
            if mk.value > last + 1 and _written_between(text, marks, i, last):
                return None  # "…答复数1条）（四）加强监督管理。（五）…": the skipped ordinal is there, mid-line
            nxt = _next_sibling(marks, i)
            # A mis-numbered heading takes the expected place when the next one follows from there.
            if nxt is not None and nxt.value == last + 2:
                level.last = last + 1
            return level.id, self._bad_sequence(part, mk, last)
        under_soft = bool(stack) and stack[-1].soft
        # A new, deeper level: should start at 1 — unless it continues an open sequence in another style.
        if mk.value != 1 and not mk.soft and not under_soft:
            slip = next((lv for lv in reversed(stack) if lv.last + 1 == mk.value and not lv.soft), None)
            if slip is not None:
                del stack[stack.index(slip) + 1 :]
                slip.last = mk.value
                return slip.id, (
                    f"{part}编号“{show(mk.family, mk.value)}”与同级的“{show(slip.family, 1)}”等样式不一致，"
                    f"应为“{show(slip.family, mk.value)}”"
                )
            level = _Level(mk.family, mk.value, next(ids))
            stack.append(level)
            if mk.scraped:  # the first item may be glued to the text before it ("…工作（一）…") and unseen
                return None
            return level.id, f"{part}编号从“{show(mk.family, mk.value)}”开始，缺少“{show(mk.family, 1)}”"
        # Under a scraped "1." the first child may have been glued to its text and missed: start anywhere.
        stack.append(_Level(mk.family, mk.value, next(ids), soft=mk.soft))
        return None

    def _bad_sequence(self, part: str, mk: Marker, last: int) -> str:
        f = mk.family
        if mk.value == last:
            return f"{part}编号“{show(f, mk.value)}”重复"
        if mk.value > last + 1:
            skipped = "、".join(f"“{show(f, v)}”" for v in range(last + 1, mk.value))
            return f"{part}编号跳号：“{show(f, last)}”之后是“{show(f, mk.value)}”，缺少{skipped}"
        return f"{part}编号顺序错乱：“{show(f, last)}”之后是“{show(f, mk.value)}”"


def _written_between(text: str, marks: list[Marker], i: int, last: int) -> bool:
    """Every ordinal skipped between the previous sibling (numbered ``last``) and marks[i] is written
    in the text between them, where it was not read as a heading (after a closing bracket, say)."""
    mk = marks[i]
    prev = next((m for m in reversed(marks[:i]) if m.family == mk.family and m.value == last), None)
    if prev is None:
        return False
    between = text[prev.end : mk.start].translate(_ASCII_BRACKETS)
    return all(show(mk.family, v).translate(_ASCII_BRACKETS) in between for v in range(last + 1, mk.value))


_ASCII_BRACKETS = str.maketrans("（）", "()")


# --- Q101: "一是…二是…" lists ------------------------------------------------------------------
_LIST_SEPARATORS = frozenset("；;，,、")  # "一是…；一是…" continues a list: the second 一是 repeats
_LIST_ORDINAL = lazy(r"(?<![\u4e00-\u9fff])(?P<n>十[一二三四五六七八九]?|[一二三四五六七八九])是")


def _parents(text: str, lo: int, hi: int) -> list[int]:
    """Where a heading or numbered item starts in a stretch of prose: at its start, or after a full
    stop (scraped pages: "……工作。5.加强平台建设一是……"). A list does not run across one."""
    first = _AT_START.match(text, lo, hi)
    return ([lo] if first else []) + [m.start() for m in _INLINE_MARKER.finditer(text, lo, hi)]


class ListOrdinalSkipped(Rule):
    """列举序号（一是、二是……）跳号或重复。

    检查内容:
        正文以“一是……二是……三是……”列举时，序号应连续。从“一是”开始的列举中出现跳号（一是……三是）、
        重复（三是……三是；“一是……；一是……”）或倒序，报告。每个部分单独计算；段首、冒号或句号后的
        “一是”开始新的列举；新的小标题或编号（“（二）”“5.加强平台建设”）开始新的上级条目，其下的列举
        重新计算；没有“一是”开头的序号不检查。一个列举有多处错误时只报告第一处。

    依据:
        公文写作惯例：以“一是、二是……”列举时序号连续，不跳号、不重复。

    不合规示例:
        一是加强组织领导……三是完善工作机制……

    合规示例:
        一是加强组织领导……二是完善工作机制……
    """

    code = "Q101"
    name = "list-ordinal-skipped"
    title = "列举序号跳号或重复"
    severity = Severity.INFO
    groups = ("writing",)
    confidence = Confidence.INFERRED
    hint = "按顺序编排“一是、二是、三是……”。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.doc.text
        section, prev, prev_piece, broken = None, 0, None, False
        for piece in prose_pieces(ctx.doc):
            if piece.section != section:
                section, prev = piece.section, 0
            parents = _parents(text, piece.start, piece.end)
            if parents and parents[0] == piece.start:
                prev = 0  # a paragraph under a new heading or numbered item: a new list
            last = piece.start
            for m in _LIST_ORDINAL.finditer(text, piece.start, piece.end):
                n = cn_int(m.group("n")) or 0
                if any(last < p < m.start() for p in parents):
                    prev = 0  # under a new heading or numbered item: a new list
                last = m.end()
                continued = prev > 0 and prev_piece is piece and text[m.start() - 1] in _LIST_SEPARATORS
                prev_piece = piece
                if (n == 1 and not continued) or prev == 0:
                    # "一是" starts a list (at a paragraph, a colon or a full stop); a list that does not
                    # open with "一是" is not checked
                    prev, broken = (1 if n == 1 else 0), False
                    continue
                if n == prev + 1:
                    prev = n
                    continue
                if n == prev:
                    msg = f"列举序号“{cn(n)}是”重复出现"
                elif n > prev:
                    gap = "、".join(f"“{cn(k)}是”" for k in range(prev + 1, n))
                    msg = f"列举序号从“{cn(prev)}是”跳到“{cn(n)}是”，缺少{gap}"
                else:
                    msg = f"列举序号“{cn(n)}是”出现在“{cn(prev)}是”之后"
                if not broken:  # one broken list, one finding
                    evidence = ctx.doc.quote((m.start(), min(piece.end, m.end() + 20)))
                    yield self.finding(ctx, msg, at=m.start(), evidence=evidence)
                broken, prev = True, max(prev, n)
