"""Table 三 (收到和处理政府信息公开申请情况): 25 rows x 7 columns.

One algorithm for every text layout: find the 25 row labels in order (tolerating drifted wording),
then read each row's values from the stretch of text up to the next label. That stretch may be
tab-separated fields (blank cells included), one cell per line, or digits run together with no
separator at all, which are split using the row-sum and column identities.
"""

from __future__ import annotations

import itertools
import re

from reviewer.tables.common import MaskedView, RowValues, no_table, row_values
from reviewer.tables.cells import Token, tokens
from schemas.document import Document
from schemas.tables import (
    TABLE3_OUTCOME_ROWS,
    TABLE3_ROW_KEYS,
    TABLE3_ROWS,
    Cell,
    LabelDrift,
    Table3,
    TableStatus,
)

Q = r"[\"“”'‘’「」]?"
# key -> (label regex, ordinal prefix regex, canonical core used for the drift check)
ROWS: dict[str, tuple[str, str, str]] = {
    "new": (r"本年(?:度)?新收(?:到)?(?:的)?(?:政府信息公开)?申请(?:数量|数|件数)?", r"一\s*[、.]", "本年新收政府信息公开申请数量"),
    "carried_over": (r"上年(?:度)?结转(?:的)?(?:政府信息公开)?申请(?:数量|数|件数)?", r"二\s*[、.]", "上年结转政府信息公开申请数量"),
    "granted": (r"予以公开", r"\(\s*一\s*\)", "予以公开"),
    "partial": (r"部分公开(?:\s*\([^)]{0,30}\))?", r"\(\s*二\s*\)", "部分公开"),
    "denied_1": (r"属于国家秘密", r"1\s*[.、]", "属于国家秘密"),
    "denied_2": (r"其他法律(?:行政)?法规(?:规定)?禁止公开", r"2\s*[.、]", "其他法律行政法规禁止公开"),
    "denied_3": (r"危及\s*" + Q + r"三安全一稳定" + Q, r"3\s*[.、]", "危及三安全一稳定"),
    "denied_4": (r"保护第三方合法权益", r"4\s*[.、]", "保护第三方合法权益"),
    "denied_5": (r"属于三类内部事务信息", r"5\s*[.、]", "属于三类内部事务信息"),
    "denied_6": (r"属于四类过程性信息", r"6\s*[.、]", "属于四类过程性信息"),
    "denied_7": (r"属于行政执法案卷", r"7\s*[.、]", "属于行政执法案卷"),
    "denied_8": (r"属于行政查询事项", r"8\s*[.、]", "属于行政查询事项"),
    "unable_1": (r"本机关不掌握(?:相关)?(?:的)?政府信息", r"1\s*[.、]", "本机关不掌握相关政府信息"),
    "unable_2": (r"没有现成信息需要另行制作", r"2\s*[.、]", "没有现成信息需要另行制作"),
    "unable_3": (r"补正后申请内容仍不明确", r"3\s*[.、]", "补正后申请内容仍不明确"),
    "rejected_1": (r"信访举报投诉类申请", r"1\s*[.、]", "信访举报投诉类申请"),
    "rejected_2": (r"重复申请", r"2\s*[.、]", "重复申请"),
    "rejected_3": (r"要求提供公开出版物", r"3\s*[.、]", "要求提供公开出版物"),
    "rejected_4": (r"无正当理由大量反复申请", r"4\s*[.、]", "无正当理由大量反复申请"),
    "rejected_5": (r"要求行政机关确认或重新出具已获取信息", r"5\s*[.、]", "要求行政机关确认或重新出具已获取信息"),
    "other_1": (
        r"申请人无正当理由逾期不补正[^\d]{0,30}?(?:政府信息公开)?申请",
        r"1\s*[.、]",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    "other_2": (
        r"申请人逾期未按收费通知要求缴纳费用[^\d]{0,30}?(?:政府信息公开)?申请",
        r"2\s*[.、]",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    "other_3": (r"其\s*他(?!处理)", r"3\s*[.、]", "其他"),
    "total": (r"总\s*计", r"\(\s*七\s*\)", "总计"),
    "carry_next": (r"结转下(?:一)?年度继续办理", r"四\s*[、.]", "结转下年度继续办理"),
}
ROW_RX = {k: re.compile(v[0]) for k, v in ROWS.items()}
PREFIX_RX = {k: re.compile(r"(?:" + v[1] + r")\s*$") for k, v in ROWS.items()}
GROUPS = re.compile(
    r"三\s*[、.]\s*本年度办理结果|\(\s*[三四五六]\s*\)\s*(?:不予公开|无法提供|不予处理|其他处理)"
    r"|法人或其他组织|申请人情况"
)
SUBTOTAL = re.compile(r"小\s*计")
# Column headers, for tables read from a real structure (matched against a header cell's whole text).
COLUMN_RX: dict[str, re.Pattern[str]] = {
    "natural": re.compile(r"自\s*然\s*人"),
    "commercial": re.compile(r"商\s*业\s*企\s*业"),
    "research": re.compile(r"科\s*研\s*机\s*构"),
    "nonprofit": re.compile(r"社\s*会\s*公\s*益\s*组\s*织"),
    "legal": re.compile(r"法\s*律\s*服\s*务\s*机\s*构"),
    "other": re.compile(r"其\s*[他它]"),
    "subtotal": re.compile(r"(?:法人或其他组织)?\s*小\s*计"),
    "total": re.compile(r"总\s*计"),
}
COLS = 7


def _strip(s: str) -> str:
    return re.sub(r"[\s\"“”'‘’「」]", "", s)


def label_drift(doc: Document, key: str, m: re.Match[str]) -> LabelDrift | None:
    """A row label matched by ROW_RX[key] that differs from the 2021 wording (T102)."""
    core = _strip(m.group())
    if key == "partial":
        core = core.split("(")[0]
    if core == ROWS[key][2]:
        return None
    return LabelDrift(found=m.group(), canonical=TABLE3_ROWS[key][1], loc=doc.location(m.start()))


def _row_sum_ok(vals: tuple[int, ...]) -> bool:
    return sum(vals[:6]) == vals[6]


def parse_table3(doc: Document) -> Table3:
    sec = doc.section(3)
    if sec is None:
        return Table3(status=TableStatus.ABSENT, reason="报告中没有第三部分")
    start, end = sec.body_span.start, sec.body_span.end
    text = doc.text
    table = Table3(loc=doc.location(sec.heading_span.start))

    # 1. Row labels, in order.
    found: dict[str, tuple[int, int, int]] = {}  # key -> (prefix_start, label_start, label_end)
    pos = start
    for key in TABLE3_ROW_KEYS:
        m = ROW_RX[key].search(text, pos, end)
        if not m:
            continue
        pm = PREFIX_RX[key].search(text, max(start, m.start() - 12), m.start())
        found[key] = (pm.start() if pm else m.start(), m.start(), m.end())
        pos = m.end()
        drift = label_drift(doc, key, m)
        if drift:
            table.drift.append(drift)
    if len(found) < 3:
        return no_table(doc, table, start, end, "第三部分")

    # 2. Header: a 小计 column makes the layout non-standard (8 columns, normalised to 7).
    first = min(v[0] for v in found.values())
    header = text[start:first]
    ncols, drop = COLS, None
    if SUBTOTAL.search(header):
        ncols, drop = 8, 6
        table.nonstandard.append("表头含“法人或其他组织小计”列（非标准的28×8格式），已按标准7列处理")

    # 3. Values between labels.
    keys = [k for k in TABLE3_ROW_KEYS if k in found]
    missing = [k for k in TABLE3_ROW_KEYS if k not in found]
    table.missing = missing
    results: dict[str, RowValues] = {}
    view = MaskedView(doc, GROUPS, start, end)
    for i, key in enumerate(keys):
        region_end = found[keys[i + 1]][0] if i + 1 < len(keys) else end
        rv = _row(view, found[key][2], region_end, ncols, last=i + 1 == len(keys))
        if drop is not None:
            rv.cells = [c for j, c in enumerate(rv.cells) if j != drop]
            rv.candidates = [[c for j, c in enumerate(cs) if j != drop] for cs in rv.candidates]
        results[key] = rv
        if rv.problem.startswith("subtotal:"):
            table.nonstandard.append("表中含小计行，已忽略")
            rv.problem = ""

    problems = [f"{TABLE3_ROWS[k][0]}行：{rv.problem}" for k, rv in results.items() if rv.problem]
    if problems or missing:
        table.status = TableStatus.INCOMPLETE
        parts = problems + ([f"未找到行：{'、'.join(TABLE3_ROWS[k][1] for k in missing)}"] if missing else [])
        table.reason = "；".join(parts)
        table.rows = {k: rv.cells for k, rv in results.items() if rv.cells}
        return table

    # 4. Rows whose digits ran together: choose the split that satisfies the column identities.
    ambiguous = {k: rv.candidates for k, rv in results.items() if rv.candidates}
    if ambiguous:
        chosen = _resolve(results, ambiguous)
        if chosen is None:
            table.status = TableStatus.AMBIGUOUS
            rows = "、".join(TABLE3_ROWS[k][0] for k in ambiguous)
            table.reason = f"{rows}行的数字连写在一起，有多种拆分方式都满足勾稽关系，无法确定各单元格的值"
            return table
        for k, cells in chosen.items():
            results[k].cells = cells
    table.rows = {k: results[k].cells for k in TABLE3_ROW_KEYS}
    table.status = TableStatus.PARSED
    return table


def _row(view: MaskedView, label_end: int, region_end: int, n: int, *, last: bool) -> RowValues:
    rv = row_values(view, label_end, region_end, n, accept=_row_sum_ok if n == COLS else None, stop_at_text=last)
    if rv.problem and not last:
        toks: list[Token] = [t for t in tokens(view.text, label_end, region_end) if t.text.isdigit()]
        if len(toks) == n + 1 and _glued_to_label(view.doc.text, toks[-1]):
            # A stray digit glued to the next group label ("0三、本年度办理结果"), as Word exports
            # sometimes leave: the row's own n cells are intact.
            return row_values(view, label_end, toks[-1].start, n)
        if len(toks) == 2 * n:
            sub = row_values(view, label_end, toks[n].start, n)
            if not sub.problem:
                sub.problem = "subtotal:"
                return sub
    return rv


def _glued_to_label(text: str, tok: Token) -> bool:
    return tok.end < len(text) and GROUPS.match(text, tok.end) is not None


def _resolve(results: dict[str, RowValues], ambiguous: dict[str, list[list[Cell]]]) -> dict[str, list[Cell]] | None:
    keys = list(ambiguous)
    total = 1
    for k in keys:
        total *= len(ambiguous[k])
        if total > 20000:
            return None
    fixed = {k: rv.cells for k, rv in results.items() if k not in ambiguous}
    solutions = []
    for combo in itertools.product(*(ambiguous[k] for k in keys)):
        rows = dict(fixed)
        rows.update(zip(keys, combo))
        if _columns_ok(rows):
            solutions.append(dict(zip(keys, combo)))
            if len(solutions) > 1:
                return None
    return solutions[0] if solutions else None


def _columns_ok(rows: dict[str, list[Cell]]) -> bool:
    def v(key: str, c: int) -> int:
        cell = rows[key][c]
        return int(cell.value) if cell.value is not None else 0

    for c in range(COLS):
        outcome = sum(v(k, c) for k in TABLE3_OUTCOME_ROWS)
        if outcome != v("total", c):
            return False
        if v("new", c) + v("carried_over", c) != v("total", c) + v("carry_next", c):
            return False
    return True
