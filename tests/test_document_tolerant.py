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


@pytest.mark.parametrize(
    ("name", "date", "agency"),
    [
        ("pingtan-jjf-2021.txt", "2022-01-13", "平潭综合实验区经济发展局"),  # "…2022年1月13 日 …办公室 2022年1月13日印发 附件下载"
        ("pingtan-jsp-2022.txt", "2023-01-09", "平潭综合实验区君山片区管理局"),  # "抄送：……。 ……印发 附件下载"
        ("pingtan-jtj-2020.txt", "2021-01-26", "平潭综合实验区交通与建设局"),  # "（联系人：……） 附件下载"
        ("pingtan-lyy-2024.txt", "2025-01-26", "平潭综合实验区旅游与文化体育局"),  # "（此件主动公开）"
        ("pingtan-zrz-2023.html", "2024-01-05", "平潭综合实验区自然资源与生态环境局"),  # "附件下载 / 扫一扫…"
    ],
)
def test_the_signature_before_page_furniture(name: str, date: str, agency: str) -> None:
    sig = doc_of(name).signature
    assert sig is not None and str(sig.date) == date and sig.agency == agency


@pytest.mark.parametrize(
    ("name", "agency"),
    [("pingtan-lyy-2021.txt", "平潭综合实验区旅游与文化体育局"), ("pingtan-spp-2020.txt", "平潭综合实验区苏平片区管理局")],
)
def test_an_agency_before_guanyu_in_the_title(name: str, agency: str) -> None:
    assert doc_of(name).agency == agency  # "XX局关于2021年度……", "XX局关于报送……的函"
