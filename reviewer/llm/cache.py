"""The on-disk cache of model answers: an unchanged report costs zero requests on the next run.

Key: sha256 of (model, base URL without credentials or query, instructor mode, prompt version,
schema version, narrative hash). Location: ``config.cache_root()`` — ``$REVIEW_CACHE_DIR``, else
``$XDG_CACHE_HOME/report-reviewer/llm``, else ``~/.cache/report-reviewer/llm``; ``--no-cache``
neither reads nor writes it. One JSON file per key::

    {"format": 1, "model": "...", "prompt_version": "...", "schema_version": "...",
     "facts": {...NarrativeFacts: the verified model facts, before the merge...},
     "usage": {"prompt_tokens": 0, "completion_tokens": 0, "requests": 1}}

Nothing else is stored: no key, no headers, no base URL, no report text beyond the quotes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from schemas import SCHEMA_VERSION
from schemas.facts import NarrativeFacts

FORMAT = 1


@cache
def schema_version() -> str:
    """SCHEMA_VERSION plus a hash of the facts' JSON schema (field descriptions included): any
    change to what the model is asked for invalidates cached answers."""
    schema = json.dumps(NarrativeFacts.model_json_schema(), sort_keys=True, ensure_ascii=False)
    return f"{SCHEMA_VERSION}-{hashlib.sha256(schema.encode('utf-8')).hexdigest()[:12]}"


def cache_key(*, model: str, endpoint: str, mode: str, prompt_version: str, narrative_sha: str) -> str:
    material = json.dumps([model, endpoint, mode, prompt_version, schema_version(), narrative_sha], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class AnswerCache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[NarrativeFacts, dict] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return None
            return NarrativeFacts.model_validate(data["facts"]), dict(data.get("usage") or {})
        except (OSError, ValueError, KeyError, TypeError):  # absent, unreadable or stale: a miss
            return None

    def put(self, key: str, facts: NarrativeFacts, *, model: str, prompt_version: str, usage: dict) -> None:
        data = {
            "format": FORMAT,
            "model": model,
            "prompt_version": prompt_version,
            "schema_version": schema_version(),
            "facts": facts.model_dump(mode="json"),
            "usage": usage,
        }
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
            os.replace(tmp, path)
        except OSError:  # a read-only or full cache never fails a review
            pass
