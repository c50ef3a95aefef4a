"""The rules extractor's metadata and required-item facts: verbatim quotes, exact spans, the
phrasing variants of real reports, and nothing guessed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reviewer.document import build_document
from reviewer.extract.fee import classify
from reviewer.extract.meta import agency_level
from reviewer.extract.quotes import find_quote
from reviewer.extract.rules import RulesExtractor
from reviewer.extract.text import mask_titles
from reviewer.profile import load_profile
from reviewer.tables import parse_tables
from schemas.facts import AgencyLevel, Fact, NarrativeFacts
from tests.conftest import base_text, sample


def extract(text: str, profile: str = "national") -> tuple[NarrativeFacts, object]:
    doc = build_document(text, "t.txt")
    facts = RulesExtractor(load_profile(profile)).extract(doc, parse_tables(doc)).facts
    return facts, doc


def all_facts(facts: NarrativeFacts) -> list[Fact]:
    out: list[Fact] = []
    for name in type(facts).model_fields:
        v = getattr(facts, name)
        for item in v if isinstance(v, list) else [v]:
            if isinstance(item, Fact):
                out.append(item)
                out.extend(getattr(item, "measures", []))
    return out


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_fact_quotes_its_span_verbatim(prefix: str) -> None:
    facts, doc = extract(sample(prefix).read_text(encoding="utf-8"), "shandong")
    found = all_facts(facts)
    assert found
    for f in found:
        assert f.span is not None
        assert doc.raw[f.span.start : f.span.end] == f.quote
        assert find_quote(doc, f.quote) is not None


def test_sample_facts() -> None:
    f0, doc0 = extract(sample("000").read_text(encoding="utf-8"))
    assert f0.level.value == AgencyLevel.TOWNSHIP
    assert f0.rectification.year == 2021 and len(f0.rectification.measures) == 2
    assert f0.fee.charged is False and doc0.section(6).body_span.start <= f0.fee.span.start
    assert f0.signature_date.value == dt.date(2023, 1, 17)
    assert f0.period.start == dt.date(2022, 1, 1) and f0.period.end == dt.date(2022, 12, 31)

    f3, _ = extract(sample("003").read_text(encoding="utf-8"))
    assert f3.level.value == AgencyLevel.GOVERNMENT
    assert f3.rectification.bare_claim and not f3.rectification.measures
    assert "针对上一年度存在的问题进行了整改" in f3.rectification.quote
    assert f3.intro_parts.count == 6 and len(f3.intro_parts.parts) == 6
    assert len(f3.problems) == 3 and len(f3.improvements) == 3
    assert f3.signature_date is None  # no 落款: nothing guessed

    f4, doc4 = extract(sample("004").read_text(encoding="utf-8"))
    # "无收费情况" sits in section 一; the statement read is the one in section 六.
    assert doc4.section(6).body_span.start <= f4.fee.span.start
    assert f4.fee.charged is False and "信息处理费" in f4.fee.quote
    assert f4.intro_parts.count == 6 and len(f4.intro_parts.parts) == 6
    assert f4.period.start == dt.date(2023, 1, 1)

    f2, _ = extract(sample("002").read_text(encoding="utf-8"))
    assert f2.fee is None and f2.rectification is None and f2.period is None and f2.intro_parts is None
    assert {a.aspect.value for a in f2.aspects} == {"主动公开", "政府信息管理", "监督保障"}


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("本年度未收取信息处理费。", {"charged": False}),
        ("无收取信息处理费情况。", {"charged": False}),
        ("未收取信息处理费", {"charged": False}),
        ("本年度暂未开展信息处理费收取工作。", {"charged": False}),
        ("2022年度不存在收取信息公开处理费的情况。", {"charged": False}),
        ("收取信息处理费情况：无。", {"charged": False}),
        ("本机关收取信息处理费0元。", {"charged": False}),
        ("本年度免收信息处理费。", {"charged": False}),
        ("依据《政府信息公开信息处理费管理办法》收取信息处理费的情况", {"charged": None}),
        ("本年度对1件申请按件计收信息处理费380元。",
         {"charged": True, "cases": 1, "amount_yuan": Decimal(380), "method": "按件计收"}),
        ("共对1件申请收取信息处理费380元，未发生其他情况。", {"charged": True, "cases": 1, "amount_yuan": Decimal(380)}),
        ("收取信息处理费0.038万元。", {"charged": True, "amount_yuan": Decimal(380)}),
        ("本年度按规定收取了信息处理费。", {"charged": True}),
        ("本年度发出收费通知1件，申请人逾期未缴费，未收取信息处理费。", {"charged": False, "notices_issued": True}),
        ("本年度未发出收费通知，未收取信息处理费。", {"charged": False, "notices_issued": False}),
    ],
)
def test_fee_phrasings(sentence: str, said: dict) -> None:
    got = classify(mask_titles(sentence))
    for key, value in said.items():
        assert got.get(key) == value, (key, got)
    if said["charged"] is not True:
        assert "cases" not in got and "amount_yuan" not in got


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("成武县人民政府", AgencyLevel.GOVERNMENT),
        ("青州市何官镇人民政府", AgencyLevel.TOWNSHIP),
        ("韩城镇人民政府", AgencyLevel.TOWNSHIP),
        ("青州市王府街道办事处", AgencyLevel.TOWNSHIP),
        ("临川市生态环境局", AgencyLevel.DEPARTMENT),
        ("临川市人民政府办公室", AgencyLevel.DEPARTMENT),
        ("临川市发展和改革委员会", AgencyLevel.DEPARTMENT),
        ("临川经济开发区管理委员会", AgencyLevel.OTHER),
    ],
)
def test_agency_level(name: str, level: AgencyLevel) -> None:
    assert agency_level(name) == level


def test_unknown_agency_leaves_level_absent() -> None:
    text = base_text("clean_department_2023").replace("临川市生态环境局2023年", "2023年").replace(
        "\n临川市生态环境局\n2024年1月20日", ""
    )
    facts, _ = extract(text)
    assert facts.agency is None and facts.level is None


def test_rectification_variants() -> None:
    base = base_text("clean_department_2023")
    for heading, year in (("（一）2021年问题整改情况", 2021), ("（一）上年度问题整改情况", 2022), ("（一）上一年度存在问题的整改情况", 2022)):
        facts, _ = extract(base.replace("（一）2022年度问题整改情况", heading))
        assert facts.rectification is not None and facts.rectification.year == year
        assert len(facts.rectification.measures) == 2 and not facts.rectification.bare_claim


class EmptyExtractor:
    """An extractor (e.g. a model) that returns no metadata facts at all."""

    name = "fake"

    def extract(self, doc, tables):
        from reviewer.extract.base import Extraction

        return Extraction(facts=NarrativeFacts(), extractor=self.name)


def test_deterministic_rules_do_not_depend_on_the_extractor() -> None:
    from reviewer.engine import Engine

    det = {"S103", "S104", "S105", "S108", "Y101", "P101"}
    engine = Engine(extractor=EmptyExtractor(), select=sorted(det))
    base = base_text("clean_department_2023")
    assert engine.review_text(base).findings == []
    late = base.replace("2024年1月20日", "2024年2月20日").replace("共六个部分", "共五个部分")
    assert {f.code for f in engine.review_text(late).findings} == {"P101", "S104"}


def test_a_scraped_body_without_a_title_line_gives_the_year_of_its_period_and_the_agency_of_its_signature() -> None:
    """pingtan-zrz-2021: no title line; the 落款 follows the last section's text after a space."""
    text = base_text("clean_department_2023").replace("临川市生态环境局2023年政府信息公开工作年度报告\n", "")
    text = text.replace("本年度未收取信息处理费。\n\n临川市生态环境局\n2024年1月20日", "无 临川市生态环境局 2024年1月20日")
    facts, doc = extract(text)
    assert doc.title is None and doc.year_source == "period"
    assert facts.report_year is not None and facts.report_year.value == 2023
    assert doc.raw[facts.report_year.span.start : facts.report_year.span.end] == "2023"
    assert facts.agency is not None and facts.agency.value == "临川市生态环境局"
    spaced = text.replace("无 临川市生态环境局", "无 临川市\t 生态环境局")  # a space inside a name is kept
    assert extract(spaced)[0].agency.value == "临川市\t 生态环境局"
