"""parse_response and the merge policy: verified model facts win, rules facts stand otherwise,
unverifiable quotes are dropped with a notice, every fact and finding names its extractor."""

from __future__ import annotations

import copy

import pytest

from reviewer.engine import Engine
from reviewer.extract.base import Extraction
from reviewer.llm import parse_response
from reviewer.llm.errors import AnswerError
from reviewer.llm.merge import merge, quote_problem, tag, verify
from reviewer.rules.base import Context, Rule
from schemas.common import Severity
from schemas.facts import FeeStatement, NarrativeFacts, Rectification
from tests.fakeopenai import json_answer, text_answer, tool_answer
from tests.llmkit import CLEAN, CLEAN_FACTS

DOC = Engine().document(CLEAN, "clean.txt")


def body(action: dict) -> dict:
    return action["body"]


def rules_extraction(**facts: object) -> Extraction:
    return Extraction(facts=NarrativeFacts(**facts), extractor="rules", notices=["规则提取器的提示"])


@pytest.mark.parametrize(
    "answer",
    [tool_answer(CLEAN_FACTS), json_answer(CLEAN_FACTS), json_answer(CLEAN_FACTS, fenced=True)],
    ids=["tool-call", "json", "md-json"],
)
def test_parse_response_reads_every_answer_form(answer: dict) -> None:
    ex = parse_response(body(answer), DOC, None)
    assert ex.extractor == "llm" and ex.notices == []
    f = ex.facts
    assert f.fee is not None and f.fee.charged is False and f.fee.extractor == "llm"
    assert f.fee.span is not None and DOC.raw[f.fee.span.start : f.fee.span.end] == "本年度未收取信息处理费"
    assert f.rectification is not None and f.rectification.year == 2022
    assert [m.quote for m in f.rectification.measures] == ["本年度制作图解、视频解读12期"]
    assert [c.quote for c in f.claims] == ["予以公开13件，占52.0%", "全年被申请行政复议2件"]  # source order
    assert f.claims[0].percent == "52.0" and f.claims[0].whole == 25
    assert ex.usage is not None and (ex.usage.requests, ex.usage.prompt_tokens, ex.usage.completion_tokens) == (1, 120, 30)
    assert ex.usage.model == "fake-model" and ex.usage.prompt_version


def test_unverifiable_quotes_are_dropped_with_a_notice() -> None:
    facts = copy.deepcopy(CLEAN_FACTS)
    facts["fee"]["quote"] = "本年度共收取信息处理费200元"  # not in the report
    facts["rectification"]["measures"].append({"quote": "开展了专项整改行动", "text": "编造"})
    facts["claims"][0]["quote"] = "全年被申请行政复议 2 件"  # whitespace differences are tolerated
    ex = parse_response(body(tool_answer(facts)), DOC, None)
    assert ex.facts.fee is None
    assert ex.facts.rectification is not None and len(ex.facts.rectification.measures) == 1  # only the bad measure goes
    assert len(ex.facts.claims) == 2
    assert len(ex.notices) == 1 and "2条" in ex.notices[0] and "本年度共收取信息处理费" in ex.notices[0]


@pytest.mark.parametrize(
    "answer",
    [text_answer("本报告合规。"), text_answer('{"fee": {"quote": "x"'), tool_answer({"claims": "many"})],
    ids=["prose", "truncated-json", "wrong-schema"],
)
def test_garbage_raises_answer_error(answer: dict) -> None:
    with pytest.raises(AnswerError):
        parse_response(body(answer), DOC, None)


def test_not_a_completion_raises_answer_error() -> None:
    with pytest.raises(AnswerError):
        parse_response({"error": "nope"}, DOC, None)


