"""Where a finding is, as every format writes it: ``line:column``, and for a paged input (PDF) the
page too — a line of a PDF is a paragraph index that nobody can find, the page is what one looks up."""

from __future__ import annotations

from typing import Any


def _get(f: Any, key: str) -> Any:
    return f.get(key) if isinstance(f, dict) else getattr(f, key)


def page_note(f: Any) -> str:
    """After a message: "（第3页）", or nothing for an input without pages."""
    page = _get(f, "page")
    return f"（第{page}页）" if page else ""


def position(f: Any) -> str:
    """A position cell: "第3页 · 58:10" for a paged input, else "58:10" (a Finding or its JSON dict)."""
    page, at = _get(f, "page"), f"{_get(f, 'line')}:{_get(f, 'column')}"
    return f"第{page}页 · {at}" if page else at
