"""A finding: what a rule reports. Built from fields so that its message is stable across runs."""

from __future__ import annotations

from schemas.common import Confidence, Severity
from schemas.record import Record, field


class Finding(Record):
    code: str = field(description="Stable rule code from RULES.md, e.g. T302.")
    name: str = field(description="The rule's name: the problem, not the fix.")
    severity: Severity
    message: str = field(description="Chinese message naming the numbers or words involved.")
    line: int = 1
    column: int = 1
    page: int | None = field(default=None, description="For paged inputs (.pdf): the page the line and column are on.")
    evidence: str = field(default="", description="The source text the finding rests on, quoted.")
    hint: str = field(default="", description="How to fix it.")
    confidence: Confidence = Confidence.CERTAIN
    extractor: str | None = field(
        default=None,
        description="For findings that rest on narrative facts: which extractor produced them.",
    )

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line, self.column, self.code)
