"""Faults against a real local chat-completions server: re-asks, bounded retries, degraded reviews.
Every test asserts how many requests reached the server."""

from __future__ import annotations

import copy

import pytest

from tests.fakeopenai import FakeOpenAI, dead_url, drop, error, hang, json_answer, text_answer, tool_answer
from tests.llmkit import CLEAN, CLEAN_FACTS, SECRET, Sleeps, config, engine, fake  # noqa: F401 - fixture

DEGRADED = "本文件改用规则提取器审核"


def bad_quote_facts() -> dict:
    facts = copy.deepcopy(CLEAN_FACTS)
    facts["fee"]["quote"] = "本年度共收取信息处理费200元"
    return facts


def test_valid_tool_answer_is_one_request(fake: FakeOpenAI) -> None:
    fake.push(tool_answer(CLEAN_FACTS, usage=(900, 150)))
    eng, ex = engine(config(fake))
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 1
    req = fake.requests[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["headers"]["authorization"] == f"Bearer {SECRET}"  # the key goes to the endpoint, nowhere else
    assert req["body"]["tools"][0]["function"]["name"] == "NarrativeFacts"
    assert res.extractor == "llm" and res.notices == [] and ex.failures == []
    assert res.usage is not None
    assert (res.usage.requests, res.usage.prompt_tokens, res.usage.completion_tokens) == (1, 900, 150)
    assert res.usage.model == "fake-model" and res.usage.cached is False
    assert res.report.level == "部门"  # a model fact reached the result


def test_json_mode_request_and_answer(fake: FakeOpenAI) -> None:
    fake.push(json_answer(CLEAN_FACTS))
    eng, _ = engine(config(fake, mode="json"))
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 1 and fake.bodies[0]["response_format"] == {"type": "json_object"}
    assert res.extractor == "llm"


def test_wrong_quote_is_re_asked_with_the_error(fake: FakeOpenAI) -> None:
    fake.push(tool_answer(bad_quote_facts()), tool_answer(CLEAN_FACTS))
    eng, _ = engine(config(fake))
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 2
    reask = fake.bodies[1]["messages"]
    assert reask[:2] == fake.bodies[0]["messages"]
    assert reask[2]["role"] == "assistant" and reask[3]["role"] == "tool"
    assert "本年度共收取信息处理费200元" in reask[3]["content"] and "找不到" in reask[3]["content"]
    assert res.extractor == "llm" and res.notices == []
    assert res.usage is not None and res.usage.requests == 2 and res.usage.prompt_tokens == 240


def test_persistent_wrong_quote_keeps_the_verified_facts(fake: FakeOpenAI) -> None:
    fake.push(*(tool_answer(bad_quote_facts()) for _ in range(3)))
    eng, ex = engine(config(fake))
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 3
    assert res.extractor == "llm" and ex.failures == []
    assert len(res.notices) == 1 and "引文在原文中找不到，已丢弃" in res.notices[0]


def test_malformed_json_is_re_asked_then_degrades(fake: FakeOpenAI) -> None:
    fake.push(text_answer('{"fee": {"quote": '), text_answer("not json"), text_answer("```json\n{oops}\n```"))
    eng, ex = engine(config(fake, mode="json"))
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 3
    assert "Correct your JSON" in fake.bodies[1]["messages"][-1]["content"]
    assert res.extractor == "rules" and ex.failures == ["clean.txt"]
    assert len(res.notices) == 1 and DEGRADED in res.notices[0] and "连续3次应答无效" in res.notices[0]
    assert res.usage is not None and res.usage.requests == 3


def test_text_where_a_tool_call_was_asked_is_re_asked(fake: FakeOpenAI) -> None:
    fake.push(text_answer("好的，以下是结果。"), tool_answer(CLEAN_FACTS))
    eng, _ = engine(config(fake))
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 2 and res.extractor == "llm"
    assert fake.bodies[1]["messages"][-1]["role"] == "user"


@pytest.mark.parametrize(("header", "waited"), [("0.01", 0.01), ("30", 0.05)], ids=["honoured", "capped"])
def test_429_honours_retry_after(fake: FakeOpenAI, header: str, waited: float) -> None:
    fake.push(error(429, headers={"Retry-After": header}), tool_answer(CLEAN_FACTS))
    sleeps = Sleeps()
    eng, _ = engine(config(fake), sleep=sleeps)
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 2 and res.extractor == "llm"
    assert sleeps == [waited]


def test_5xx_is_retried_within_the_budget(fake: FakeOpenAI) -> None:
    fake.push(error(500), error(503), tool_answer(CLEAN_FACTS))
    sleeps = Sleeps()
    eng, _ = engine(config(fake), sleep=sleeps)
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 3 and res.extractor == "llm"
    assert len(sleeps) == 2 and all(0 <= s <= 0.005 for s in sleeps)  # exponential backoff, capped


def test_persistent_5xx_degrades(fake: FakeOpenAI) -> None:
    fake.push(error(500), error(502), error(500), tool_answer(CLEAN_FACTS))
    eng, ex = engine(config(fake), sleep=Sleeps())
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 3
    assert res.extractor == "rules" and "HTTP 500" in res.notices[0] and DEGRADED in res.notices[0]


def test_auth_error_is_not_retried(fake: FakeOpenAI) -> None:
    fake.push(error(401, message=f"Incorrect API key provided: {SECRET}"))
    eng, _ = engine(config(fake), sleep=Sleeps())
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 1
    assert res.extractor == "rules" and "HTTP 401" in res.notices[0] and SECRET not in res.notices[0]


def test_hanging_response_times_out(fake: FakeOpenAI) -> None:
    fake.push(hang(30), hang(30), tool_answer(CLEAN_FACTS))
    eng, _ = engine(config(fake, timeout=0.2), sleep=Sleeps())
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 3 and res.extractor == "llm"


def test_dropped_connection_is_retried(fake: FakeOpenAI) -> None:
    fake.push(drop(), tool_answer(CLEAN_FACTS))
    eng, _ = engine(config(fake), sleep=Sleeps())
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 2 and res.extractor == "llm"


def test_dead_endpoint_degrades_and_later_reports_try_once() -> None:
    eng, ex = engine(config(dead_url()), sleep=Sleeps())
    first = eng.review_text(CLEAN, "a.txt")
    second = eng.review_text(CLEAN, "b.txt")
    assert first.extractor == second.extractor == "rules"
    assert "无法连接到大模型服务" in first.notices[0]
    assert first.usage is not None and second.usage is not None
    assert (first.usage.requests, second.usage.requests) == (3, 1)
    assert ex.failures == ["a.txt", "b.txt"]


def test_retries_never_multiply_beyond_the_two_budgets(fake: FakeOpenAI) -> None:
    # each answer needs three transport attempts and is garbage: 3 answers x 3 attempts, then stop
    for _ in range(3):
        fake.push(error(500), error(500), text_answer("本报告合规"))
    fake.push(*(tool_answer(CLEAN_FACTS) for _ in range(5)))  # never reached
    eng, _ = engine(config(fake), sleep=Sleeps())
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 9
    assert res.usage is not None and res.usage.requests == 9
    assert res.extractor == "rules"


def test_sdk_retries_are_disabled(fake: FakeOpenAI) -> None:
    fake.push(error(500), tool_answer(CLEAN_FACTS))
    eng, _ = engine(config(fake, transport_attempts=1))
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 1 and res.extractor == "rules"


def test_truncated_answer_is_not_re_asked(fake: FakeOpenAI) -> None:
    answer = tool_answer(CLEAN_FACTS)
    answer["body"]["choices"][0]["finish_reason"] = "length"
    fake.push(answer, tool_answer(CLEAN_FACTS))
    eng, ex = engine(config(fake))
    res = eng.review_text(CLEAN, "clean.txt")
    assert len(fake.requests) == 1
    assert res.extractor == "rules" and "截断" in res.notices[0] and ex.failures == ["clean.txt"]
