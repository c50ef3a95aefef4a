"""S and Y/P rules on the report's metadata: title, intro parts, statistical period, 落款, years
and the publication deadline (issue: required content)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from reviewer.document import body_parts, body_start
from reviewer.extract import meta
from reviewer.extract.meta import part_key
from reviewer.extract.text import mask_titles
from reviewer.lazyre import lazy
from reviewer.rules.base import Context, Rule
from schemas.common import Severity
from schemas.document import SECTION_TITLES
from schemas.findings import Finding

_TITLE_YEAR = lazy(r"(?:19|20)\d{2}\s*年度?")
_TITLE_TAIL = lazy(r"政府信息公开(?:工作)?年度报告$|政府信息公开年报$")
_WS = lazy(r"\s+")


_READ = {
    "intro_parts": meta.intro_parts,
    "period": meta.period_fact,
    "signature_date": meta.signature_fact,
    "level": lambda doc: meta.level_fact(doc, meta.agency_fact(doc)),
}


def facts_or_text(ctx: Context, name: str):
    """A metadata fact, or — when another extractor left it out (an LLM need not fill what patterns
    settle) — the same fact read from the text, so these deterministic rules never depend on it."""
    value = getattr(ctx.facts, name)
    if value is not None or ctx.extractor == "rules":
        return value
    return _READ[name](ctx.doc)


def fmt_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def last_line_start(ctx: Context) -> int:
    """Where an item that closes the report (the 落款) belongs: the last non-blank line."""
    text = ctx.doc.text.rstrip()
    return text.rfind("\n") + 1


class TitleIncomplete(Rule):
    """标题未写明机关名称或年度。

    检查内容:
        报告标题应为“机关全称 + YYYY年（度）政府信息公开工作年度报告”。标题缺少机关名称或缺少年份的，报告此问题。
        标题折成两行（“2024 年上海市科委政府信息公开工作 / 年度报告”）、年份在机关名称之前、网页抓取的
        “标题: ……”均按标题识别；“政府信息公开年度报告”少了“工作”等措辞差异不报告；没有标题行
        （网页正文常不含标题）不报告。

    依据:
        国办公开办函〔2021〕30号年度报告格式；各地年度报告的通行做法。

    不合规示例:
        2022年政府信息公开工作年度报告（缺少机关名称）

    合规示例:
        青州市何官镇人民政府2022年政府信息公开工作年度报告
    """

    code = "S103"
    name = "title-incomplete"
    title = "标题不完整"
    severity = Severity.WARNING
    groups = ("structure", "metadata")
    hint = "标题写为“机关全称＋YYYY年度政府信息公开工作年度报告”。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.title is None or doc.title_span is None:
            return  # no title line: a scraped body often has none (RULES.md S103)
        title = _WS.sub("", doc.text[doc.title_span.start : doc.title_span.end])
        problems = []
        rest = _TITLE_TAIL.sub("", _TITLE_YEAR.sub("", title, count=1)).removeprefix("关于")
        if len(rest) < 2:
            problems.append("未写明机关名称")
        if not _TITLE_YEAR.search(title):
            problems.append("未写明报告年度")
        if problems:
            yield self.finding(
                ctx, f"标题“{doc.title}”{'，'.join(problems)}", at=doc.title_span, evidence=doc.title.replace("\n", " ")
            )


class IntroPartsMismatch(Rule):
    """引言所说的部分数量或列出的部分与正文不一致。

    检查内容:
        引言写明“本报告包括六个部分”或逐项列出各部分名称时，数量和名称应与正文的六个部分一致：
        引言所说的数量既不是六个、也与正文不符，或漏列了正文有的部分，报告此问题。正文缺少的部分由S101
        报告，这里不重复报告；“……以及其他需要报告的事项等六部分”的列法视为列出了全部六个部分。正文的部分数
        按正文自己的编号计（增加或拆分出第七部分的，正文有七个部分）；引言用正文的标题称呼某部分（“概述”）的，
        视为已列出。

    依据:
        国办公开办函〔2021〕30号年度报告格式（六个部分）。

    不合规示例:
        本报告包括五个部分：总体情况；主动公开政府信息情况；……（正文有六个部分）

    合规示例:
        全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和
        行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项，共六个部分。
    """

    code = "S104"
    name = "intro-parts-mismatch"
    title = "引言与正文的部分不一致"
    severity = Severity.WARNING
    groups = ("structure",)
    hint = "使引言的部分数量和名称与正文一致。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        intro = facts_or_text(ctx, "intro_parts")
        if intro is None or not ctx.doc.sections:
            return
        body = {s.key for s in ctx.doc.sections}
        parts = max(len(body_parts(ctx.doc)), len(body))  # as the body numbers them: seven when it adds one
        problems = []
        at = None
        # A section the body lacks is S101's finding: the intro announcing the six parts of the format
        # (by count or by name) is right, and is not reported again here.
        six = len(SECTION_TITLES)
        if intro.count is not None and intro.count != parts and not (intro.count == six and parts < six):
            problems.append(f"引言称包括{intro.count}个部分，正文有{parts}个部分")
            at = meta.count_span(ctx.doc, intro)  # the wrong words: the count
        listed = {k for k in (part_key(p) for p in intro.parts) if k is not None}
        # a part the intro names by the body's own heading ("由概述、…组成" and "一、概述") is listed
        listed |= {s.key for s in ctx.doc.sections for p in intro.parts if _names(p, s.heading)}
        if listed:
            unlisted = sorted(body - listed)
            if unlisted:
                problems.append("正文的" + "、".join(f"“{SECTION_TITLES[k][2:]}”" for k in unlisted) + "未在引言中列出")
        if problems and at is not None and len(problems) == 1:
            evidence = intro.quote or ctx.doc.quote(at)
            yield self.finding(ctx, problems[0], at=at, evidence=evidence, extractor=intro.extractor)
        elif problems:
            yield self.fact_finding(ctx, "；".join(problems), intro)


_ORDINAL_PREFIX = lazy(r"^[一二三四五六七八九十]\s*[、.]\s*")


def _names(part: str, heading: str) -> bool:
    """The intro's name of a part is the body's heading for it (one contains the other)."""
    words = _ORDINAL_PREFIX.sub("", heading.strip())
    part = part.strip()
    return len(part) >= 2 and len(words) >= 2 and (part in words or words in part)


class PeriodMissing(Rule):
    """未说明统计期限，或统计期限的年份与报告年度不一致。

    检查内容:
        报告应写明“本报告所列数据的统计期限自YYYY年1月1日至YYYY年12月31日”。没有这一说明，或其中的年份
        与报告年度（标题年份）不一致的，报告此问题。（标题、落款与正文的其他年份不一致由Y101报告。）

    依据:
        国办公开办函〔2021〕30号年度报告格式；各地年度报告的通行做法。

    不合规示例:
        XX县人民政府2022年政府信息公开工作年度报告 …… 本报告所列数据的统计期限自2021年1月1日至2021年12月31日。

    合规示例:
        本报告所列数据的统计期限自2022年1月1日至2022年12月31日。
    """

    code = "S105"
    name = "period-missing-or-wrong"
    title = "统计期限缺失或有误"
    severity = Severity.WARNING
    groups = ("metadata",)
    hint = "在引言中写明“本报告所列数据的统计期限自YYYY年1月1日至YYYY年12月31日”。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        doc, period = ctx.doc, facts_or_text(ctx, "period")
        if not doc.sections:
            return
        if period is None:
            # At the title — or, when the title is a scraped page's metadata, where the report begins.
            begin = body_start(doc)
            at = doc.title_span.start if doc.title_span and doc.title_span.start >= begin else begin
            at += len(doc.text[at:]) - len(doc.text[at:].lstrip())
            yield self.finding(ctx, "未说明本报告所列数据的统计期限（自YYYY年1月1日至YYYY年12月31日）", at=at)
            return
        year = ctx.year
        if year is None or doc.year_source == "period":
            return
        years = {d.year for d in (period.start, period.end) if d is not None}
        if years and years != {year}:
            shown = "、".join(f"{y}年" for y in sorted(years))
            yield self.fact_finding(ctx, f"统计期限的年份（{shown}）与报告年度{year}年不一致", period)


class SignatureMissing(Rule):
    """报告末尾没有落款（机关名称和日期）。

    检查内容:
        第六部分之后应有落款：发布机关的名称和成文日期。没有落款，或落款只有日期没有机关名称的，报告此问题。
        问题位置指向报告最后一行（落款应在的位置）。条例和年度报告格式都不要求落款，这是可选规则：默认不运行，
        用 --select S108 或 --profile strict 启用。

    依据:
        各地年度报告的通行做法（公文落款）。

    不合规示例:
        六、其他需要报告的事项
        本年度未收取信息处理费。
        （全文到此结束，没有机关名称和日期）

    合规示例:
        六、其他需要报告的事项
        本年度未收取信息处理费。
        临川市生态环境局
        2024年1月20日
    """

    code = "S108"
    name = "signature-missing"
    title = "缺少落款"
    severity = Severity.INFO
    opt_in = True  # neither the 条例 nor the 2021 format requires a 落款
    groups = ("metadata",)
    hint = "在报告末尾写明机关名称和成文日期。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        doc = ctx.doc
        if not doc.sections:
            return
        sig = doc.signature
        if sig is None:
            yield self.finding(ctx, "报告末尾没有落款（机关名称和成文日期）", at=last_line_start(ctx))
        elif not sig.agency:
            yield self.finding(
                ctx, f"落款只有日期“{sig.date_text}”，缺少机关名称", at=sig.span, evidence=sig.date_text or ""
            )


# Phrases of the body that carry the report year.
BODY_YEARS = (
    lazy(r"(20\d{2})\s*年度?(?:政府信息公开工作)?存在的?(?:主要)?问题"),
    lazy(r"(20\d{2})\s*年度?[^，。；\n]{0,12}?政府信息公开(?:工作)?(?:总体情况|工作情况|年度报告)"),
    lazy(r"现将(20\d{2})\s*年度?"),
)
_OPENING_YEAR = lazy(r"\s*(20\d{2})\s*年(?:度)?(?:以来)?[，,]")


class YearsDisagree(Rule):
    """标题、落款与正文的年份相互矛盾。

    检查内容:
        报告年度以标题年份为准（或 --year 指定）。落款年份应为报告年度的次年（或当年）；正文中指称本年度的
        表述——“YYYY年存在的主要问题”“YYYY年政府信息公开工作总体情况”“现将YYYY年度……报告如下”、第一部分
        开头的“YYYY年，”——年份应等于报告年度。不一致的报告此问题（多见于套用上年报告未改年份）。
        统计期限的年份由S105检查，上年度问题整改的年份由R503检查。

    依据:
        《中华人民共和国政府信息公开条例》第四十九条、第五十条。

    不合规示例:
        XX局2023年政府信息公开工作年度报告 …… 五、存在的主要问题及改进情况 （二）2022年存在的主要问题

    合规示例:
        XX局2023年政府信息公开工作年度报告 …… （二）2023年存在的主要问题 …… XX局 2024年1月20日
        （引用的文件名中的年份不是本报告的：“根据《……关于编制公布2021年政府信息公开工作年度报告有关事项的通知》
        要求，现编制完成2022年度……报告”不报告。）
    """

    code = "Y101"
    name = "years-disagree"
    title = "年份相互矛盾"
    severity = Severity.ERROR
    groups = ("metadata",)
    hint = "统一全文的年份：报告年度、正文中的“本年度”表述与落款年份应相互一致。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        doc, year = ctx.doc, ctx.year
        if year is None or not doc.sections:
            return
        sig = facts_or_text(ctx, "signature_date")
        if sig is not None and doc.year_source != "signature" and sig.value.year not in (year, year + 1):
            yield self.fact_finding(
                ctx, f"落款日期“{fmt_date(sig.value)}”与报告年度{year}年不符（应在{year + 1}年）", sig
            )
        yield from self._body(ctx, year)

    def _body(self, ctx: Context, year: int) -> Iterator[Finding]:
        # a year inside a cited document's name (《…关于编制公布2021年政府信息公开工作年度报告…的通知》) is
        # that document's, not this report's
        doc, text = ctx.doc, mask_titles(ctx.doc.text)
        regions = [(doc.intro_span.start, doc.intro_span.end)]
        regions += [(s.body_span.start, s.body_span.end) for s in doc.sections if s.key in (1, 5, 6)]
        seen: set[int] = set()
        for lo, hi in regions:
            for rx in BODY_YEARS:
                for m in rx.finditer(text, lo, hi):
                    if "整改" in text[m.end() : m.end() + 8] or m.start(1) in seen:
                        continue  # "2021年存在问题整改情况" is the previous year's, rightly (R503)
                    seen.add(m.start(1))
                    if int(m.group(1)) != year:
                        yield self.finding(
                            ctx, f"正文“{doc.raw[m.start():m.end()]}”的年份与报告年度{year}年不一致",
                            at=m.start(1), evidence=doc.quote((m.start(), m.end())),
                        )
        one = doc.section(1)
        if one is not None:
            m = _OPENING_YEAR.match(text, one.body_span.start, one.body_span.end)
            if m and int(m.group(1)) != year and m.start(1) not in seen:
                yield self.finding(
                    ctx, f"第一部分开头“{m.group().strip()}”的年份与报告年度{year}年不一致",
                    at=m.start(1), evidence=doc.quote((m.start(1), m.end())),
                )


class PublishedLate(Rule):
    """落款日期晚于法定公开期限，或早于统计期限结束。

    检查内容:
        落款日期应不晚于报告年度次年的公开期限：县级以上人民政府部门为1月31日，本级人民政府的年度报告为
        3月31日；乡镇街道及其他机关按配置（全国配置为1月31日）。机关层级按机关名称识别（“……局”为部门、
        “……县人民政府”为人民政府、“……镇人民政府”“……街道办事处”为乡镇街道），无法识别时按最晚期限。
        落款日期早于统计期限结束日的也报告。（落款年份与报告年度不符时，Y101同时报告年份矛盾。）

    依据:
        《中华人民共和国政府信息公开条例》第四十九条。

    不合规示例:
        临川市生态环境局（部门） …… 2024年2月20日

    合规示例:
        临川市生态环境局 2024年1月20日；成武县人民政府 2023年3月20日
    """

    code = "P101"
    name = "published-after-deadline"
    title = "公开日期不符合期限"
    severity = Severity.WARNING
    groups = ("metadata", "publication")
    uses_facts = True  # the agency level decides the deadline
    hint = "按条例第四十九条规定的期限公布年度报告，落款日期写实际成文日期。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        sig, year = facts_or_text(ctx, "signature_date"), ctx.year
        if sig is None or year is None or not ctx.profile.deadlines:
            return
        date = sig.value
        level_fact = facts_or_text(ctx, "level")
        level = level_fact.value.value if level_fact else None
        if level in ctx.profile.deadlines:
            month, day = ctx.profile.deadlines[level]
            who = f"{level}年度报告"
        else:
            month, day = max(ctx.profile.deadlines.values())
            who = "年度报告（机关层级未能识别，按最晚期限）"
        deadline = dt.date(year + 1, month, day)
        if date > deadline:
            yield self.fact_finding(
                ctx, f"落款日期{fmt_date(date)}晚于{who}的公开期限{fmt_date(deadline)}", sig
            )
            return
        period = facts_or_text(ctx, "period")
        end = period.end if period and period.end else dt.date(year, 12, 31)
        if date < end:
            yield self.fact_finding(ctx, f"落款日期{fmt_date(date)}早于统计期限结束日{fmt_date(end)}", sig)
