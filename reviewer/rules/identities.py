"""T3xx/T401: the identities of tables 三 and 四, on whatever rows were read.

An identity is checked when every row it needs was read; a missing row switches off only the
identities that need it. A row whose run-together digits have several readings takes part with
all of them: the identity is broken only when it fails under every reading (then the finding
names the readings). An identity with a blank or placeholder cell is left to T103 (the blank is
the problem). Columns that fail the same identity are one finding.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from schemas.plain import plain

from reviewer.rules.base import Context, Rule, num
from reviewer.tables.solve import vector
from schemas.common import Severity
from schemas.findings import Finding
from schemas.tables import (
    TABLE3_COLUMN_KEYS,
    TABLE3_COLUMNS,
    TABLE3_GROUPS,
    TABLE3_OUTCOME_ROWS,
    TABLE3_ROWS,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
    Cell,
    CellKind,
    Table3,
    table3_label,
)

COMBINATIONS = 256  # readings combined per identity before giving up (the parser gave a notice)
COLS = 7
_EMPTY = (CellKind.BLANK, CellKind.PLACEHOLDER)


def _readings(ctx: Context, *, chosen: bool = False) -> dict[str, list[list[Cell]]]:
    """Table 三's rows (and merged groups) with their readings: one, or several left undecided.
    A row read by choosing among readings that all break its own identity counts with every one
    of them (the column identities must fail under each), or with the chosen one (``chosen``)."""
    key = f"t3_readings_{chosen}"
    cached = ctx.notes.get(key)
    if cached is None:
        t3 = ctx.tables.t3
        fixed = {k: [c] for k, c in t3.rows.items()} | {k: [c] for k, c in t3.merged.items()}
        cached = {**t3.alternatives, **fixed} if chosen else {**fixed, **t3.alternatives}
        ctx.notes[key] = cached
    return cached  # type: ignore[return-value]


def _label(key: str) -> str:
    return TABLE3_GROUPS[key][0] if key in TABLE3_GROUPS else table3_label(key)


def _short(key: str) -> str:
    return TABLE3_GROUPS[key][0] if key in TABLE3_GROUPS else TABLE3_ROWS[key][0]


def _leaves(have: dict[str, list[list[Cell]]]) -> list[str] | None:
    out: list[str] = []
    for k in TABLE3_OUTCOME_ROWS:
        group = next((g for g, (_, keys) in TABLE3_GROUPS.items() if k in keys and g in have), None)
        key = group or k
        if key not in have:
            return None
        if key not in out:
            out.append(key)
    return out


def _how(table: Table3, keys: list[str], cells: list[Cell]) -> str:
    """How the rows of a finding were read, when their digits ran together."""
    notes = [f"“{_short(k)}”{table.split_notes[k]}" for k in keys if k in table.split_notes]
    if not notes and any(c.split for c in cells):
        notes = ["表中数字连写，已按各行“总计=六类申请人之和”拆分"]
    return f"（{'；'.join(notes)}）" if notes else ""


@plain
class Broken:
    """A column identity that fails under every reading of the rows it needs."""

    values: dict[str, tuple[int, ...]]  # the rows' values under the reading to report
    columns: list[int]  # the columns that fail under it
    certain: bool  # every row has one reading (or a chosen one): the values are the report's


def _identity(ctx: Context, left: list[str], right: list[str]) -> Broken | None:
    """Check left = right column by column under every combination of the rows' readings. None
    when some combination satisfies every column (or too many to try, or an invalid cell: T104's);
    columns with a blank cell are T103's and left out."""
    have, pick = _readings(ctx), _readings(ctx, chosen=True)
    keys = left + right
    cols = [c for c in range(COLS) if not any(r[c].kind in _EMPTY for k in keys for r in have[k])]
    choices = [range(len(have[k])) for k in keys]
    if math.prod(len(ch) for ch in choices) > COMBINATIONS:
        return None

    def failing(vecs: dict[str, tuple[int, ...] | None]) -> list[int] | None:
        if any(v is None for v in vecs.values()):
            return None
        return [c for c in cols if sum(vecs[k][c] for k in left) != sum(vecs[k][c] for k in right)]  # type: ignore[index]

    for combo in itertools.product(*choices):
        bad = failing({k: vector(have[k][i]) for k, i in zip(keys, combo)})
        if not bad:
            return None
    values = {k: vector(pick[k][0]) for k in keys}
    return Broken(values, failing(values) or [], all(len(pick[k]) == 1 for k in keys))  # type: ignore[arg-type]


def _alternatives(have: dict[str, list[list[Cell]]], keys: list[str]) -> str:
    return "".join(
        f"（“{_short(k)}”有{len(have[k])}种读法：" + "；".join("、".join(c.raw for c in r) for r in have[k][:3]) + "）"
        for k in keys
        if len(have[k]) > 1
    )


def _report(
    rule: Rule, ctx: Context, keys: list[str], broken: Broken, column, tail: str, generic: str, evidence: str
) -> Finding:
    """One finding for a column identity of table 三: the failing columns with their numbers
    (``column(c)``) when the reading is certain, else that it fails under every reading."""
    have = _readings(ctx)
    if broken.certain:
        msg = "；".join(column(c) for c in broken.columns) + tail
    else:
        msg = generic + _alternatives(have, keys)
    cells = [c for k in keys for r in have[k] for c in r]
    at = have["total"][0][broken.columns[0] if broken.columns else COLS - 1].loc
    return rule.finding(ctx, msg + _how(ctx.tables.t3, keys, cells), at=at, evidence=evidence)


class Table3RowTotal(Rule):
    """第三部分表格：某行“总计”不等于六类申请人之和。

    检查内容:
        每一行的“总计”列应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。
        不成立的行合并为一条报告；数字连写在一起、任何拆分都不满足时，也报告此问题并列出考虑过的读法。

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
    hint = "核对这些行的各列数字与总计。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        t3 = ctx.tables.t3
        parts, broken = [], []
        order = {k: i for i, k in enumerate(list(TABLE3_ROWS) + list(TABLE3_GROUPS))}
        have = _readings(ctx, chosen=True)
        for key, readings in sorted(have.items(), key=lambda kv: order[kv[0]]):
            if any(c.kind in _EMPTY for r in readings for c in r):
                continue
            vecs = [vector(r) for r in readings]
            if any(v is None or sum(v[:6]) == v[6] for v in vecs):
                continue
            broken.append(key)
            if len(readings) == 1:
                v = vecs[0]
                expr = "+".join(str(x) for x in v[:6])  # type: ignore[index]
                parts.append(f"“{_label(key)}”行{expr} = {sum(v[:6])}，但总计为{v[6]}")  # type: ignore[index]
            else:
                shown = "；".join("、".join(c.raw for c in r) for r in readings[:3]) + ("；…" if len(readings) > 3 else "")
                parts.append(f"“{_label(key)}”行数字连写，{len(readings)}种读法（{shown}）都不满足")
        if not parts:
            return
        first = have[broken[0]][0]
        notes = _how(t3, broken, [c for k in broken for c in have[k][0]])
        if len(broken) == 1 and len(have[broken[0]]) == 1:
            v = vector(first)
            expr = " + ".join(f"{TABLE3_COLUMNS[TABLE3_COLUMN_KEYS[i]]}{x}" for i, x in enumerate(v[:6]))  # type: ignore[index]
            msg = f"“{_label(broken[0])}”行：{expr} = {sum(v[:6])}，但总计为{v[6]}"  # type: ignore[index]
        else:
            msg = f"六类申请人（自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他）之和不等于总计：{'；'.join(parts)}"
        yield self.finding(ctx, msg + notes, at=first[6].loc, evidence=_label(broken[0]))


class Table3Balance(Rule):
    """第三部分表格：第一项加第二项之和不等于第三项加第四项之和（勾稽关系）。

    检查内容:
        表格自身注明的勾稽关系：对每一列，一（本年新收）+ 二（上年结转）= 三（本年度办理结果）中的
        （七）总计 + 四（结转下年度继续办理）。不成立的列合并为一条报告；含空白单元格的列由T103报告。

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
        have = _readings(ctx)
        keys = ["new", "carried_over", "total", "carry_next"]
        if any(k not in have for k in keys):
            return
        broken = _identity(ctx, keys[:2], keys[2:])
        if broken is None:
            return

        def column(c: int) -> str:
            new, carried, total, nxt = (broken.values[k][c] for k in keys)
            return (
                f"{TABLE3_COLUMNS[TABLE3_COLUMN_KEYS[c]]}列：第一项{new} + 第二项{carried} = {new + carried}，"
                f"第三项（七）总计{total} + 第四项{nxt} = {total + nxt}"
            )

        yield _report(
            self, ctx, keys, broken, column, "，勾稽关系不成立",
            "无论怎样读连写的数字，第一项加第二项都不等于第三项加第四项，勾稽关系不成立",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        )


class Table3OutcomeTotal(Rule):
    """第三部分表格：（七）总计不等于各项办理结果之和。

    检查内容:
        对每一列，（七）总计 = （一）予以公开 + （二）部分公开 + （三）不予公开1–8 + （四）无法提供1–3
        + （五）不予处理1–5 + （六）其他处理1–3，共21项（2019年格式的（六）其他处理只有一行，按一行计）。
        不成立的列合并为一条报告；含空白单元格的列由T103报告。

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
        have = _readings(ctx)
        leaves = _leaves(have)
        if leaves is None or "total" not in have:
            return
        keys = leaves + ["total"]
        broken = _identity(ctx, leaves, ["total"])
        if broken is None:
            return

        def column(c: int) -> str:
            vals = [(broken.values[k][c], k) for k in leaves]
            nonzero = [f"{_short(k)}{'：' if _short(k)[-1].isdigit() else ''}{v}" for v, k in vals if v]
            return (
                f"{TABLE3_COLUMNS[TABLE3_COLUMN_KEYS[c]]}列各项办理结果之和为{sum(v for v, _ in vals)}"
                f"（{' + '.join(nonzero) if nonzero else '各项均为0'}），但（七）总计为{broken.values['total'][c]}"
            )

        yield _report(self, ctx, keys, broken, column, "", "无论怎样读连写的数字，各项办理结果之和都不等于（七）总计", "（七）总计")


class Table4BlockTotal(Rule):
    """第四部分表格：总计不等于结果维持、结果纠正、其他结果、尚未审结之和。

    检查内容:
        行政复议、未经复议直接起诉、复议后起诉三组，每组的“总计”应等于前四项之和。数字连写在一起、
        任何拆分都不满足时，也报告此问题并列出考虑过的读法。

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
        readings = t4.alternatives or [t4.blocks]
        names = list(TABLE4_COLUMNS.values())
        note = t4.split_notes.get("row", "")
        for key in TABLE4_BLOCKS:
            blocks = [r[key] for r in readings if key in r]
            if not blocks or any(c.kind in _EMPTY for b in blocks for c in b):
                continue
            vecs = [vector(b) for b in blocks]
            if any(v is None or sum(v[:4]) == v[4] for v in vecs):
                continue  # some reading satisfies the block
            chosen = t4.blocks.get(key)
            cells = chosen or blocks[0]
            if chosen:
                v = vector(chosen)
                if not note and any(c.split for c in chosen):
                    note = "表中数字连写，只有这一种拆分"
                expr = " + ".join(f"{names[i]}{num(v[i])}" for i in range(4))  # type: ignore[index]
                msg = f"{TABLE4_BLOCKS[key]}：{expr} = {sum(v[:4])}，但总计为{v[4]}" + (f"（{note}）" if note else "")  # type: ignore[index]
            else:
                shown = "；".join(dict.fromkeys(" ".join(c.raw for c in b) for b in blocks))
                msg = f"{TABLE4_BLOCKS[key]}：表中数字连写，各种读法（{shown}）都不满足总计等于前四项之和"
            yield self.finding(ctx, msg, at=cells[4].loc, evidence=TABLE4_BLOCKS[key])
