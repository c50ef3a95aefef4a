"""Table 二 (主动公开政府信息情况): four sub-tables, six rows, ten numeric cells.

Each row is found by its own label wherever it stands in the section (converters put the
single-cell rows on loose lines before or after a pipe table), and read from the stretch up to
the next row label. Run-together digits are split; where several readings remain, a figure the
prose states for the row decides ("现行有效行政规范性文件698件"), else a notice names the row.
The 2019 layout's columns (本年新制作数量…, 上一年项目数量/本年增减…) are not the 2021 ones: those
rows are recognised but not mapped onto 2021 cells (F102 reports the layout for 2021年度 on).
"""

from __future__ import annotations

import re

from reviewer.lazyre import lazy
from reviewer.tables import hints
from reviewer.tables.common import PARTS, MaskedView, RowValues, no_table, notice, row_values, shown, shown_readings
from schemas.document import Document
from schemas.tables import TABLE2_COLUMNS, TABLE2_ROWS, Cell, LabelDrift, Table2, TableStatus

ROW_RX: dict[str, re.Pattern[str]] = {
    "regulations": lazy(r"规\s*章"),
    "normative_docs": lazy(r"(?:行政)?规范性文件"),
    "licensing": lazy(r"行政许可"),
    "penalty": lazy(r"行政处罚"),
    "enforcement": lazy(r"行政强制"),
    "fees": lazy(r"行政事业性收费"),
}
# Other row labels of the 2019 layout: they end the stretch of the row before them.
LEGACY_ROWS = lazy(r"其他对外管理服务事项|政府集中采购")
# Header words, blanked out before reading values (their digits, "保留4位小数", are not cells).
HEADER = lazy(
    r"第二十条第\s*\(\s*[一二三四五六七八九十\d]+\s*\)\s*项|信息内容|本年(?:度)?制发件数|本年(?:度)?废止件数|本年度止件数"
    r"|现行有效件数|(?:本年)?处理决定数量|本年收费金额\s*(?:\([^)]*\))?|单位\s*[:：]\s*万元"
)
DRIFT: dict[str, str] = {
    "本年度止件数": "本年废止件数",
    "本年度废止件数": "本年废止件数",
    "本年度制发件数": "本年制发件数",
}
LEGACY_2019 = lazy(
    r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增\s*/\s*减|(?<!本年)处理决定数量"
    r"|其他对外管理服务事项|第二十条第\s*\(\s*九\s*\)\s*项|政府集中采购|采购项目数量|采购总金额"
)
# The 2019 columns, by the rows they replace: those rows are not mapped onto 2021 cells.
LEGACY_COLUMNS: dict[tuple[str, ...], re.Pattern[str]] = {
    ("regulations", "normative_docs"): lazy(r"本年新制作数量|本年新公开数量|对外公开总数量"),
    ("licensing", "penalty", "enforcement", "fees"): lazy(r"上一年项目数量|本年增\s*/\s*减"),
}
PROSE_WORDS: dict[str, tuple[str, ...]] = {
    "regulations": ("规章",),
    "normative_docs": ("规范性文件",),
    "licensing": ("行政许可",),
    "penalty": ("行政处罚",),
    "enforcement": ("行政强制",),
    "fees": ("收费",),
}


def scan_drift(doc: Document, start: int, end: int) -> list[LabelDrift]:
    """2019-format words (F102) and drifted column labels (T102) in [start, end) of the text."""
    text = doc.text
    out = [
        LabelDrift(found=m.group(), canonical="", loc=doc.location(m.start()), legacy_2019=True)
        for m in LEGACY_2019.finditer(text, start, end)
    ]
    for m in _COLUMN_WORD.finditer(text, start, end):
        found = m.group()
        canonical = DRIFT.get(found) or _closest_column(found)
        if canonical and canonical != found:
            out.append(LabelDrift(found=found, canonical=canonical, loc=doc.location(m.start())))
    return out


_COLUMN_WORD = lazy(r"本年度?[\u4e00-\u9fff]{1,2}件数")


def _closest_column(found: str) -> str | None:
    """The 2021 column a misspelt one stands for ("本年废纸件数" -> 本年废止件数), by shared characters."""
    core = found.removeprefix("本年").removeprefix("度").removesuffix("件数")
    if core in ("制发", "废止"):
        return f"本年{core}件数"  # the same word, or with 本年度 for 本年
    score = {w: len(set(core) & set(w)) for w in ("制发", "废止")}
    best = max(score, key=score.__getitem__)
    return f"本年{best}件数" if score[best] else None


