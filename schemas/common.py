"""Small shared types: severities, confidences, locations."""

from __future__ import annotations

from schemas.plain import plain
from enum import StrEnum

from schemas.record import Record


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def label(self) -> str:
        """The Chinese word used in summaries."""
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Confidence(StrEnum):
    """How sure a finding is (pylint's idea): arithmetic on parsed cells is certain,
    anything resting on reading prose is inferred."""

    CERTAIN = "certain"
    INFERRED = "inferred"


@plain(frozen=True, slots=True)
class Location:
    """A 1-based line and column in the input (columns count characters, not bytes).

    For .txt input the line is the physical line of the file. Other readers document what
    their line means (e.g. a paragraph or table-row index for .docx). A plain dataclass: one is
    made for every table cell, and pydantic models accept it as a field type.
    """

    line: int = 1
    column: int = 1


class Span(Record, frozen=True):
    """A half-open character range [start, end) in the normalised document text."""

    start: int
    end: int
