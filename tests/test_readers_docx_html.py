""".docx and .html readers: the same report gives the same findings as its .txt (modulo locations)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from reviewer.engine import Engine
from reviewer.readers import read
from reviewer.readers.html_reader import decode_html
from schemas.tables import CellKind, TableStatus
from tests.builders import to_docx, to_html
from tests.conftest import DATA, base_text

# A table error in each table, a drifted label, a placeholder and an invalid cell.
MUTATIONS = [
    ("\t（七）总计\t20\t4\t0\t0\t1\t0\t25", "\t（七）总计\t19\t4\t0\t0\t1\t0\t25"),  # T301, T302, T303
    ("2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开"),  # T102
    ("行政强制\t2", "行政强制\t/"),  # T103
    ("1\t0\t0\t1\t2\t0\t0\t0\t1\t1", "1\t0\t0\t1\t3\t0\t0\t0\t1\t1"),  # T401
    ("行政许可\t120", "行政许可\t12.5"),  # T104
]


def mutated() -> str:
    text = base_text("clean_department_2023")
    for old, new in MUTATIONS:
        assert old in text
        text = text.replace(old, new)
    return text


def findings(path: Path) -> Counter:
    result = Engine().review_path(path)
    assert result.error is None, result.error
    return Counter((f.code, f.message) for f in result.findings)


def write_all(text: str, tmp: Path) -> dict[str, Path]:
    txt = tmp / "report.txt"
    txt.write_text(text, encoding="utf-8")
    return {
        "txt": txt,
        "docx": to_docx(text, tmp / "report.docx"),
        "html": to_html(text, tmp / "report.html"),
        "html-gbk": to_html(text, tmp / "report-gbk.html", encoding="gbk"),
        "htm-gb2312-undeclared": to_html(text, tmp / "report.htm", encoding="gb2312", meta=False),
    }


@pytest.mark.parametrize("variant", ["clean_department_2023", "clean_government_2022", "mutated"])
def test_same_findings_in_every_format(variant: str, tmp_path: Path) -> None:
    text = mutated() if variant == "mutated" else base_text(variant)
    paths = write_all(text, tmp_path)
    expected = findings(paths["txt"])
    if variant == "mutated":
        assert {"T301", "T302", "T303", "T102", "T103", "T104", "T401"} <= {code for code, _ in expected}
    for fmt, path in paths.items():
        assert findings(path) == expected, fmt


def _generated_table_cases() -> list:
    """The eval generator's table, format-label and section defects of the department base (one per
    operator; the layouts only a .txt can have — digits run together, one line — are left out)."""
    import re

    from evals.dataset import load_bases
    from evals.mutate import generate

    seen, out = set(), []
    for case in generate(load_bases()):
        wanted = re.match(r"(t\d|f10|s101)", case.op) and "run-together" not in case.op
        if case.base == "base-department-2023" and wanted and case.op not in seen:
            seen.add(case.op)
            out.append(pytest.param(case, id=case.op))
    return out


GENERATED = _generated_table_cases()


def test_generated_cases_cover_the_tables() -> None:
    assert len(GENERATED) >= 15


@pytest.mark.parametrize("case", GENERATED)
def test_generated_defects_same_findings_in_docx_and_html(case, tmp_path: Path) -> None:
    engine = Engine(profile=case.profile, year=case.year)
    expected = Counter((f.code, f.message) for f in engine.review_text(case.text, "r.txt").findings)
    for path in (to_docx(case.text, tmp_path / "r.docx"), to_html(case.text, tmp_path / "r.html")):
        assert Counter((f.code, f.message) for f in engine.review_path(path).findings) == expected, path.suffix


@pytest.mark.parametrize("suffix", ["docx", "html"])
def test_tables_come_from_the_structure(suffix: str, tmp_path: Path) -> None:
    paths = write_all(mutated(), tmp_path)
    res = read(paths[suffix])
    for table in (res.tables.t2, res.tables.t3, res.tables.t4):
        assert table.status == TableStatus.PARSED
        assert table.source == suffix
    t3 = res.tables.t3
    assert [int(c.value) for c in t3.rows["total"]] == [19, 4, 0, 0, 1, 0, 25]
    assert res.tables.t2.cell("enforcement", "decisions").kind == CellKind.PLACEHOLDER
    assert res.tables.t2.cell("licensing", "decisions").kind == CellKind.INVALID
    assert [d.found for d in t3.drift] == ["其他法律法规禁止公开"]


def test_docx_line_is_the_paragraph_or_row_index(tmp_path: Path) -> None:
    text = mutated()
    path = to_docx(text, tmp_path / "r.docx")
    res = read(path)
    lines = res.raw.split("\n")
    # every paragraph of the source is one line, every table row one line
    assert lines[0] == text.split("\n")[0]
    t302 = [f for f in Engine().review_path(path).findings if f.code == "T302"]
    assert t302 and all(lines[f.line - 1].split("\t")[1] == "（七）总计" for f in t302)
    cell = res.tables.t3.cell("total", "natural")
    row = lines[cell.loc.line - 1]
    assert row[cell.loc.column - 1 :].startswith("19\t")


def test_docx_merged_cells_read_once_from_the_official_template() -> None:
    res = read(DATA / "template-2021.docx")
    t2, t3, t4 = res.tables.t2, res.tables.t3, res.tables.t4
    assert (t2.status, t3.status, t4.status) == (TableStatus.PARSED,) * 3
    # 行政许可's value cell spans three grid columns in Word: one cell, not three copies
    assert len(t2.rows["licensing"]) == 1 and t2.rows["licensing"][0].kind == CellKind.BLANK
    assert len(t3.rows) == 25 and all(c.kind == CellKind.BLANK for cells in t3.rows.values() for c in cells)
    assert len(t4.blocks) == 3
    lines = res.raw.split("\n")
    # the vertically merged "（三）不予公开" appears once; the rows under it keep an empty field
    assert sum("（三）不予公开" in ln for ln in lines) == 1
    assert "\t\t2.其他法律行政法规禁止公开\t" in res.raw
    # header rows: the merged 申请人情况 / 法人或其他组织 cells are written once
    assert sum(ln.count("法人或其他组织") for ln in lines) == 1


def test_docx_automatic_numbering_is_rendered(tmp_path: Path) -> None:
    """Headings numbered by Word ("一、" from a numbering definition) are found as sections."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    text = base_text("clean_department_2023")
    path = to_docx(text, tmp_path / "plain.docx")
    document = docx.Document(str(path))
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
    ))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for p in document.paragraphs:
        if p.text[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"} and "情况" in p.text or p.text.startswith("六、"):
            p.text = p.text[2:]
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {w}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'
            ))
    document.save(str(tmp_path / "numbered.docx"))
    raw = read(tmp_path / "numbered.docx").raw
    assert "\n五、存在的主要问题及改进情况\n" in raw
    codes = {f.code for f in Engine().review_path(tmp_path / "numbered.docx").findings}
    assert "S101" not in codes and "D001" not in codes


