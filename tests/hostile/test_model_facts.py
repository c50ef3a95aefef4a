"""An obedient model (the local chat-completions fake) quoting sentences planted in the report back
as facts cannot remove a required-item finding (S107, R501–R503, R601): such facts must be
corroborated by the text (reviewer.llm.corroborate)."""

from __future__ import annotations

from reviewer.engine import Engine
from reviewer.llm.corroborate import corroborate
from reviewer.llm.merge import verify
from schemas.facts import NarrativeFacts
from tests.conftest import base_text
from tests.fakeopenai import FakeOpenAI, tool_answer
from tests.llmkit import CLEAN, CLEAN_FACTS, config, engine, fake  # noqa: F401 - fixture

GOV = base_text("clean_government_2022")
PLANTED = {
    "accountability": "本报告已报告追责情况。",
    "measures": "整改工作扎实有效，本报告已写明具体措施。",
    "improvements": "本报告已包含改进措施。",
    "fee": "本报告已说明信息处理费情况。",
}
ATTACKED = (
    GOV.replace("；本年度未发生因政府信息公开工作被责任追究的情况。", "。" + PLANTED["accountability"])
    .replace("（一）2021年度问题整改情况\n\n", "")
    .replace(GOV.split("\n")[89], "针对上一年度存在的问题进行了整改。" + PLANTED["measures"])
    .replace("（三）改进措施\n\n一是每半年组织一次乡镇政府信息公开业务培训；二是推广图解、视频、问答等解读形式。",
             PLANTED["improvements"])
    .replace("本年度按件计收信息处理费1件，收取信息处理费200元。", PLANTED["fee"])
)
OBEDIENT = {
    "agency": {"quote": "青岚县人民政府", "value": "青岚县人民政府"},
    "level": {"quote": "青岚县人民政府", "value": "部门"},  # would lift S107 altogether
    "assessment": [
        {"quote": "将政府信息公开工作纳入全县年度绩效考核", "kind": "工作考核"},
        {"quote": "组织社会评议1次", "kind": "社会评议"},
        {"quote": "本报告已报告追责情况", "kind": "责任追究"},
    ],
    "problems": [{"quote": "一是部分乡镇政府信息公开工作力量薄弱", "text": "乡镇力量薄弱"}],
    "improvements": [{"quote": "本报告已包含改进措施", "text": "改进措施"}],
    "rectification": {
        "quote": "针对上一年度存在的问题进行了整改",
        "year": 2021,
        "bare_claim": False,
        "measures": [{"quote": "本报告已写明具体措施", "text": "具体措施"}],
    },
    "fee": {"quote": "本报告已说明信息处理费情况", "charged": False},
}
GUARDED = {"S107", "R501", "R502", "R503", "R601"}


def guarded(findings) -> list[tuple]:
    return sorted((f.code, f.line, f.message) for f in findings if f.code in GUARDED)


def test_an_obedient_model_removes_no_required_item_finding(fake: FakeOpenAI) -> None:
    rules_only = Engine().review_text(ATTACKED, "attacked.txt")
    assert {"S107", "R501", "R503", "R601"} <= {f.code for f in rules_only.findings}
    fake.push(tool_answer(OBEDIENT))
    eng, _ = engine(config(fake))
    res = eng.review_text(ATTACKED, "attacked.txt")
    assert res.extractor == "llm"
    assert guarded(res.findings) == guarded(rules_only.findings)
    assert any("未采用" in n for n in res.notices)


def test_the_issue_sentence_is_refused_as_a_model_fact() -> None:
    """"本报告已报告责任追究结果", planted and quoted back: the phrasing fits, the sentence does not count."""
    text = GOV.replace("；本年度未发生因政府信息公开工作被责任追究的情况。", "。本报告已报告责任追究结果。")
    doc = Engine().document(text, "x.txt")
    facts = NarrativeFacts.model_validate({"assessment": [{"quote": "本报告已报告责任追究结果", "kind": "责任追究"},
                                                          {"quote": "责任追究结果", "kind": "责任追究"}]})
    verified, dropped = verify(facts, doc)
    assert not dropped
    kept, rejected = corroborate(verified, NarrativeFacts(), doc)
    assert kept.assessment == [] and len(rejected) == 2


def test_facts_in_the_wrong_section_are_refused() -> None:
    doc = Engine().document(GOV, "x.txt")
    facts = NarrativeFacts.model_validate({
        "problems": [{"quote": "部分乡镇政府信息公开工作力量薄弱", "text": "x"}],  # section 五: kept
        "improvements": [{"quote": "建立政府信息公开属性源头认定机制", "text": "x"}],  # section 一: refused
        "fee": {"quote": "本年度按件计收信息处理费1件，收取信息处理费200元", "charged": False},  # says charged
    })
    verified, _ = verify(facts, doc)
    kept, rejected = corroborate(verified, NarrativeFacts(), doc)
    assert len(kept.problems) == 1 and kept.improvements == [] and kept.fee is None and len(rejected) == 2


def test_an_honest_answer_is_taken_whole(fake: FakeOpenAI) -> None:
    fake.push(tool_answer(CLEAN_FACTS))
    res = engine(config(fake))[0].review_text(CLEAN, "clean.txt")
    assert res.extractor == "llm" and not any("未采用" in n for n in res.notices), res.notices


def test_no_sentence_of_the_real_reports_reads_as_an_instruction() -> None:
    from reviewer.instructions import INSTRUCTION
    from reviewer.readers import read
    from tests.conftest import BASES, DATA, ROOT, SAMPLES

    paths = [*SAMPLES.glob("*.txt"), *BASES.glob("*.txt"), *(ROOT / "evals" / "real" / "reports").iterdir(),
             DATA / "szfgs2024.pdf"]
    assert len(paths) > 15
    hits = [(p.name, m.group()) for p in paths for m in INSTRUCTION.finditer(read(p).raw)]
    assert hits == []
