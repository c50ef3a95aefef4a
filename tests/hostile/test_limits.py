"""The limits (reviewer.limits): parsed from --limit, checked before the work they bound, each a
one-line input error for that file; table spans clamped to the table's real size."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer import limits
from reviewer.cli import main
from reviewer.errors import UsageError
from reviewer.readers import read
from tests.hostile import attacks


@pytest.fixture(autouse=True)
def _default_limits():
    yield
    limits.configure(limits.DEFAULT)


def test_limit_settings_parse_with_units_and_zero() -> None:
    got = limits.parse(("bytes=2m", "chars=0", "pages=10"))
    assert (got.bytes, got.chars, got.pages, got.cells) == (2 << 20, 0, 10, limits.DEFAULT.cells)
    for bad in ("nothing", "bytes=-1", "bytes=lots", "colour=3"):
        with pytest.raises(UsageError):
            limits.parse((bad,))


def test_a_wrong_limit_is_a_usage_error(tmp_path: Path) -> None:
    report = attacks.text_file(tmp_path, "r.txt", attacks.BASE)
    out = CliRunner().invoke(main, ["--limit", "pages", str(report)])
    assert out.exit_code == 2 and "--limit" in out.output


def test_every_text_limit_names_itself_and_the_option(tmp_path: Path) -> None:
    report = attacks.text_file(tmp_path, "r.txt", attacks.BASE)
    for setting, name in (("bytes=1k", "bytes"), ("chars=100", "chars"), ("lines=10", "lines")):
        out = CliRunner().invoke(main, ["--limit", setting, str(report)])
        assert out.exit_code == 2, out.output
        line = next(ln for ln in out.output.splitlines() if "错误：" in ln)
        assert f"--limit {name}=N" in line and "超过上限" in line
    assert CliRunner().invoke(main, ["--limit", "chars=0", "--limit", "lines=0", str(report)]).exit_code in (0, 1)


def test_html_spans_are_clamped_to_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rowspan/colspan far beyond the table cover only its real rows and columns."""
    table = ('<table><tr><td rowspan="999999" colspan="999999">a</td><td>b</td><td>c</td></tr>'
             "<tr><td>d</td><td>e</td></tr></table>")
    grid = _grids(attacks.html_file(tmp_path, "t.html", table), monkeypatch)[0]
    assert len(grid.slots) == 2 and grid.width <= 5
    assert grid.cells[0].text == "a" and [c.text for c in grid.cells[1:3]] == ["b", "c"]


def test_docx_grid_span_and_grid_before_are_clamped_to_the_grid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = attacks.title_paras() + attacks.docx_table('<w:tcPr><w:gridSpan w:val="200000000"/></w:tcPr>',
                                                      '<w:trPr><w:gridBefore w:val="200000000"/></w:trPr>')
    grids = _grids(attacks.docx_file(tmp_path, "t.docx", body), monkeypatch)
    assert grids and all(g.width <= 6 for g in grids)


def test_table_cells_over_the_limit(tmp_path: Path) -> None:
    path = attacks.html_file(tmp_path, "t.html", attacks.span_table(20, 20, 1000))
    limits.configure(limits.parse(("cells=500",)))
    with pytest.raises(limits.LimitError, match="--limit cells=N"):
        read(path)


def test_zip_part_declared_beyond_the_limit_is_refused_before_inflating(tmp_path: Path) -> None:
    path = attacks.docx_file(tmp_path, "b.docx", attacks.title_paras())
    attacks.lying_sizes(path, "word/document.xml", (1 << 32) - 1)
    with pytest.raises(limits.LimitError, match="word/document.xml"):
        read(path)


def test_a_real_zip_bomb_over_a_lowered_limit(tmp_path: Path) -> None:
    path = attacks.docx_file(tmp_path, "b.docx", attacks.zip_bomb(3 << 20))
    limits.configure(limits.parse(("unzipped=1m",)))
    with pytest.raises(limits.LimitError, match="unzipped"):
        read(path)


def test_pdf_stream_inflation_is_bounded_however_it_is_decoded(tmp_path: Path) -> None:
    limits.configure(limits.parse(("inflated=1m",)))
    bomb = attacks.pdf_file(tmp_path, "b.pdf", [attacks.flate_bomb(3 << 20)])
    with pytest.raises(limits.LimitError, match="inflated"):
        read(bomb)
    # a corrupt stream (bad checksum) goes through pdfminer's salvage path: bounded too
    data = bytearray(bomb.read_bytes())
    end = data.rfind(b"\nendstream")
    data[end - 4 : end] = b"\x00\x00\x00\x00"
    bad = tmp_path / "corrupt.pdf"
    bad.write_bytes(bytes(data))
    with pytest.raises(limits.LimitError, match="inflated"):
        read(bad)


def test_pdf_salvage_keeps_what_a_small_corrupt_stream_holds() -> None:
    import zlib

    from reviewer.readers import pdf_guard

    pdf_guard.start_document()
    data = zlib.compress(b"BT (hello) Tj ET " * 100)
    assert pdf_guard.decompress_corrupted(data[:-4] + b"\x00\x00\x00\x00") == b"BT (hello) Tj ET " * 100


def test_pdf_pages_rulings_and_crossings(tmp_path: Path) -> None:
    pages = attacks.pdf_file(tmp_path, "p.pdf", [attacks.TEXT_OP] * 6)
    limits.configure(limits.parse(("pages=5",)))
    with pytest.raises(limits.LimitError, match="pages"):
        read(pages)
    ruled = attacks.pdf_file(tmp_path, "r.pdf", [attacks.ruled_page(60)])
    limits.configure(limits.parse(("rulings=50",)))
    with pytest.raises(limits.LimitError, match="第1页.*rulings"):
        read(ruled)
    limits.configure(limits.parse(("crossings=100",)))
    with pytest.raises(limits.LimitError, match="crossings"):
        read(ruled)


def test_real_reports_are_well_within_the_default_limits() -> None:
    from tests.conftest import DATA

    for name in ("szfgs2024.pdf", "hongze-2023.pdf", "template-2021.docx"):
        assert read(DATA / name).raw


def _grids(path: Path, monkeypatch: pytest.MonkeyPatch) -> list:
    """The grids a reader hands to the assembler."""
    import reviewer.readers.assemble as assemble_module

    captured: list = []
    real = assemble_module.assemble

    def spy(blocks):
        out = real(blocks)
        captured.extend(out.grids)
        return out

    monkeypatch.setattr(assemble_module, "assemble", spy)
    read(path)
    return captured
