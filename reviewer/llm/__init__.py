"""LLM extraction of the narrative facts through any OpenAI-compatible endpoint.

Nothing heavy is imported here: a rules-only review never loads openai, instructor, jinja2, httpx or
tenacity. Only ``reviewer.llm.sdk`` imports openai/instructor (tests/test_llm_imports.py checks it).

Public API (imported on first use)::

    LLMConfig.from_env(model=..., base_url=..., mode=...)       # reviewer.llm.config
    LLMExtractor(config, profile=..., transport=..., cache=...) # an Extractor for Engine(extractor=...)
    transport_for(config, record=DIR | None, replay=DIR | None) # live HTTP, recorded live, or replayed
    build_request(doc, tables, *, model, profile=None, mode="tools") -> dict
    parse_response(body, doc, tables, *, rules_extraction=None) -> Extraction
    RecordingTransport(inner, directory), ReplayTransport(directory), request_key(body)
    eval_extractor(profile=..., mode="live" | "replay", recordings=DIR)  # the eval suite's hook
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "LLMConfig": "config",
    "LLMExtractor": "extractor",
    "transport_for": "extractor",
    "build_request": "request",
    "parse_response": "request",
    "RecordingTransport": "record",
    "ReplayTransport": "record",
    "request_key": "record",
    "select_narrative": "narrative",
    "AnswerError": "errors",
    "eval_extractor": "evalmode",
    "TransportError": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
