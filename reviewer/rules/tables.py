"""T rules: the statutory tables, cell by cell and identity by identity."""

from __future__ import annotations

from collections.abc import Iterator

from reviewer.rules.base import Context, Rule
from reviewer.tables.common import UNPLACED
from schemas.common import Severity
from schemas.findings import Finding
from schemas.tables import (
    TABLE2_COLUMNS,
    TABLE2_ROWS,
    TABLE2_SUBTABLES,
    TABLE3_COLUMNS,
    TABLE3_GROUPS,
    TABLE3_ROW_KEYS,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
    Cell,
    CellKind,
    TableStatus,
    table3_label,
)

TABLE_NAMES = {"t2": "第二部分表格（主动公开政府信息情况）", "t3": "第三部分表格（收到和处理政府信息公开申请情况）", "t4": "第四部分表格（行政复议、行政诉讼情况）"}


def _tables(ctx: Context):
    return (("t2", ctx.tables.t2), ("t3", ctx.tables.t3), ("t4", ctx.tables.t4))


def _rows(ctx: Context) -> Iterator[tuple[str, str, list[Cell], list[str]]]:
    """Every read row of every table: (table key, row label, cells, column labels)."""
    t2, t3, t4 = ctx.tables.t2, ctx.tables.t3, ctx.tables.t4
    for key, cells in t2.rows.items():
        label, cols = TABLE2_ROWS[key]
        yield "t2", label, cells, [TABLE2_COLUMNS[c] for c in cols]
    order = {k: i for i, k in enumerate(TABLE3_ROW_KEYS)} | {g: TABLE3_ROW_KEYS.index(keys[0]) for g, (_, keys) in TABLE3_GROUPS.items()}
    rows3 = sorted({**t3.rows, **t3.merged}.items(), key=lambda kv: order[kv[0]])
    for key, cells in rows3:
        label = TABLE3_GROUPS[key][0] if key in TABLE3_GROUPS else table3_label(key)
        yield "t3", label, cells, list(TABLE3_COLUMNS.values())
    for key, cells in t4.blocks.items():
        yield "t4", TABLE4_BLOCKS[key], cells, list(TABLE4_COLUMNS.values())


_NUMERIC = (CellKind.NUMBER, CellKind.ZERO)


def _v(cell: Cell | None) -> int | None:
    """A cell's value for arithmetic, or None when it is not a number (blank cells are T103's)."""
    if cell is None or cell.value is None or cell.kind not in _NUMERIC:
        return None
    i = int(cell.value)
    return i if i == cell.value else None


class TableNotVerifiable(Rule):
    """法定表格缺失，或只以图片、附件代替。

    检查内容:
        第二、三、四部分应有的统计表缺失，或只以图片、附件占位符呈现，表中数字无法核对。
        以文字呈现、但审核工具未能拆分或识别的表格不属于此问题（在文件的提示中说明，请人工核对）。

    依据:
        国办公开办函〔2021〕30号年度报告格式：第二、三、四部分以表格形式报告统计数据。

    不合规示例:
        三、收到和处理政府信息公开申请情况
        [image: 文字文稿3_01]

    合规示例:
        三、收到和处理政府信息公开申请情况
        （表格以文字形式列出全部25行、7列数字）
    """

    code = "T101"
    name = "table-not-verifiable"
    title = "表格无法核对"
    severity = Severity.WARNING
    groups = ("tables",)
    hint = "以可复制的文字表格发布统计表，不要用图片代替。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.doc.title is None and not ctx.doc.sections:
            return
        for key, table in _tables(ctx):
            if table.status not in (TableStatus.ABSENT, TableStatus.NOT_READABLE):
                continue
            sec = ctx.doc.section(int(key[1]))
            if sec is None and table.status == TableStatus.ABSENT:
                continue  # the missing section is S101's finding
            if table.status == TableStatus.ABSENT:
                msg, hint = f"{TABLE_NAMES[key]}缺失：{table.reason}", "按2021年格式补充该部分的统计表。"
            else:
                msg, hint = f"{TABLE_NAMES[key]}无法核对：{table.reason}", None
            yield self.finding(ctx, msg, at=table.loc, evidence=sec.heading if sec else "", hint=hint)


