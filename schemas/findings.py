"""A finding: what a rule reports. Built from fields so that its message is stable across runs."""

from __future__ import annotations

from pydantic import BaseModel, Field

from schemas.common import Confidence, Severity


class Finding(BaseModel):
    code: str = Field(description="Stable rule code from RULES.md, e.g. T302.")
    name: str = Field(description="The rule's name: the problem, not the fix.")
    severity: Severity
    message: str = Field(description="Chinese message naming the numbers or words involved.")
    line: int = 1
    column: int = 1
    page: int | None = Field(default=None, description="For paged inputs (.pdf): the page the line and column are on.")
    evidence: str = Field(default="", description="The source text the finding rests on, quoted.")
    hint: str = Field(default="", description="How to fix it.")
    confidence: Confidence = Confidence.CERTAIN
    extractor: str | None = Field(
        default=None,
        description="For findings that rest on narrative facts: which extractor produced them.",
    )

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line, self.column, self.code)
