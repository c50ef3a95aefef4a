"""The eval suite's LLM hook: a live run records every answer (no key), a replay reproduces the
review offline from those recordings, and a replay without recordings says so."""

from __future__ import annotations

import json

import pytest

from reviewer.engine import Engine
from reviewer.llm import eval_extractor
from reviewer.profile import load_profile
from tests.fakeopenai import FakeOpenAI, tool_answer
from tests.llmkit import CLEAN, CLEAN_FACTS, SECRET


def test_live_records_and_replay_reproduces(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = tmp_path / "recordings"
    profile = load_profile("national")
    with FakeOpenAI() as server:
        server.push(tool_answer(CLEAN_FACTS))
        monkeypatch.setenv("REVIEW_MODEL", "fake-model")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", SECRET)
        monkeypatch.setenv("REVIEW_LLM_MODE", "tools")
        live = Engine(extractor=eval_extractor(profile=profile, mode="live", recordings=rec)).review_text(CLEAN, "clean.txt")
        assert len(server.bodies) == 1
    assert live.extractor == "llm" and live.usage is not None and live.usage.requests == 1
    files = sorted(p.name for p in rec.iterdir())
    assert "config.json" in files and len(files) == 2
    for p in rec.iterdir():
        assert SECRET not in p.read_text(encoding="utf-8")
    assert json.loads((rec / "config.json").read_text(encoding="utf-8"))["model"] == "fake-model"

    for var in ("REVIEW_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "REVIEW_LLM_MODE"):
        monkeypatch.delenv(var)
    replay = Engine(extractor=eval_extractor(profile=profile, mode="replay", recordings=rec)).review_text(CLEAN, "clean.txt")
    assert replay.extractor == "llm" and not replay.notices
    assert [f.model_dump() for f in replay.findings] == [f.model_dump() for f in live.findings]


def test_replay_without_recordings_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ValueError, match="没有录制"):
        eval_extractor(profile=load_profile("national"), mode="replay", recordings=tmp_path)


def test_live_without_a_model_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ValueError, match="REVIEW_MODEL"):
        eval_extractor(profile=load_profile("national"), mode="live", recordings=tmp_path)