def row_drift(doc: Document, key: str, m: re.Match[str]) -> list[LabelDrift]:
    """A row label matched by ROW_RX[key] in its 2019 wording (规范性文件 for 行政规范性文件)."""
    if key == "normative_docs" and not m.group().startswith("行政"):
        return [LabelDrift(found=m.group(), canonical="行政规范性文件", loc=doc.location(m.start()), legacy_2019=True)]
    return []


def parse_table2(doc: Document) -> Table2:
    sec = doc.section(2)
    if sec is None:
        return Table2(status=TableStatus.ABSENT, reason="报告中没有第二部分")
    start, end = sec.body_span.start, sec.body_span.end
    text = doc.text
    table = Table2(loc=doc.location(sec.heading_span.start))
    table.drift = scan_drift(doc, start, end)

    labels = sorted(
        [(m.start(), m.end(), key, m) for key, rx in ROW_RX.items() for m in rx.finditer(text, start, end)]
        + [(m.start(), m.end(), "", m) for m in LEGACY_ROWS.finditer(text, start, end)],
        key=lambda x: x[0],
    )
    if len({k for *_, k, _ in labels if k}) < 2:
        return no_table(doc, table, start, end, "第二部分", HEADER)  # type: ignore[return-value]
    legacy = {k for keys, rx in LEGACY_COLUMNS.items() if rx.search(text, start, end) for k in keys}
    if legacy:
        table.layout = "2019"
    view = MaskedView(doc, HEADER, start, end)
    found: set[str] = set()
    problems: list[str] = []
    undecided: list[str] = []
    for key in TABLE2_ROWS:
        at = [i for i, lab in enumerate(labels) if lab[2] == key]
        if not at:
            continue
        found.add(key)
        if key in legacy:
            continue  # a 2019 row: present, its cells are not the 2021 ones
        rv, m = _read_row(view, labels, at, key, end)
        if rv.problem:
            problems.append(f"{TABLE2_ROWS[key][0]}行：{rv.problem}")
            continue
        table.drift.extend(row_drift(doc, key, m))
        opts = rv.readings
        if len(opts) > 1:
            opts = hints.prefer(opts, hints.stated(doc, PROSE_WORDS[key], (start, end)))
        if len(opts) > 1 and key in ("regulations", "normative_docs"):
            # documents issued this year are in force or repealed (T202's relation, as tie-breaker)
            opts = [o for o in opts if _issued_fits(o)] or opts
        if len(opts) == 1:
            table.rows[key] = opts[0]
            if len(rv.readings) > 1:
                table.split_notes[key] = f"数字连写“{rv.digits}”，按正文读作{shown(opts[0])}"
        else:
            table.alternatives[key] = opts
            undecided.append(f"{TABLE2_ROWS[key][0]}行数字连写“{rv.digits}”有{len(opts)}种读法（{shown_readings(opts)}）")
    table.missing = [k for k in TABLE2_ROWS if k not in found]
    if table.missing:
        problems.append("缺少行：" + "、".join(TABLE2_ROWS[k][0] for k in table.missing))
    table.status = TableStatus.AMBIGUOUS if undecided else TableStatus.INCOMPLETE if problems else TableStatus.PARSED
    table.reason = "；".join(undecided + problems)
    unread = undecided + [p for p in problems if not p.startswith("缺少行")]
    if unread:
        table.notices.append(notice(PARTS[2], "；".join(unread)))
    return table


def _read_row(view: MaskedView, labels: list, at: list[int], key: str, end: int) -> tuple[RowValues, re.Match[str]]:
    """A row's values from the first place its label stands with numbers after it (the label may
    also stand in the prose, or on a loose line before the table); else from the first place."""
    first = None
    for i in at:
        region_end = labels[i + 1][0] if i + 1 < len(labels) else end
        rv = row_values(
            view, labels[i][1], region_end, len(TABLE2_ROWS[key][1]), decimal_ok=key == "fees", stop_at_text=True
        )
        if not rv.problem and any(c.value is not None for r in rv.readings for c in r):
            return rv, labels[i][3]
        if first is None or (first[0].problem and not rv.problem):
            first = (rv, labels[i][3])
    return first  # type: ignore[return-value]


def _issued_fits(cells: list[Cell]) -> bool:
    issued, repealed, in_force = (c.value or 0 for c in cells)
    return issued <= repealed + in_force


assert set(c for _, cols in TABLE2_ROWS.values() for c in cols) <= set(TABLE2_COLUMNS)
