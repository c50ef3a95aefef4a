"""Across years: the C rules on hand-built pairs, agency matching, and ``review --previous``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reviewer.agency import agency_key
from reviewer.crossyear import cross_year_findings, text_context
from reviewer.engine import Engine
from reviewer.rules.crossyear import addressed, copied_share
from schemas.facts import ItemFact, Rectification
from tests.conftest import BASES, ROOT, base_text

CUR = base_text("clean_department_2023")
PREV = CUR.replace("2022", "2021").replace("2023", "2022").replace("2024", "2023")


def contexts(cur: str = CUR, prev: str = PREV):
    engine = Engine()
    return engine, text_context(engine, cur, "cur.txt"), text_context(engine, prev, "prev.txt")


def test_c103_with_hand_built_facts() -> None:
    engine, ctx, prev = contexts()
    ctx.facts.rectification = Rectification(
        quote="针对信息发布不够及时的问题，建立信息发布周调度机制。",
        measures=[ItemFact(quote="建立信息发布周调度机制")],
    )
    prev.facts.problems = [ItemFact(quote="信息发布不够及时"), ItemFact(quote="政务新媒体监管缺位")]
    found = [f for f in cross_year_findings(engine, ctx, prev) if f.code == "C103"]
    assert len(found) == 1
    assert "1个问题（共2个）" in found[0].message and "政务新媒体监管缺位" in found[0].message
    assert found[0].confidence.value == "inferred" and found[0].extractor == "rules"


def test_c103_silent_without_rectification_or_previous_problems() -> None:
    engine, ctx, prev = contexts()
    ctx.facts.rectification = None
    prev.facts.problems = [ItemFact(quote="政务新媒体监管缺位")]
    assert not [f for f in cross_year_findings(engine, ctx, prev) if f.code == "C103"]  # R502's case
    ctx.facts.rectification = Rectification(quote="已全部整改。")
    prev.facts.problems = []
    assert not [f for f in cross_year_findings(engine, ctx, prev) if f.code == "C103"]


@pytest.mark.parametrize(
    ("problem", "rectification", "expected"),
    [
        ("政策解读的针对性有待加强", "针对政策解读形式单一的问题，制作图解12期", True),
        ("依申请公开答复不够规范", "针对信息发布不够及时的问题，建立周调度机制", False),
        ("一是有待加强", "无关内容", True),  # nothing distinctive to look for
    ],
)
def test_addressed(problem: str, rectification: str, expected: bool) -> None:
    assert addressed(problem, rectification) is expected


def test_copied_share() -> None:
    assert copied_share("abcdefghij", "xxabcdefghijyy", n=4)[0] == 1.0
    share, (a, b) = copied_share("abcdefgh12345678", "zzabcdefghzz", n=4)
    assert share == 0.5 and (a, b) == (0, 8)
    assert copied_share("abc", "abc", n=4)[0] == 0.0


def test_cross_year_needs_consecutive_years() -> None:
    engine, ctx, _ = contexts()
    same_year = text_context(engine, CUR, "same.txt")
    assert cross_year_findings(engine, ctx, same_year) == []


def test_agency_key() -> None:
    assert agency_key("临川市 生态环境局") == agency_key("临川市生态环境局") == "临川市生态环境局"
    assert agency_key("（临川市）生态环境局") == "临川市生态环境局"
    assert agency_key(None) is None and agency_key(" ") is None


def _review(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_previous(tmp_path) -> None:
    prev = tmp_path / "prev.txt"
    prev.write_text(PREV, encoding="utf-8")
    r = _review(str(BASES / "clean_department_2023.txt"), "--previous", str(prev), "--format", "json")
    assert r.returncode == 0, r.stderr
    codes = [f["code"] for f in json.loads(r.stdout)["files"][0]["findings"]]
    assert codes.count("C101") == 2 and codes.count("C102") == 1
    plain = _review(str(BASES / "clean_department_2023.txt"), "--format", "json")
    assert not [f for f in json.loads(plain.stdout)["files"][0]["findings"] if f["code"].startswith("C")]


def test_cli_previous_errors(tmp_path) -> None:
    base = str(BASES / "clean_department_2023.txt")
    r = _review(base, "--previous", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "上年度报告" in r.stderr and "Traceback" not in r.stderr
    notice = tmp_path / "notice.txt"
    notice.write_text("关于召开会议的通知\n各科室：定于下周召开会议。\n", encoding="utf-8")
    r = _review(base, "--previous", str(notice))
    assert r.returncode == 2 and "无法识别" in r.stderr
    r = _review(base, base, "--previous", base)
    assert r.returncode == 2 and "只能与一个报告" in r.stderr
    r = _review(base, "--previous", base)
    assert r.returncode == 0 and "未进行跨年度检查" in r.stdout
