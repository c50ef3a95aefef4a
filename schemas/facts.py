"""Narrative facts: what the extractors (rules or LLM) read from the prose, each with a verbatim
quote. Field descriptions are written for the model as much as for people: they are half the prompt.

The extractors only report what the text says. They never judge compliance; the rules do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from schemas.common import Span
from schemas.record import Record, field

QUOTE_DESC = "从报告原文逐字摘录的文字（可以是句子的一部分），必须与原文完全一致，不得改写、概括或补全。"


def quote_problem(value: str, context: dict) -> str | None:
    """With a ``quote_check`` callable in the validation context (the LLM extractor passes one
    through instructor), a quote that does not occur in the source is a validation error, so the
    model is asked again. Without it (the rules extractor, tests) there is no problem."""
    check = context.get("quote_check")
    return check(value) if check is not None else None


class Fact(Record):
    """Base of every fact: a verbatim quote, located in the source after extraction."""

    __checks__: ClassVar[dict] = {"quote": quote_problem}  # validators of the pydantic mirror (schemas/mirror.py)

    quote: str = field(description=QUOTE_DESC)
    span: Span | None = field(default=None, description="Set by the engine, not the model.", in_schema=False)
    extractor: str | None = field(
        default=None, in_schema=False,
        description="Set by the engine, not the model: which extractor produced the fact (rules | llm).",
    )


class AgencyLevel(StrEnum):
    GOVERNMENT = "人民政府"  # 各级人民政府 (本级政府 report): 3月31日, S107 applies
    DEPARTMENT = "部门"  # 县级以上人民政府部门: 1月31日
    TOWNSHIP = "乡镇街道"  # 乡镇人民政府、街道办事处
    OTHER = "其他"


class TextFact(Fact):
    value: str = field(description="事实的取值（如机关全称）。")


class LevelFact(Fact):
    value: AgencyLevel = field(
        description="机关层级：县级以上各级人民政府（如“XX县人民政府”“XX市人民政府”）为“人民政府”；"
        "政府工作部门（局、委、办、厅等）为“部门”；乡镇人民政府和街道办事处为“乡镇街道”；其余为“其他”。"
    )


class IntFact(Fact):
    value: int = field(description="整数取值（如年份2023）。")


class DateFact(Fact):
    value: dt.date = field(description="日期，格式YYYY-MM-DD（如“2024年1月20日”为2024-01-20）。")


class PeriodFact(Fact):
    """本报告所列数据的统计期限自YYYY年1月1日至YYYY年12月31日."""

    start: dt.date | None = field(default=None, description="统计期限起始日期，格式YYYY-MM-DD；未写为null。")
    end: dt.date | None = field(default=None, description="统计期限截止日期，格式YYYY-MM-DD；未写为null。")


class IntroParts(Fact):
    """The intro's announcement of the report's parts ("本报告包括六个部分…")."""

    count: int | None = field(default=None, description="引言声明的部分数量，如“六个部分”为6；未声明为null。")
    parts: list[str] = field(default_factory=list, description="引言逐项列出的各部分名称（按原文）。")


class Aspect(StrEnum):
    PROACTIVE = "主动公开"
    ON_REQUEST = "依申请公开"
    INFO_MANAGEMENT = "政府信息管理"
    PLATFORM = "平台建设"
    OVERSIGHT = "监督保障"


class AspectFact(Fact):
    aspect: Aspect = field(description="总体情况部分涉及的方面。")


class AssessmentKind(StrEnum):
    ASSESSMENT = "工作考核"
    SOCIAL_REVIEW = "社会评议"
    ACCOUNTABILITY = "责任追究"


class AssessmentFact(Fact):
    """人民政府 reports must give 工作考核、社会评议和责任追究结果情况 (条例第五十条)."""

    kind: AssessmentKind = field(description="该表述写的是工作考核、社会评议还是责任追究的结果。")


class ItemFact(Fact):
    """One listed problem or measure."""

    text: str = field(default="", description="该问题或措施的简述（可与quote相同）。")


class Rectification(Fact):
    """The rectification of the previous year's problems (上年度问题整改情况) in section 五."""

    year: int | None = field(
        default=None,
        description="整改所针对问题的年份，如“2021年问题整改情况”为2021；“上年度”“上一年度”按报告年度减一计；无法确定为null。",
    )
    measures: list[ItemFact] = field(
        default_factory=list, description="具体的整改措施（每条一项）；只有笼统表态时为空列表。"
    )
    bare_claim: bool = field(
        default=False,
        description="仅有“针对上一年度存在的问题进行了整改”之类笼统表述、没有任何具体整改措施时为true。",
    )


