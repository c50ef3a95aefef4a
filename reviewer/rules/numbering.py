"""S102: the numbering of sub-headings inside the prose sections (一, 五, 六).

Official documents number headings 一、 → （一） → 1. → （1）. Within each section the ordinals of a
level must run 1, 2, 3… without repeats or gaps, restarting under each new parent; a marker in the
style of another level that continues the running sequence ("（一）（二）（三）（4）") is a style
slip; a top-level "X、" inside a section is a sub-topic promoted to a section heading. A wrong
ordinal is reported once: when the next one continues from where it should have been ("（一）（二）
（二）（四）"), it was a mis-numbered heading; otherwise the sequence goes on from it. Only markers at
a line start count (inline lists are Q101's) — on a scraped page without line breaks, the
parenthesised ones after a full stop — and the table sections 二–四 are skipped: their row labels ("一、本年新收……") are not
headings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from reviewer.extract.text import PLACEHOLDERS, cn_int
from reviewer.rules.base import Context, Rule
from schemas.common import Severity
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
_MARKER = re.compile(r"^[ \t]*" + PLACEHOLDERS + _ORDINALS, re.M)
# Scraped pages have no line breaks: there a heading starts after a full stop.
_INLINE_MARKER = re.compile(r"(?<=。)[ \t]*" + _ORDINALS)
_AT_START = re.compile(r"[ \t]*" + _ORDINALS)


def cn(n: int) -> str:
    """1 -> 一, 12 -> 十二 (for messages)."""
    if n <= 10:
        return "零一二三四五六七八九十"[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


def show(family: int, n: int) -> str:
    return {TOP: f"{cn(n)}、", CPAREN: f"（{cn(n)}）", ARABIC: f"{n}.", APAREN: f"（{n}）"}[family]


@dataclass
class Marker:
    family: int
    value: int
    start: int
    end: int


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
        if inline and family in (TOP, ARABIC):
            continue  # "2." or "一、" after a full stop is as often a list item or a date as a heading
        value = cn_int(m.group(family + 1))
        if value:
            out.append(Marker(family, value, m.start() + len(m.group()) - len(m.group().lstrip()), m.end()))
    return out


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
        部分内出现“X、”形式的一级标题（下级内容升格为一级标题）。只检查行首的编号（没有换行的网页文本中为句号后的
        编号）；表格所在的第二至四部分不检查。一处编号错误只报告一次。

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
    severity = Severity.WARNING
    groups = ("structure",)
    hint = "按“（一）→1.→（1）”的层次连续编号，同级使用同一样式。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for key in PROSE_SECTIONS:
            s = ctx.doc.section(key)
            if s is not None:
                yield from self._section(ctx, key, markers(ctx.doc.text, s.body_span.start, s.body_span.end))

    def _section(self, ctx: Context, key: int, marks: list[Marker]) -> Iterator[Finding]:
        part = f"第{_CN[key - 1]}部分"
        stack: list[list[int]] = []  # [family, last value], outermost first
        for i, mk in enumerate(marks):
            # the quote is 60 characters: look no further for the line's end (a single-line page of
            # megabytes would otherwise be scanned and copied once per marker: quadratic)
            stop = min(len(ctx.doc.text), mk.start + 240)
            eol = ctx.doc.text.find("\n", mk.start, stop)
            line = ctx.doc.quote((mk.start, stop if eol == -1 else eol), 60)
            if mk.family == TOP:
                yield self.finding(
                    ctx, f"{part}内出现一级标题样式的编号“{show(TOP, mk.value)}”，下级内容不应使用“一、”级编号",
                    at=mk.start, evidence=line,
                )
                continue
            levels = [f for f, _ in stack]
            if mk.family in levels:
                del stack[levels.index(mk.family) + 1 :]
                last = stack[-1][1]
                if mk.value != last + 1:
                    yield self._bad_sequence(ctx, part, mk, last, line)
                    nxt = _next_sibling(marks, i)
                    # A mis-numbered heading takes the expected place when the next one follows from there.
                    stack[-1][1] = last + 1 if nxt is not None and nxt.value == last + 2 else mk.value
                else:
                    stack[-1][1] = mk.value
                continue
            # A new, deeper level: should start at 1 — unless it continues an open sequence in another style.
            if mk.value != 1:
                slip = next((e for e in reversed(stack) if e[1] + 1 == mk.value), None)
                if slip is not None:
                    del stack[stack.index(slip) + 1 :]
                    yield self.finding(
                        ctx,
                        f"{part}编号“{show(mk.family, mk.value)}”与同级的“{show(slip[0], 1)}”等样式不一致，"
                        f"应为“{show(slip[0], mk.value)}”",
                        at=mk.start, evidence=line,
                    )
                    slip[1] = mk.value
                    continue
                yield self.finding(
                    ctx, f"{part}编号从“{show(mk.family, mk.value)}”开始，缺少“{show(mk.family, 1)}”",
                    at=mk.start, evidence=line,
                )
            stack.append([mk.family, mk.value])

    def _bad_sequence(self, ctx: Context, part: str, mk: Marker, last: int, line: str) -> Finding:
        f = mk.family
        if mk.value == last:
            msg = f"{part}编号“{show(f, mk.value)}”重复"
        elif mk.value > last + 1:
            skipped = "、".join(f"“{show(f, v)}”" for v in range(last + 1, mk.value))
            msg = f"{part}编号跳号：“{show(f, last)}”之后是“{show(f, mk.value)}”，缺少{skipped}"
        else:
            msg = f"{part}编号顺序错乱：“{show(f, last)}”之后是“{show(f, mk.value)}”"
        return self.finding(ctx, msg, at=mk.start, evidence=line)
