"""Rules extraction of the report's metadata and required items (agency, level, year, period,
落款, intro parts, section 一 aspects, 工作考核/社会评议/责任追究, section 五 problems, measures and
rectification, section 六 fee statement and profile items).

Every fact quotes the source verbatim and carries its span; what the text does not say stays
absent (None or an empty list), never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from reviewer.extract import fee, items, problems
from reviewer.extract.text import cn_int, fact
from reviewer.lazyre import lazy
from schemas.common import Span
from schemas.document import Document
from schemas.facts import AgencyLevel, DateFact, IntFact, IntroParts, LevelFact, NarrativeFacts, PeriodFact, TextFact
from schemas.profile import Profile
from schemas.tables import Tables

# --- agency level: by the name's ending -------------------------------------------------------
_OTHER_END = lazy(r"(?:管理委员会|管委会|工作委员会|片区管理局|公司|集团|大学|学院|学校|医院)$")
_TOWNSHIP_END = lazy(r"(?:街道办事处|街道办|街道|[镇乡](?:人民)?政府|苏木|[镇乡])$")
_GOVERNMENT_END = lazy(r"(?:人民政府|政府)$")
_DEPARTMENT_END = lazy(
    r"(?:局|委员会|委|办公室|办|厅|部|署|院|中心|处|所|站|队|馆|室|管理处|事务中心|服务中心|分局)$"
)

# --- statistical period ---------------------------------------------------------------------
_DATE = r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_PERIOD = lazy(
    r"(?:统计|所列数据|数据)[^。]{0,16}?" + _DATE + r"\s*(?:起)?\s*(?:至|到|—|–|-|~|～)\s*"
    r"(?:(20\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:止)?"
)
# A whole year stated without "统计" ("涵盖2020年1月1日至2020年12月31日期间……").
_PERIOD_FULL_YEAR = lazy(
    r"(20\d{2})\s*年\s*(1)\s*月\s*(1)\s*日\s*(?:起)?\s*(?:至|到|—|–|-|~|～)\s*(?:(20\d{2})\s*年\s*)?(12)\s*月\s*(31)\s*日"
)
_PERIOD_YEAR = lazy(
    r"统计(?:期限|时限|时间|区间|期间|周期)[^。]{0,6}?(20\d{2})\s*年(?:度|\s*1\s*(?:月)?\s*[-—至到]\s*12\s*月|全年)"
)

# --- the intro's parts ----------------------------------------------------------------------
_INTRO_VERB = lazy(r"(?:包括|包含|涵盖(?=\s*(?:总体|概述|以下))|分为|分成|共分|由以下|由(?=[^。]{0,200}?(?:部分|版块|板块)(?:内容)?组成))")
_PART_COUNT = lazy(
    r"(?:共|等|计)?\s*(?P<n>[一二三四五六七八九十]{1,2}|\d{1,2})\s*(?:个|大)?\s*(?:部分|版块|板块|章节)(?:内容)?"
)
# The last part may be joined on by a conjunction ("……改进情况以及其他需要报告的事项", "……和存在的主要问题").
_JOIN = r"|(?:以及|和|及)(?=其他|其它|存在)"
_PART_SPLIT = lazy(r"[、；;，,]" + _JOIN)
_PART_SPLIT_STRONG = lazy(r"[；;]" + _JOIN)  # "总体情况；……被申请行政复议、提起行政诉讼情况；……"
_STRONG = lazy(r"[；;]")
_PART_END = lazy(r"(?:情况|事项|措施)$")
# Which statutory section a listed part names (order matters: 复议 before 申请, 问题 before 总体).
PART_KEYS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (4, lazy(r"复议|诉讼")),
    (5, lazy(r"问题|改进")),
    (6, lazy(r"其他|其它")),
    (1, lazy(r"总体")),
    (2, lazy(r"主动公开")),
    (3, lazy(r"申请")),
)
_YEAR = lazy(r"(?:19|20)\d{2}(?=\s*年)")


def part_key(part: str) -> int | None:
    """The statutory section (1–6) a part named in the intro refers to, or None."""
    for key, rx in PART_KEYS:
        if rx.search(part):
            return key
    return None


def fill(doc: Document, tables: Tables, facts: NarrativeFacts, profile: Profile | None = None) -> None:
    """Fill the metadata and required-item facts in place."""
    fill_metadata(doc, facts)
    items.fill(doc, facts, profile or _national())
    problems.fill(doc, facts)
    fee.fill(doc, facts)


@cache
def _national() -> Profile:
    from reviewer.profile import load_profile

    return load_profile("national")


def fill_metadata(doc: Document, facts: NarrativeFacts) -> None:
    facts.agency = agency_fact(doc)
    facts.level = level_fact(doc, facts.agency)
    if doc.title_span is not None:
        title = doc.text[doc.title_span.start : doc.title_span.end]
        m = _YEAR.search(title)
        if m:
            s = doc.title_span.start + m.start()
            facts.report_year = fact(doc, IntFact, s, s + 4, value=int(m.group()))
    facts.period = period_fact(doc)
    if facts.report_year is None and doc.year_source == "period" and facts.period is not None and facts.period.span:
        # no title line (a scraped body): the year the statistics period names
        m = _YEAR.search(doc.text, facts.period.span.start, facts.period.span.end)
        if m and int(m.group()) == doc.year:
            facts.report_year = fact(doc, IntFact, m.start(), m.end(), value=doc.year)
    facts.signature_date = signature_fact(doc)
    facts.intro_parts = intro_parts(doc)


def signature_fact(doc: Document) -> DateFact | None:
    sig = doc.signature
    if sig is None or sig.date is None or not sig.date_text:
        return None
    return fact(doc, DateFact, sig.span.end - len(sig.date_text), sig.span.end, value=sig.date)


def agency_fact(doc: Document) -> TextFact | None:
    if not doc.agency:
        return None
    for span in (doc.title_span, doc.signature.span if doc.signature else None):
        if span is None:
            continue
        pos = doc.raw.find(doc.agency, span.start, span.end)
        if pos != -1:
            return fact(doc, TextFact, pos, pos + len(doc.agency), value=doc.agency)
    pos = doc.raw.find(doc.agency)
    return fact(doc, TextFact, pos, pos + len(doc.agency), value=doc.agency) if pos != -1 else None


def agency_level(name: str) -> AgencyLevel:
    name = name.strip()
    if _OTHER_END.search(name):
        return AgencyLevel.OTHER
    if _TOWNSHIP_END.search(name):
        return AgencyLevel.TOWNSHIP
    if _GOVERNMENT_END.search(name):
        return AgencyLevel.GOVERNMENT
    if _DEPARTMENT_END.search(name):
        return AgencyLevel.DEPARTMENT
    return AgencyLevel.OTHER


def level_fact(doc: Document, agency: TextFact | None) -> LevelFact | None:
    if agency is None or agency.span is None:
        return None
    return fact(doc, LevelFact, agency.span.start, agency.span.end, value=agency_level(agency.value))


def _date(y: str | None, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d)) if y else None
    except ValueError:
        return None


def period_fact(doc: Document) -> PeriodFact | None:
    m = _PERIOD.search(doc.text) or _PERIOD_FULL_YEAR.search(doc.text)
    if m:
        y1, m1, d1, y2, m2, d2 = m.groups()
        return fact(doc, PeriodFact, m.start(), m.end(), start=_date(y1, m1, d1), end=_date(y2 or y1, m2, d2))
    m = _PERIOD_YEAR.search(doc.text)
    if m:
        y = int(m.group(1))
        return fact(doc, PeriodFact, m.start(), m.end(), start=dt.date(y, 1, 1), end=dt.date(y, 12, 31))
    return None


def _join_halves(parts: list[str]) -> list[str]:
    """Rejoin a part the list's 、 cut in two ("政府信息公开行政复议" + "行政诉讼情况"): a piece that does
    not end like a part name, followed by one naming the same section."""
    out: list[str] = []
    for p in parts:
        if out and not _PART_END.search(out[-1]) and part_key(out[-1]) is not None and part_key(out[-1]) == part_key(p):
            out[-1] = f"{out[-1]}、{p}"
        else:
            out.append(p)
    return out


def count_span(doc: Document, parts: IntroParts) -> Span | None:
    """Where the intro states its count of parts ("等六个部分"): within the fact's quote when it has a
    place, else in the intro."""
    where = parts.span or doc.intro_span
    for m in _PART_COUNT.finditer(doc.text, where.start, where.end):
        if cn_int(m.group("n")) == parts.count:
            return Span(start=m.start(), end=m.end())
    return None


def intro_parts(doc: Document) -> IntroParts | None:
    """The intro's "本报告包括……六个部分" sentence: the count it states and the parts it lists."""
    if not doc.sections:
        return None
    lo, hi = doc.intro_span.start, doc.intro_span.end
    text = doc.text
    for verb in _INTRO_VERB.finditer(text, lo, hi):
        end = text.find("。", verb.end(), hi)
        end = hi if end == -1 else end
        sentence = text[verb.end() : end]
        count_m = _PART_COUNT.search(sentence)
        count = cn_int(count_m.group("n")) if count_m else None
        listed = sentence
        if count_m:
            after = sentence[count_m.end() :].lstrip()
            if after[:1] in "：:" and len(after) > 4:
                listed = after[1:]  # "包括六个部分：总体情况；……"
            elif sum(part_key(p) is not None for p in _PART_SPLIT.split(sentence[: count_m.start()])) >= 3:
                listed = sentence[: count_m.start()]  # "包括A、B……等六个部分，并附……": the parts come first
            else:
                listed = sentence[: count_m.start()] + sentence[count_m.end() :]
        splitter = _PART_SPLIT_STRONG if _STRONG.search(listed) else _PART_SPLIT
        parts = _join_halves([p.strip().removesuffix("组成").removesuffix("等").strip() for p in splitter.split(listed)])
        parts = [p for p in parts if len(p) >= 2]
        mapped = [p for p in parts if part_key(p) is not None]
        if count is None and len(mapped) < 3:
            continue
        if len(mapped) < 3:
            parts = []
        start = verb.start()
        # Quote from the sentence's beginning (e.g. "本报告包括…").
        while start > lo and text[start - 1] not in "。\n":
            start -= 1
        return fact(doc, IntroParts, start, min(end + 1, hi), count=count, parts=parts)
    return None
