""".pdf reader on real reports: tables parsed completely, or exactly which one could not be read and why."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from reviewer.engine import Engine
from reviewer.readers import ReadResult, page_of, read
from schemas.output import FileResult
from schemas.tables import TableStatus
from tests.conftest import DATA


@cache
def pdf(name: str) -> ReadResult:
    return read(DATA / name)


@cache
def review(name: str) -> FileResult:
    return Engine().review_read(pdf(name), str(DATA / name))


def test_szfgs_tables_parse_completely() -> None:
    res = pdf("szfgs2024.pdf")
    t2, t3, t4 = res.tables.t2, res.tables.t3, res.tables.t4
    assert [(t.status, t.source) for t in (t2, t3, t4)] == [(TableStatus.PARSED, "pdf")] * 3
    assert not t2.missing and len(t3.rows) == 25 and len(t4.blocks) == 3
    assert float(t2.cell("fees", "amount").value) == 96171.6
    assert int(t2.cell("licensing", "decisions").value) == 447228
    # table 三 runs over pages 4 and 5, its group labels split by the page break ("（四）无" / "法提供")
    assert [int(c.value) for c in t3.rows["new"]] == [3001, 53, 0, 0, 61, 4, 3119]
    assert [int(c.value) for c in t3.rows["unable_2"]] == [11, 0, 0, 0, 0, 0, 11]
    assert [int(c.value) for c in t3.rows["total"]] == [2932, 53, 0, 0, 61, 4, 3050]
    assert [int(c.value) for c in t4.blocks["review"]] == [72, 64, 178, 37, 351]
    assert not t3.drift  # "1、申请人…" labels broken over three lines in the cell read whole


def test_szfgs_review_has_no_table_findings() -> None:
    result = review("szfgs2024.pdf")
    assert result.error is None
    assert not [f for f in result.findings if f.code[0] == "T" or f.code in ("S101", "D001")]
    assert all(f.page for f in result.findings)


def test_pdf_text_is_paragraphs_without_page_numbers() -> None:
    raw = pdf("szfgs2024.pdf").raw
    lines = raw.split("\n")
    assert lines[:2] == ["淮安市人民政府", "2024年政府信息公开工作年度报告"]
    assert "一、总体情况" in lines and "六、其他需要报告的事项" in lines
    # a paragraph broken over lines (and spaced "3119 件" by the extraction) is one line again
    assert any("全市共受理政府信息公开申请3119件，答复3050件" in ln for ln in lines)
    assert not any(ln.strip().startswith("- ") and ln.strip().endswith(" -") for ln in lines)
    assert raw.rstrip().endswith("全年收取政府信息公开信息处理费3940元。")


def test_pdf_pages() -> None:
    res = pdf("szfgs2024.pdf")
    assert [p for _, _, p in res.pages] == [1, 2, 3, 4, 5, 6]
    line = next(i for i, ln in enumerate(res.raw.split("\n"), 1) if ln.startswith("（七）总计") or "\t（七）总计" in ln)
    assert page_of(res.pages, line, 1) == 5
    assert page_of(res.pages, 1, 1) == 1
    # a paragraph running from page 1 onto page 2 changes page inside its line
    first_break = res.pages[1]
    assert first_break[1] > 1
    assert page_of(res.pages, first_break[0], first_break[1] - 1) == 1


def test_hongze_tables_read_with_the_single_other_row() -> None:
    """Margin labels, "总 计" and cells broken over lines are read from the ruled grid; table 三's
    single-row （六）其他处理 (the 2019 layout) is read as the group's row: every identity is
    checked with it, and the layout is reported once (F102), not as an unverifiable table."""
    res = pdf("hongze-2023.pdf")
    t2, t3, t4 = res.tables.t2, res.tables.t3, res.tables.t4
    assert t2.status == TableStatus.PARSED and not t2.missing
    assert t4.status == TableStatus.PARSED
    assert [int(c.value) for c in t4.blocks["review"]] == [10, 1, 0, 0, 0]
    assert t3.status == TableStatus.PARSED and t3.layout == "2019" and not t3.missing
    assert len(t3.rows) == 22 and [int(c.value) for c in t3.rows["total"]] == [21, 0, 0, 0, 0, 0, 21]
    assert [int(c.value) for c in t3.merged["other"]] == [0] * 7
    assert [(d.found, d.canonical) for d in t3.drift] == [("2.其他法律行政止公开", "2.其他法律行政法规禁止公开")]

    result = review("hongze-2023.pdf")
    by_code = {f.code: f for f in result.findings}
    assert "T101" not in by_code
    assert "（六）其他处理" in by_code["F102"].message and by_code["F102"].page == 4  # the row stands on page 4
    assert by_code["T102"].page == 3
    t401 = [f for f in result.findings if f.code == "T401"]
    assert {f.page for f in t401} == {4} and "行政复议" in t401[0].message


def test_garbled_pdf_is_not_machine_readable_exit_2() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-m", "reviewer", str(DATA / "broken-font-sample.pdf")],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "不可机读" in out.stderr and "Traceback" not in out.stderr
    assert [ln for ln in out.stderr.splitlines() if "错误" in ln][0].count("\n") == 0


def _splice(tmp: Path, name: str, replace_page: int, how: str) -> Path:
    """hongze-2023.pdf with one page replaced by a scan of it (an image, no text) or by a page whose
    text extracts as (cid:N) garbage."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(DATA / "hongze-2023.pdf"))
    out = pdfium.PdfDocument.new()
    out.import_pages(src, list(range(replace_page - 1)))
    if how == "scan":
        page = src[replace_page - 1]
        w, h = page.get_size()
        new = out.new_page(w, h)
        image = pdfium.PdfImage.new(out)
        image.set_bitmap(page.render(scale=0.5))
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        new.insert_obj(image)
        new.gen_content()
    else:
        out.import_pages(pdfium.PdfDocument(str(DATA / "broken-font-sample.pdf")), [0])
    out.import_pages(src, list(range(replace_page, len(src))))
    path = tmp / name
    out.save(str(path))
    return path


