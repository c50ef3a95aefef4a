"""The narrative a model reads: the report without its statutory tables.

Tables are parsed and checked deterministically, so they are never sent: cost scales with prose, not
with the document, and the model cannot "read" numbers the rules own. The intro, sections 一, 五 and 六
and the 落款 are kept verbatim; in sections 二, 三 and 四 (where the tables live) each line is cut into
sentences and a piece is dropped when it is table-like: mostly table labels, a short fragment, digit
runs, or a tab-separated row. Each run of dropped pieces becomes one ``[表格已省略]`` line.

Kept text is copied from ``doc.raw`` unchanged, so a quote copied from the narrative is found in the
source (``reviewer.extract.quotes.find_quote``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from reviewer.ingest import normalize
from schemas.document import Document
from schemas.tables import (
    TABLE2_COLUMNS,
    TABLE2_ROWS,
    TABLE2_SUBTABLES,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_BLOCKS,
    TABLE4_COLUMNS,
    Tables,
)

OMITTED = "[表格已省略]"
TABLE_SECTIONS = (2, 3, 4)

_EXTRA_LABELS = (
    "信息内容", "申请人情况", "法人或其他组织", "本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理",
    "小计", "本列数据的勾稽关系为", "第一项加第二项之和", "等于第三项加第四项之和", "行政诉讼", "未经复议直接起诉",
    "复议后起诉", "单位：万元", "万元",
    # the 2019 format's labels
    "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "处理决定数量",
    "其他对外管理服务事项", "规范性文件", "政府集中采购", "采购项目数量", "采购总金额",
)


def _labels() -> list[str]:
    out: set[str] = set(_EXTRA_LABELS)
    out.update(label for label, _ in TABLE2_ROWS.values())
    out.update(TABLE2_COLUMNS.values())
    out.update(TABLE2_SUBTABLES)
    out.update(TABLE3_COLUMNS.values())
    for _, full in TABLE3_ROWS.values():
        out.add(full)
        out.add(re.sub(r"^(?:[一二三四五六七]、|（[一二三四五六七]）|\d+\.)", "", full))
    out.update(TABLE4_BLOCKS.values())
    out.update(TABLE4_COLUMNS.values())
    # Pieces are matched in doc.text, where ingest folded full-width forms: fold the labels alike.
    return sorted({normalize(x) for x in out if x}, key=len, reverse=True)


_LABEL_RX = re.compile("|".join(re.escape(x) for x in _labels()))
_ORDINAL_RX = re.compile(r"[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+项")
_CJK_RX = re.compile(r"[\u3400-\u9fff]")
_PIECE_RX = re.compile(r"[^。；！？]+[。；！？]*|[。；！？]+")


@dataclass(frozen=True)
class Narrative:
    text: str  # what the model reads
    sha: str  # sha256 of text: the cache key's "narrative hash"
    omitted: int  # table pieces left out


def is_table_piece(piece: str) -> bool:
    """A piece of a line in sections 二–四 that belongs to a table rather than to the prose."""
    s = piece.strip()
    if not s:
        return True
    if "\t" in s and "。" not in s:
        return True
    total = len(_CJK_RX.findall(_ORDINAL_RX.sub("", s)))
    if total < 6:
        return True
    left = len(_CJK_RX.findall(_ORDINAL_RX.sub("", _LABEL_RX.sub("", s))))
    if left * 5 <= total:  # four fifths or more of the words are table labels
        return True
    compact = re.sub(r"\s", "", s)
    return sum(ch.isdigit() for ch in compact) * 5 >= len(compact) * 2


def _cell_lines(tables: Tables | None) -> set[int]:
    if tables is None:
        return set()
    lines: set[int] = set()
    for table in (tables.t2.rows, tables.t3.rows, tables.t4.blocks):
        for cells in table.values():
            lines.update(c.loc.line for c in cells)
    return lines


def _filter_body(doc: Document, start: int, end: int, cell_lines: set[int]) -> tuple[list[str], int]:
    """The kept lines of a table section's body (raw text), with OMITTED markers."""
    out: list[str] = []
    omitted = 0
    pos = start
    while pos < end:
        nl = doc.text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        line = doc.text[pos:line_end]
        if line.strip():
            kept: list[str] = []
            dropped = False
            whole_row = doc.location(pos).line in cell_lines and "。" not in line
            for m in _PIECE_RX.finditer(line):
                if whole_row or is_table_piece(m.group()):
                    dropped = dropped or bool(m.group().strip())
                else:
                    kept.append(doc.raw[pos + m.start() : pos + m.end()])
            if dropped:
                omitted += 1
                if not kept and (not out or out[-1] != OMITTED):
                    out.append(OMITTED)
            if kept:
                out.append("".join(kept).strip())
        pos = line_end + 1
    return out, omitted


def select_narrative(doc: Document, tables: Tables | None = None) -> Narrative:
    """The report's narrative: everything but the statutory tables (see the module docstring)."""
    cell_lines = _cell_lines(tables)
    parts: list[str] = []
    omitted = 0
    pos = 0
    for sec in sorted(doc.sections, key=lambda s: s.body_span.start):
        if sec.key not in TABLE_SECTIONS:
            continue
        parts.append(doc.raw[pos : sec.body_span.start].rstrip(" \t") + "\n")
        lines, n = _filter_body(doc, sec.body_span.start, sec.body_span.end, cell_lines)
        omitted += n
        if lines:
            parts.append("\n".join(lines) + "\n")
        pos = sec.body_span.end
    parts.append(doc.raw[pos:])
    text = "\n".join(line.rstrip() for line in "".join(parts).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return Narrative(text=text, sha=hashlib.sha256(text.encode("utf-8")).hexdigest(), omitted=omitted)
