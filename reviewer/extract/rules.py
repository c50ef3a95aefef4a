"""The rules extractor (the offline default): fills the narrative schemas with patterns tuned on
real phrasing. It is honest about what it could not find: an absent fact is absent, not guessed."""

from __future__ import annotations

from reviewer.extract import claims, meta
from reviewer.extract.base import Extraction
from schemas.document import Document
from schemas.facts import NarrativeFacts
from schemas.profile import Profile
from schemas.tables import Tables


class RulesExtractor:
    name = "rules"

    def __init__(self, profile: Profile | None = None) -> None:
        self.profile = profile

    def extract(self, doc: Document, tables: Tables) -> Extraction:
        facts = NarrativeFacts()
        meta.fill(doc, tables, facts, self.profile)
        claims.fill(doc, tables, facts)
        return Extraction(facts=facts, extractor=self.name)
