"""Grids onto the canonical tables: header-named columns, merged cells, page breaks, fallbacks."""

from __future__ import annotations

from reviewer.readers.assemble import Para, assemble, structured_tables
from reviewer.tables.grid import Grid
from schemas.tables import TABLE3_ROWS, TableStatus

HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def tables_of(section3: list, section4: list | None = None):
    blocks = [Para("某局2023年政府信息公开工作年度报告")]
    for i, h in enumerate(HEADINGS):
        blocks.append(Para(h))
        blocks += {2: section3, 3: section4 or []}.get(i, [Para("正文。")])
    a = assemble(blocks)
    return structured_tables(a.raw, a.grids, "x.docx", "docx"), a


def t3_grid(
    *, subtotal: bool = False, merge_total_row: bool = False, rows: range | None = None, header: bool = True
) -> Grid:
    names = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] + (["小计"] if subtotal else []) + ["总计"]
    spans = []
    r = 0
    if header:
        spans += [(0, 0, 1, 1, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")]
        spans += [(0, 1 + i, 1, 1, n) for i, n in enumerate(names)]
        r = 1
    keys = list(TABLE3_ROWS)
    for k in (keys[i] for i in (rows or range(len(keys)))):
        short, full = TABLE3_ROWS[k]
        label = short[:3] + full if short[3:].isdigit() else full
        values = ["1", "0", "0", "0", "0", "0"] + (["0"] if subtotal else []) + ["1"]
        if k in ("carried_over", "carry_next") or (k not in ("new", "total") and k != "granted"):
            values = ["0"] * len(values)
        spans.append((r, 0, 1, 1, label))
        if merge_total_row and k == "total":
            spans.append((r, 1, 1, len(values), "1"))
        else:
            spans += [(r, 1 + i, 1, 1, v) for i, v in enumerate(values)]
        r += 1
    return Grid.from_spans(spans)


def test_header_names_the_columns_and_a_subtotal_column_is_dropped() -> None:
    tables, _ = tables_of([t3_grid(subtotal=True)])
    t3 = tables.t3
    assert t3.status == TableStatus.PARSED and t3.source == "docx"
    assert [c.raw for c in t3.rows["new"]] == ["1", "0", "0", "0", "0", "0", "1"]
    assert t3.nonstandard == ["表头含“法人或其他组织小计”列（非标准的28×8格式），已按标准7列处理"]


def test_table_continued_on_a_second_grid_without_header() -> None:
    tables, a = tables_of([t3_grid(rows=range(0, 10)), Para("- 4 -"), t3_grid(rows=range(10, 25), header=False)])
    assert tables.t3.status == TableStatus.PARSED
    assert len(tables.t3.rows) == 25
    cell = tables.t3.cell("total", "total")
    assert a.raw.split("\n")[cell.loc.line - 1].startswith("（七）总计\t")


def test_merged_value_cells_are_reported_not_guessed() -> None:
    tables, _ = tables_of([t3_grid(merge_total_row=True)])
    t3 = tables.t3
    assert t3.status == TableStatus.INCOMPLETE
    assert t3.reason == "（七）总计行：“自然人”列的单元格与相邻单元格合并"


def test_subtotal_row_is_ignored_and_noted() -> None:
    g = t3_grid()
    spans = [(c.row + (c.row >= 3), c.col, 1, len(g.columns(c)), c.text) for c in g.cells]
    spans.append((3, 0, 1, 1, "小计"))
    spans += [(3, 1 + i, 1, 1, "0") for i in range(7)]
    tables, _ = tables_of([Grid.from_spans(spans)])
    assert tables.t3.status == TableStatus.PARSED
    assert tables.t3.nonstandard == ["表中含小计行，已忽略"]


def test_table4_cells_placed_by_their_headers() -> None:
    """The blocks in a non-standard order still land on their canonical keys."""
    names = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    spans = [(0, 0, 1, 5, "行政诉讼（复议后起诉）"), (0, 5, 1, 5, "行政复议"), (0, 10, 1, 5, "行政诉讼（未经复议直接起诉）")]
    spans += [(1, i, 1, 1, n) for i, n in enumerate(names * 3)]
    spans += [(2, i, 1, 1, str(v)) for i, v in enumerate([3, 0, 0, 0, 3, 1, 1, 0, 0, 2, 0, 0, 0, 1, 1])]
    tables, _ = tables_of([t3_grid()], [Grid.from_spans(spans)])
    t4 = tables.t4
    assert t4.status == TableStatus.PARSED
    assert [c.raw for c in t4.blocks["review"]] == ["1", "1", "0", "0", "2"]
    assert [c.raw for c in t4.blocks["suit_after_review"]] == ["3", "0", "0", "0", "3"]
    assert [c.raw for c in t4.blocks["direct_suit"]] == ["0", "0", "0", "1", "1"]


def test_text_parsers_take_over_where_no_grid_stands() -> None:
    """A table typed as tab-separated paragraphs (no real table) is still read, from the text."""
    rows = [Para("行政复议 行政诉讼"), Para("结果维持 结果纠正 其他结果 尚未审结 总计"), Para("1 0 0 1 2 0 0 0 1 1 0 0 0 0 0")]
    tables, _ = tables_of([t3_grid()], rows)
    assert tables.t4.status == TableStatus.PARSED and tables.t4.source == "text"
