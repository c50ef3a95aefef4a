"""Table 二 (主动公开政府信息情况): four sub-tables, six rows, ten numeric cells."""

from __future__ import annotations

import re

from reviewer.tables.common import MaskedView, no_table, row_values
from schemas.document import Document
from schemas.tables import TABLE2_COLUMNS, TABLE2_ROWS, LabelDrift, Table2, TableStatus

ROW_RX: dict[str, re.Pattern[str]] = {
    "regulations": re.compile(r"规\s*章"),
    "normative_docs": re.compile(r"(?:行政)?规范性文件"),
    "licensing": re.compile(r"行政许可"),
    "penalty": re.compile(r"行政处罚"),
    "enforcement": re.compile(r"行政强制"),
    "fees": re.compile(r"行政事业性收费"),
}
# Header words, blanked out before reading values (their digits, "保留4位小数", are not cells).
HEADER = re.compile(
    r"第二十条第\s*\(\s*[一二三四五六七八九十\d]+\s*\)\s*项|信息内容|本年(?:度)?制发件数|本年(?:度)?废止件数|本年度止件数"
    r"|现行有效件数|(?:本年)?处理决定数量|本年收费金额\s*(?:\([^)]*\))?|单位\s*[:：]\s*万元"
)
DRIFT: dict[str, str] = {
    "本年度止件数": "本年废止件数",
    "本年度废止件数": "本年废止件数",
    "本年度制发件数": "本年制发件数",
}
LEGACY_2019 = re.compile(
    r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增\s*/\s*减|(?<!本年)处理决定数量"
    r"|其他对外管理服务事项|第二十条第\s*\(\s*九\s*\)\s*项|政府集中采购|采购项目数量|采购总金额"
)


def scan_drift(doc: Document, start: int, end: int) -> list[LabelDrift]:
    """2019-format words (F102) and drifted column labels (T102) in [start, end) of the text."""
    text = doc.text
    out = [
        LabelDrift(found=m.group(), canonical="", loc=doc.location(m.start()), legacy_2019=True)
        for m in LEGACY_2019.finditer(text, start, end)
    ]
    for found, canonical in DRIFT.items():
        for m in re.finditer(found, text[start:end]):
            out.append(LabelDrift(found=found, canonical=canonical, loc=doc.location(start + m.start())))
    return out


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

    found: dict[str, tuple[int, int]] = {}
    pos = start
    for key, rx in ROW_RX.items():
        m = rx.search(text, pos, end)
        if m:
            found[key] = (m.start(), m.end())
            pos = m.end()
            table.drift.extend(row_drift(doc, key, m))
    if len(found) < 2:
        return no_table(doc, table, start, end, "第二部分")

    view = MaskedView(doc, HEADER, start, end)
    keys = [k for k in TABLE2_ROWS if k in found]
    problems = []
    for i, key in enumerate(keys):
        region_end = found[keys[i + 1]][0] if i + 1 < len(keys) else end
        n = len(TABLE2_ROWS[key][1])
        rv = row_values(view, found[key][1], region_end, n, decimal_ok=key == "fees", stop_at_text=True)
        if rv.candidates:
            problems.append(f"{TABLE2_ROWS[key][0]}行的数字连写在一起，有多种拆分方式，无法确定各单元格的值")
        elif rv.problem:
            problems.append(f"{TABLE2_ROWS[key][0]}行：{rv.problem}")
        else:
            table.rows[key] = rv.cells
    missing = [k for k in TABLE2_ROWS if k not in found]
    if problems:
        table.status = TableStatus.AMBIGUOUS if any("多种拆分" in p for p in problems) else TableStatus.INCOMPLETE
        table.reason = "；".join(problems)
    else:
        table.status = TableStatus.PARSED
    table.missing = missing
    if missing:
        table.reason = "；".join(filter(None, [table.reason, "缺少行：" + "、".join(TABLE2_ROWS[k][0] for k in missing)]))
    return table


assert set(c for _, cols in TABLE2_ROWS.values() for c in cols) <= set(TABLE2_COLUMNS)
