"""Table 三 (收到和处理政府信息公开申请情况): 25 rows x 7 columns.

Rows are found in one of two ways, then read alike:
- one row per line (tab- or pipe-separated: Word copied as text, the structured readers' text,
  Markdown from PDF converters): each line with numbers is a row; a row whose label matches no
  row, or that lost its label, takes the next free row between its labelled neighbours when the
  count fits ("reading order");
- anything else (scraped pages on one line, one cell per line): the 25 row labels are found in
  order and each row's values are read from the stretch of text up to the next label.
A row's values may be fields (blanks included), tokens, or digits run together, which are split
by the row's own identity and then the column identities (tables.solve), then the prose.
The 2019 layout's single （六）其他处理 row is read as the group's row (TABLE3_GROUPS).
"""

from __future__ import annotations

import re

from reviewer.lazyre import lazy
from reviewer.tables import hints, solve
from reviewer.tables.cells import Token, tokens
from reviewer.tables.common import (
    PARTS,
    MaskedView,
    RowValues,
    blank_cells,
    fields_cells,
    fit_fields,
    no_table,
    notice,
    row_values,
    shown,
    shown_readings,
    split_row,
    unplaced_note,
)
from reviewer.tables.lines import DataRow, data_rows
from reviewer.tables.split import Block, Shape
from schemas.document import Document
from schemas.tables import TABLE3_GROUPS, TABLE3_ROW_KEYS, TABLE3_ROWS, Cell, LabelDrift, Table3, TableStatus