class TableLabelDrift(Rule):
    """表格栏目名称与2021年格式不一致。

    检查内容:
        表格的行、列标题与2021年格式的措辞不同，如“本年度止件数”（应为“本年废止件数”）、
        “其他法律法规禁止公开”（应为“其他法律行政法规禁止公开”）。审核时已按标准栏目识别。每张表报告一次。

    依据:
        国办公开办函〔2021〕30号年度报告格式。

    不合规示例:
        信息内容 | 本年制发件数 | 本年度止件数 | 现行有效件数

    合规示例:
        信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数
    """

    code = "T102"
    name = "table-label-drift"
    title = "表格栏目名称与格式不一致"
    severity = Severity.WARNING
    groups = ("tables",)
    hint = "使用2021年格式的标准栏目名称。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for key, table in _tables(ctx):
            drift = [d for d in table.drift if not d.legacy_2019]
            if drift:
                shown = "；".join(dict.fromkeys(f"“{d.found}”应为“{d.canonical}”" for d in drift))
                yield self.finding(
                    ctx, f"{TABLE_NAMES[key][:6]}栏目名称与2021年格式不一致：{shown}", at=drift[0].loc, evidence=drift[0].found
                )


class BlankCell(Rule):
    """表格单元格空白或用占位符代替数字。

    检查内容:
        统计表中应填数字的单元格为空，或填写“/”“—”“无”等占位符。没有发生的事项应填0。
        同一张表的空白单元格合并为一条报告，列出所在的行和列。网页抓取文本中数字连写、一行只有0且0的个数
        少于单元格数的（第三部分一行7格只有“000000”），每个0是一格，其余为空白格，但位置无法确定，报告中照此说明。

    依据:
        国办公开办函〔2021〕30号年度报告格式：各栏目均应填写数字。

    不合规示例:
        （一）予以公开 |  |  |  |  |  |  |

    合规示例:
        （一）予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0
    """

    code = "T103"
    name = "blank-cell"
    title = "表格单元格空白"
    severity = Severity.WARNING
    groups = ("tables",)
    hint = "没有发生的事项填写0。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        per: dict[str, list[tuple[str, list[Cell], list[str], list[int]]]] = {}
        totals: dict[str, int] = {}
        # run-together zeros too few for the row ("000000" for 7 cells): a cell is blank, where is unknown
        unplaced = {table3_label(k): note for k, note in ctx.tables.t3.split_notes.items() if UNPLACED in note}
        for table, label, cells, cols in _rows(ctx):
            if table == "t3" and label in unplaced:
                cols = [f"（{unplaced[label]}）"] * len(cols)
            totals[table] = totals.get(table, 0) + 1
            bad = [i for i, c in enumerate(cells) if c.kind in (CellKind.BLANK, CellKind.PLACEHOLDER)]
            if bad:
                per.setdefault(table, []).append((label, cells, cols, bad))
        for table, rows in per.items():
            cells = [r[1][i] for r in rows for i in r[3]]
            shown = "、".join(sorted({f"“{c.raw}”" for c in cells if c.raw}))
            what = f"为空或为占位符{shown}" if shown else "为空"
            yield self.finding(
                ctx,
                f"{TABLE_NAMES[table][:6]}有{len(cells)}个单元格{what}（{_where(rows, totals[table])}），应填写数字",
                at=cells[0].loc,
                evidence=rows[0][0],
            )


def _where(rows: list[tuple[str, list[Cell], list[str], list[int]]], nrows: int, limit: int = 4) -> str:
    """Where the blank cells are: rows grouped by the columns they leave blank."""
    groups: dict[tuple, list[str]] = {}
    cols: dict[tuple, str] = {}
    for label, cells, names, bad in rows:
        key = ("all",) if len(bad) == len(cells) else tuple(bad)
        groups.setdefault(key, []).append(label)
        cols[key] = "、".join(names[i] for i in bad)
    parts = []
    for key, labels in groups.items():
        which = f"全部{nrows}行" if len(labels) == nrows and nrows > 1 else "、".join(f"“{x}”" for x in labels[:3]) + (
            f"等{len(labels)}行" if len(labels) > 3 else "行"
        )
        shown = cols[key].split("、")[0]
        cells = ("全部单元格" if key == ("all",) else f"，{shown[1:-1]}" if shown.startswith("（") else
                 f"“{cols[key]}”列")  # fmt: skip
        parts.append(f"{which}{cells}")
    return "；".join(parts[:limit]) + ("；……" if len(parts) > limit else "")