def test_html_drops_navigation_chrome(tmp_path: Path) -> None:
    res = read(to_html(base_text("clean_department_2023"), tmp_path / "r.html"))
    assert res.raw.startswith("临川市生态环境局2023年政府信息公开工作年度报告\n")
    for chrome in ("首页", "当前位置", "分享到", "版权所有"):
        assert chrome not in res.raw


def test_html_layout_table_is_unwrapped_and_spans_expanded(tmp_path: Path) -> None:
    page = (
        "<html><body><table><tr><td><a href='/'>首页</a></td></tr><tr><td>"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
        "<table><tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>"
        "<tr><td rowspan=2>结果维持</td><td rowspan=2>结果纠正</td><td rowspan=2>其他结果</td>"
        "<td rowspan=2>尚未审结</td><td rowspan=2>总计</td>"
        "<td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr><tr>"
        + "".join(f"<td>{n}</td>" for n in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
        + "</tr><tr>" + "".join(f"<td>{v}</td>" for v in [1, 0, 0, 1, 2, 0, 0, 0, 1, 1, 2, 0, 0, 0, 3]) + "</tr>"
        "</table></td></tr></table></body></html>"
    )
    path = tmp_path / "t4.html"
    path.write_text(page, encoding="utf-8")
    res = read(path)
    t4 = res.tables.t4
    assert t4.status == TableStatus.PARSED and t4.source == "html"
    assert [int(c.value) for c in t4.blocks["suit_after_review"]] == [2, 0, 0, 0, 3]
    assert "\t\t\t\t\t结果维持\t结果纠正" in res.raw  # row 3: five slots continued from row 2


def test_html_encodings(tmp_path: Path) -> None:
    text = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head>"
        "<body><p>政府信息公开</p></body></html>"
    )
    assert decode_html(text.encode("gb18030")) == (text, "gb18030")
    undeclared = "<html><body><p>临川市生态环境局政府信息公开工作年度报告</p></body></html>"
    assert decode_html(undeclared.encode("gbk"))[0] == undeclared
    lying = "<meta charset='utf-8'><p>政府信息公开工作年度报告</p>"
    assert decode_html(lying.encode("gbk"))[0] == lying  # a wrong declaration falls back to detection
    assert decode_html(b"\xef\xbb\xbf<p>\xe6\x94\xbf</p>")[0] == "<p>政</p>"