class FeeMethod(StrEnum):
    PER_CASE = "按件计收"
    PER_VOLUME = "按量计收"


class FeeStatement(Fact):
    """The 信息处理费 statement in section 六 (国办函〔2020〕109号)."""

    charged: bool | None = field(
        description="是否收取了信息处理费：明确写未收取/无收费为false，写收取了为true，无法判断为null。"
    )
    cases: int | None = field(default=None, description="收费的件数（如“1件”），未写为null。")
    amount_yuan: Decimal | None = field(default=None, description="收费金额，单位换算为元；未写为null。")
    method: FeeMethod | None = field(default=None, description="收费方式：按件计收或按量计收；未写为null。")
    notices_issued: bool | None = field(
        default=None, description="是否写明发出了收费通知；写明未发出为false，未提及为null。"
    )


class ItemPresence(Fact):
    """A profile-defined item of section 六 (e.g. shandong's 工作要点落实情况)."""

    item: str = field(description="事项的键名，取自提示中给出的事项列表。")


class ClaimSubject(StrEnum):
    """What a number in the prose counts."""

    APPS_NEW = "apps_new"  # 本年新收申请
    APPS_CARRIED = "apps_carried"  # 上年结转申请
    APPS_HANDLED = "apps_handled"  # 本年办结/答复申请
    APPS_CARRY_NEXT = "apps_carry_next"  # 结转下年度
    OUTCOME_GRANTED = "outcome_granted"  # 予以公开
    OUTCOME_PARTIAL = "outcome_partial"  # 部分公开
    OUTCOME_GRANTED_PARTIAL = "outcome_granted_partial"  # 予以公开及部分公开 (one combined figure)
    OUTCOME_DENIED = "outcome_denied"  # 不予公开
    OUTCOME_UNABLE = "outcome_unable"  # 无法提供
    OUTCOME_REJECTED = "outcome_rejected"  # 不予处理
    OUTCOME_OTHER = "outcome_other"  # 其他处理
    REVIEW = "review"  # 行政复议案件
    LITIGATION = "litigation"  # 行政诉讼案件
    PUBLISHED = "published"  # 主动公开的信息条数（总数或某渠道）
    NORMATIVE_DOCS = "normative_docs"  # 行政规范性文件
    REGULATIONS = "regulations"  # 规章
    LICENSING = "licensing"  # 行政许可
    PENALTY = "penalty"  # 行政处罚
    ENFORCEMENT = "enforcement"  # 行政强制
    OTHER = "other"


class ClaimKind(StrEnum):
    COUNT = "count"  # a plain figure
    TOTAL = "total"  # a total with stated parts (其中…)
    SHARE = "share"  # a part with its share of a stated whole (占P%)
    CHANGE = "change"  # a figure with a change rate against the previous year (同比增长P%)


CLAIM_SUBJECTS_DESC = (
    "apps_new=本年新收申请（“收到/受理申请N件”照原文取数，即使其中含上年结转）；apps_carried=上年结转申请；apps_handled=本年办结/答复的申请；"
    "apps_carry_next=结转下年度继续办理；outcome_granted=予以公开；outcome_partial=部分公开；"
    "outcome_granted_partial=予以公开与部分公开合计的一个数（如“予以公开及部分公开42件”）；"
    "outcome_denied=不予公开；outcome_unable=无法提供；outcome_rejected=不予处理；outcome_other=其他处理；"
    "review=行政复议案件；litigation=行政诉讼案件；published=主动公开的信息条数（总数或某一渠道）；"
    "normative_docs=行政规范性文件；regulations=规章；licensing=行政许可；penalty=行政处罚；"
    "enforcement=行政强制；other=以上都不是。"
)