Q = r"[\"“”'‘’「」]?"
# key -> (label regex, ordinal prefix regex, canonical core used for the drift check)
ROWS: dict[str, tuple[str, str, str]] = {
    "new": (r"本年(?:度)?新收(?:到)?(?:的)?(?:政府信息公开)?申请(?:数量|数|件数)?", r"一\s*[、.]", "本年新收政府信息公开申请数量"),
    "carried_over": (r"上年(?:度)?结转(?:的)?(?:政府信息公开)?申请(?:数量|数|件数)?", r"二\s*[、.]", "上年结转政府信息公开申请数量"),
    "granted": (r"予以公开", r"\(\s*一\s*\)", "予以公开"),
    "partial": (r"部分公开(?:\s*\([^)]{0,30}\))?", r"\(\s*二\s*\)", "部分公开"),
    "denied_1": (r"属于国家秘密", r"1\s*[.、]", "属于国家秘密"),
    "denied_2": (r"其他法律[和、及]?(?:行政)?法规(?:规定)?禁止公开", r"2\s*[.、]", "其他法律行政法规禁止公开"),
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
ROW_RX = {k: lazy(v[0]) for k, v in ROWS.items()}
PREFIX_RX = {k: lazy(r"(?:" + v[1] + r")\s*$") for k, v in ROWS.items()}
GROUPS = lazy(
    r"三\s*[、.]\s*本年度办理结果|\(\s*[三四五六]\s*\)\s*(?:不予公开|无法提供|不予处理|其他处理)"
    r"|法人或其他组织|申请人情况"
)
# The 2019 layout's single row for （六）: the group label with no numbered rows under it.
ONE_ROW_OTHER = lazy(r"\(\s*六\s*\)\s*其\s*他\s*处\s*理")
SUBTOTAL = lazy(r"小\s*计")
HEADER_WORDS = lazy(r"申请人情况|自\s*然\s*人|商\s*业\s*企\s*业")
COLUMN_WORDS = lazy(r"申请人情况|自然人|商业企业|科研机构|社会公益|法律服务机构|数据\d")
# Column headers, for tables read from a real structure (matched against a header cell's whole text).
COLUMN_RX: dict[str, re.Pattern[str]] = {
    "natural": lazy(r"自\s*然\s*人"),
    "commercial": lazy(r"商\s*业\s*企\s*业"),
    "research": lazy(r"科\s*研\s*机\s*构"),
    "nonprofit": lazy(r"社\s*会\s*公\s*益\s*组\s*织"),
    "legal": lazy(r"法\s*律\s*服\s*务\s*机\s*构"),
    "other": lazy(r"其\s*[他它]"),
    "subtotal": lazy(r"(?:法人或其他组织)?\s*小\s*计"),
    "total": lazy(r"总\s*计"),
}
COLS = 7
SHAPE7 = Shape((Block(6, total=True),))
# 自然人 | 商业企业 … 其他 | 小计 | 总计: the subtotal sums the five, the total adds 自然人.
SHAPE8 = Shape((Block(1), Block(5, total=True), Block(1)), check=lambda v: v[7] == v[0] + v[6])
MIN_LINE_ROWS = 8  # rows on lines of their own before the table is read line by line
# Words a clause of the prose uses for a row's figure (to choose among readings).
PROSE_WORDS: dict[str, tuple[str, ...]] = {
    "new": ("新收", "收到", "受理"),
    "carried_over": ("上年结转", "结转上年"),
    "granted": ("予以公开",),
    "partial": ("部分公开",),
    "total": ("办结", "办理完成", "答复"),
    "carry_next": ("结转下", "转下一年", "结转至"),
}
ORDER = {k: i for i, k in enumerate(TABLE3_ROW_KEYS)}
ORDER["other"] = ORDER["other_3"]


_QUOTES_SPACE = lazy(r"[\s\"“”'‘’「」]")
_ENUM_COMMA = lazy(r"[、，,]")
_ORDINAL = lazy(r"^\d+\.")


def _strip(s: str) -> str:
    return _QUOTES_SPACE.sub("", s)


def label_drift(doc: Document, key: str, m: re.Match[str]) -> LabelDrift | None:
    """A row label matched by ROW_RX[key] that differs from the 2021 wording (T102). Punctuation
    a converter or OCR changes ("，" for "、") is not a difference."""
    core = _strip(m.group())
    if key == "partial":
        core = core.split("(")[0]
    if _ENUM_COMMA.sub("、", core) == ROWS[key][2]:
        return None
    canonical = _ORDINAL.sub("", TABLE3_ROWS[key][1])  # the match has no ordinal either
    return LabelDrift(found=m.group(), canonical=canonical, loc=doc.location(m.start()))


class Found:
    """A row located in the text: its key (a TABLE3_ROWS key or a TABLE3_GROUPS key), the label
    match (None for a row placed by reading order) and its values."""

    def __init__(self, key: str, m: re.Match[str] | None, rv: RowValues) -> None:
        self.key, self.m, self.rv = key, m, rv


def parse_table3(doc: Document) -> Table3:
    sec = doc.section(3)
    if sec is None:
        return Table3(status=TableStatus.ABSENT, reason="报告中没有第三部分")
    start, end = sec.body_span.start, sec.body_span.end
    table = Table3(loc=doc.location(sec.heading_span.start))
    lines = data_rows(doc, start, end)
    if sum(len(r.fields) >= 3 and r.has_number for r in lines if r.separated) >= MIN_LINE_ROWS:
        found = _by_lines(doc, table, lines, start)
    else:
        found = _by_labels(doc, table, start, end)
    if found is None:
        return no_table(doc, table, start, end, "第三部分", HEADER_WORDS)  # type: ignore[return-value]
    settle(doc, table, found, (start, end))
    return table


def _ncols(doc: Document, table: Table3, header: str) -> tuple[int, int | None]:
    """Columns of the value part: a 小计 column makes the layout non-standard (8, normalised to 7)."""
    if SUBTOTAL.search(header):
        table.nonstandard.append("表头含“法人或其他组织小计”列（非标准的28×8格式），已按标准7列处理")
        return 8, 6
    return COLS, None


def _match(doc: Document, start: int, end: int, pos: int) -> tuple[str, re.Match[str]] | None:
    """The first row at or after canonical position ``pos`` whose label stands in [start, end)."""
    for key in TABLE3_ROW_KEYS[pos:]:
        m = ROW_RX[key].search(doc.text, start, end)
        if m:
            return key, m
    return None


# --- one row per line ------------------------------------------------------------------------------
def _by_lines(doc: Document, table: Table3, rows: list[DataRow], start: int) -> list[Found] | None:
    ncols, drop = _ncols(doc, table, doc.text[start : rows[0].label_start])
    shape = SHAPE8 if ncols == 8 else SHAPE7
    placed: list[tuple[str | None, re.Match[str] | None, DataRow]] = []
    pos = 0
    for row in rows:
        if SUBTOTAL.search(row.label):
            if "表中含小计行，已忽略" not in table.nonstandard:
                table.nonstandard.append("表中含小计行，已忽略")
            continue
        if COLUMN_WORDS.search(row.label):
            continue  # a header row ("商业企业 科研机构 … 其他")
        hit = _match(doc, row.label_start, row.label_end, pos) if row.label else None
        if hit is None and ONE_ROW_OTHER.search(row.label) and pos <= ORDER["other_1"]:
            hit = ("other", None)  # type: ignore[assignment]
        if hit is None and not row.has_number:
            continue  # blanks under a label that names no row
        if hit is not None:
            pos = ORDER[hit[0]] + 1
        placed.append((hit[0] if hit else None, hit[1] if hit else None, row))
    if sum(k is not None for k, _, _ in placed) < 3:
        return None
    keys = _by_reading_order(placed)
    found = []
    for (_, m, row), key in zip(placed, keys):
        if key is None:
            continue
        found.append(Found(key, m, _values(doc, row, ncols, drop, shape)))
    return found


def _by_reading_order(placed: list[tuple[str | None, re.Match[str] | None, DataRow]]) -> list[str | None]:
    """Keys for the rows: labelled rows keep theirs; a stretch of unlabelled rows between two
    labelled ones takes the rows missing between them, in order, when the counts agree."""
    keys = [k for k, _, _ in placed]
    taken = set(k for k in keys if k)
    if "other" in taken:
        taken |= set(TABLE3_GROUPS["other"][1])
    anchors = [i for i, k in enumerate(keys) if k] + [len(keys)]
    prev = -1
    for a in anchors:
        lo = ORDER[keys[prev]] + 1 if prev >= 0 else 0
        hi = ORDER[keys[a]] if a < len(keys) else len(TABLE3_ROW_KEYS)
        if keys[a : a + 1] == ["other"]:
            hi = ORDER["other_1"]
        gap = [k for k in TABLE3_ROW_KEYS[lo:hi] if k not in taken]
        pending = list(range(prev + 1, a))
        if pending and len(pending) == len(gap):
            for i, k in zip(pending, gap):
                keys[i] = k
        prev = a
    return keys


def _values(doc: Document, row: DataRow, ncols: int, drop: int | None, shape: Shape) -> RowValues:
    fields = fit_fields(row.fields, ncols, after_label=False)
    if fields is not None:
        rv = RowValues(cells=fields_cells(doc, fields))
    else:
        filled = [(f, p) for f, p in row.fields if f]
        if not filled:
            rv = RowValues(cells=blank_cells(doc, row.label_end, ncols))
        elif len(filled) < ncols:
            rv = split_row(doc, filled, ncols, shape)
        else:
            rv = RowValues(problem=f"找到{len(filled)}个单元格，应为{ncols}个")
    return _drop(rv, drop)


def _drop(rv: RowValues, drop: int | None) -> RowValues:
    if drop is not None:
        cut = lambda cells: [c for j, c in enumerate(cells) if j != drop]  # noqa: E731
        rv.cells = cut(rv.cells) if rv.cells else rv.cells
        rv.options = [cut(o) for o in rv.options]
        rv.broken = [cut(o) for o in rv.broken]
    return rv


# --- labels in order, values between them -------------------------------------------------------------
def _by_labels(doc: Document, table: Table3, start: int, end: int) -> list[Found] | None:
    text = doc.text
    labels: list[tuple[str, re.Match[str] | None, int, int]] = []  # key, match, prefix start, label end
    pos = start
    for key in TABLE3_ROW_KEYS:
        m = ROW_RX[key].search(text, pos, end)
        if not m:
            continue
        pm = PREFIX_RX[key].search(text, max(start, m.start() - 12), m.start())
        labels.append((key, m, pm.start() if pm else m.start(), m.end()))
        pos = m.end()
    if len(labels) < 3:
        return None
    keys = [k for k, *_ in labels]
    if not any(k in keys for k in TABLE3_GROUPS["other"][1]):
        before = max((lab[3] for lab in labels if ORDER[lab[0]] < ORDER["other_1"]), default=start)
        after = next((lab[2] for lab in labels if ORDER[lab[0]] > ORDER["other_3"]), end)
        m = ONE_ROW_OTHER.search(text, before, after)
        if m:
            labels.append(("other", None, m.start(), m.end()))
            labels.sort(key=lambda lab: lab[2])
    first = min(lab[2] for lab in labels)
    ncols, drop = _ncols(doc, table, text[start:first])
    shape = SHAPE8 if ncols == 8 else SHAPE7
    view = MaskedView(doc, GROUPS, start, end)
    found = []
    for i, (key, m, _, label_end) in enumerate(labels):
        region_end = labels[i + 1][2] if i + 1 < len(labels) else end
        rv = _region(view, label_end, region_end, ncols, shape, last=i + 1 == len(labels))
        if rv.problem == "subtotal:":
            if "表中含小计行，已忽略" not in table.nonstandard:
                table.nonstandard.append("表中含小计行，已忽略")
            rv.problem = ""
        found.append(Found(key, m, _drop(rv, drop)))
    return found


def _region(view: MaskedView, label_end: int, region_end: int, n: int, shape: Shape, *, last: bool) -> RowValues:
    rv = row_values(view, label_end, region_end, n, shape=shape, stop_at_text=last)
    if rv.problem and not last:
        toks: list[Token] = [t for t in tokens(view.text, label_end, region_end) if t.text.isdigit()]
        if len(toks) == n + 1 and _glued_to_label(view.doc.text, toks[-1]):
            # A stray digit glued to the next group label ("0三、本年度办理结果"), as Word exports
            # sometimes leave: the row's own n cells are intact.
            return row_values(view, label_end, toks[-1].start, n, shape=shape)
        if len(toks) == 2 * n and SUBTOTAL.search(view.doc.text, label_end, region_end):
            sub = row_values(view, label_end, toks[n].start, n, shape=shape)
            if not sub.problem:
                sub.problem = "subtotal:"
                return sub
    return rv


def _glued_to_label(text: str, tok: Token) -> bool:
    return tok.end < len(text) and GROUPS.match(text, tok.end) is not None


# --- from located rows to the table ------------------------------------------------------------------
def row_label(key: str) -> str:
    return TABLE3_GROUPS[key][0] if key in TABLE3_GROUPS else TABLE3_ROWS[key][0]


def settle(doc: Document, table: Table3, found: list[Found], section: tuple[int, int]) -> None:
    """Drift, readings chosen by the identities and the prose, status, notices."""
    rows: dict[str, RowValues] = {}
    for f in found:
        if f.key in rows:
            continue
        rows[f.key] = f.rv
        drift = label_drift(doc, f.key, f.m) if f.m is not None else None
        if drift:
            table.drift.append(drift)
    merged = [g for g in TABLE3_GROUPS if g in rows]
    covered = {k for g in merged for k in TABLE3_GROUPS[g][1]}
    if merged:
        table.layout = "2019"
    table.missing = [k for k in TABLE3_ROW_KEYS if k not in rows and k not in covered]
    problems = [f"{row_label(k)}行：{rv.problem}" for k, rv in rows.items() if rv.problem]
    options = {k: rv.readings for k, rv in rows.items() if rv.readings}
    eqs = solve.identities([k for k in options if k not in TABLE3_GROUPS], [g for g in merged if g in options])
    options = solve.resolve(options, eqs)
    undecided = []
    for key, opts in options.items():
        rv = rows[key]
        if len(opts) > 1:
            opts = hints.prefer(opts, hints.stated(doc, PROSE_WORDS.get(key, (ROWS.get(key, ("", "", row_label(key)))[2],)), section))
        if len(opts) == 1:
            target = table.merged if key in TABLE3_GROUPS else table.rows
            target[key] = opts[0]
            if len(rv.readings) > 1:
                table.split_notes[key] = _note(rv, opts[0])
            elif rv.unplaced:
                table.split_notes[key] = unplaced_note(rv)
            if len(rv.broken) > 1:  # chosen among readings that all break the row: the column
                table.alternatives[key] = rv.broken  # identities still see every one of them
        else:
            table.alternatives[key] = opts
            table.split_notes[key] = _note(rv, None)
            undecided.append(f"{row_label(key)}行数字连写“{rv.digits}”有{len(opts)}种读法（{shown_readings(opts)}）")
    if table.missing:
        problems.append(f"未找到行：{'、'.join(TABLE3_ROWS[k][1] for k in table.missing)}")
    table.status = (
        TableStatus.AMBIGUOUS if undecided else TableStatus.INCOMPLETE if problems else TableStatus.PARSED
    )
    table.reason = "；".join(undecided + problems)
    if undecided or problems:
        table.notices.append(notice(PARTS[3], table.reason + "，涉及这些行的核对已跳过"))


def _note(rv: RowValues, chosen: list[Cell] | None) -> str:
    """How a run-together row with several readings was read, for the findings on it."""
    if chosen is None:
        return f"数字连写“{rv.digits}”，可读作{shown_readings(rv.readings)}"
    if rv.broken:
        return f"数字连写“{rv.digits}”，{len(rv.broken)}种读法都不满足本行总计，按勾稽关系读作{shown(chosen)}"
    return f"数字连写“{rv.digits}”，按本行总计有{len(rv.options)}种读法，按勾稽关系和正文读作{shown(chosen)}"
