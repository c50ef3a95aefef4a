"""LLM configuration: model, endpoint, instructor mode, fault policies, cache location.

Read from the command line and the environment (``REVIEW_MODEL``, ``OPENAI_API_KEY``,
``OPENAI_BASE_URL``, ``REVIEW_LLM_MODE``, ``REVIEW_CACHE_DIR``/``XDG_CACHE_HOME``). The API key is
held here and handed only to the HTTP client: it is excluded from ``repr`` and never written anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from reviewer.errors import UsageError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
MODES = ("tools", "json", "md_json", "json_schema")

# The instructor mode used when none is configured, by endpoint (first match on the base URL).
# tools: OpenAI function calling, the most reliable where supported. json: response_format
# json_object with the schema in the prompt — accepted by DeepSeek, DashScope (Qwen), Ollama, vLLM and
# llama.cpp server, so it is also the default for any other endpoint.
ENDPOINT_MODES: tuple[tuple[str, str], ...] = (
    ("api.openai.com", "tools"),
    ("openai.azure.com", "tools"),
    ("api.deepseek.com", "json"),
    ("dashscope", "json"),
    (":11434", "json"),  # Ollama
)
FALLBACK_MODE = "json"


def default_mode(base_url: str) -> str:
    for needle, mode in ENDPOINT_MODES:
        if needle in base_url:
            return mode
    return FALLBACK_MODE


def public_url(url: str) -> str:
    """The base URL without credentials or query (some gateways take a key there): safe to store
    in cache keys and show in messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def cache_root(env: Mapping[str, str] | None = None) -> Path:
    """Where LLM answers are cached: ``$REVIEW_CACHE_DIR``, else ``$XDG_CACHE_HOME/report-reviewer/llm``,
    else ``~/.cache/report-reviewer/llm``."""
    env = os.environ if env is None else env
    if env.get("REVIEW_CACHE_DIR"):
        return Path(env["REVIEW_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "report-reviewer" / "llm"


@dataclass(frozen=True)
class LLMConfig:
    model: str
    base_url: str = DEFAULT_BASE_URL
    api_key: str | None = field(default=None, repr=False)
    mode: str | None = None  # tools | json | md_json | json_schema; None: by endpoint (ENDPOINT_MODES)
    timeout: float = 120.0  # seconds per HTTP request (connect, read: the whole answer)
    transport_attempts: int = 3  # per request: timeouts, connection errors, 429, 5xx
    validation_attempts: int = 3  # answers per report: the first and up to two re-asks
    backoff: float = 0.5  # base of the exponential backoff between transport attempts (seconds)
    backoff_max: float = 8.0
    retry_after_cap: float = 30.0  # a server's Retry-After is honoured up to this many seconds
    temperature: float | None = 0.0
    max_tokens: int | None = None
    cache: bool = True
    cache_dir: Path | None = None  # None: cache_root()

    def __post_init__(self) -> None:
        if self.mode is not None and self.mode not in MODES:
            raise UsageError(f"未知的大模型输出模式：{self.mode}（可用：{'、'.join(MODES)}）")
        if self.transport_attempts < 1 or self.validation_attempts < 1:
            raise UsageError("重试次数至少为1")

    @property
    def resolved_mode(self) -> str:
        return self.mode or default_mode(self.base_url)

    @property
    def endpoint(self) -> str:
        return public_url(self.base_url)

    @property
    def cache_path(self) -> Path:
        return self.cache_dir or cache_root()

    @classmethod
    def from_env(
        cls,
        *,
        model: str | None = None,
        base_url: str | None = None,
        mode: str | None = None,
        env: Mapping[str, str] | None = None,
        **kw: object,
    ) -> LLMConfig | None:
        """The configuration given by options and the environment, or None when no model is set."""
        env = os.environ if env is None else env
        model = model or env.get("REVIEW_MODEL") or None
        if not model:
            return None
        return cls(
            model=model,
            base_url=base_url or env.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL,
            api_key=env.get("OPENAI_API_KEY") or None,
            mode=mode or env.get("REVIEW_LLM_MODE") or None,
            **kw,  # type: ignore[arg-type]
        )
