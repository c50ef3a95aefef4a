"""Record model answers of live runs to a directory, and replay them offline (the eval suite's
``--live`` / ``--replay``; also ``review --llm-record DIR`` / ``--llm-replay DIR``).

Both are transports (``send(body, meta=None) -> dict``) that ``LLMExtractor(transport=...)`` takes in
place of the HTTP one, so a replayed run goes through exactly the same validation, re-asks, merge and
rules as a live one — only the answers come from files.

Recording format: one JSON file per request/answer exchange, ``DIR/<key>.json``, where ``key`` is
``request_key(body)``: the first 32 hex digits of the sha256 of the request body serialised as
``json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))``::

    {
      "format": 1,
      "key": "<request_key(request)>",
      "request": {...},   # the chat-completions request body exactly as POSTed (model, messages,
                          # tools/response_format, temperature): no headers, no API key
      "response": {...},  # the answer body (HTTP 200) exactly as received
      "meta": {"path": "report.txt", "attempt": 1, "narrative_sha": "..."}   # informative only
    }

Only successful exchanges are recorded (a fault is not part of the answer). A re-ask is its own
exchange: its request carries the previous answer, so its key differs. Replay looks the request up
by key; a request that was never recorded (the prompt, schema, model or report changed) is a
non-retryable ``TransportError``, so the review degrades visibly instead of silently passing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Protocol

from reviewer.llm.errors import TransportError

FORMAT = 1


class Transport(Protocol):
    def send(self, body: dict, meta: dict | None = None) -> dict: ...


def request_key(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


class RecordingTransport:
    """Sends through ``inner`` and writes every successful exchange to ``directory``."""

    def __init__(self, inner: Transport, directory: str | Path) -> None:
        self.inner = inner
        self.directory = Path(directory)

    def send(self, body: dict, meta: dict | None = None) -> dict:
        response = self.inner.send(body, meta)
        key = request_key(body)
        record = {"format": FORMAT, "key": key, "request": body, "response": response, "meta": meta or {}}
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / f"{key}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        return response


class ReplayTransport:
    """Answers from a directory of recordings; ``requests`` lists the keys asked for."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.requests: list[str] = []

    def send(self, body: dict, meta: dict | None = None) -> dict:
        key = request_key(body)
        self.requests.append(key)
        path = self.directory / f"{key}.json"
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise TransportError("录制中没有与本次请求一致的应答（提示、模式、模型或报告已变化？）", retryable=False) from None
        except (OSError, ValueError) as e:
            raise TransportError(f"录制文件无法读取：{path.name}（{type(e).__name__}）", retryable=False) from None
        if record.get("format") != FORMAT or not isinstance(record.get("response"), dict):
            raise TransportError(f"录制文件格式不符：{path.name}", retryable=False)
        return record["response"]
