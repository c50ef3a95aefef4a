"""Tolerant reading of real reports' structure (RULES.md policy 5): titles broken over lines or
only in a scraped page's metadata, heading typos and variants, and section 五 whose heading was
lost while its content is there. The reports are those of evals/real (byte-exact copies)."""

from __future__ import annotations

import pytest

from reviewer.document import build_document
from reviewer.readers import read
from tests.conftest import ROOT

REAL = ROOT / "evals" / "real" / "reports"


def doc_of(name: str):
    res = read(REAL / name)
    return build_document(res.raw, name, fmt=res.format)


@pytest.mark.parametrize(
    ("name", "title", "agency", "year"),
    [
        ("kewei-2024.md", "2024 年上海市科委政府信息公开工作\n年度报告", "上海市科委", 2024),
        ("shanghai-office-2025.md", "2025 年上海市人民政府办公厅政府信息公开\n工作年度报告", "上海市人民政府办公厅", 2025),
        ("pingtan-2020.txt", "平潭综合实验区2020年政府信息公开工作年度报告", "平潭综合实验区", 2020),
        ("pingtan-2022.txt", "平潭综合实验区2022年度政府信息公开工作年度报告", "平潭综合实验区", 2022),
        ("shuyang-county-2025.txt", "沐阳县人民政府 2025 年 政府信息公开工作年度报告", "沐阳县人民政府", 2025),
        ("shuyang-fagai-2023.html", "沭阳县发展和改革局2023年政府信息公开年度报告", "沭阳县发展和改革局", 2023),
    ],
)
def test_title_agency_and_year(name: str, title: str, agency: str, year: int) -> None:
    doc = doc_of(name)
    assert (doc.title, doc.agency, doc.year, doc.year_source) == (title, agency, year, "title")


def test_the_body_title_wins_over_crawl_metadata() -> None:
    doc = doc_of("shuyang-fagai-2023.html")
    assert doc.location(doc.title_span.start).line == 13  # not "标题：…" on line 1


@pytest.mark.parametrize(
    ("name", "key", "heading"),
    [
        ("pingtan-2022.txt", 4, "四、政府信息公开行政法复议、行政诉讼情况"),
        ("shuyang-fagai-2023.html", 5, "五、存在的主要问题及整改措施"),
        ("shuyang-county-2025.txt", 1, "一、总体情况"),
    ],
)
def test_heading_variants_are_their_sections(name: str, key: int, heading: str) -> None:
    s = doc_of(name).section(key)
    assert s is not None and s.heading == heading and not s.inferred


@pytest.mark.parametrize(
    ("name", "starts", "contains", "before"),
    [
        ("kewei-2024.md", "（一）主要问题", "（二）改进情况", "五、其他需要报告的事项"),
        ("shanghai-office-2025.md", "（一）2024 年工作中存在问题的改进情况", "（二）2025 年工作中存在的主要问题",
         "六、其他需要报告的事项"),
    ],
)
def test_a_lost_heading_of_five_is_read_from_its_content(name: str, starts: str, contains: str, before: str) -> None:
    doc = doc_of(name)
    five, four = doc.section(5), doc.section(4)
    assert five is not None and five.inferred and five.heading == ""
    body = doc.raw[five.body_span.start : five.body_span.end]
    assert body.startswith(starts) and contains in body
    assert doc.raw[five.body_span.end :].lstrip().startswith(before)
    assert starts not in doc.raw[four.body_span.start : four.body_span.end]
    assert [int(s.key) for s in doc.sections] == [1, 2, 3, 4, 5, 6]
