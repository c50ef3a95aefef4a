"""Files that are not annual reports are recognised before anything else (D001) in every path — one
review, a batch, the Action — and a batch keeps them out of its totals and charts (issue #13, item 3)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.batch import Batch, EngineSpec
from reviewer.engine import Engine
from reviewer.github.changed import DEFAULT_GLOB, matching
from tests.conftest import BASES, DATA, ROOT, SAMPLES

REAL = ROOT / "evals" / "real" / "reports"
SOURCES_MD = (DATA / "SOURCES.md").read_text(encoding="utf-8")
ONE_LINE = "本目录存放各部门的政府信息公开工作年度报告草稿。\n"
NOTES = """# 说明

本仓库收集 2023 年度各单位的年度报告。各报告应包括：

- 一、主动公开政府信息情况（表格）
- 六、其他需要报告的事项
- 五、存在的主要问题及改进情况
"""


def codes(text: str, name: str = "x.md") -> list[str]:
    return [f.code for f in Engine().review_text(text, name, fmt="md").findings]


@pytest.mark.parametrize("text", [SOURCES_MD, ONE_LINE, "关于印发2023年度政府信息公开工作年度报告的说明\n", NOTES])
def test_documents_about_reports_are_not_reports(text: str) -> None:
    assert codes(text) == ["D001"]


def test_a_blank_template_is_not_a_report() -> None:
    result = Engine().review_path(DATA / "template-2021.docx")
    assert [f.code for f in result.findings] == ["D001"] and "模板" in result.findings[0].message


@pytest.mark.parametrize("path", [*sorted(REAL.iterdir()), *sorted(SAMPLES.glob("*.txt")), *sorted(BASES.glob("*.txt"))],
                         ids=lambda p: p.name)
def test_every_real_report_and_sample_is_a_report(path: Path) -> None:
    assert "D001" not in [f.code for f in Engine().review_path(path).findings]


def test_a_report_without_its_title_is_still_a_report() -> None:
    text = (BASES / "clean_department_2023.txt").read_text(encoding="utf-8")
    assert "D001" not in codes(text.replace("临川市生态环境局2023年政府信息公开工作年度报告", "临川市生态环境局工作总结"))


def test_the_action_glob_is_report_formats_only() -> None:
    changed = ["README.md", "docs/guide.md", "reports/2023.txt", "reports/2023.docx", "reports/2023.pdf", "a.html"]
    assert matching(changed, "") == ["reports/2023.txt", "reports/2023.docx", "reports/2023.pdf", "a.html"]
    assert "md" not in DEFAULT_GLOB
    assert matching(changed, "reports/**/*.{txt,md,docx,pdf}, docs/*.md") == [
        "docs/guide.md", "reports/2023.txt", "reports/2023.docx", "reports/2023.pdf"]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """The shared corpus's layout: real reports next to SOURCES.md, a README, a blank template and an
    unreadable PDF."""
    src = tmp_path / "corpus"
    (src / "real").mkdir(parents=True)
    for name in ("SOURCES.md", "template-2021.docx", "broken-font-sample.pdf", "szfgs2024.pdf"):
        shutil.copy(DATA / name, src / name)
    for name in ("pingtan-2022.txt", "pingtan-2024.txt", "kewei-2024.md", "shuyang-fagai-2023.html"):
        shutil.copy(REAL / name, src / "real" / name)
    (src / "real" / "README.md").write_text(NOTES, encoding="utf-8")
    (src / "drafts.md").write_text(ONE_LINE, encoding="utf-8")
    return src


NON_REPORTS = {"SOURCES.md", "template-2021.docx", "README.md", "drafts.md"}


def test_a_batch_counts_exactly_the_reports(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = Batch(out, EngineSpec()).run([str(mixed)])
    assert (report.total, report.reports, report.failed, report.not_reports) == (10, 5, 1, 4)
    stats = report.stats
    assert stats.reports == 5 and stats.failed == 1 and stats.not_reports == 4
    assert "D001" not in stats.code_findings and "（未识别机关）" not in stats.by_agency
    assert sum(c["reports"] for c in stats.by_year.values()) == 5  # the five readable reports
    recs = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 10  # every input keeps its line in the contract file
    assert len(list((out / "pages").glob("*.html"))) == 5  # a page per readable report, none quoting a non-report
    rows = (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    apart = [r for r in rows if "非年度报告" in r]
    assert {Path(r.split(",")[0]).name for r in apart} == NON_REPORTS
    assert all(",0,0,0,," in r for r in apart)  # no counts, no codes: nothing to add up
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<b id="n-reports">5</b>' in page and '<b id="n-not-reports">4</b>' in page
    section = page.split('id="not-reports"')[1]
    assert all(name in section for name in NON_REPORTS)
    table = page.split('<table id="reports">')[1].split("</table>")[0]
    assert not any(name in table for name in NON_REPORTS)


def test_the_batch_summary_lists_them_apart(mixed: Path, tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "reviewer", "batch", str(mixed), "--out", str(tmp_path / "out"),
                        "--no-progress", "--no-pages"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "共 5 份报告" in r.stdout and "另有 1 个文件无法审核、4 个文件不是年度报告，未计入统计" in r.stdout
