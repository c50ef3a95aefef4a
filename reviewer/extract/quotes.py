"""Locate a quoted fact in the source: the check behind "every fact carries a verbatim quote"."""

from __future__ import annotations

import re

from reviewer.ingest import normalize
from schemas.common import Span
from schemas.document import Document

_WS = re.compile(r"\s+")


def find_quote(doc: Document, quote: str, start: int = 0) -> Span | None:
    """The span of ``quote`` in the document, or None. Whitespace differences are tolerated and
    full-width forms fold as in ingest; nothing else is (a paraphrase is not a quote)."""
    q = normalize(quote).strip()
    if not q:
        return None
    pos = doc.text.find(q, start)
    if pos == -1 and start:
        pos = doc.text.find(q)
    if pos != -1:
        return Span(start=pos, end=pos + len(q))
    parts = [re.escape(p) for p in _WS.split(q) if p]
    if not parts:
        return None
    # Allow any whitespace (including none) between the quote's characters' runs.
    rx = re.compile(r"\s*".join(re.escape(ch) for ch in "".join(_WS.split(q))))
    m = rx.search(doc.text, start) or (rx.search(doc.text) if start else None)
    return Span(start=m.start(), end=m.end()) if m else None
