"""``review draft.docx --annotate reviewed.docx``: every finding becomes a Word comment on the text it
concerns, read back with python-docx and rendered by LibreOffice; the draft is otherwise unchanged.

LibreOffice is required, not optional: .ci/run installs Debian's libreoffice-writer before pytest.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from reviewer.annotate import comment_text, notices_text, review_file, write_annotated
from reviewer.engine import Engine
from reviewer.output.spans import TextMap
from tests.builders import to_docx
from tests.conftest import DATA, ROOT, SAMPLES, base_text
from tests.test_html_page import quote_near
from tests.docxcheck import (
    anchored_texts,
    canonical,
    comment_authors,
    content_types,
    parts,
    relationships,
    without_comments,
)

TEMPLATE = DATA / "template-2021.docx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def expected_anchor(raw: str, f) -> str:
    start, end = TextMap(raw).span(f)
    return raw[start:end]


def assert_comments_on_their_text(source: Path, annotated: Path, year: int | None = None) -> int:
    """Every finding has exactly one comment, anchored on its span; notices are one comment at the title."""
    reviewed = review_file(Engine(year=year), str(source))
    got = anchored_texts(annotated)
    assert sum(len(v) for v in got.values()) == len(reviewed.result.findings) + bool(reviewed.result.notices)
    for f in reviewed.result.findings:
        texts = got[comment_text(f)]
        assert texts, f"no comment for {f.code} {f.message}"
        anchored = texts.pop(0)
        want = expected_anchor(reviewed.raw, f)
        if want.strip():
            # a Word-drawn number ("一、") is in the text read but in no run
            assert anchored and anchored.replace("\t", " ").replace("\n", " ") in want, (f.code, anchored, want)
            assert want.endswith(anchored.replace("\t", " ").replace("\n", " ")), (f.code, anchored, want)
        quote = f.evidence.strip().rstrip("…")
        if quote_near(reviewed.raw, f) and "\n" not in quote:
            # all of it, or all but a number Word draws ("五、")
            assert quote.endswith(anchored) and len(quote) - len(anchored) <= 4, (f.code, anchored, quote)
    return len(reviewed.result.findings)


def sample_docx(text: str, path: Path) -> Path:
    """A real report as a Word draft: tables.builders' layout of the official template where it fits,
    else one paragraph per line and one table (a cell per field) per run of tab-separated lines."""
    try:
        return to_docx(text, path)
    except (StopIteration, KeyError, IndexError, ValueError):
        pass
    import docx

    document = docx.Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            document.add_paragraph(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j]:
            j += 1
        rows = [ln.split("\t") for ln in lines[i:j]]
        table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
        for r, fields in enumerate(rows):
            for c, field in enumerate(fields):
                table.cell(r, c).text = field
        i = j
    document.save(str(path))
    return path


def test_template_every_finding_is_a_comment_on_its_text(tmp_path: Path) -> None:
    src = tmp_path / "draft.docx"
    shutil.copy(TEMPLATE, src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "reviewed.docx"
    # a blank template is no report (D001) until someone says which year it is for
    r = cli("check", str(src), "--annotate", str(out), "--year", "2023")
    assert r.returncode == 1, r.stderr  # the template is full of errors
    assert "共审核 1 个文件" in r.stdout
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before, "the draft itself must not change"
    n = assert_comments_on_their_text(src, out, year=2023)
    assert n >= 8  # blank cells are one T103 per table (RULES.md: one problem, one finding)
    got = anchored_texts(out)
    # a missing item sits on the heading of its section; a table's blank cells on its first blank row's label
    assert any(t == ["五、存在的主要问题及改进情况"] or "存在的主要问题及改进情况" in (t[0] or "")
               for k, t in got.items() if "R501" in k)
    assert any(t[0] == "规章" for k, t in got.items() if "T103 第二部分表格" in k)
    assert comment_authors(out) == {"报告审核"}


def test_author_is_configurable_and_output_never_the_input(tmp_path: Path) -> None:
    src = tmp_path / "draft.docx"
    shutil.copy(TEMPLATE, src)
    out = tmp_path / "reviewed.docx"
    assert cli("check", str(src), "--annotate", str(out), "--annotate-author", "市政务公开办", "--year", "2023").returncode == 1
    assert comment_authors(out) == {"市政务公开办"}
    before = src.read_bytes()
    for target in (str(src), str(tmp_path / "." / "draft.docx")):
        r = cli("check", str(src), "--annotate", target)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "原文件不会被覆盖" in r.stderr, r.stderr
    assert src.read_bytes() == before
    r = cli("check", str(src), "--annotate", str(tmp_path / "reviewed.pdf"))
    assert r.returncode == 2 and ".docx" in r.stderr and "Traceback" not in r.stderr
    r = cli("check", str(src), str(TEMPLATE), "--annotate", str(out))
    assert r.returncode == 2 and "只能审核一个报告" in r.stderr
    r = cli("check", str(tmp_path / "missing.docx"), "--annotate", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "Traceback" not in r.stderr and not (tmp_path / "x.docx").exists()


def _tricky_draft(tmp_path: Path) -> Path:
    """A draft with merged cells, Word-numbered headings, tracked changes, content controls and a
    hyperlink, where findings fall inside each of them."""
    import docx
    from docx.oxml import parse_xml

    text = base_text("clean_department_2023").replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号")
    text = text.replace("\t（七）总计\t20\t4\t0\t0\t1\t0\t25", "\t（七）总计\t19\t4\t0\t0\t1\t0\t25")
    five, six = text.index("\n五、"), text.index("\n六、")
    text = text[: text.index("\n", five + 1)] + text[six:]  # section 五 without its body: R501 on its heading
    assert "2019〕60号" in text
    path = to_docx(text, tmp_path / "plain.docx")
    document = docx.Document(str(path))
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    body = document.element.body
    for p in document.paragraphs:
        t = p.text
        if t[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"} and len(t) < 30:
            p.text = t[2:]
            p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
        elif "2019〕60号" in t:  # the F101 quote inside a tracked insertion, next to a tracked deletion
            head, tail = t.split("国办公开办函〔2019〕60号", 1)
            p.text = head
            p._p.append(parse_xml(f'<w:ins {W_NS} w:id="901" w:author="起草人" w:date="2024-01-05T00:00:00Z">'
                                  f'<w:r><w:rPr><w:b/></w:rPr><w:t>国办公开办函〔2019〕60号</w:t></w:r></w:ins>'))
            p._p.append(parse_xml(f'<w:del {W_NS} w:id="902" w:author="起草人" w:date="2024-01-05T00:00:00Z">'
                                  f'<w:r><w:delText>（已删去）</w:delText></w:r></w:del>'))
            p._p.append(parse_xml(f'<w:hyperlink {W_NS}><w:r><w:t xml:space="preserve">{tail}</w:t></w:r></w:hyperlink>'))
    # the intro paragraph (with the tracked change) inside a block content control
    intro = next(p for p in document.paragraphs if "本报告根据" in p.text)._p
    sdt = parse_xml(f'<w:sdt {W_NS}><w:sdtPr><w:alias w:val="引言"/><w:id w:val="77"/></w:sdtPr><w:sdtContent/></w:sdt>')
    intro.addprevious(sdt)
    sdt[1].append(intro)
    document.save(str(tmp_path / "tricky.docx"))
    assert body is not None
    return tmp_path / "tricky.docx"


def assert_unchanged_but_for_comments(src: Path, out: Path, reviewed) -> None:
    """Everything but the comments part is the same XML; the main document is the same once comment
    markers and reference runs are removed and the runs split to anchor them are joined again."""
    a, b = parts(src), parts(out)
    assert set(b) - set(a) == {"word/comments.xml"}
    assert set(a) <= set(b)
    types_a, types_b = content_types(a["[Content_Types].xml"], set(a)), content_types(b["[Content_Types].xml"], set(b))
    assert types_b == {**types_a, "word/comments.xml": COMMENTS_TYPE}
    rels_a, rels_b = relationships(a["word/_rels/document.xml.rels"]), relationships(b["word/_rels/document.xml.rels"])
    assert rels_a < rels_b and len(rels_b - rels_a) == 1 and next(iter(rels_b - rels_a))[2] == "comments.xml"
    special = {"word/document.xml", "word/comments.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"}
    for name in set(a) - special:
        if name.endswith((".xml", ".rels")):
            assert canonical(a[name]) == canonical(b[name]), name
        else:
            assert a[name] == b[name], name
    assert without_comments(a["word/document.xml"]) == without_comments(b["word/document.xml"])
    assert canonical(a["word/document.xml"]) != canonical(b["word/document.xml"])  # it does hold comments
    doc_b = b["word/document.xml"].decode()
    assert doc_b.count("<w:commentReference") == len(reviewed.result.findings) + bool(reviewed.result.notices)


def test_the_official_template_survives_unchanged_but_for_the_comments(tmp_path: Path) -> None:
    """Word's own XML (merged cells, rsids, folder entries in the zip) through the same check."""
    src = tmp_path / "template.docx"
    shutil.copy(TEMPLATE, src)
    reviewed = review_file(Engine(), str(src), locate=True)
    write_annotated(reviewed, tmp_path / "reviewed.docx")
    assert_unchanged_but_for_comments(src, tmp_path / "reviewed.docx", reviewed)