def test_structured_readers_stay_lazy(tmp_path: Path) -> None:
    """A .txt review imports neither python-docx, lxml nor pdfplumber."""
    import subprocess

    code = (
        "import sys; from reviewer.engine import Engine; "
        "Engine().review_path('evals/bases/clean_department_2023.txt'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'lxml', 'pdfplumber', 'pdfminer')))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_docx_tracked_changes_read_as_word_shows_them(tmp_path: Path) -> None:
    """Tracked insertions and hyperlinks count, tracked deletions and text boxes do not."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    p = document.add_paragraph("六、")
    p._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>其他需要报告的事项</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>（旧标题）</w:delText></w:r></w:del>'))
    q = document.add_paragraph("本年度")
    q._p.append(parse_xml(f'<w:hyperlink {w}><w:r><w:t>未收取</w:t></w:r></w:hyperlink>'))
    q._p.append(parse_xml(f'<w:smartTag {w} w:uri="u" w:element="e"><w:r><w:t>信息处理费</w:t></w:r></w:smartTag>'))
    document.save(str(tmp_path / "tracked.docx"))
    assert read(tmp_path / "tracked.docx").raw == "六、其他需要报告的事项\n本年度未收取信息处理费"


def test_html_article_header_is_not_chrome(tmp_path: Path) -> None:
    page = (
        "<html><head><meta charset='utf-8'></head><body>"
        "<header class='site-header'><h1>临川市人民政府</h1><nav><a href='/nb'>政府信息公开年度报告</a>"
        "<a href='/a'>通知公告</a><a href='/b'>政策文件</a></nav></header>"
        "<article><header class='article-head'><h1>临川市生态环境局2023年政府信息公开工作年度报告</h1>"
        "<div class='info'>发布时间：2024-01-20</div></header>"
        "<p>一、总体情况</p><p>正文。<br>第二行。</p></article>"
        "<footer>版权所有</footer></body></html>"
    )
    path = tmp_path / "a.html"
    path.write_text(page, encoding="utf-8")
    assert read(path).raw.split("\n") == [
        "临川市生态环境局2023年政府信息公开工作年度报告", "发布时间：2024-01-20", "一、总体情况", "正文。", "第二行。"
    ]


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5e7c2d90000000049454e44ae426082"
)


def test_table_published_as_a_picture(tmp_path: Path) -> None:
    """A picture where table 三 belongs is reported as not machine-readable; a seal after the 落款
    is not content (the 落款 is still found)."""
    import docx

    (tmp_path / "t.png").write_bytes(PNG)
    text = base_text("clean_department_2023")
    before, rest = text.split("三、收到和处理政府信息公开申请情况\n", 1)
    after = rest[rest.index("四、政府信息公开行政复议"):]
    document = docx.Document(str(to_docx(before, tmp_path / "a.docx")))
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    document.add_picture(str(tmp_path / "t.png"))
    for line in after.split("\n")[:3]:
        document.add_paragraph(line)
    document.save(str(tmp_path / "pic.docx"))
    raw = read(tmp_path / "pic.docx").raw
    assert "三、收到和处理政府信息公开申请情况\n[图片: 嵌入图片]\n" in raw

    page = "<html><body><p>三、收到和处理政府信息公开申请情况</p><p><img src='/u/t3.png'></p><p>正文</p></body></html>"
    (tmp_path / "pic.html").write_text(page, encoding="utf-8")
    assert read(tmp_path / "pic.html").raw.split("\n")[1] == "[图片: t3.png]"

    seal = to_docx(text, tmp_path / "seal.docx")
    document = docx.Document(str(seal))
    document.add_picture(str(tmp_path / "t.png"))
    document.save(str(seal))
    result = Engine().review_path(seal)
    assert read(seal).raw.rstrip().endswith("2024年1月20日")
    assert not [f for f in result.findings if f.code == "S108"]


def test_picture_instead_of_table_is_t101_not_readable(tmp_path: Path) -> None:
    text = base_text("clean_department_2023")
    start = text.index("（本列数据的勾稽关系为")
    end = text.index("四、政府信息公开行政复议")
    page_text = text[:start] + "\n" + text[end:]
    page = to_html(page_text, tmp_path / "r.html").read_text(encoding="utf-8")
    page = page.replace("<p>四、政府信息公开行政复议", "<p><img alt='申请情况统计表' src='x.jpg'></p><p>四、政府信息公开行政复议", 1)
    (tmp_path / "r.html").write_text(page, encoding="utf-8")
    t101 = [f for f in Engine().review_path(tmp_path / "r.html").findings if f.code == "T101"]
    assert len(t101) == 1 and "图片" in t101[0].message and "申请情况统计表" in t101[0].message
