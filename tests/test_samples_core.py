"""The real samples, with findings of the core rules written down by reading each report.

Only the core codes (tables, structure, format version) are asserted here; the narrative rules
have their own sample tests.
"""

from __future__ import annotations

import pytest

from reviewer.document import build_document
from reviewer.engine import Engine
from reviewer.ingest import read_text_file
from reviewer.tables import parse_tables
from schemas.tables import TABLE3_ROW_KEYS, TableStatus
from tests.conftest import sample

CORE = {"D001", "S101", "F101", "F102", "F103", "T101", "T102", "T103", "T104", "T201", "T202", "T301", "T302", "T303", "T401"}

# (code, line) pairs expected from the core rules, by reading each report.
EXPECTED = {
    # Tables 二 and 四 are missing (the headings follow each other), table 三 is an image
    # ("[image: 文字文稿3_01]" on line 20); the intro cites 〔2021〕30号.
    "000": [("T101", 18), ("T101", 20), ("T101", 20)],
    # All three tables are missing (only headings and a "[bookmark: _GoBack]").
    "001": [("T101", 18), ("T101", 19), ("T101", 20)],
    # No intro, so no format notice — not a finding (F101 is only for citing 〔2019〕60号); 本年度止件数
    # (line 18) and 其他法律法规禁止公开 (line 42) drift; rows （一） to （三）4 of table 三 are blank (39-44):
    # one T103 for the table, at its first blank cell.
    "002": [("T102", 18), ("T102", 42), ("T103", 39)],
    # Cites the superseded 〔2019〕60号 on line 3; its tables add up.
    "003": [("F101", 3)],
    # Clean as far as the core rules go.
    "004": [],
}


def review(prefix: str):
    return Engine().review_path(sample(prefix))


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_core_findings_on_samples(prefix: str) -> None:
    result = review(prefix)
    assert result.error is None
    got = sorted((f.code, f.line) for f in result.findings if f.code in CORE)
    assert got == sorted(EXPECTED[prefix])


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_image_and_missing_tables_give_no_arithmetic(prefix: str) -> None:
    codes = {f.code for f in review(prefix).findings}
    assert not codes & {"T103", "T104", "T301", "T302", "T303", "T401"}


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_one_cell_per_line_tables_parse_completely(prefix: str) -> None:
    raw, enc = read_text_file(sample(prefix))
    tables = parse_tables(build_document(raw, "x", encoding=enc))
    assert tables.t3.status == TableStatus.PARSED
    assert list(tables.t3.rows) == list(TABLE3_ROW_KEYS)
    assert all(len(cells) == 7 and all(c.is_number for c in cells) for cells in tables.t3.rows.values())
    assert tables.t4.status == TableStatus.PARSED
    assert all(len(c) == 5 and all(x.is_number for x in c) for c in tables.t4.blocks.values())
    assert tables.t2.status == TableStatus.PARSED and len(tables.t2.rows) == 6


def test_sample_003_values_read_from_the_text() -> None:
    raw, enc = read_text_file(sample("003"))
    t = parse_tables(build_document(raw, "x", encoding=enc))
    assert [int(c.value) for c in t.t3.rows["new"]] == [47, 0, 0, 0, 0, 0, 47]
    # "0三、本年度办理结果": a stray digit glued to the group label is not a cell of row 二.
    assert [int(c.value) for c in t.t3.rows["carried_over"]] == [0] * 7
    assert [int(c.value) for c in t.t3.rows["total"]] == [47, 0, 0, 0, 0, 0, 47]
    assert [int(c.value) for c in t.t4.blocks["review"]] == [2, 0, 0, 0, 2]
    assert str(t.t2.rows["fees"][0].value) == "2648.66"
    assert t.t3.rows["granted"][0].loc.line == 115


def test_changed_cell_gives_exactly_the_right_codes_with_numbers() -> None:
    raw, _ = read_text_file(sample("004"))
    lines = raw.split("\n")
    assert lines[112] == "\t3"  # 一、本年新收: 自然人
    lines[112] = "\t4"
    result = Engine().review_text("\n".join(lines), "004-mutated.txt")
    core = [f for f in result.findings if f.code in CORE]
    assert sorted(f.code for f in core) == ["T301", "T302"]
    t301 = next(f for f in core if f.code == "T301")
    assert "自然人4" in t301.message and "= 4" in t301.message and "总计为3" in t301.message
    t302 = next(f for f in core if f.code == "T302")
    assert "自然人列：第一项4 + 第二项0 = 4，第三项（七）总计3 + 第四项0 = 3，勾稽关系不成立" == t302.message