def test_a_tricky_draft_survives_unchanged_but_for_the_comments(tmp_path: Path) -> None:
    """Word numbering, a tracked insertion and deletion, a hyperlink and content controls, with findings
    inside them."""
    src = _tricky_draft(tmp_path)
    out = tmp_path / "reviewed.docx"
    reviewed = review_file(Engine(), str(src), locate=True)
    codes = {f.code for f in reviewed.result.findings}
    assert {"F101", "T301", "T302", "R501"} <= codes, codes
    write_annotated(reviewed, out)
    assert_unchanged_but_for_comments(src, out, reviewed)
    b = parts(out)
    # the comments sit on their text, inside the tracked insertion and the numbered headings too
    got = anchored_texts(out)
    f101 = next(f for f in reviewed.result.findings if f.code == "F101")
    assert got[comment_text(f101)] == ["国办公开办函〔2019〕60号"]
    r501 = next(f for f in reviewed.result.findings if f.code == "R501")
    assert got[comment_text(r501)] == ["存在的主要问题及改进情况"]  # the heading's text; "五、" is Word's numbering
    assert_comments_on_their_text(src, out)
    # no reference run is left inside the tracked insertion (rejecting it would drop the comment)
    from lxml import etree

    root = etree.fromstring(b["word/document.xml"])
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for ref in root.iter(w + "commentReference"):
        assert ref.getparent().getparent().tag == w + "p"  # a run of the paragraph itself, in no wrapper


