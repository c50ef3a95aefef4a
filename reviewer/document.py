"""Text to Document: title, agency, year, the six sections and the 落款.

Heading detection is tolerant: the heading variants of FORMAT.md, full/half-width ordinals (folded by
ingest), and headings inline in one long line (scraped pages have no line breaks).
"""

from __future__ import annotations

import datetime as dt
import re

from reviewer.ingest import normalize
from reviewer.lazyre import lazy
from schemas.common import Span
from schemas.document import Document, Section, SectionKey, Signature

# The keyword part of each statutory heading, with the prefixes and slips seen in real reports
# ("行政法复议", "存在的主要问题及整改措施", "存在的不足和改进方向").
SECTION_KEYWORDS: dict[int, str] = {
    1: r"(?:政府信息公开工作)?总体情况",
    2: r"(?:行政机关)?主动公开政府信息(?:的)?(?:工作)?情况",
    3: r"(?:行政机关)?收到和处理政府信息公开申请(?:的)?情况",
    4: r"(?:因政府信息公开(?:工作)?被申请|政府信息公开)?行政法?复议\s*[、和及与,，]?\s*(?:提起)?行政诉讼(?:的)?情况",
    5: r"(?:政府信息公开(?:工作)?)?(?:存在的?)?(?:主要)?(?:问题|不足)(?:和不足)?(?:及|和|以及|与)[^\n。，,；;]{0,8}?"
    r"(?:改进|整改|工作计划|工作打算|工作思路|努力方向)(?:情况|措施|方向|举措|计划|打算)?",
    6: r"其他需要报告的事项|需要(?:说明|报告)的其他事项|其他需(?:要)?(?:说明|报告)的?事项",
}
ORDINALS = "一二三四五六"
# A part may be numbered past 六 when a report adds parts of its own ("二、政务公开工作主要任务落实情况"
# shifts "其他需要报告的事项" to 七) or splits one ("五、当前存在的突出问题" / "六、下一步改进举措").
# "一、总体情况", or "第一部分 总体情况" / "第一部分：总体情况" (a 部分 is its own separator).
_ORD_SEP = r"(?:第\s*(?P<ord1>[一二三四五六七八])\s*(?P<part>部分)\s*[：:、.，,]?|(?P<ord>[一二三四五六七八])\s*(?P<sep>[、.,，]?))"
_HEADING = {key: lazy(_ORD_SEP + r"\s*(?P<kw>" + kw + r")") for key, kw in SECTION_KEYWORDS.items()}
# A top-level part's heading, whatever its words: "五、当前存在的突出问题", "第五部分" (not "（五）", "第五、"
# of a list, "五是").
_PART = lazy(
    r"第\s*(?P<ord1>[一二三四五六七八九十])\s*部分\s*[：:、.，,]?\s*|(?<![（(〔\[【第])(?P<ord>[一二三四五六七八九十])\s*[、.](?![0-9])"
)
# Where a part's heading ends in scraped text that runs on into the body.
_PART_HEADING_END = lazy(r"[。，,；;：:（(\s0-9]|20\d\d")
_HEADING_WORD = lazy(r"情况|问题|不足|措施|举措|事项|成效|概述|概况|计划|打算|方向")
# Table 三's row labels are numbered like parts ("四、结转下年度继续办理"): never a part.
_TABLE_ROW = lazy(r"\s*(?:本年新收|上年结转|本年度?办理结果|结转下年度)")
# What a part's heading says it holds, for a part the statutory headings do not name.
_PART_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (6, lazy(r"其他[^。，]{0,6}事项|需要?(?:说明|报告)的?(?:其他)?事项")),
    (4, lazy(r"复议|诉讼")),
    (3, lazy(r"申请")),
    (2, lazy(r"主动公开")),
    (5, lazy(r"问题|不足|短板|差距|改进|整改|举措|下一步|工作计划|工作打算|努力方向")),
    (1, lazy(r"总体|概述|概况|基本情况|成效|工作情况")),
)
# Section 五 whose heading was lost (a PDF conversion): its first sub-heading names the problems or
# their improvement ("（一）主要问题", "（一）2024 年工作中存在问题的改进情况") at a line start after table 四.
_LOST_FIVE = lazy(
    r"^[ \t#]*(?:\(一\)|1[.、])[ \t]*[^\n。]{0,20}?(?:存在的?(?:主要)?问题|主要问题|不足|改进情况|整改情况)", re.M
)
# A scraped page's metadata header ("标题: …", "发布时间: …", "==== 正文 ====") before the report itself.
_CRAWL_LINE = lazy(
    r"[ \t]*(?:(?:标题|发布时间|文号|发布机构|栏目|原文链接|本地目录|单位|来源|采集时间)[ \t]*[:：][^\n]*"
    r"|页面链接与图片详见[^\n]*|=+[ \t]*正文[ \t]*=+[ \t]*)(?:\n|$)"
)
# Section 六's content under a heading named by it ("五、信息处理费收取情况") where 六 is missing.
FEE_HEADING = lazy(r"[五六七]\s*[、.]\s*(?:收取)?信息(?:公开)?处理费[^。\n]{0,10}?情况")
# What follows the 落款 on a web page or a 公文 and is not the report's text.
_PAGE_FURNITURE = lazy(
    r"(?:附件下载|扫一扫在手机上查看当前页面|文字解读|图片解读|H5解读|视频解读|打印本页|关闭窗口|【打印】|【关闭】"
    r"|[（(]此件[^）)\n]{0,12}[）)]|[（(]联系人[^）)\n]{0,60}[）)]|抄送[:：][^\n]{0,120}?。"
    r"|[^\s。；]{2,30}\s*20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发)\s*$"
)
# A reader's stand-in for content it could not read (a scanned page, garbled fonts).
UNREADABLE = lazy(r"\[不可机读[:：][^\]\n]*\]")
# The title's tail; a title may be broken over two lines ("…政府信息公开工作\n年度报告").
_TITLE_TAIL = lazy(r"政府信息公开\s*(?:工作\s*)?年\s*度\s*报\s*告|政府信息公开\s*年\s*报")
# A scraped page's metadata label before the title ("标题: …", "名称\t…").
_TITLE_LABEL = lazy(r"(?:标题|名称|题目)[ \t]*[:：\t][ \t]*")
# Words and marks that put a title-like phrase inside a sentence or another label, not a title line.
_NOT_TITLE = lazy(r"[。，,；;:：《》〈〉]|印发|现将|根据|按照|依据|编制|公布")
# What follows a title-like phrase that is the subject of a sentence in the intro, not a title.
_SENTENCE_GOES_ON = lazy(r"[ \t]*(?:由|包括|包含|分为|共分|共有|是|已|于|的(?!函|通知|报告|请示)|将|[，,、])")
_ABOUT = lazy(r"关于(?:报送|印发|公布|发布)?$")
_MARKDOWN = lazy(r"[ \t]*#{1,6}[ \t]+")
_YEAR = lazy(r"(20\d{2}|19\d{2})\s*年")
_DATE = lazy(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A name's first half before a space ("平潭综合实验区 自然资源局"): the space is inside the name.
_PLACE_END = lazy(r"(?:省|市|县|区|州|盟|旗|镇|乡|街道)$")
_AGENCY_END = lazy(
    r"(?:人民政府|政府|办事处|局|委员会|委|办公室|办|厅|部|院|署|中心|管委会|管理委员会|所|站|队|馆|会|处|室|公司|集团)$"
)


def build_document(
    raw: str,
    path: str,
    *,
    encoding: str = "utf-8",
    fmt: str = "txt",
    year: int | None = None,
) -> Document:
    """Build the document model from decoded text (LF newlines)."""
    text = normalize(raw)
    doc = Document(path=path, raw=raw, text=text, encoding=encoding, format=fmt)
    doc.sections = find_sections(text)
    first = doc.sections[0].heading_span.start if doc.sections else min(len(text), 400)
    _find_title(doc, first)
    doc.signature = find_signature(doc)
    if doc.signature and doc.sections:
        last = doc.sections[-1]
        if doc.signature.span.start >= last.body_span.start:
            doc.sections[-1] = last.model_copy(
                update={"body_span": Span(start=last.body_span.start, end=doc.signature.span.start)}
            )
    if year is not None:
        doc.year, doc.year_source = year, "option"
    if doc.agency is None and doc.signature and doc.signature.agency:
        doc.agency = doc.signature.agency
    if doc.year is None:
        m = re.search(r"统计(?:期限|时限|时间|区间|周期|期间)[^。]{0,12}?(20\d{2})\s*年\s*1\s*月\s*1\s*日", text)
        if m:
            doc.year, doc.year_source = int(m.group(1)), "period"
        elif doc.signature and doc.signature.date:
            doc.year, doc.year_source = doc.signature.date.year - 1, "signature"
    return doc


def _position_score(text: str, start: int) -> int:
    """How heading-like a match position is: 2 at a line start (or after a placeholder or a Markdown
    "#"), 1 after sentence punctuation or a digit (scraped text), 0 mid-sentence."""
    i = start - 1
    while i >= 0 and text[i] in " \t#":
        i -= 1
    if i < 0 or text[i] in "\n]】>":
        return 2
    if text[i] in "。；;：:!！?？" or text[i].isdigit():
        return 1
    return 0


def find_sections(text: str) -> list[Section]:
    found: list[tuple[int, int, int, str]] = []
    for key, rx in _HEADING.items():
        best: tuple[int, int, int] | None = None
        for m in rx.finditer(text):
            score = _position_score(text, m.start())
            if not m.group("sep") and not m.group("part") and score == 0:
                continue  # "一总体情况" without its 顿号 is a heading only where a heading may start
            if best is None or score > best[0]:
                best = (score, m.start(), m.end())
            if score == 2:
                break
        if best is not None:
            found.append((best[1], best[2], key, text[best[1] : best[2]]))
    found.sort()
    found = _variant_parts(text, found)
    lost = _lost_five(text, found)
    if lost is not None:
        found = sorted([*found, (lost, lost, 5, "")])
    sections = []
    for i, (start, end, key, heading) in enumerate(found):
        body_end = found[i + 1][0] if i + 1 < len(found) else len(text)
        sections.append(
            Section(
                key=SectionKey(key),
                heading=heading,
                heading_span=Span(start=start, end=end),
                body_span=Span(start=end, end=max(end, body_end)),
                inferred=not heading,
            )
        )
    return sections


def _parts(text: str, found: list[tuple[int, int, int, str]]) -> list[tuple[int, int, int, str]]:
    """The report's top-level parts in order: (start, end, number, heading). The statutory headings
    found by their words are the anchors; between two anchors (and before the first, after the last)
    the numbers they skip are looked for in order at heading positions ("二、政务公开工作主要任务落实
    情况" between "一、总体情况" and "三、主动公开政府信息情况"; "一、年度工作核心成效" before "二、主动
    公开…"; "六、下一步改进举措"、"七、其他需说明事项" after "五、…"). A number is never looked for where
    the anchors leave no gap, so table 三's "四、结转下年度继续办理" between 三 and 四 is never a part."""
    anchors = sorted(
        (start, end, _ord_at(text, start), heading) for start, end, _, heading in found if _ord_at(text, start)
    )
    if not anchors:
        return []
    lo = _header_end(text)
    parts: list[tuple[int, int, int, str]] = []
    pos, n = lo, 0
    for anchor in [*anchors, None]:
        stop = anchor[0] if anchor else len(text)
        want_until = anchor[2] if anchor else 99
        if n + 1 < want_until:
            for m in _PART.finditer(text, pos, stop):
                value = ORD_VALUE[m.group("ord") or m.group("ord1")]
                if value != n + 1 or _position_score(text, m.start()) == 0 or _TABLE_ROW.match(text, m.end()):
                    continue
                cut = _PART_HEADING_END.search(text, m.end(), min(stop, m.end() + 30))
                end = cut.start() if cut else min(stop, m.end() + 30)
                last = None  # "五、当前存在的突出问题过去一年中": the heading ends with its last heading word
                for last in _HEADING_WORD.finditer(text, m.end(), end):
                    pass
                end = last.end() if last is not None else end
                if end - m.end() < 2:
                    continue  # a bare "五、" before a number or a bracket: a list item, not a heading
                if anchor is None and last is None:
                    continue  # past the last statutory heading only a part that says what it holds
                parts.append((m.start(), end, value, text[m.start() : end]))
                n = value
                if n + 1 >= want_until:
                    break
        if anchor is None:
            break
        parts.append(anchor)
        pos, n = anchor[1], anchor[2]
    return parts


ORD_VALUE = {ch: i for i, ch in enumerate("一二三四五六七八九十", 1)}


def _ord_at(text: str, start: int) -> int:
    """The number of the part whose heading starts at ``start`` ("五、…", "第五部分…"), 0 if none."""
    m = _ORD_AT.match(text, start)
    return ORD_VALUE[m.group(1)] if m else 0


_ORD_AT = lazy(r"第?\s*([一二三四五六七八九十])")


def _variant_parts(text: str, found: list[tuple[int, int, int, str]]) -> list[tuple[int, int, int, str]]:
    """The statutory sections under headings of their own words, among the report's numbered parts: a
    part that stands where a missing section belongs (after every section before it, before every
    section after it) and whose words name that section — "一、概述", "三、依申请公开政府信息情况",
    "五、当前存在的突出问题" (a next "六、下一步改进举措" is then the same section's), "七、其他需说明
    事项". The first part before 二, whatever its words ("一、年度工作核心成效"), is 总体情况."""
    keys = {k for _, _, k, _ in found}
    if len(keys) == 6 or not keys & {2, 3, 4}:
        return found
    anchored = {start for start, _, _, _ in found}
    out = list(found)
    for start, end, value, heading in _parts(text, found):
        if start in anchored:
            continue
        words = text[start:end]
        named = [k for k, rx in _PART_WORDS if rx.search(words)]
        first = value == 1 and min(keys) == 2 and start < min(s for s, _, _, _ in out)
        key = 1 if first else next((k for k in named if k not in keys and _in_place(out, k, start)), None)
        if key is not None and key not in keys:
            out.append((start, end, key, heading))
            keys.add(key)
    return sorted(out)


def _in_place(found: list[tuple[int, int, int, str]], key: int, pos: int) -> bool:
    """``pos`` is after every found section that comes before ``key`` and before every one after it."""
    return all(start < pos if k < key else start > pos for start, _, k, _ in found)


def body_parts(doc: Document) -> list[tuple[int, int, int, str]]:
    """The report's top-level parts as numbered in its body (see ``_parts``): seven when a report
    adds or splits one. A section located by its content alone (its heading lost) counts as one."""
    found = [(s.heading_span.start, s.heading_span.end, int(s.key), s.heading) for s in doc.sections if not s.inferred]
    return _parts(doc.text, found) + [(s.body_span.start, s.body_span.start, int(s.key), "") for s in doc.sections
                                      if s.inferred]  # fmt: skip


def _lost_five(text: str, found: list[tuple[int, int, int, str]]) -> int | None:
    """Where section 五 begins when its heading is missing but its content is there: the first
    problems/improvement sub-heading after section 四's heading (三's when 四 is missing too) and
    before section 六's."""
    keys = {k for _, _, k, _ in found}
    if 5 in keys or not keys & {3, 4}:
        return None
    after = max(end for _, end, k, _ in found if k in (3, 4))
    before = min((start for start, _, k, _ in found if k == 6), default=len(text))
    m = _LOST_FIVE.search(text, after, before)
    return None if m is None else m.start() + len(m.group()) - len(m.group().lstrip(" \t#"))


def _find_title(doc: Document, limit: int) -> None:
    """The title: a line naming the report ("…年度政府信息公开工作年度报告", possibly broken over two
    lines); failing that, the title at a scraped line's start before the intro, then a scraped
    page's "标题: …" metadata. A phrase inside a sentence ("《关于印发…年度报告格式的通知》") is no title."""
    text = doc.text
    best: tuple[int, int, re.Match[str]] | None = None
    for m in _TITLE_TAIL.finditer(text, 0, limit):
        line_start = text.rfind("\n", 0, m.start()) + 1
        # In scraped text the title shares its line with the intro: cut at the sentence before it.
        cut = max(text.rfind(ch, line_start, m.start()) for ch in "。；")
        start = cut + 1 if cut >= line_start else line_start
        md = _MARKDOWN.match(text, start)
        start = md.end() if md else start
        label = _TITLE_LABEL.match(text, start)
        start = label.end() if label else start
        before = text[start : m.start()]
        eol = text.find("\n", m.end())
        after = text[m.end() : len(text) if eol == -1 else eol].strip()
        if _NOT_TITLE.search(before) or len(before.strip()) > 80 or after.startswith("格式"):
            continue
        if _SENTENCE_GOES_ON.match(text, m.end()):
            continue  # "2021年度政府信息公开工作年度报告由总体情况…组成": the subject of a sentence
        score = 1 if label else 3 if not after else 2
        if best is None or score > best[0]:
            best = (score, start, m)
    if best is None:
        return
    _, start, m = best
    line_start = text.rfind("\n", 0, start) + 1
    start += len(text[start : m.end()]) - len(text[start : m.end()].lstrip())
    title_line = text[start : m.end()]
    agency_part, span_start = _title_agency(text, title_line, start, m.start(), line_start)
    doc.title = doc.raw[span_start : m.end()].strip()
    doc.title_span = Span(start=span_start, end=m.end())
    agency_part = _ABOUT.sub("", agency_part)  # "XX局关于2021年度……年度报告", "XX局关于报送……的函"
    if agency_part:
        doc.agency = doc.raw[text.find(agency_part, span_start) :][: len(agency_part)].strip()
    ym = _YEAR.search(title_line)
    if ym:
        doc.year, doc.year_source = int(ym.group(1)), "title"


def _title_agency(text: str, title_line: str, start: int, tail: int, line_start: int) -> tuple[str, int]:
    """The agency a title names, and where the title starts: before the year ("XX局2023年…"), after
    it ("2024 年上海市科委政府信息公开工作年度报告"), or alone on the line above ("青州市王府街道办事处" /
    "2022年…年度报告")."""
    parts = _YEAR.split(title_line, maxsplit=1)
    agency_part = parts[0].strip()
    if agency_part or len(parts) == 1:
        return agency_part, start
    between = text[start : tail]
    ym = _YEAR.search(between)
    after_year = re.sub(r"\s+", "", between[ym.end() :]) if ym else ""
    if 2 <= len(after_year) <= 40 and _AGENCY_END.search(after_year):
        return between[ym.end() :].strip(), start
    if start == line_start:
        prev_end = line_start - 1
        while prev_end > 0 and text[prev_end - 1] in " \t\n":
            prev_end -= 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        prev = text[prev_start:prev_end].strip()
        if prev and len(prev) <= 40 and _AGENCY_END.search(prev) and not text[:prev_start].strip():
            return prev, prev_start + (len(text[prev_start:prev_end]) - len(text[prev_start:prev_end].lstrip()))
    return "", start


def _end_before_page_furniture(tail: str) -> int:
    """Where the report's text ends, before what a web page or a 公文 adds after the 落款 ("附件下载",
    "（此件主动公开）", "抄送：……", "XX办公室 2023年1月9日印发", "扫一扫在手机上查看当前页面")."""
    end = len(tail.rstrip())
    while (m := _PAGE_FURNITURE.search(tail, 0, end)) is not None:
        end = len(tail[: m.start()].rstrip())
    return end


def _name_after_space(cand: str) -> str:
    """Scraped text runs the 落款 on after the last section, apart by a space ("六、其他需要报告的事项无
    平潭综合实验区自然资源与生态环境局"): the name is the words after the space — with the words before it
    that end like a place ("临川市 生态环境局")."""
    words = list(re.finditer(r"\S+", cand))
    if len(words) < 2 or not _AGENCY_END.search(words[-1].group()):
        return cand
    i = len(words) - 1
    while i > 0 and _PLACE_END.search(words[i - 1].group()) and len(words[i - 1].group()) <= 12:
        i -= 1
    name = cand[words[i].start() :]  # the spacing as written: the name is found again in the text
    return name if len("".join(name.split())) >= 4 else cand


def find_signature(doc: Document) -> Signature | None:
    """The 落款: a date (and usually the agency's name just above it) closing the report."""
    text = doc.text
    tail_start = doc.sections[-1].body_span.start if doc.sections else max(0, len(text) - 300)
    tail = text[tail_start:]
    stripped_end = _end_before_page_furniture(tail)
    dates = list(_DATE.finditer(tail, 0, stripped_end))
    if not dates:
        return None
    m = dates[-1]
    # The date must close the document: nothing but whitespace or punctuation after it.
    if tail[m.end() : stripped_end].strip(" \t\n。.") :
        return None
    date_start = tail_start + m.start()
    try:
        date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        date = None
    # The agency: on the same line before the date, or on the line above.
    line_start = text.rfind("\n", 0, date_start) + 1
    before = text[line_start:date_start].strip()
    agency = None
    start = date_start
    if before:
        cut = max(before.rfind(ch) for ch in "。；;：:")
        cand = before[cut + 1 :].strip()
        cand = _name_after_space(cand)
        if 2 <= len(cand) <= 40 and _AGENCY_END.search(cand):
            agency = cand
            start = text.rfind(cand, line_start, date_start)
        elif len(before) > 40 or cut >= 0:
            # A date inside a sentence ("…于2023年1月17日召开…") is not a 落款.
            if not (len(cand) == 0):
                return None
    else:
        prev_end = line_start - 1
        while prev_end > 0 and text[prev_end - 1] in " \t\n":
            prev_end -= 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        cand = text[prev_start:prev_end].strip()
        if 2 <= len(cand) <= 40 and _AGENCY_END.search(cand):
            agency = cand
            start = prev_start + (len(text[prev_start:prev_end]) - len(text[prev_start:prev_end].lstrip()))
    end = tail_start + m.end()
    return Signature(
        agency=doc.raw[start : start + len(agency)] if agency else None,
        date=date,
        date_text=doc.raw[date_start:end],
        span=Span(start=start, end=end),
    )


def body_start(doc: Document) -> int:
    """Where the report begins: after a scraped page's metadata header, if it has one (else 0)."""
    return _header_end(doc.text)


def _header_end(text: str) -> int:
    pos = 0
    while (m := _CRAWL_LINE.match(text, pos)) and m.end() > pos:
        pos = m.end()
    return pos


def unreadable_where(doc: Document, key: int) -> list[re.Match[str]]:
    """The not-machine-readable stand-ins in the stretch where section ``key`` belongs (between the
    sections before and after it that were found): the section may be on those pages."""
    before = [s for s in doc.sections if s.key < key]
    after = [s for s in doc.sections if s.key > key]
    start = before[-1].heading_span.end if before else 0
    end = after[0].heading_span.start if after else len(doc.text)
    return list(UNREADABLE.finditer(doc.text, start, max(start, end)))


def not_a_report(doc: Document) -> str | None:
    """Why ``doc`` is not a 政府信息公开工作年度报告 at all (D001), in Chinese; None when it is one.

    A report has its title or its statutory sections. A title (or a line naming a report) with none
    of the six sections is a document about reports (a README, a list of sources, a notice); without
    a title, sections quoted out of order or only two or three of them are notes about the format;
    and a text naming no agency, no year and no title is a blank template."""
    keys = [s.key for s in doc.sections]
    if doc.title is None and not keys:
        return "既无“政府信息公开工作年度报告”标题，也没有六个法定部分的标题"
    if not keys:
        return "只提到年度报告，没有六个法定部分中任何一个部分的标题"
    if doc.title is None:
        if len(set(keys)) < 4 or keys != sorted(keys):
            return "没有报告标题，六个法定部分的标题只零散出现（不足四个或顺序不符），像是关于报告的说明"
        if doc.agency is None and doc.year is None:
            return "没有报告标题、机关名称和年度，像是空白的格式模板"
    return None
