"""Typed models of the three statutory tables, with the canonical keys of FORMAT.md.

Every cell keeps its raw text, its value, its kind and where it stands in the source, so a rule can
quote it and point at it. Nothing is ever "repaired": a cell holds what the document says.
"""

from __future__ import annotations

from schemas.plain import plain
from decimal import Decimal
from enum import StrEnum

from schemas.common import Location
from schemas.record import Record, field


class CellKind(StrEnum):
    NUMBER = "number"  # a positive number
    ZERO = "zero"
    BLANK = "blank"  # nothing written where a number is required
    PLACEHOLDER = "placeholder"  # "/", "—", "无", "-"
    INVALID = "invalid"  # negative, a fraction in a count, text


@plain(slots=True)
class Cell:
    """One table cell. A plain dataclass: a report has about 200 of them and they are built in the
    hot path; pydantic models accept it as a field type."""

    raw: str
    value: Decimal | None
    kind: CellKind
    loc: Location
    split: bool = False  # obtained by splitting digits that ran together

    @property
    def is_number(self) -> bool:
        return self.value is not None and self.kind in (CellKind.NUMBER, CellKind.ZERO)


class TableStatus(StrEnum):
    PARSED = "parsed"  # every cell found (cells may still be blank or invalid)
    ABSENT = "absent"  # the section holds no table at all
    NOT_READABLE = "not_readable"  # an image placeholder or garbage instead of the table
    AMBIGUOUS = "ambiguous"  # digits ran together and more than one split fits the identities
    INCOMPLETE = "incomplete"  # some rows or cells could not be found


class LabelDrift(Record):
    """A row or column label that differs from the 2021 wording (T102) or is a 2019 label (F102)."""

    found: str
    canonical: str
    loc: Location
    legacy_2019: bool = False


class TableBase(Record):
    status: TableStatus = TableStatus.ABSENT
    reason: str = field(default="", description="Why the table is not parsed, in Chinese.")
    loc: Location | None = field(default=None, description="Where the table (or its placeholder) starts.")
    drift: list[LabelDrift] = field(default_factory=list)
    nonstandard: list[str] = field(
        default_factory=list, description="Non-standard layout notes (小计 columns/rows), for F103."
    )
    missing: list[str] = field(default_factory=list, description="Canonical keys of rows not found.")
    source: str = field(default="text", description="text | docx | html | pdf: where the cells came from.")
    layout: str = field(default="2021", description="2021 | 2019: the format version the table's layout follows.")
    notices: list[str] = field(
        default_factory=list,
        description="What the reviewer could not read or verify in this table (tool limits, shown as notices).",
    )
    split_notes: dict[str, str] = field(
        default_factory=dict,
        description="Row key -> how run-together digits were read (for messages about that row).",
    )

    @property
    def parsed(self) -> bool:
        return self.status == TableStatus.PARSED


# --- Table 二 ---------------------------------------------------------------------------------
# Rows and their columns; (八) is an amount in 万元, the rest are counts.
TABLE2_ROWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "regulations": ("规章", ("issued", "repealed", "in_force")),
    "normative_docs": ("行政规范性文件", ("issued", "repealed", "in_force")),
    "licensing": ("行政许可", ("decisions",)),
    "penalty": ("行政处罚", ("decisions",)),
    "enforcement": ("行政强制", ("decisions",)),
    "fees": ("行政事业性收费", ("amount",)),
}
TABLE2_COLUMNS: dict[str, str] = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount": "本年收费金额（单位：万元）",
}
TABLE2_SUBTABLES: dict[str, tuple[str, ...]] = {
    "第二十条第（一）项": ("regulations", "normative_docs"),
    "第二十条第（五）项": ("licensing",),
    "第二十条第（六）项": ("penalty", "enforcement"),
    "第二十条第（八）项": ("fees",),
}


class Table2(TableBase):
    rows: dict[str, list[Cell]] = field(default_factory=dict, description="TABLE2_ROWS key -> cells.")
    alternatives: dict[str, list[list[Cell]]] = field(
        default_factory=dict, description="Row key -> its readings, for run-together digits nothing decides."
    )

    def cell(self, row: str, col: str) -> Cell | None:
        cells = self.rows.get(row)
        if not cells:
            return None
        cols = TABLE2_ROWS[row][1]
        return cells[cols.index(col)] if col in cols else None


# --- Table 三 ---------------------------------------------------------------------------------
TABLE3_COLUMNS: dict[str, str] = {
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal": "法律服务机构",
    "other": "其他",
    "total": "总计",
}
TABLE3_COLUMN_KEYS: tuple[str, ...] = tuple(TABLE3_COLUMNS)

