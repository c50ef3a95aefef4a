"""T rules: the statutory tables, cell by cell and identity by identity."""

from __future__ import annotations

from collections.abc import Iterator

from reviewer.rules.base import Context, Rule, num
from schemas.common import Severity
from schemas.findings import Finding
from schemas.tables import (
    TABLE2_COLUMNS,
    TABLE2_ROWS,
    TABLE3_COLUMN_KEYS,
    TABLE3_COLUMNS,
    TABLE3_OUTCOME_ROWS,
    TABLE3_ROWS,
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
    """Every parsed row of every table: (table key, row label, cells, column labels)."""
    t2, t3, t4 = ctx.tables.t2, ctx.tables.t3, ctx.tables.t4
    for key, cells in t2.rows.items():
        label, cols = TABLE2_ROWS[key]
        yield "t2", label, cells, [TABLE2_COLUMNS[c] for c in cols]
    for key, cells in t3.rows.items():
        yield "t3", table3_label(key), cells, list(TABLE3_COLUMNS.values())
    for key, cells in t4.blocks.items():
        yield "t4", TABLE4_BLOCKS[key], cells, list(TABLE4_COLUMNS.values())


_NUMERIC = (CellKind.NUMBER, CellKind.ZERO)


def _v(cell: Cell | None) -> int | None:
    """A cell's value for arithmetic, or None when it is not a number (blank cells are T103's)."""
    if cell is None or cell.value is None or cell.kind not in _NUMERIC:
        return None
    i = int(cell.value)
    return i if i == cell.value else None


def _t3(ctx: Context) -> dict[str, list[int | None]]:
    """Table 三's values for arithmetic, computed once per review (three rules read them)."""
    cached = ctx.notes.get("t3_values")
    if cached is None:
        cached = ctx.notes["t3_values"] = {k: [_v(c) for c in cells] for k, cells in ctx.tables.t3.rows.items()}
    return cached  # type: ignore[return-value]


class TableNotVerifiable(Rule):
    """法定表格缺失或无法识别，数字无法核对。

    检查内容:
        第二、三、四部分的统计表缺失、以图片代替、内容无法识别，或单元格数字连写在一起且有多种拆分方式——
        这些表格中的数字无法核对（不据此报告算术错误）。

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
            if table.status == TableStatus.PARSED:
                continue
            sec = ctx.doc.section(int(key[1]))
            if sec is None and table.status == TableStatus.ABSENT:
                continue  # the missing section is S101's finding
            yield self.finding(
                ctx,
                f"{TABLE_NAMES[key]}无法核对：{table.reason}",
                at=table.loc,
                evidence=sec.heading if sec else "",
            )


class TableLabelDrift(Rule):
    """表格栏目名称与2021年格式不一致。

    检查内容:
        表格的行、列标题与2021年格式的措辞不同，如“本年度止件数”（应为“本年废止件数”）、
        “其他法律法规禁止公开”（应为“其他法律行政法规禁止公开”）。审核时已按标准栏目识别。

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
        for _, table in _tables(ctx):
            for d in table.drift:
                if not d.legacy_2019:
                    yield self.finding(
                        ctx, f"栏目“{d.found}”与2021年格式不一致，应为“{d.canonical}”", at=d.loc, evidence=d.found
                    )


class BlankCell(Rule):
    """表格单元格空白或用占位符代替数字。

    检查内容:
        统计表中应填数字的单元格为空，或填写“/”“—”“无”等占位符。没有发生的事项应填0。
        同一行的空白单元格合并为一条报告。

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
        for table, label, cells, cols in _rows(ctx):
            bad = [(i, c) for i, c in enumerate(cells) if c.kind in (CellKind.BLANK, CellKind.PLACEHOLDER)]
            if not bad:
                continue
            names = "、".join(cols[i] for i, _ in bad)
            shown = "、".join(sorted({f"“{c.raw}”" for _, c in bad if c.raw}))
            what = f"为空或为占位符{shown}" if shown else "为空"
            many = f"全部{len(cells)}个单元格" if len(bad) == len(cells) else f"{len(bad)}个单元格（{names}）"
            yield self.finding(
                ctx, f"{TABLE_NAMES[table][:6]}“{label}”行{many}{what}，应填写数字", at=bad[0][1].loc, evidence=label
            )


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
        第（六）项（行政处罚、行政强制）、第（八）项（行政事业性收费）。缺少任一行即报告。

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
        if t2.status in (TableStatus.ABSENT, TableStatus.NOT_READABLE):
            return
        for key in t2.missing:
            yield self.finding(ctx, f"第二部分表格缺少“{TABLE2_ROWS[key][0]}”行", at=t2.loc)


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


class Table3RowTotal(Rule):
    """第三部分表格：某行“总计”不等于六类申请人之和。

    检查内容:
        每一行的“总计”列应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第三部分表格。

    不合规示例:
        一、本年新收政府信息公开申请数量 | 40 | 5 | 0 | 0 | 1 | 0 | 47

    合规示例:
        一、本年新收政府信息公开申请数量 | 40 | 6 | 0 | 0 | 1 | 0 | 47
    """

    code = "T301"
    name = "table3-row-total-mismatch"
    title = "第三部分表格行总计不符"
    severity = Severity.ERROR
    groups = ("tables", "arithmetic")
    hint = "核对该行各列数字与总计。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        t3 = ctx.tables.t3
        if not t3.parsed:
            return
        for key, cells in t3.rows.items():
            vals = _t3(ctx)[key]
            if None in vals:
                continue
            parts = vals[:6]
            if sum(parts) != vals[6]:  # type: ignore[arg-type]
                expr = " + ".join(f"{TABLE3_COLUMNS[TABLE3_COLUMN_KEYS[i]]}{v}" for i, v in enumerate(parts))
                yield self.finding(
                    ctx,
                    f"“{table3_label(key)}”行：{expr} = {sum(parts)}，但总计为{vals[6]}",  # type: ignore[arg-type]
                    at=cells[6].loc,
                    evidence=table3_label(key),
                )


class Table3Balance(Rule):
    """第三部分表格：第一项加第二项之和不等于第三项加第四项之和（勾稽关系）。

    检查内容:
        表格自身注明的勾稽关系：对每一列，一（本年新收）+ 二（上年结转）= 三（本年度办理结果）中的
        （七）总计 + 四（结转下年度继续办理）。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第三部分表头注：“本列数据的勾稽关系为：第一项加第二项之和，
        等于第三项加第四项之和”。

    不合规示例:
        一、本年新收 3 ；二、上年结转 0 ；（七）总计 2 ；四、结转下年度继续办理 0（3 + 0 ≠ 2 + 0）

    合规示例:
        一、本年新收 3 ；二、上年结转 0 ；（七）总计 2 ；四、结转下年度继续办理 1
    """

    code = "T302"
    name = "application-balance-mismatch"
    title = "第三部分表格勾稽关系不成立"
    severity = Severity.ERROR
    groups = ("tables", "arithmetic")
    hint = "核对新收、上年结转、办理结果总计和结转下年度的数字。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        t3 = ctx.tables.t3
        if not t3.parsed:
            return
        for c, col in enumerate(TABLE3_COLUMN_KEYS):
            v = _t3(ctx)
            new, carried, total, nxt = (v[k][c] for k in ("new", "carried_over", "total", "carry_next"))
            if None in (new, carried, total, nxt):
                continue
            if new + carried != total + nxt:  # type: ignore[operator]
                yield self.finding(
                    ctx,
                    f"{TABLE3_COLUMNS[col]}列：第一项{new} + 第二项{carried} = {new + carried}，"  # type: ignore[operator]
                    f"第三项（七）总计{total} + 第四项{nxt} = {total + nxt}，勾稽关系不成立",  # type: ignore[operator]
                    at=t3.rows["total"][c].loc,
                    evidence="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                )


class Table3OutcomeTotal(Rule):
    """第三部分表格：（七）总计不等于各项办理结果之和。

    检查内容:
        对每一列，（七）总计 = （一）予以公开 + （二）部分公开 + （三）不予公开1–8 + （四）无法提供1–3
        + （五）不予处理1–5 + （六）其他处理1–3，共21项。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第三部分表格。

    不合规示例:
        （一）予以公开 42；（二）部分公开 2；（四）1. 2；（五）1. 1；其余为0；（七）总计 46

    合规示例:
        （一）予以公开 42；（二）部分公开 2；（四）1. 2；（五）1. 1；其余为0；（七）总计 47
    """

    code = "T303"
    name = "outcome-total-mismatch"
    title = "第三部分表格办理结果总计不符"
    severity = Severity.ERROR
    groups = ("tables", "arithmetic")
    hint = "核对各项办理结果与（七）总计。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        t3 = ctx.tables.t3
        if not t3.parsed:
            return
        for c, col in enumerate(TABLE3_COLUMN_KEYS):
            v = _t3(ctx)
            vals = [(v[k][c], k) for k in TABLE3_OUTCOME_ROWS]
            total = v["total"][c]
            if total is None or any(v is None for v, _ in vals):
                continue
            s = sum(v for v, _ in vals)  # type: ignore[misc]
            if s != total:
                nonzero = [f"{TABLE3_ROWS[k][0]}{v}" for v, k in vals if v]
                expr = " + ".join(nonzero) if nonzero else "各项均为0"
                yield self.finding(
                    ctx,
                    f"{TABLE3_COLUMNS[col]}列：各项办理结果之和为{s}（{expr}），但（七）总计为{total}",
                    at=t3.rows["total"][c].loc,
                    evidence="（七）总计",
                )


class Table4BlockTotal(Rule):
    """第四部分表格：总计不等于结果维持、结果纠正、其他结果、尚未审结之和。

    检查内容:
        行政复议、未经复议直接起诉、复议后起诉三组，每组的“总计”应等于前四项之和。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第四部分表格。

    不合规示例:
        行政复议：结果维持 1 | 结果纠正 0 | 其他结果 0 | 尚未审结 0 | 总计 2

    合规示例:
        行政复议：结果维持 1 | 结果纠正 0 | 其他结果 0 | 尚未审结 1 | 总计 2
    """

    code = "T401"
    name = "review-litigation-total-mismatch"
    title = "第四部分表格总计不符"
    severity = Severity.ERROR
    groups = ("tables", "arithmetic")
    hint = "核对该组各项与总计。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        t4 = ctx.tables.t4
        if not t4.parsed:
            return
        names = list(TABLE4_COLUMNS.values())
        for key, cells in t4.blocks.items():
            vals = [_v(c) for c in cells]
            if None in vals:
                continue
            s = sum(vals[:4])  # type: ignore[arg-type]
            if s != vals[4]:
                expr = " + ".join(f"{names[i]}{num(vals[i])}" for i in range(4))
                yield self.finding(
                    ctx,
                    f"{TABLE4_BLOCKS[key]}：{expr} = {s}，但总计为{vals[4]}",
                    at=cells[4].loc,
                    evidence=TABLE4_BLOCKS[key],
                )
