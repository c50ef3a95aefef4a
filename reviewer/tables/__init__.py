"""The statutory tables, parsed from the document text into the canonical models of schemas.tables.

Readers of structured formats (.docx, .html, .pdf tables) may supply tables of their own; the text
parsers here are used for whatever they leave unset.
"""

from __future__ import annotations

from reviewer.tables.table2 import parse_table2
from reviewer.tables.table3 import parse_table3
from reviewer.tables.table4 import parse_table4
from schemas.document import Document
from schemas.tables import Tables


def parse_tables(doc: Document) -> Tables:
    return Tables(t2=parse_table2(doc), t3=parse_table3(doc), t4=parse_table4(doc))


__all__ = ["parse_tables", "parse_table2", "parse_table3", "parse_table4"]