# canonical row key -> (short label used in messages, full 2021 label)
TABLE3_ROWS: dict[str, tuple[str, str]] = {
    "new": ("一", "一、本年新收政府信息公开申请数量"),
    "carried_over": ("二", "二、上年结转政府信息公开申请数量"),
    "granted": ("（一）", "（一）予以公开"),
    "partial": ("（二）", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    "denied_1": ("（三）1", "1.属于国家秘密"),
    "denied_2": ("（三）2", "2.其他法律行政法规禁止公开"),
    "denied_3": ("（三）3", "3.危及“三安全一稳定”"),
    "denied_4": ("（三）4", "4.保护第三方合法权益"),
    "denied_5": ("（三）5", "5.属于三类内部事务信息"),
    "denied_6": ("（三）6", "6.属于四类过程性信息"),
    "denied_7": ("（三）7", "7.属于行政执法案卷"),
    "denied_8": ("（三）8", "8.属于行政查询事项"),
    "unable_1": ("（四）1", "1.本机关不掌握相关政府信息"),
    "unable_2": ("（四）2", "2.没有现成信息需要另行制作"),
    "unable_3": ("（四）3", "3.补正后申请内容仍不明确"),
    "rejected_1": ("（五）1", "1.信访举报投诉类申请"),
    "rejected_2": ("（五）2", "2.重复申请"),
    "rejected_3": ("（五）3", "3.要求提供公开出版物"),
    "rejected_4": ("（五）4", "4.无正当理由大量反复申请"),
    "rejected_5": ("（五）5", "5.要求行政机关确认或重新出具已获取信息"),
    "other_1": ("（六）1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "other_2": ("（六）2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "other_3": ("（六）3", "3.其他"),
    "total": ("（七）总计", "（七）总计"),
    "carry_next": ("四", "四、结转下年度继续办理"),
}
TABLE3_ROW_KEYS: tuple[str, ...] = tuple(TABLE3_ROWS)
TABLE3_OUTCOME_ROWS: tuple[str, ...] = TABLE3_ROW_KEYS[2:23]  # the 21 leaf rows summed into （七） (FORMAT.md says 22; it counts 21)
assert len(TABLE3_OUTCOME_ROWS) == 21 and "total" not in TABLE3_OUTCOME_ROWS


def table3_label(key: str) -> str:
    """A row's label for messages: sub-rows carry their group ("（三）1.属于国家秘密")."""
    short, full = TABLE3_ROWS[key]
    return short[:3] + full if short[:1] == "（" and short[3:].isdigit() else full


# A group of rows written as one row (the 2019 layout's single （六）其他处理): its cells stand for
# the sum of the group's rows.
TABLE3_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "other": ("（六）其他处理", ("other_1", "other_2", "other_3")),
}


class Table3(TableBase):
    rows: dict[str, list[Cell]] = field(
        default_factory=dict, description="TABLE3_ROWS key -> 7 cells in TABLE3_COLUMNS order."
    )
    merged: dict[str, list[Cell]] = field(
        default_factory=dict, description="TABLE3_GROUPS key -> 7 cells of a group written as one row."
    )
    alternatives: dict[str, list[list[Cell]]] = field(
        default_factory=dict,
        description="Row key -> its readings, for run-together digits no identity decides (a row also in "
        "``rows`` was chosen among readings that all break its own identity).",
    )

    def cell(self, row: str, col: str) -> Cell | None:
        cells = self.rows.get(row)
        return cells[TABLE3_COLUMN_KEYS.index(col)] if cells else None


# --- Table 四 ---------------------------------------------------------------------------------
TABLE4_BLOCKS: dict[str, str] = {
    "review": "行政复议",
    "direct_suit": "行政诉讼（未经复议直接起诉）",
    "suit_after_review": "行政诉讼（复议后起诉）",
}
TABLE4_COLUMNS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}


class Table4(TableBase):
    blocks: dict[str, list[Cell]] = field(
        default_factory=dict, description="TABLE4_BLOCKS key -> 5 cells in TABLE4_COLUMNS order."
    )
    alternatives: list[dict[str, list[Cell]]] = field(
        default_factory=list,
        description="Readings of the row, for run-together digits no identity decides (with ``blocks`` set: "
        "the readings, all breaking some block, the blocks were chosen among).",
    )

    def cell(self, block: str, col: str) -> Cell | None:
        cells = self.blocks.get(block)
        return cells[list(TABLE4_COLUMNS).index(col)] if cells else None


class Tables(Record):
    t2: Table2 = field(default_factory=Table2)
    t3: Table3 = field(default_factory=Table3)
    t4: Table4 = field(default_factory=Table4)