def test_the_split_keeps_each_character_s_formatting(tmp_path: Path) -> None:
    """A run split in the middle of a w:t: both halves keep the run's properties and the spaces."""
    import docx

    document = docx.Document()
    document.add_paragraph("某某县人民政府2023年政府信息公开工作年度报告")
    p = document.add_paragraph()
    run = p.add_run("本报告依据 国办公开办函〔2019〕60号 编制。")
    run.bold, run.font.size = True, docx.shared.Pt(15)
    document.add_paragraph("一、总体情况")
    document.save(str(tmp_path / "d.docx"))
    reviewed = review_file(Engine(), str(tmp_path / "d.docx"), locate=True)
    write_annotated(reviewed, tmp_path / "o.docx")
    out = docx.Document(str(tmp_path / "o.docx"))
    runs = [r for r in out.paragraphs[1].runs if r.text]
    assert [r.text for r in runs] == ["本报告依据 ", "国办公开办函〔2019〕60号", " 编制。"]
    assert all(r.bold and r.font.size == docx.shared.Pt(15) for r in runs)
    assert out.paragraphs[1].text == "本报告依据 国办公开办函〔2019〕60号 编制。"


REAL = ROOT / "evals" / "real" / "reports"


@pytest.mark.parametrize("path", [*sorted(SAMPLES.glob("*.txt")), REAL / "kewei-2024.md", REAL / "shuyang-fagai-2023.html",
                                  REAL / "szfgs-2024.pdf"], ids=lambda p: p.name)
def test_other_inputs_become_a_word_file_with_the_same_comments(path: Path, tmp_path: Path) -> None:
    """.txt, .md, .html, .pdf: a new .docx, one paragraph per line of the text read, the same comments."""
    out = tmp_path / "reviewed.docx"
    reviewed = review_file(Engine(), str(path))
    write_annotated(reviewed, out)
    import docx

    document = docx.Document(str(out))
    assert [p.text for p in document.paragraphs] == reviewed.raw.split("\n")
    assert_comments_on_their_text_in_text_docx(reviewed, out)


def assert_comments_on_their_text_in_text_docx(reviewed, out: Path) -> None:
    got = anchored_texts(out)
    tm = TextMap(reviewed.raw)
    if reviewed.result.notices:
        assert got[notices_text(reviewed.result.notices)]
    for f in reviewed.result.findings:
        start, end = tm.span(f)
        anchored = got[comment_text(f)].pop(0)
        if end > start:
            assert anchored == reviewed.raw[start:end].replace("\n", ""), (f.code, anchored)
        else:
            assert len(anchored) <= 1


