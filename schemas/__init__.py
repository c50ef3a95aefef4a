"""The records passed between the stages of report-reviewer (schemas/record.py: light classes,
with pydantic mirrors built on first use where validation or serialisation is the point).

This package imports nothing from ``reviewer``: it is the contract between ingest, parsing,
extraction, rules, output and the outside world (JSON output, LLM answers, eval datasets).
"""

from schemas.common import Confidence, Location, Severity, Span
from schemas.document import Document, Section, SectionKey, Signature
from schemas.findings import Finding
from schemas.tables import (
    Cell,
    CellKind,
    Table2,
    Table3,
    Table4,
    TableStatus,
    Tables,
)

SCHEMA_VERSION = 1

__all__ = [
    "SCHEMA_VERSION",
    "Cell",
    "CellKind",
    "Confidence",
    "Document",
    "Finding",
    "Location",
    "Section",
    "SectionKey",
    "Severity",
    "Signature",
    "Span",
    "Table2",
    "Table3",
    "Table4",
    "TableStatus",
    "Tables",
]