@pytest.mark.parametrize(("how", "why"), [("scan", "没有文字层"), ("garbled", "无法识别")])
def test_unreadable_page_reports_tables_not_sections(how: str, why: str, tmp_path: Path) -> None:
    """Page 3 (the end of table 二, the heading of 三 and most of its table) unreadable: a notice,
    T101 for both tables naming page 3 — and no "section 三 missing"."""
    path = _splice(tmp_path, f"{how}.pdf", 3, how)
    result = Engine().review_path(path)
    assert result.error is None
    assert any(n.startswith("第3页") and "不可机读" in n for n in result.notices)
    t101 = [f for f in result.findings if f.code == "T101"]
    assert {f.message[:4] for f in t101} == {"第二部分", "第三部分"}
    assert all("第3页" in f.message and why in f.message for f in t101)
    codes = {f.code for f in result.findings}
    assert not codes & {"S101", "D001", "T201"}
    assert "T401" in codes  # table 四 on page 4 is still checked


def test_corrupt_and_fake_pdf(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((DATA / "hongze-2023.pdf").read_bytes()[:2000])
    fake = tmp_path / "fake.pdf"
    fake.write_text("这不是PDF", encoding="utf-8")
    for path in (cut, fake):
        result = Engine().review_path(path)
        assert result.error and "\n" not in result.error and "PDF" in result.error


def test_extraction_spaces_next_to_cjk() -> None:
    from reviewer.readers.pdf_reader import _clean

    assert _clean("2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件") == "2024年，全市共受理政府信息公开申请3119件，答复3050件"
    assert _clean("结 果 维持") == "结果维持"
    # a row of figures keeps its separators, so a margin label is not glued to a value
    assert _clean("本 2.其他法律行政法规禁止公开 30 1 0 0 0 0 31 年") == "本 2.其他法律行政法规禁止公开 30 1 0 0 0 0 31 年"
