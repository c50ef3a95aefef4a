"""The document model: normalised text with a line map, title, sections and 落款."""

from __future__ import annotations

import bisect
import datetime as dt
from enum import IntEnum

from schemas.common import Location, Span
from schemas.record import Record, field


class SectionKey(IntEnum):
    """The six statutory sections, numbered as in the national format."""

    OVERVIEW = 1  # 一、总体情况
    PROACTIVE = 2  # 二、主动公开政府信息情况
    APPLICATIONS = 3  # 三、收到和处理政府信息公开申请情况
    REVIEW_LITIGATION = 4  # 四、政府信息公开行政复议、行政诉讼情况
    PROBLEMS = 5  # 五、存在的主要问题及改进情况
    OTHER = 6  # 六、其他需要报告的事项

    @property
    def title(self) -> str:
        return SECTION_TITLES[self]

    @property
    def ordinal(self) -> str:
        return "一二三四五六"[self - 1]


SECTION_TITLES: dict[int, str] = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


class Section(Record):
    key: SectionKey
    heading: str = field(description="The heading as written in the report.")
    heading_span: Span
    body_span: Span = field(description="From the end of the heading to the next section or the 落款.")
    inferred: bool = field(
        default=False,
        description="No heading was found; the section was located by its content (the heading was lost, "
        "e.g. in a conversion). ``heading`` is then empty and ``heading_span`` empty at the content's start.",
    )


class Signature(Record):
    """The 落款 after section 六: the agency's name and the date."""

    agency: str | None = None
    date: dt.date | None = None
    date_text: str | None = None
    span: Span


class Document(Record):
    """A report as text. ``text`` is normalised character-for-character from ``raw`` (full-width
    digits, letters, parentheses and spaces folded to ASCII, NBSP to space), so offsets, lines and
    columns are the same in both: findings point into the original file, evidence quotes ``raw``.
    """

    path: str
    raw: str
    text: str
    encoding: str = "utf-8"
    format: str = "txt"
    title: str | None = None
    title_span: Span | None = None
    agency: str | None = None
    year: int | None = None
    year_source: str | None = field(default=None, description="title | period | signature | option")
    sections: list[Section] = field(default_factory=list)
    signature: Signature | None = None
    notices: list[str] = field(default_factory=list)

    __slots__ = ("_line_starts",)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._line_starts = starts

    # --- locations -------------------------------------------------------------------------
    def location(self, offset: int) -> Location:
        starts = self._line_starts  # hot path: every table cell
        offset = max(0, min(offset, len(self.text)))
        i = bisect.bisect_right(starts, offset) - 1
        return Location(i + 1, offset - starts[i] + 1)

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_text(self, line: int) -> str:
        """The raw text of a 1-based line."""
        start = self._line_starts[line - 1]
        end = self.raw.find("\n", start)
        return self.raw[start : end if end != -1 else len(self.raw)]

    def quote(self, span: Span | tuple[int, int], limit: int = 120) -> str:
        start, end = (span.start, span.end) if isinstance(span, Span) else span
        if end - start > 4 * limit:  # copy only what is shown (a span may be a whole section)
            head = self.raw[start : start + 2 * limit].lstrip()
            if len(head) > limit:
                return head[: limit - 1] + "…"
            start = end - len(self.raw[start:end].lstrip())  # a long blank run: rare, copied once
        s = self.raw[start:end].strip()
        return s if len(s) <= limit else s[: limit - 1] + "…"

    # --- sections --------------------------------------------------------------------------
    def section(self, key: int) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def section_text(self, key: int) -> str:
        s = self.section(key)
        return self.text[s.body_span.start : s.body_span.end] if s else ""

    @property
    def intro_span(self) -> Span:
        start = self.title_span.end if self.title_span else 0
        end = self.sections[0].heading_span.start if self.sections else len(self.text)
        return Span(start=min(start, end), end=end)
