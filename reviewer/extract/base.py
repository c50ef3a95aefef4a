"""The extractor interface. Extractors are injected into the engine (a constructor argument)."""

from __future__ import annotations

from typing import Protocol

from schemas.document import Document
from schemas.facts import NarrativeFacts
from schemas.output import Usage
from schemas.record import Record, field
from schemas.tables import Tables


class Extraction(Record):
    facts: NarrativeFacts = field(default_factory=NarrativeFacts)
    extractor: str = "rules"
    notices: list[str] = field(default_factory=list)
    usage: Usage | None = None


class Extractor(Protocol):
    name: str

    def extract(self, doc: Document, tables: Tables) -> Extraction: ...
