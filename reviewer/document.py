"""Text to Document: title, agency, year, the six sections and the 落款.

Heading detection is tolerant: the heading variants of FORMAT.md, full/half-width ordinals (folded by
ingest), and headings inline in one long line (scraped pages have no line breaks).
"""

from __future__ import annotations

import datetime as dt
import re

from reviewer.ingest import normalize
from schemas.common import Span
from schemas.document import Document, Section, SectionKey, Signature

# The keyword part of each statutory heading, with the prefixes seen in real reports.
SECTION_KEYWORDS: dict[int, str] = {
    1: r"(?:政府信息公开工作)?总体情况",
    2: r"(?:行政机关)?主动公开政府信息(?:的)?(?:工作)?情况",
    3: r"(?:行政机关)?收到和处理政府信息公开申请(?:的)?情况",
    4: r"(?:因政府信息公开(?:工作)?被申请|政府信息公开)?行政复议\s*[、和及与,，]?\s*(?:提起)?行政诉讼(?:的)?情况",
    5: r"(?:政府信息公开工作)?存在的?主要问题(?:及|和|以及|与)改进(?:情况|措施)?",
    6: r"其他需要报告的事项",
}
ORDINALS = "一二三四五六"
_HEADING = {
    key: re.compile(r"(?P<ord>[一二三四五六])\s*[、.,，]\s*(?P<kw>" + kw + r")")
    for key, kw in SECTION_KEYWORDS.items()
}
# A reader's stand-in for content it could not read (a scanned page, garbled fonts).
UNREADABLE = re.compile(r"\[不可机读[:：][^\]\n]*\]")
_TITLE_TAIL = re.compile(r"政府信息公开(?:工作)?年度报告|政府信息公开年报")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_DATE = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_AGENCY_END = re.compile(
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
        m = re.search(r"统计(?:期限|时限|时间|区间)[^。\n]{0,12}?(20\d{2})\s*年\s*1\s*月\s*1\s*日", text)
        if m:
            doc.year, doc.year_source = int(m.group(1)), "period"
        elif doc.signature and doc.signature.date:
            doc.year, doc.year_source = doc.signature.date.year - 1, "signature"
    return doc


def _position_score(text: str, start: int) -> int:
    """How heading-like a match position is: 2 at a line start (or after a placeholder), 1 after
    sentence punctuation or a digit (scraped text), 0 mid-sentence."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
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
            if best is None or score > best[0]:
                best = (score, m.start(), m.end())
            if score == 2:
                break
        if best is not None:
            found.append((best[1], best[2], key, text[best[1] : best[2]]))
    found.sort()
    sections = []
    for i, (start, end, key, heading) in enumerate(found):
        body_end = found[i + 1][0] if i + 1 < len(found) else len(text)
        sections.append(
            Section(
                key=SectionKey(key),
                heading=heading,
                heading_span=Span(start=start, end=end),
                body_span=Span(start=end, end=max(end, body_end)),
            )
        )
    return sections


def _find_title(doc: Document, limit: int) -> None:
    text = doc.text
    head = text[:limit]
    m = _TITLE_TAIL.search(head)
    if not m:
        return
    line_start = text.rfind("\n", 0, m.start()) + 1
    # In scraped text the title shares its line with the intro: cut at the sentence before it.
    cut = max(text.rfind(ch, line_start, m.start()) for ch in "。；")
    start = cut + 1 if cut >= line_start else line_start
    title_line = text[start : m.end()].strip()
    agency_part = _YEAR.split(title_line, maxsplit=1)[0].strip()
    span_start = start + (len(text[start : m.end()]) - len(text[start : m.end()].lstrip()))
    if not agency_part and start == line_start:
        # The agency may stand alone on the line above ("青州市王府街道办事处" / "2022年…年度报告").
        prev_end = line_start - 1
        while prev_end > 0 and text[prev_end - 1] in " \t\n":
            prev_end -= 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        prev = text[prev_start:prev_end].strip()
        if prev and len(prev) <= 40 and _AGENCY_END.search(prev) and not text[:prev_start].strip():
            agency_part = prev
            span_start = prev_start + (len(text[prev_start:prev_end]) - len(text[prev_start:prev_end].lstrip()))
    doc.title = doc.raw[span_start : m.end()].strip()
    doc.title_span = Span(start=span_start, end=m.end())
    if agency_part:
        doc.agency = doc.raw[text.find(agency_part, span_start) :][: len(agency_part)].strip()
    ym = _YEAR.search(title_line)
    if ym:
        doc.year, doc.year_source = int(ym.group(1)), "title"


def find_signature(doc: Document) -> Signature | None:
    """The 落款: a date (and usually the agency's name just above it) closing the report."""
    text = doc.text
    tail_start = doc.sections[-1].body_span.start if doc.sections else max(0, len(text) - 300)
    tail = text[tail_start:]
    stripped_end = len(tail.rstrip())
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


def unreadable_where(doc: Document, key: int) -> list[re.Match[str]]:
    """The not-machine-readable stand-ins in the stretch where section ``key`` belongs (between the
    sections before and after it that were found): the section may be on those pages."""
    before = [s for s in doc.sections if s.key < key]
    after = [s for s in doc.sections if s.key > key]
    start = before[-1].heading_span.end if before else 0
    end = after[0].heading_span.start if after else len(doc.text)
    return list(UNREADABLE.finditer(doc.text, start, max(start, end)))
