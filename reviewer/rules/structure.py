"""D and S rules that read the document's structure (issue: core)."""

from __future__ import annotations

from collections.abc import Iterator

from reviewer.document import FEE_HEADING, not_a_report, unreadable_where
from reviewer.rules.base import Context, Rule
from schemas.common import Severity
from schemas.document import SECTION_TITLES
from schemas.findings import Finding


class NotAnnualReport(Rule):
    """输入不是政府信息公开工作年度报告。

    检查内容:
        文件既没有“……政府信息公开工作年度报告”标题，也找不到六个法定部分的任何一个标题；或只有标题
        （只是提到年度报告）而没有任何一个法定部分；或没有标题，法定部分的标题只零散出现（不足四个或顺序
        不符，如说明文档中列举的格式要求）；或没有标题、机关名称和年度（空白的格式模板）。
        出现此问题时只报告这一条，不再做其他检查（在批量审核中单独列为“非年度报告”，不计入统计）。

    依据:
        《中华人民共和国政府信息公开条例》第四十九条、第五十条；国办公开办函〔2021〕30号。

    不合规示例:
        关于召开2023年度工作会议的通知
        各科室：定于……

    合规示例:
        XX县人民政府2023年政府信息公开工作年度报告
        一、总体情况
    """

    code = "D001"
    name = "not-an-annual-report"
    title = "不是政府信息公开工作年度报告"
    severity = Severity.ERROR
    groups = ("document",)
    hint = "请确认输入的是政府信息公开工作年度报告全文。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        if why := not_a_report(ctx.doc):  # no evidence: the file is not a report, nothing of it is quoted back
            yield self.finding(ctx, f"无法识别为政府信息公开工作年度报告：{why}", at=0)


class SectionMissingOrOutOfOrder(Rule):
    """六个法定部分缺失或顺序错乱。

    检查内容:
        报告必须依次包含“一、总体情况”“二、主动公开政府信息情况”“三、收到和处理政府信息公开申请情况”
        “四、政府信息公开行政复议、行政诉讼情况”“五、存在的主要问题及改进情况”“六、其他需要报告的事项”。
        缺少任一部分，或各部分顺序与格式不一致，均报告。标题的常见变体和笔误（如“四、因政府信息公开工作被申请
        行政复议、提起行政诉讼情况”“四、政府信息公开行政法复议、行政诉讼情况”“五、存在的主要问题及整改措施”）
        视为同一部分；标题丢失但内容还在的第五部分（第四部分表格之后直接是“（一）主要问题……（二）改进情况”）
        视为存在，不报告。报告自行增加或拆分部分、编号顺延的（七个部分：“二、政务公开工作主要任务落实情况”，
        “五、当前存在的突出问题”“六、下一步改进举措”，“七、其他需说明事项”），按正文的编号顺序识别：编号处在
        所缺部分的位置、标题文字指向该部分的，视为该部分（“一、概述”“五、政府信息公开存在的问题及改进措施”）；
        “二、……”之前的第一部分不论标题如何都视为总体情况。

    依据:
        《中华人民共和国政府信息公开条例》第五十条；国办公开办函〔2021〕30号年度报告格式。

    不合规示例:
        一、总体情况 …… 二、主动公开政府信息情况 …… 三、收到和处理政府信息公开申请情况 ……
        五、存在的主要问题及改进情况 …… 六、其他需要报告的事项 ……（缺少第四部分）

    合规示例:
        一、总体情况 …… 二、…… 三、…… 四、政府信息公开行政复议、行政诉讼情况 …… 五、…… 六、……
    """

    code = "S101"
    name = "section-missing-or-out-of-order"
    title = "法定部分缺失或顺序错乱"
    severity = Severity.ERROR
    groups = ("structure",)
    hint = "按国办公开办函〔2021〕30号格式补齐六个部分并按顺序排列。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        doc = ctx.doc
        if not doc.sections and doc.title is None:
            return  # D001
        present = {s.key for s in doc.sections}
        for key in range(1, 7):
            if key in present or unreadable_where(doc, key):
                continue  # (a section that may stand on an unreadable page: the reader's notice says so)
            following = [s for s in doc.sections if s.key > key]
            at = following[0].heading_span.start if following else len(doc.text.rstrip())
            where = f"（应位于“{following[0].heading or SECTION_TITLES[following[0].key]}”之前）" if following else ""
            fee = FEE_HEADING.search(doc.text, doc.sections[0].heading_span.end) if key == 6 and doc.sections else None
            if fee is not None:  # "五、信息处理费收取情况": 六's content under a heading of its own, out of order
                at, where = fee.start(), f"（信息处理费情况写在“{doc.raw[fee.start():fee.end()]}”下，与格式不符）"
            yield self.finding(ctx, f"缺少第{'一二三四五六'[key - 1]}部分“{SECTION_TITLES[key]}”{where}", at=at)
        seen_max = 0
        for s in doc.sections:
            if s.key < seen_max:
                prev = SECTION_TITLES[seen_max]
                yield self.finding(
                    ctx,
                    f"第{'一二三四五六'[s.key - 1]}部分“{s.heading}”出现在“{prev}”之后，顺序错乱",
                    at=s.heading_span,
                    evidence=s.heading,
                )
            seen_max = max(seen_max, s.key)