def test_a_pdf_with_an_unreadable_page_notices_at_the_title_pages_in_comments(tmp_path: Path) -> None:
    from tests.test_readers_pdf import _splice

    pdf = _splice(tmp_path, "scan.pdf", 3, "scan")
    reviewed = review_file(Engine(), str(pdf))
    assert reviewed.result.error is None and reviewed.result.notices
    write_annotated(reviewed, tmp_path / "o.docx")
    got = anchored_texts(tmp_path / "o.docx")
    title = got[notices_text(reviewed.result.notices)]
    start, end = reviewed.title
    assert title == [reviewed.raw[start:end].replace("\n", "")]  # a title over two lines: two paragraphs
    assert sum("审核说明" in k for k in got) == 1
    assert any("（第4页）" in k for k in got)  # a finding on page 4 says so
    assert_comments_on_their_text_in_text_docx(reviewed, tmp_path / "o.docx")


# --- LibreOffice --------------------------------------------------------------------------------
def libreoffice_pdfs(docs: list[Path], tmp_path: Path) -> list[Path]:
    assert SOFFICE, "LibreOffice is needed for this test: apt-get install libreoffice-writer (.ci/run does)"
    outdir = tmp_path / "pdf"
    r = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
         "--outdir", str(outdir), *map(str, docs)],
        capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    pdfs = [outdir / (d.stem + ".pdf") for d in docs]
    missing = [p.name for p in pdfs if not p.is_file()]
    assert not missing, (missing, r.stdout[-2000:], r.stderr[-2000:])
    return pdfs


def pdf_comments(pdf: Path) -> list[tuple[str, str]]:
    """(comment text, the text just before where LibreOffice put it: the end of its anchor)."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for ref in resolve1(page.page_obj.annots) or []:
                a = resolve1(ref)
                contents = resolve1(a.get("Contents"))
                if contents is None or str(resolve1(a.get("Subtype"))) != "/'Text'":
                    continue
                x0, y0, _x1, y1 = resolve1(a["Rect"])
                mid = page.height - (y0 + y1) / 2
                left = sorted((c for c in page.chars if c["top"] <= mid <= c["bottom"] and c["x1"] <= x0 + 2),
                              key=lambda c: c["x0"])
                text = decode_text(contents) if isinstance(contents, bytes) else str(contents)
                out.append((text.replace("\r", "\n"), "".join(c["text"] for c in left)))
    return out


def test_libreoffice_renders_every_comment_on_its_text(tmp_path: Path) -> None:
    """The template and the five samples as .docx drafts: annotated, converted to PDF by LibreOffice
    without error, every comment in the PDF, each placed right after the text it is anchored on."""
    drafts = [tmp_path / "template.docx"]
    shutil.copy(TEMPLATE, drafts[0])
    for p in sorted(SAMPLES.glob("*.txt")):
        drafts.append(sample_docx(p.read_text(encoding="utf-8"), tmp_path / f"{p.stem}.docx"))
    annotated, expected = [], []
    for d in drafts:
        reviewed = review_file(Engine(), str(d), locate=True)
        assert reviewed.result.error is None
        out = tmp_path / "reviewed" / d.name
        out.parent.mkdir(exist_ok=True)
        write_annotated(reviewed, out)
        annotated.append(out)
        expected.append(anchored_texts(out))
    for pdf, anchors in zip(libreoffice_pdfs(annotated, tmp_path), expected):
        found = pdf_comments(pdf)
        want = Counter(k for k, v in anchors.items() for _ in v)
        assert Counter(t for t, _ in found) == want, pdf.name
        for text, before in found:
            anchor = anchors[text][0]
            tail = "".join(anchor.split())[-1:]  # (a narrow cell may wrap just before it)
            if tail:  # a point in an empty cell has nothing before it
                assert "".join(before.split()).endswith(tail), (pdf.name, text[:40], anchor, before)


def test_join_lines_map_points_each_character_at_its_source() -> None:
    """The cell text a .docx comment is anchored through: each character of join_lines' result comes
    from the character the map names (spaces it inserts between lines come from nowhere)."""
    from hypothesis import given
    from hypothesis import strategies as st

    from reviewer.readers.assemble import join_lines, join_lines_map

    @given(st.text(alphabet="ab 一二\t\n\r\u3000", max_size=40))
    def check(text: str) -> None:
        joined, where = join_lines_map(text)
        assert joined == join_lines(text) and len(where) == len(joined)
        flat = text.replace("\t", " ").replace("\r", "\n")
        for ch, w in zip(joined, where):
            assert (ch == " " and w == -1) or flat[w] == ch
        assert [w for w in where if w >= 0] == sorted(w for w in where if w >= 0)

    check()
