"""Prompt templates (Jinja2, rendered with StrictUndefined in a sandbox by reviewer.llm).

Templates are files in this package, shipped in the wheel; ``path(name)`` finds one and
``version(name)`` is the hash that LLM results and the cache record.
"""

from __future__ import annotations

import hashlib
from importlib import resources


def text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def version(*names: str) -> str:
    h = hashlib.sha256()
    for n in names:
        h.update(text(n).encode("utf-8"))
    return h.hexdigest()[:12]
