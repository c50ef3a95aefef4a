"""Shared pieces of the LLM tests: a fake server fixture, configs with tiny waits, scripted facts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.engine import Engine
from reviewer.llm.config import LLMConfig
from reviewer.llm.extractor import LLMExtractor
from tests.conftest import base_text
from tests.fakeopenai import FakeOpenAI

SECRET = "sk-test-0123456789abcdefSECRET"
CLEAN = base_text("clean_department_2023")

# Facts of evals/bases/clean_department_2023.txt with verbatim quotes, as a model would answer.
CLEAN_FACTS: dict = {
    "agency": {"quote": "临川市生态环境局2023年政府信息公开工作年度报告", "value": "临川市生态环境局"},
    "level": {"quote": "临川市生态环境局", "value": "部门"},
    "report_year": {"quote": "2023年政府信息公开工作年度报告", "value": 2023},
    "period": {"quote": "统计期限自2023年1月1日至2023年12月31日", "start": "2023-01-01", "end": "2023-12-31"},
    "signature_date": {"quote": "2024年1月20日", "value": "2024-01-20"},
    "intro_parts": {"quote": "共六个部分", "count": 6, "parts": []},
    "aspects": [
        {"quote": "（一）主动公开", "aspect": "主动公开"},
        {"quote": "（二）依申请公开", "aspect": "依申请公开"},
    ],
    "problems": [{"quote": "一是政策解读的针对性有待加强", "text": "政策解读针对性不强"}],
    "improvements": [{"quote": "一是围绕群众关切开展多形式解读", "text": "多形式解读"}],
    "rectification": {
        "quote": "（一）2022年度问题整改情况",
        "year": 2022,
        "measures": [{"quote": "本年度制作图解、视频解读12期", "text": "图解、视频解读"}],
        "bare_claim": False,
    },
    "fee": {"quote": "本年度未收取信息处理费", "charged": False},
    "claims": [
        {"quote": "全年被申请行政复议2件", "kind": "count", "subject": "review", "value": 2, "unit": "件"},
        {"quote": "予以公开13件，占52.0%", "kind": "share", "subject": "outcome_granted", "value": 13,
         "unit": "件", "percent": "52.0", "whole": 25},
    ],
    "statements": [],
}


def config(server_or_url: FakeOpenAI | str, tmp_path: Path | None = None, **kw: object) -> LLMConfig:
    """A config with tiny waits: tests never sleep for real beyond a few milliseconds."""
    url = server_or_url if isinstance(server_or_url, str) else server_or_url.base_url
    opts: dict = dict(
        model="fake-model", base_url=url, api_key=SECRET, mode="tools", timeout=2.0,
        backoff=0.001, backoff_max=0.005, retry_after_cap=0.05, cache=tmp_path is not None,
        cache_dir=(tmp_path / "cache") if tmp_path is not None else None,
    )
    opts.update(kw)
    return LLMConfig(**opts)


class Sleeps(list):
    """Records the waits tenacity asks for (and waits for real only when they are tiny)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def engine(cfg: LLMConfig, **kw: object) -> tuple[Engine, LLMExtractor]:
    ex = LLMExtractor(cfg, **kw)  # type: ignore[arg-type]
    return Engine(extractor=ex), ex


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server
