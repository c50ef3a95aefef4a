"""Across years, agencies compared by what their names mean (issue #13, item 7): a county or district
with or without its city ("洪泽区人民政府" / "淮安市洪泽区人民政府"), 人民政府 or its 办公室, full- or
half-width — and a pair whose agencies still differ is a notice, with no C rule run on it."""

from __future__ import annotations

import shutil

import pytest

from reviewer.agency import agency_key, same_agency, short_key
from reviewer.batch import Batch, EngineSpec
from reviewer.crossyear import text_context
from reviewer.engine import Engine
from tests.conftest import DATA, ROOT, base_text

REAL = ROOT / "evals" / "real" / "reports"
CUR = base_text("clean_department_2023")
PREV = CUR.replace("2022", "2021").replace("2023", "2022").replace("2024", "2023")


@pytest.mark.parametrize(("a", "b"), [
    ("洪泽区人民政府", "淮安市洪泽区人民政府"),
    ("江苏省淮安市洪泽区人民政府", "淮安市洪泽区人民政府"),
    ("沭阳县人民政府办公室", "沭阳县人民政府"),
    ("宿迁市沭阳县政府", "沭阳县人民政府"),
    ("ＸＸ县人民政府", "XX县人民政府"),
    ("淮安市洪泽区财政局", "洪泽区财政局"),
    ("临川市 生态环境局", "临川市生态环境局"),
    ("江西省临川市生态环境局", "临川市生态环境局"),
])
def test_same_agency(a: str, b: str) -> None:
    assert same_agency(a, b) and same_agency(b, a)
    assert short_key(agency_key(a)) == short_key(agency_key(b))  # what a batch looks pairs up by


@pytest.mark.parametrize(("a", "b"), [
    ("南京市鼓楼区人民政府", "福州市鼓楼区人民政府"),  # same district name, different cities
    ("上海市人民政府办公厅", "上海市人民政府"),  # the 办公厅's own report is a department's
    ("淮安市人民政府", "淮安市洪泽区人民政府"),
    ("临川市生态环境局", "临川市财政局"),
])
def test_different_agencies(a: str, b: str) -> None:
    assert not same_agency(a, b)


def test_the_hongze_pdfs_pair_in_a_batch(tmp_path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DATA / "hongze-2023.pdf", src / "hongze-2023.pdf")
    shutil.copy(REAL / "hongze-2024.pdf", src / "hongze-2024.pdf")
    report = Batch(tmp_path / "out", EngineSpec(), pages=False).run([str(src)])
    assert report.pairs == 1


def test_previous_of_another_agency_is_a_notice_and_no_c_rule() -> None:
    engine = Engine()
    other = text_context(engine, PREV.replace("临川市生态环境局", "临川市财政局"), "prev.txt")
    result = engine.review_text(CUR, "cur.txt", previous=other)
    assert not [f for f in result.findings if f.code.startswith("C")]
    assert any("临川市财政局" in n and "未进行跨年度检查" in n for n in result.notices)
    same = text_context(engine, PREV.replace("临川市生态环境局", "江西省临川市生态环境局"), "prev.txt")
    assert [f for f in engine.review_text(CUR, "cur.txt", previous=same).findings if f.code.startswith("C")]
