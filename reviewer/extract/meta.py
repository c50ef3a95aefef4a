"""Rules extraction of the report's metadata and required items (agency, level, year, period,
落款, intro parts, section 一 aspects, 工作考核/社会评议/责任追究, section 五 problems, measures and
rectification, section 六 fee statement and profile items)."""

from __future__ import annotations

from schemas.document import Document
from schemas.facts import NarrativeFacts
from schemas.profile import Profile
from schemas.tables import Tables


def fill(doc: Document, tables: Tables, facts: NarrativeFacts, profile: Profile | None = None) -> None:
    """Fill the metadata and required-item facts in place."""
