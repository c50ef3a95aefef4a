"""What reaches a terminal or a spreadsheet: controls escaped, formulas neutralised; internal errors
as a clean Chinese line; profiles that cannot hang the reviewer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer.batch.outputs import summary_row
from reviewer.cli import main
from reviewer.errors import UsageError, internal_error
from reviewer.output import renderer
from reviewer.output.safe import cell, terminal
from reviewer.profile import load_profile, pattern_problem
from schemas.output import FileResult
from tests.hostile import attacks

NASTY = "\x1b]0;title\x07\x1b[2J\x9b31m\u202egnp.exe\x00"


def test_terminal_formats_escape_every_control() -> None:
    r = FileResult(path=f"{NASTY}.txt", error=f"坏{NASTY}", notices=[NASTY])
    for fmt in ("text", "full", "github", "markdown", "sarif"):
        out = renderer(fmt)([r])
        assert not any(ch in out for ch in "\x1b\x07\x9b\u202e\x00"), fmt
        assert "\\x1b]0;title\\x07" in out or fmt in ("sarif", "markdown"), fmt
    data = renderer("json")([r])
    assert "\x9b" not in data and "\u202e" not in data and json.loads(data)["files"][0]["path"] == f"{NASTY}.txt"
    assert terminal("表\t格") == "表\t格" and terminal("a\nb", one_line=True) == "a\\x0ab"


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_spreadsheet_cells_are_never_formulas(value: str) -> None:
    assert cell(value).startswith("'") and cell(7) == 7


def test_spreadsheet_cells_lose_control_characters() -> None:
    assert cell("机\x01关\x1b[31m\x9b") == "机关[31m"


def test_xlsx_with_formulas_and_controls_in_every_text_column(tmp_path: Path) -> None:
    """A manifest's agency is report text too: no live formula, no crash on control characters."""
    import openpyxl
    src = tmp_path / "in"
    src.mkdir()
    attacks.text_file(src, "a.txt", attacks.BASE)
    attacks.text_file(src, "b.txt", attacks.BASE.replace("临川市", "临川县"))
    (src / "list.csv").write_text('path,agency\na.txt,"=HYPERLINK(""http://e/"",""x"")"\nb.txt,"\x01坏\x1b机关\x07"\n',
                                  encoding="utf-8")
    out = CliRunner().invoke(main, ["batch", str(src / "list.csv"), "--out", str(tmp_path / "o"), "--jobs", "1",
                                    "--no-progress", "--xlsx"])
    assert out.exit_code == 0, out.output
    ws = openpyxl.load_workbook(tmp_path / "o" / "summary.xlsx").active
    values = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in values)
    agencies = [row[1].value for row in ws.iter_rows(min_row=2)]
    assert agencies == ["'=HYPERLINK(\"http://e/\",\"x\")", "坏机关"]
    csv_text = (tmp_path / "o" / "summary.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "\x01" not in csv_text and "\x1b" not in csv_text


def test_summary_rows_and_csv_agree_cell_for_cell() -> None:
    rec = {"path": "-x.txt", "report": {"agency": "@a", "level": None, "year": 2023}, "findings": [], "error": None,
           "extractor": "rules", "previous": None, "sha256": "ab"}
    assert [cell(v) for v in summary_row(rec)][:2] == ["'-x.txt", "'@a"]


def test_internal_errors_never_quote_the_exception() -> None:
    e = ValueError("Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits")
    message = internal_error(e)
    assert "Exceeds" not in message and "位数过多" in message
    other = internal_error(ValueError("/etc/shadow: root:x:0"))
    assert "shadow" not in other and "ValueError" in other and "内部错误" in other
    assert "内存" in internal_error(MemoryError())
    assert "4300" in internal_error(e) and "Exceeds" not in internal_error(e)


@pytest.mark.parametrize("pattern", ["(a+)+$", "(x|xy)*z", "(?:a*b?)*c", "(a)\\1", "a.*b.*c", "x" * 400, "(?P<n>a)(?(n)b|c)"])
def test_profile_phrasings_that_could_backtrack_are_refused(pattern: str) -> None:
    assert pattern_problem(pattern)


def test_built_in_phrasings_are_accepted() -> None:
    for name in ("national", "shandong"):
        for item in load_profile(name).required_items:
            assert not [p for p in item.patterns if pattern_problem(p)], item.key


def test_extends_only_to_built_in_names_or_regular_files(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    for target in ("/dev/zero", str(fifo), str(tmp_path)):
        prof = tmp_path / "p.toml"
        prof.write_text(f'name = "p"\nextends = "{target}"\n', encoding="utf-8")
        with pytest.raises(UsageError, match="extends"):
            load_profile(str(prof))
    prof.write_text('name = "p"\nextends = 3\n', encoding="utf-8")
    with pytest.raises(UsageError, match="extends"):
        load_profile(str(prof))