class NumericClaim(Fact):
    kind: ClaimKind = field(
        description="count=单个数字；total=总数并列出组成部分（“共…其中…”）；share=部分数及其占比（“占P%”）；"
        "change=本年数及与上年相比的变化（“同比增长P%”“多发布82条”）。"
    )
    subject: ClaimSubject = field(description="该数字统计的对象。" + CLAIM_SUBJECTS_DESC)
    value: Decimal = field(description="数字本身（总数、部分数或本年数）。")
    unit: str = field(default="", description="单位，如“件”“条”。")
    parts: list[Decimal] = field(default_factory=list, description="kind=total时，原文列出的各组成部分数值。")
    percent: str | None = field(
        default=None, description="kind=share/change时原文写出的百分数，保留原文的小数位，如“4.2”。"
    )
    whole: Decimal | None = field(default=None, description="kind=share时，占比所依据的总数。")
    direction: str | None = field(default=None, description="kind=change时：“增长”或“下降”。")
    previous: Decimal | None = field(default=None, description="kind=change时，原文写出的上年数值；未写为null。")
    delta: Decimal | None = field(default=None, description="kind=change时，原文写出的增减量（如“多发布82条”）。")
    measure: str | None = field(
        default=None,
        description="subject为规章或行政规范性文件时所指的栏目：issued（本年制发）、repealed（本年废止）、"
        "in_force（现行有效）；原文未说明（如“清理”）为null。",
    )
    parts_exhaustive: bool = field(
        default=False,
        description="kind=total时，原文列出的组成部分是否应穷尽总数（最后一项为“其他…”“其余…”等）；"
        "只列举部分类别（如“其中，重点领域信息5385条”）为false。",
    )


class VagueQuantity(Fact):
    """"300多条", "若干", "数十件": a vague quantity where a figure is expected (N104)."""


class StatementKind(StrEnum):
    NO_REVIEW = "no_review"  # 未发生行政复议
    NO_LITIGATION = "no_litigation"  # 未发生行政诉讼
    NO_APPLICATIONS = "no_applications"  # 未收到政府信息公开申请
    ALL_COMPLETED = "all_completed"  # 全部办结 / 均已办理完毕


class Statement(Fact):
    """A categorical statement in the prose that a table can contradict (X104)."""

    kind: StatementKind = field(
        description="no_review=未发生行政复议；no_litigation=未发生行政诉讼；"
        "no_applications=未收到政府信息公开申请；all_completed=申请全部办结/均已办理完毕。"
    )


class NarrativeFacts(Record):
    """All narrative facts of one report. Absent facts are null or empty, never guessed."""

    agency: TextFact | None = field(default=None, description="发布报告的机关全称。")
    level: LevelFact | None = field(default=None, description="发布报告的机关的层级，quote摘录机关名称。")
    report_year: IntFact | None = field(default=None, description="报告所属年度（标题中的年份）。")
    period: PeriodFact | None = field(default=None, description="统计期限的表述。")
    signature_date: DateFact | None = field(default=None, description="文末落款日期。")
    intro_parts: IntroParts | None = field(
        default=None, description="引言中对报告组成部分的说明（如“本报告包括六个部分…”）；没有写就为null。"
    )
    aspects: list[AspectFact] = field(default_factory=list, description="第一部分“总体情况”涉及的方面。")
    assessment: list[AssessmentFact] = field(
        default_factory=list, description="工作考核、社会评议、责任追究结果的表述。"
    )
    problems: list[ItemFact] = field(default_factory=list, description="第五部分列出的本年度主要问题。")
    improvements: list[ItemFact] = field(default_factory=list, description="第五部分列出的改进措施。")
    rectification: Rectification | None = field(
        default=None, description="第五部分中上年度问题的整改情况；没有写就为null。"
    )
    fee: FeeStatement | None = field(default=None, description="第六部分关于信息处理费的表述；没有写就为null。")
    section6_items: list[ItemPresence] = field(
        default_factory=list, description="第六部分写到的、提示中列出的事项，每个事项一条；提示未列出事项时为空列表。"
    )
    claims: list[NumericClaim] = field(default_factory=list, description="正文（表格之外）中的数字表述。")
    vague: list[VagueQuantity] = field(
        default_factory=list, description="本应写确切数字却用了模糊数量的表述，如“300多条”“若干”“数十件”。"
    )
    statements: list[Statement] = field(
        default_factory=list,
        description="可能与统计表相矛盾的定性表述，如“未发生行政复议”“未收到政府信息公开申请”“全部办结”。",
    )
