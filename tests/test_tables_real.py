"""The statutory tables of the ten shared real reports (evals/real/reports), read the way a person
reads them (../shared/corpus/real/README.md, and the PDFs' text read by hand), with the table
findings they imply and the tool limits that must be notices, not findings.

Each report states table 三's rows that are not all 0 (the others must read 0 in every cell),
table 四's three blocks, and table 二's rows where the text settles them. ``None`` is a blank cell.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reviewer.engine import Engine, merge_tables
from reviewer.readers import read
from schemas.tables import TABLE3_GROUPS, TABLE3_ROW_KEYS, Cell

REPORTS = Path(__file__).resolve().parent.parent / "evals" / "real" / "reports"
Z = [0] * 7

# id -> (file, table 二 rows, table 三 rows not all 0, table 四 blocks)
TABLES: dict[str, tuple[str, dict, dict, dict]] = {
    # 2019-format table 二 (本年新制作数量…/上一年项目数量/本年增减…), right for a 2020 report: its
    # cells have no 2021 meaning and are not mapped (no T103 for "2648-18538", no T201, no F102).
    # Table 三 (2019 layout, single （六）其他处理 row) is read by each row's own 总计; its outcome
    # rows add up to 27 (自然人 26) against （七）总计 21 (20): T303.
    "pingtan-2020": (
        "pingtan-2020.txt",
        {},
        {
            "new": [20, 0, 0, 0, 0, 1, 21],
            "granted": [6, 0, 0, 0, 0, 1, 7],
            "partial": [6, 0, 0, 0, 0, 0, 6],
            "unable_1": [4, 0, 0, 0, 0, 0, 4],
            "unable_3": [3, 0, 0, 0, 0, 0, 3],
            "rejected_2": [3, 0, 0, 0, 0, 0, 3],
            "other": [4, 0, 0, 0, 0, 0, 4],
            "total": [20, 0, 0, 0, 0, 1, 21],
        },
        {"review": [0] * 5, "direct_suit": [0] * 5, "suit_after_review": [0] * 5},
    ),
    # "行政规范性文件8855698" is 88 | 55 | 698 by the prose ("现行有效行政规范性文件698件…制发…88件").
    # Table 四 stands under a heading with a typo ("行政法复议"); its cells are spaced.
    "pingtan-2022": (
        "pingtan-2022.txt",
        {"regulations": [0, 0, 0], "normative_docs": [88, 55, 698], "licensing": [10690], "penalty": [2113],
         "enforcement": [0], "fees": [Decimal("9116.36")]},
        {
            "new": [71, 3, 0, 0, 0, 0, 74],
            "carried_over": [1, 0, 0, 0, 0, 0, 1],
            "granted": [21, 0, 0, 0, 0, 0, 21],
            "partial": [8, 1, 0, 0, 0, 0, 9],
            "denied_5": [1, 0, 0, 0, 0, 0, 1],
            "denied_6": [2, 0, 0, 0, 0, 0, 2],
            "denied_7": [1, 0, 0, 0, 0, 0, 1],
            "unable_1": [37, 0, 0, 0, 0, 0, 37],
            "other_1": [2, 0, 0, 0, 0, 0, 2],
            "other_3": [0, 2, 0, 0, 0, 0, 2],
            "total": [72, 3, 0, 0, 0, 0, 75],
        },
        {"review": [0, 1, 1, 0, 2], "direct_suit": [1, 0, 0, 0, 1], "suit_after_review": [0] * 5},
    ),
    # "行政规范性文件6233440": the prose gives 制发 62, the rest ("33440") has no figure: a notice.
    "pingtan-2024": (
        "pingtan-2024.txt",
        {"regulations": [0, 0, 0], "licensing": [4529], "penalty": [1100], "enforcement": [65],
         "fees": [Decimal("18651.06")]},
        {
            "new": [217, 1, 0, 0, 0, 0, 218],
            "granted": [71, 0, 0, 0, 0, 0, 71],
            "partial": [29, 0, 0, 0, 0, 0, 29],
            "denied_1": [4, 0, 0, 0, 0, 0, 4],
            "denied_4": [3, 0, 0, 0, 0, 0, 3],
            "denied_5": [32, 0, 0, 0, 0, 0, 32],
            "unable_1": [75, 0, 0, 0, 0, 0, 75],
            "rejected_2": [1, 0, 0, 0, 0, 0, 1],
            "other_1": [1, 0, 0, 0, 0, 0, 1],
            "other_3": [1, 1, 0, 0, 0, 0, 2],
            "total": [217, 1, 0, 0, 0, 0, 218],
        },
        {"review": [2, 1, 3, 1, 7], "direct_suit": [0] * 5, "suit_after_review": [13, 2, 4, 0, 19]},
    ),
    # Markdown from a PDF: table 二's single-cell rows stand on loose lines before the pipe table;
    # table 三's labels drifted off their rows (the reading order places them), a stray "1" is noise,
    # row 四's 总计 cell is empty.
    "kewei-2024": (
        "kewei-2024.md",
        {"regulations": [0, 0, 0], "normative_docs": [13, 0, 55], "licensing": [97], "penalty": [0],
         "enforcement": [0], "fees": [0]},
        {
            "new": [32, 2, 0, 0, 0, 0, 34],
            "carried_over": [2, 0, 0, 0, 0, 0, 2],
            "granted": [9, 0, 0, 0, 0, 0, 9],
            "denied_5": [1, 0, 0, 0, 0, 0, 1],
            "denied_6": [1, 0, 0, 0, 0, 0, 1],
            "unable_1": [4, 0, 0, 0, 0, 0, 4],
            "unable_2": [6, 0, 0, 0, 0, 0, 6],
            "other_1": [8, 2, 0, 0, 0, 0, 10],
            "other_3": [4, 0, 0, 0, 0, 0, 4],
            "total": [33, 2, 0, 0, 0, 0, 35],
            "carry_next": [1, 0, 0, 0, 0, 0, None],
        },
        {"review": [1, 0, 0, 0, 1], "direct_suit": [0] * 5, "suit_after_review": [0] * 5},
    ),
    # Table 二 （一）项 lost one cell per row in conversion ("规章 | 22 | 235"): a notice; the
    # single-cell rows stand outside the pipe table. Table 三's header is split, labels detached.
    "shanghai-office-2025": (
        "shanghai-office-2025.md",
        {"licensing": [0], "penalty": [0], "enforcement": [0], "fees": [0]},
        {
            "new": [1259, 36, 0, 0, 0, 0, 1295],
            "carried_over": [170, 15, 0, 0, 4, 0, 189],
            "granted": [201, 5, 0, 0, 0, 0, 206],
            "partial": [2, 0, 0, 0, 0, 0, 2],
            "denied_1": [4, 0, 0, 0, 0, 0, 4],
            "denied_3": [1, 0, 0, 0, 0, 0, 1],
            "denied_5": [8, 0, 0, 0, 1, 0, 9],
            "denied_6": [1, 0, 0, 0, 0, 0, 1],
            "denied_8": [5, 0, 0, 0, 0, 0, 5],
            "unable_1": [484, 28, 0, 0, 1, 0, 513],
            "unable_2": [47, 1, 0, 0, 0, 0, 48],
            "unable_3": [3, 0, 0, 0, 0, 0, 3],
            "rejected_1": [61, 1, 0, 0, 0, 0, 62],
            "rejected_2": [16, 0, 0, 0, 0, 0, 16],
            "rejected_3": [1, 0, 0, 0, 0, 0, 1],
            "rejected_4": [1, 0, 0, 0, 0, 0, 1],
            "other_1": [40, 1, 0, 0, 2, 0, 43],
            "other_3": [264, 12, 0, 0, 0, 0, 276],
            "total": [1139, 48, 0, 0, 4, 0, 1191],
            "carry_next": [290, 3, 0, 0, 0, 0, 293],
        },
        {"review": [40, 0, 10, 5, 55], "direct_suit": [2, 0, 4, 6, 12], "suit_after_review": [6, 0, 9, 7, 22]},
    ),
    # Markdown tables with placeholder column names (数据1…数据6), "-" header tables, a wrong header
    # row from （六）2 on, half-width brackets, "，" for "、" in a label (not T102), table 四 in three tables.
    "shuyang-county-2025": (
        "shuyang-county-2025.txt",
        {"regulations": [0, 0, 0], "normative_docs": [6, 1, 32], "licensing": [517645], "penalty": [693957],
         "enforcement": [2154], "fees": [Decimal("4068.208")]},
        {
            "new": [705, 3, 0, 0, 5, 0, 713],
            "carried_over": [36, 0, 0, 0, 0, 0, 36],
            "granted": [290, 1, 0, 0, 3, 0, 294],
            "partial": [99, 0, 0, 0, 2, 0, 101],
            "denied_3": [2, 0, 0, 0, 0, 0, 2],
            "denied_4": [2, 0, 0, 0, 0, 0, 2],
            "denied_5": [13, 0, 0, 0, 0, 0, 13],
            "denied_6": [2, 0, 0, 0, 0, 0, 2],
            "denied_7": [4, 0, 0, 0, 0, 0, 4],
            "denied_8": [9, 0, 0, 0, 0, 0, 9],
            "unable_1": [111, 0, 0, 0, 0, 0, 111],
            "unable_2": [2, 0, 0, 0, 0, 0, 2],
            "rejected_1": [12, 0, 0, 0, 0, 0, 12],
            "rejected_2": [6, 1, 0, 0, 0, 0, 7],
            "other_1": [9, 0, 0, 0, 0, 0, 9],
            "other_2": [7, 0, 0, 0, 0, 0, 7],
            "other_3": [142, 1, 0, 0, 0, 0, 143],
            "total": [710, 3, 0, 0, 5, 0, 718],
            "carry_next": [31, 0, 0, 0, 0, 0, 31],
        },
        {"review": [27, 10, 9, 15, 61], "direct_suit": [3, 0, 0, 0, 3], "suit_after_review": [8, 0, 1, 1, 10]},
    ),
    # HTML tables: the four 法人 columns of table 三 are blank in every row (not 0).
    "shuyang-fagai-2023": (
        "shuyang-fagai-2023.html",
        {"regulations": [0, 0, 0], "normative_docs": [8, 0, 18], "licensing": [0], "penalty": [0],
         "enforcement": [0], "fees": [0]},
        {k: [0, None, None, None, None, None, 0] for k in TABLE3_ROW_KEYS}
        | {"new": [26, None, None, None, None, None, 26], "granted": [26, None, None, None, None, None, 26],
           "total": [26, None, None, None, None, None, 26]},
        {"review": [0, 0, 0, 1, 1], "direct_suit": [0] * 5, "suit_after_review": [0] * 5},
    ),
    # Ruled PDF tables, read from the grid.
    "szfgs-2024": (
        "szfgs-2024.pdf",
        {"regulations": [1, 0, 11], "normative_docs": [8, 26, 66], "licensing": [447228], "penalty": [3985758],
         "enforcement": [88283], "fees": [Decimal("96171.6")]},
        {
            "new": [3001, 53, 0, 0, 61, 4, 3119],
            "carried_over": [34, 0, 0, 0, 0, 0, 34],
            "granted": [1288, 21, 0, 0, 50, 3, 1362],
            "partial": [447, 7, 0, 0, 0, 0, 454],
            "denied_1": [2, 0, 0, 0, 0, 0, 2],
            "denied_2": [30, 1, 0, 0, 0, 0, 31],
            "denied_3": [5, 0, 0, 0, 0, 0, 5],
            "denied_4": [6, 0, 0, 0, 0, 0, 6],
            "denied_5": [7, 1, 0, 0, 0, 0, 8],
            "denied_6": [12, 0, 0, 0, 0, 0, 12],
            "denied_7": [9, 0, 0, 0, 0, 0, 9],
            "denied_8": [105, 0, 0, 0, 0, 0, 105],
            "unable_1": [746, 12, 0, 0, 10, 1, 769],
            "unable_2": [11, 0, 0, 0, 0, 0, 11],
            "unable_3": [1, 0, 0, 0, 0, 0, 1],
            "rejected_1": [56, 6, 0, 0, 0, 0, 62],
            "rejected_2": [25, 0, 0, 0, 0, 0, 25],
            "rejected_5": [1, 0, 0, 0, 0, 0, 1],
            "other_1": [67, 3, 0, 0, 1, 0, 71],
            "other_2": [6, 0, 0, 0, 0, 0, 6],
            "other_3": [108, 2, 0, 0, 0, 0, 110],
            "total": [2932, 53, 0, 0, 61, 4, 3050],
            "carry_next": [103, 0, 0, 0, 0, 0, 103],
        },
        {"review": [72, 64, 178, 37, 351], "direct_suit": [13, 4, 8, 1, 26], "suit_after_review": [12, 1, 1, 6, 20]},
    ),
    # PDF whose table 三 writes （六）其他处理 as one row (the 2019 layout); table 四's 总计 cells are 0
    # under 10/1/0/0 and 5/0/0/0.
    "hongze-2023": (
        "hongze-2023.pdf",
        {"regulations": [0, 0, 0], "normative_docs": [0, 5, 5], "licensing": [550], "penalty": [4119],
         "enforcement": [195], "fees": [Decimal("7730.28")]},
        {
            "new": [21, 0, 0, 0, 0, 0, 21],
            "partial": [4, 0, 0, 0, 0, 0, 4],
            "denied_1": [1, 0, 0, 0, 0, 0, 1],
            "denied_6": [1, 0, 0, 0, 0, 0, 1],
            "denied_7": [1, 0, 0, 0, 0, 0, 1],
            "unable_1": [10, 0, 0, 0, 0, 0, 10],
            "unable_2": [3, 0, 0, 0, 0, 0, 3],
            "rejected_1": [1, 0, 0, 0, 0, 0, 1],
            "other": Z,
            "total": [21, 0, 0, 0, 0, 0, 21],
        },
        {"review": [10, 1, 0, 0, 0], "direct_suit": [0] * 5, "suit_after_review": [5, 0, 0, 0, 0]},
    ),
    "hongze-2024": (
        "hongze-2024.pdf",
        {"regulations": [0, 0, 0], "normative_docs": [3, 0, 8], "licensing": [9487], "penalty": [2776],
         "enforcement": [84], "fees": [7545]},
        {
            "new": [95, 0, 0, 0, 0, 0, 95],
            "granted": [50, 0, 0, 0, 0, 0, 50],
            "partial": [9, 0, 0, 0, 0, 0, 9],
            "denied_3": [1, 0, 0, 0, 0, 0, 1],
            "denied_6": [1, 0, 0, 0, 0, 0, 1],
            "denied_7": [1, 0, 0, 0, 0, 0, 1],
            "unable_1": [31, 0, 0, 0, 0, 0, 31],
            "unable_2": [1, 0, 0, 0, 0, 0, 1],
            "rejected_1": [1, 0, 0, 0, 0, 0, 1],
            "other": Z,
            "total": [95, 0, 0, 0, 0, 0, 95],
        },
        {"review": [1, 1, 0, 0, 2], "direct_suit": [1, 0, 0, 0, 1], "suit_after_review": [2, 0, 1, 0, 3]},
    ),
}

# id -> the table findings (code, words each message contains); every other T/F code must be absent.
FINDINGS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "pingtan-2020": [("T303", ("自然人列各项办理结果之和为26", "（七）总计为20", "总计列各项办理结果之和为27", "（七）总计为21"))],
    "pingtan-2022": [],
    "pingtan-2024": [],
    # The blank 总计 of row 四 is T103 (once); the 勾稽 of the 总计 column fails only through it.
    # Table 二's row label 规范性文件 is the 2019 wording (reviews.json: a miss).
    "kewei-2024": [("F102", ("“规范性文件”",)), ("T103", ("“四、结转下年度继续办理”行“总计”列",))],
    "shanghai-office-2025": [],
    "shuyang-county-2025": [],
    "shuyang-fagai-2023": [
        ("F102", ("规范性文件",)),
        ("T103", ("125个单元格为空", "全部25行“商业企业、科研机构、社会公益组织、法律服务机构、其他”列")),
    ],
    "szfgs-2024": [],
    # The expert judged T101 for the single （六） row a true finding; RULES.md now keeps T101 for an
    # absent or image-only table, and a 2019 layout in a 2021+ report is F102's: reported once,
    # while every identity is still checked with the single row (the 2019 format's own reading).
    "hongze-2023": [
        ("F102", ("（六）其他处理", "只有一行")),
        ("T102", ("2.其他法律行政止公开",)),
        ("T401", ("行政复议：", "= 11，但总计为0")),
        ("T401", ("行政诉讼（复议后起诉）：", "= 5，但总计为0")),
    ],
    "hongze-2024": [("F102", ("（六）其他处理", "只有一行")), ("T102", ("2.其他法律行政止公开",))],
}

# id -> words of the notice the file must carry (tool limits, never findings)
NOTICES: dict[str, tuple[str, ...]] = {
    "pingtan-2024": ("第二部分表格未能自动核对", "行政规范性文件", "6233440", "请人工核对"),
    "shanghai-office-2025": ("第二部分表格未能自动核对", "规章行", "行政规范性文件行", "请人工核对"),
}


def _values(cells: list[Cell] | None) -> list | None:
    if cells is None:
        return None
    return [None if c.value is None else (int(c.value) if c.value == int(c.value) else c.value) for c in cells]


def _tables(name: str):
    res = read(REPORTS / name)
    doc = Engine().document(res.raw, name, fmt=res.format)
    return merge_tables(res.tables, doc)


@pytest.mark.parametrize("rid", sorted(TABLES))
def test_cells_as_a_person_reads_them(rid: str) -> None:
    name, t2, t3, t4 = TABLES[rid]
    tables = _tables(name)
    for key, want in t2.items():
        assert _values(tables.t2.rows.get(key)) == want, f"table 二 {key}"
    rows = {**tables.t3.rows, **tables.t3.merged}
    keys = [k for k in TABLE3_ROW_KEYS if not ("other" in t3 and k in TABLE3_GROUPS["other"][1])]
    keys += [g for g in TABLE3_GROUPS if g in t3]
    for key in keys:
        assert _values(rows.get(key)) == t3.get(key, Z), f"table 三 {key}"
    for key, want in t4.items():
        assert _values(tables.t4.blocks.get(key)) == want, f"table 四 {key}"


@pytest.mark.parametrize("rid", sorted(FINDINGS))
def test_table_findings_and_notices(rid: str) -> None:
    result = Engine().review_path(REPORTS / TABLES[rid][0])
    got = sorted((f for f in result.findings if f.code[0] in "TF" and f.code != "F101"), key=lambda f: (f.code, f.line, f.column))
    want = sorted(FINDINGS[rid])
    assert [f.code for f in got] == [c for c, _ in want], "\n".join(f"{f.code} {f.message}" for f in got)
    for f, (_, words) in zip(got, want):
        for w in words:
            assert w in f.message, f"{w!r} not in {f.message!r}"
    notices = " ".join(result.notices)
    for w in NOTICES.get(rid, ()):
        assert w in notices
    assert "不要用图片" not in notices + " ".join(f.hint for f in result.findings if f.code == "T101")


def test_pingtan_2024_undecided_row_keeps_its_readings() -> None:
    t2 = _tables("pingtan-2024.txt").t2
    assert [[int(c.value) for c in r] for r in t2.alternatives["normative_docs"]] == [
        [62, 3, 3440], [62, 33, 440], [62, 334, 40], [62, 3344, 0]
    ]


def test_kewei_2019_row_label_where_it_stands() -> None:
    """kewei-2024's 规范性文件 row stands in the pipe table after table 二's loose lines: F102 once, there."""
    result = Engine(year=2024).review_path(REPORTS / "kewei-2024.md")
    f102 = [f for f in result.findings if f.code == "F102"]
    assert len(f102) == 1 and "规范性文件" in f102[0].message and f102[0].line == 89


def test_pingtan_2020_table_two_is_the_2019_layout() -> None:
    """A 2020 report rightly uses the 2019 table 二 (上一年项目数量/本年增减/处理决定数量…): its rows are
    there, their cells ("2648-18538") are values of other columns, not blank 2021 cells."""
    t2 = _tables("pingtan-2020.txt").t2
    assert t2.layout == "2019" and t2.missing == [] and t2.rows == {} and not t2.notices