def test_merge_policy() -> None:
    # as the extractors give them (validated: enums, Decimal values)
    rules = tag(
        NarrativeFacts.model_validate({
            "agency": {"quote": "临川市生态环境局", "value": "临川市生态环境局（规则）"},
            "fee": {"quote": "本年度未收取信息处理费", "charged": False},
            "aspects": [{"quote": "（五）监督保障", "aspect": "监督保障"}],
            "claims": [
                {"quote": "全年被申请行政复议2件", "kind": "count", "subject": "review", "value": 2},
                {"quote": "被提起行政诉讼1件", "kind": "count", "subject": "litigation", "value": 1},
            ],
            "statements": [{"quote": "全年被申请行政复议2件", "kind": "no_review"}],
        }),
        DOC,
    )
    llm, dropped = verify(
        NarrativeFacts.model_validate({
            "agency": {"quote": "临川市生态环境局2023年", "value": "临川市生态环境局"},
            "aspects": [{"quote": "（一）主动公开", "aspect": "主动公开"}],
            "claims": [{"quote": "全年被申请行政复议2件，", "kind": "count", "subject": "review", "value": 2, "unit": "件"}],
            "problems": [{"quote": "二是基层工作人员业务能力有待提升"}],
        }),
        DOC,
    )
    assert dropped == []
    merged = merge(rules, llm)
    # single facts: the verified model fact wins; absent from the model, the rules fact stands
    assert merged.agency is not None and merged.agency.value == "临川市生态环境局" and merged.agency.extractor == "llm"
    assert merged.fee is not None and merged.fee.extractor == "rules"
    # lists: union, in source order; an overlapping model fact of the same kind replaces the rules one
    assert [(a.aspect.value, a.extractor) for a in merged.aspects] == [("主动公开", "llm"), ("监督保障", "rules")]
    assert [(c.subject.value, c.extractor, c.unit) for c in merged.claims] == [
        ("review", "llm", "件"), ("litigation", "rules", ""),
    ]
    # same place, different kind: both stand
    assert [s.extractor for s in merged.statements] == ["rules"]
    assert [p.extractor for p in merged.problems] == ["llm"]


def test_parse_response_merges_with_the_rules_extraction() -> None:
    rules = rules_extraction(
        fee=FeeStatement(quote="本年度未收取信息处理费", charged=False),
        vague=[],
        rectification=Rectification(quote="（一）2022年度问题整改情况", year=2021),
    )
    answer = {k: v for k, v in CLEAN_FACTS.items() if k != "fee"}
    ex = parse_response(body(tool_answer(answer)), DOC, None, rules_extraction=rules)
    assert ex.extractor == "llm" and ex.notices == ["规则提取器的提示"]
    assert ex.facts.fee is not None and ex.facts.fee.extractor == "rules"
    assert ex.facts.rectification is not None and ex.facts.rectification.year == 2022


@pytest.mark.parametrize(
    ("quote", "ok"),
    [("本年度未收取信息处理费", True), ("本年度未收取信息处理费用", False), ("", False), ("[表格已省略]", False), ("本", False)],
)
def test_quote_problem(quote: str, ok: bool) -> None:
    assert (quote_problem(DOC, quote) is None) is ok


class _Probe(Rule):
    """Probe (not registered: no ``code`` at class creation)."""

    name = "probe"
    severity = Severity.INFO
    uses_facts = True

    def check(self, ctx: Context):
        for fact in (ctx.facts.fee, *ctx.facts.claims):
            yield self.fact_finding(ctx, "probe", fact)


_Probe.code = "Z999"


def test_findings_name_the_extractor_of_their_fact() -> None:
    rules = rules_extraction(fee=FeeStatement(quote="本年度未收取信息处理费", charged=False))
    ex = parse_response(body(tool_answer({"claims": CLEAN_FACTS["claims"]})), DOC, None, rules_extraction=rules)
    ctx = Context(doc=DOC, tables=Engine().context(DOC)[0].tables, facts=ex.facts, profile=Engine().profile,
                  extractor=ex.extractor)
    found = list(_Probe().check(ctx))

    def line(quote: str) -> int:
        return CLEAN[: CLEAN.index(quote)].count("\n") + 1

    assert [(f.evidence, f.line, f.extractor) for f in found] == [
        ("本年度未收取信息处理费", line("本年度未收取信息处理费"), "rules"),
        ("予以公开13件，占52.0%", line("予以公开13件"), "llm"),
        ("全年被申请行政复议2件", line("全年被申请行政复议2件"), "llm"),
    ]