class InvalidCell(Rule):
    """表格单元格不是有效数值。

    检查内容:
        单元格为负数、件数中出现小数，或填写了文字——这些不是有效的统计值。

    依据:
        国办公开办函〔2021〕30号年度报告格式：件数为非负整数；收费金额以万元为单位。

    不合规示例:
        一、本年新收政府信息公开申请数量 | 3.5 | 0 | 0 | 0 | 0 | 0 | 3.5

    合规示例:
        一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3
    """

    code = "T104"
    name = "invalid-cell"
    title = "表格单元格不是有效数值"
    severity = Severity.ERROR
    groups = ("tables",)
    hint = "件数填写非负整数。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for table, label, cells, cols in _rows(ctx):
            for i, c in enumerate(cells):
                if c.kind == CellKind.INVALID:
                    yield self.finding(
                        ctx,
                        f"{TABLE_NAMES[table][:6]}“{label}”行“{cols[i]}”列的值“{c.raw}”不是有效数值",
                        at=c.loc,
                        evidence=c.raw,
                    )


class Table2MissingRow(Rule):
    """第二部分表格缺少子表或行。

    检查内容:
        第二部分表格应包括第二十条第（一）项（规章、行政规范性文件）、第（五）项（行政许可）、
        第（六）项（行政处罚、行政强制）、第（八）项（行政事业性收费）。缺少的行合并为一条报告。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第二部分。

    不合规示例:
        第二十条第（一）项 …… 第二十条第（五）项 …… 第二十条第（八）项 ……（缺少第（六）项）

    合规示例:
        第二十条第（一）项 …… 第（五）项 …… 第（六）项 行政处罚、行政强制 …… 第（八）项 ……
    """

    code = "T201"
    name = "table2-missing-row"
    title = "第二部分表格缺少子表或行"
    severity = Severity.ERROR
    groups = ("tables",)
    hint = "补齐第二部分表格的全部子表和行，没有的填0。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        t2 = ctx.tables.t2
        if t2.status in (TableStatus.ABSENT, TableStatus.NOT_READABLE) or not t2.missing:
            return
        names = "、".join(f"“{TABLE2_ROWS[k][0]}”" for k in t2.missing)
        yield self.finding(ctx, f"第二部分表格缺少{names}行", at=_where_missing(t2, t2.missing[0]))


def _where_missing(t2, key: str):
    """Where a missing row of table 二 belongs: at a row of its sub-table, else the next row found."""
    keys = list(TABLE2_ROWS)
    group = next(g for g in TABLE2_SUBTABLES.values() if key in g)
    near = [k for k in group if k in t2.rows] + [k for k in keys[keys.index(key) :] if k in t2.rows]
    return t2.rows[near[0]][0].loc if near else t2.loc


class IssuedExceedsInForce(Rule):
    """第二部分：本年制发件数大于现行有效件数与本年废止件数之和。

    检查内容:
        对规章、行政规范性文件，本年制发的文件要么仍然有效，要么已在本年废止，因此一般应有
        本年制发件数 ≤ 现行有效件数 + 本年废止件数。不满足时提示核对。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第二部分第二十条第（一）项。

    不合规示例:
        行政规范性文件 | 5 | 0 | 3

    合规示例:
        行政规范性文件 | 5 | 0 | 12
    """

    code = "T202"
    name = "issued-exceeds-in-force"
    title = "制发件数大于现行有效与废止之和"
    severity = Severity.INFO
    groups = ("tables",)
    hint = "核对制发、废止和现行有效件数。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        t2 = ctx.tables.t2
        for key in ("regulations", "normative_docs"):
            cells = t2.rows.get(key)
            if not cells:
                continue
            issued, repealed, in_force = (_v(c) for c in cells)
            if None in (issued, repealed, in_force):
                continue
            if issued > in_force + repealed:  # type: ignore[operator]
                label = TABLE2_ROWS[key][0]
                yield self.finding(
                    ctx,
                    f"“{label}”本年制发{issued}件，大于现行有效{in_force}件与本年废止{repealed}件之和{in_force + repealed}",  # type: ignore[operator]
                    at=cells[0].loc,
                    evidence=label,
                )
