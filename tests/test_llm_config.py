"""Configuration: endpoint defaults, credentials kept out of URLs and reprs, environment."""

from __future__ import annotations

import pytest

from reviewer.errors import UsageError
from reviewer.llm.config import LLMConfig, default_mode, public_url


@pytest.mark.parametrize(
    ("url", "mode"),
    [
        ("https://api.openai.com/v1", "tools"),
        ("https://api.deepseek.com/v1", "json"),
        ("https://dashscope.aliyuncs.com/compatible-mode/v1", "json"),
        ("http://localhost:11434/v1", "json"),
        ("http://localhost:8000/v1", "json"),
    ],
)
def test_default_mode_by_endpoint(url: str, mode: str) -> None:
    assert default_mode(url) == mode
    assert LLMConfig(model="m", base_url=url).resolved_mode == mode
    assert LLMConfig(model="m", base_url=url, mode="md_json").resolved_mode == "md_json"


def test_public_url_drops_credentials_and_query() -> None:
    assert public_url("https://user:pw@gw.example.com:8443/v1/?api-key=abc") == "https://gw.example.com:8443/v1"


def test_from_env() -> None:
    env = {"REVIEW_MODEL": "qwen-plus", "OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": "https://dashscope.aliyuncs.com/compatible-mode/v1"}
    cfg = LLMConfig.from_env(env=env)
    assert cfg is not None and (cfg.model, cfg.api_key, cfg.resolved_mode) == ("qwen-plus", "sk-x", "json")
    assert "sk-x" not in repr(cfg)
    assert LLMConfig.from_env(env={}) is None
    assert LLMConfig.from_env(model="gpt-4o-mini", env={}).base_url == "https://api.openai.com/v1"


def test_bad_mode_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        LLMConfig(model="m", mode="xml")
