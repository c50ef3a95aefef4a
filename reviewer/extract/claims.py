"""Rules extraction of the numbers in the prose: totals with parts, shares, change rates, counts of
what the tables count, vague quantities, and categorical statements ("未发生行政复议")."""

from __future__ import annotations

from schemas.document import Document
from schemas.facts import NarrativeFacts
from schemas.tables import Tables


def fill(doc: Document, tables: Tables, facts: NarrativeFacts) -> None:
    """Fill ``facts.claims``, ``facts.vague`` and ``facts.statements`` in place."""
