"""R rules and the profile-driven S rules: required content that must be read from the prose —
section 一's aspects (S106), 工作考核/社会评议/责任追究 (S107), section 五's problems, measures and
rectification (R501–R503), the 信息处理费 statement (R601, R602, T304) and the profile's own items
(R603).

Required items that are only phrasings live in the profile files (``[[required_items]]``); the rules
here interpret them generically, Vale-style: an item whose phrasings do not occur is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

from reviewer.extract.problems import region as section5_region
from reviewer.lazyre import lazy
from reviewer.rules.base import Context, Rule, num
from schemas.common import Confidence, Severity
from schemas.findings import Finding
from schemas.profile import RequiredItem

_EMPTY = lazy(r"^[\s。.、]*(?:无|暂无|没有|无\s*[。.])?[\s。.、]*$")
ORDINALS = "一二三四五六"
FEE_FROM = 2021  # 国办函〔2020〕109号 took effect on 2021-01-01: the fee statement is due from 2021年度 on


class ProseRule(Rule):
    """Base of the rules here: their findings rest on facts read from the prose."""

    groups = ("required",)
    confidence = Confidence.INFERRED
    uses_facts = True


def missing_items(ctx: Context, code: str) -> list[RequiredItem]:
    """The profile's items of rule ``code`` that apply to this agency and that the facts lack."""
    facts = ctx.facts
    level = facts.level.value.value if facts.level else None
    present = {a.aspect.value for a in facts.aspects}
    present |= {a.kind.value for a in facts.assessment}
    present |= {i.item for i in facts.section6_items}
    out = []
    for item in ctx.profile.required_items:
        if item.rule != code or item.key in present:
            continue
        if item.levels and level not in item.levels:
            continue  # an unknown level is not assumed: absent is absent
        out.append(item)
    return out


def at_heading(rule: Rule, ctx: Context, key: int, message: str) -> Finding:
    """A finding on a missing item, at the heading of section ``key`` (where the item belongs), or
    at 1:1 when that section is absent too."""
    s = ctx.doc.section(key)
    if s is None:
        return rule.finding(ctx, message, at=0)
    return rule.finding(ctx, message, at=s.heading_span.start, evidence=ctx.doc.quote(s.heading_span))


def is_empty(ctx: Context, key: int) -> bool:
    return bool(_EMPTY.match(ctx.doc.section_text(key)))


def at_section5(rule: Rule, ctx: Context, message: str, lost: str) -> Finding | None:
    """A finding on section 五's content: at its heading; with the heading lost, at the start of the
    content where it sits ("（一）主要问题" after table 四) with ``lost`` as the message; None when
    neither the section nor its content can be found."""
    s = ctx.doc.section(5)
    if s is not None and s.heading_span.end > s.heading_span.start:
        return at_heading(rule, ctx, 5, message)
    where = section5_region(ctx.doc)  # no heading: the section was found, or is looked for, by its content
    if where is None:
        return None
    end = ctx.doc.text.find("\n", where[0], where[1])
    end = min(where[1], where[0] + 40) if end == -1 else min(end, where[0] + 40)
    return rule.finding(ctx, lost, at=where[0], evidence=ctx.doc.quote((where[0], end)))


def fee_due(ctx: Context) -> bool:
    """The 信息处理费 statement is required for this report year (unknown years: assumed current)."""
    return ctx.year is None or ctx.year >= FEE_FROM


class AspectsMissing(ProseRule):
    """第一部分“总体情况”未涵盖五个方面。

    检查内容:
        总体情况应概述主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面的工作。
        某个方面在第一部分中完全没有涉及的，报告此问题并列出缺少的方面。各方面的认定用语在配置文件中
        （national.toml 中 rule = "S106" 的 required_items）。五个方面是2021年格式的要求，只检查2021年度
        及以后的报告。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第一部分“总体情况”。

    不合规示例:
        一、总体情况
        （一）主动公开涵盖全面……（二）政府信息管理规范有序……（三）指导监督逐步强化……
        （未涉及依申请公开、平台建设）

    合规示例:
        一、总体情况
        （一）主动公开 ……（二）依申请公开 ……（三）政府信息管理 ……（四）政府信息公开平台建设 ……（五）监督保障 ……
    """

    code = "S106"
    name = "overview-aspects-missing"
    title = "总体情况未涵盖五个方面"
    severity = Severity.WARNING
    hint = "在总体情况中分别概述主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.year is not None and ctx.year < 2021:
            return  # the five aspects are the 2021 format's (RULES.md policy 3)
        missing = missing_items(ctx, self.code)
        if ctx.doc.section(1) is None or not missing:
            return
        names = "、".join(f"“{i.label}”" for i in missing)
        yield at_heading(self, ctx, 1, f"第一部分“总体情况”未涉及{names}")


class AssessmentMissing(ProseRule):
    """人民政府的年度报告未报告工作考核、社会评议和责任追究结果情况。

    检查内容:
        县级以上人民政府（本级政府）的年度报告应报告政府信息公开工作考核、社会评议和责任追究结果情况，
        通常写在第一部分“监督保障”中。缺少其中任何一项的，报告此问题。只对机关层级为“人民政府”的报告
        检查（乡镇街道、部门不适用；层级无法识别时不检查）。认定用语在配置文件中（rule = "S107"）。

    依据:
        《中华人民共和国政府信息公开条例》第五十条：各级人民政府还应当报告政府信息公开工作考核、社会评议
        和责任追究结果情况。

    不合规示例:
        成武县人民政府 …… 将政务公开工作纳入综合考核 …… 充分发挥社会评议作用 ……（没有责任追究结果）

    合规示例:
        四是工作考核方面……五是社会评议方面……六是责任追究结果方面。本年度未发生政府信息公开引起的责任追究。
    """

    code = "S107"
    name = "assessment-results-missing"
    title = "未报告考核、评议和责任追究情况"
    severity = Severity.WARNING
    hint = "在监督保障部分写明工作考核、社会评议和责任追究结果情况（没有发生责任追究的也应写明）。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        missing = missing_items(ctx, self.code)
        if not missing:
            return
        names = "、".join(f"“{i.label}”" for i in missing)
        level = ctx.facts.level
        yield at_heading(self, ctx, 1, f"{level.value.value if level else ''}年度报告未报告{names}情况")


class ProblemsOrMeasuresMissing(ProseRule):
    """第五部分为空或只写“无”，或缺少存在的问题、改进措施。

    检查内容:
        第五部分应写明本年度政府信息公开工作存在的主要问题，以及相应的改进情况（改进措施）。
        该部分为空、只写“无”，或只有问题没有改进措施、只有措施没有问题的，报告此问题。

    依据:
        《中华人民共和国政府信息公开条例》第五十条第（四）项：存在的主要问题及改进情况。

    不合规示例:
        五、存在的主要问题及改进情况
        无

    合规示例:
        五、存在的主要问题及改进情况
        （二）存在的主要问题：一是政策解读的针对性有待加强……（三）改进措施：一是围绕群众关切开展多形式解读……
    """

    code = "R501"
    name = "problems-or-measures-missing"
    title = "缺少存在的问题或改进措施"
    severity = Severity.ERROR
    hint = "写明本年度存在的主要问题，并逐项写明改进措施。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        s = ctx.doc.section(5)
        if s is None or s.heading_span.end == s.heading_span.start:
            # The heading lost, the content found where it sits: judge that content (S101 reports a
            # section that is not there at all).
            lacks = self.lacks(ctx)
            if lacks and ctx.facts.problems + ctx.facts.improvements:
                f = at_section5(self, ctx, "", f"“存在的主要问题及改进情况”（未见第五部分标题）未写明{'和'.join(lacks)}")
                if f is not None:
                    yield f
            return
        if is_empty(ctx, 5):
            body = ctx.doc.section_text(5).strip()
            what = f"只写了“{body}”" if body else "内容为空"
            yield at_heading(self, ctx, 5, f"第五部分“存在的主要问题及改进情况”{what}")
            return
        lacks = self.lacks(ctx)
        if lacks:
            yield at_heading(self, ctx, 5, f"第五部分未写明{'和'.join(lacks)}")

    @staticmethod
    def lacks(ctx: Context) -> list[str]:
        out = []
        if not ctx.facts.problems:
            out.append("本年度存在的主要问题")
        if not ctx.facts.improvements:
            out.append("改进措施")
        return out


class RectificationMissing(ProseRule):
    """第五部分未报告上年度问题整改情况。

    检查内容:
        第五部分应报告上一年度年度报告所列问题的整改情况（如“（一）2021年问题整改情况”“上年度问题整改情况”
        “（一）2024年工作中存在问题的改进情况”）。报告中没有任何整改情况表述的，报告此问题；只有笼统表态
        或年份不对的由R503报告。针对本年度问题的“整改措施”不是上年度问题的整改情况。第五部分标题缺失时，
        按表格四之后、第六部分之前的内容（“（一）主要问题……（二）改进情况”）判断；写在其他部分的上年度
        问题整改情况也予认可。

    依据:
        各地年度报告的通行做法及本项目用户的要求（对照上年度报告逐项说明整改情况）；条例第五十条第（四）项。

    不合规示例:
        五、存在的主要问题及改进情况
        2022年……存在一些不足：一是……。在接下来的工作中，一是……（没有上年度问题整改情况）

    合规示例:
        五、存在的主要问题及改进情况
        （一）2021年问题整改情况
        一是加强业务培训……二是加大监督检查力度……
    """

    code = "R502"
    name = "rectification-missing"
    title = "缺少上年度问题整改情况"
    severity = Severity.ERROR
    hint = "在第五部分增加“上年度问题整改情况”，逐项说明上年度报告所列问题的整改措施和成效。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.facts.rectification is not None:
            return
        prev = f"（{ctx.year - 1}年）" if ctx.year else ""
        f = at_section5(
            self, ctx, f"第五部分未报告上年度{prev}问题整改情况",
            f"“存在的主要问题及改进情况”（未见第五部分标题）未报告上年度{prev}问题整改情况",
        )
        # Neither section 五 nor its content: the report gives no rectification anywhere either.
        yield f if f is not None else self.finding(ctx, f"报告未报告上年度{prev}问题整改情况", at=0)


class RectificationVague(ProseRule):
    """上年度问题整改情况年份不对，或只有笼统表态、没有具体整改措施。

    检查内容:
        整改情况针对的应是上一年度（报告年度减一）的问题：写成其他年份的（如2022年度报告写“2020年问题整改
        情况”），或只有“针对上一年度存在的问题进行了整改”之类笼统表述、没有任何具体整改措施的，报告此问题。

    依据:
        各地年度报告的通行做法及本项目用户的要求；国办公开办函〔2021〕30号“年度报告内容……不宜泛化”。

    不合规示例:
        2022年，成武县针对上一年度存在的问题进行了整改，政务公开工作取得一定成效，但还存在一些问题和不足。

    合规示例:
        （一）2021年问题整改情况
        一是加强业务培训，定期开展政务公开业务培训会；二是加大监督检查力度，对政务公开工作实行目标考核。
    """

    code = "R503"
    name = "rectification-vague-or-wrong-year"
    title = "整改情况笼统或年份不对"
    severity = Severity.WARNING
    hint = "写明上年度报告所列的每个问题采取了哪些具体整改措施、取得了什么效果。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        rect = ctx.facts.rectification
        if rect is None:
            return
        if rect.year is not None and ctx.year is not None and rect.year != ctx.year - 1:
            yield self.fact_finding(
                ctx, f"整改情况针对的是{rect.year}年的问题，应为上年度（{ctx.year - 1}年）的问题", rect
            )
        if rect.bare_claim:
            yield self.fact_finding(ctx, "上年度问题整改情况只有笼统表述，没有具体整改措施", rect)


class FeeStatementMissing(ProseRule):
    """第六部分未说明是否收取信息处理费（包括第六部分只写“无”）。

    检查内容:
        2021年度起的年度报告应在第六部分报告收取信息处理费的情况，没有收取的也应写明（如“本年度未收取
        信息处理费”“无收取信息处理费情况”“本年度暂未开展信息处理费收取工作”）。第六部分没有这一说明
        （或只写了“无”），或只提到信息处理费却没说是否收取的，报告此问题。写在其他部分但明确提到
        “信息处理费”的说明也予认可；第六部分的标题缺失时照样在全文中查找。2020年度及以前的报告不检查
        （《政府信息公开信息处理费管理办法》自2021年1月1日起施行）。

    依据:
        国办函〔2020〕109号《政府信息公开信息处理费管理办法》；国办公开办函〔2021〕30号年度报告格式第六部分
        “收取信息处理费情况在此处报告”。

    不合规示例:
        六、其他需要报告的事项
        无

    合规示例:
        六、其他需要报告的事项
        2022年，根据《政府信息公开信息处理费管理办法》，我单位未收取信息处理费。
    """

    code = "R601"
    name = "fee-statement-missing"
    title = "未说明信息处理费收取情况"
    severity = Severity.ERROR
    groups = ("required", "fee")
    hint = "在第六部分写明本年度是否收取信息处理费；收取的写明件数和金额（元），未收取的写明“未收取信息处理费”。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        fee = ctx.facts.fee
        if not fee_due(ctx) or (fee is not None and fee.charged is not None):
            return
        if fee is not None:
            yield self.fact_finding(ctx, "提到了信息处理费，但未说明本年度是否收取", fee)
            return
        if ctx.doc.section(6) is None:
            yield self.finding(ctx, "报告未说明是否收取信息处理费", at=0)
            return
        body = ctx.doc.section_text(6).strip()
        what = "" if not is_empty(ctx, 6) else (f"只写了“{body}”，" if body else "内容为空，")
        yield at_heading(self, ctx, 6, f"第六部分{what}未说明是否收取信息处理费")


class FeeDetailsMissing(ProseRule):
    """收取了信息处理费，但未写明收费金额（元）。

    检查内容:
        2021年度起的年度报告称收取了信息处理费的，应写明收费金额（以元为单位；写“万元”的换算为元）。
        缺少金额的，报告此问题。收费件数、按件或按量计收最好也写明，但格式没有要求，缺少不报告。

    依据:
        国办函〔2020〕109号《政府信息公开信息处理费管理办法》；国办公开办函〔2021〕30号年度报告格式第六部分。

    不合规示例:
        本年度对1件申请按规定收取了信息处理费。

    合规示例:
        全年收取政府信息公开信息处理费3940元。
    """

    code = "R602"
    name = "fee-details-missing"
    title = "未写明信息处理费金额"
    severity = Severity.WARNING
    groups = ("required", "fee")
    hint = "写明收取信息处理费的金额（元），最好同时写明件数和计收方式。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        fee = ctx.facts.fee
        if fee is None or fee.charged is not True or fee.amount_yuan is not None or not fee_due(ctx):
            return
        yield self.fact_finding(ctx, "称收取了信息处理费，但未写明收费金额（元）", fee)


class ProfileItemMissing(ProseRule):
    """缺少配置要求的第六部分事项（如山东模板的工作要点落实、建议提案办理结果公开等）。

    检查内容:
        配置文件（如 shandong.toml）中 rule = "R603" 的每个必备事项，在其所属部分（通常是第六部分）中都应有
        表述；写明“无”或“没有需要报告的”也算已报告。某一事项的认定用语都未出现的，逐项报告。全国配置没有
        R603 事项；用 --profile shandong 或自己的配置文件启用。

    依据:
        山东省政府信息公开工作年度报告模板第六部分：落实上级年度政务公开工作要点情况、人大代表建议和政协提案
        办理结果公开情况、年度政务公开工作创新情况、年报数据统计需要说明的事项、本行政机关认为需要报告的其他事项。

    不合规示例:
        六、其他需要报告的事项
        1、本年度未收取信息处理费。2、人大代表建议、政协提案办理情况……3、政务公开工作创新情况……
        （缺少工作要点落实、数据统计说明、其他事项）

    合规示例:
        （二）落实政务公开工作要点情况……（三）人大代表建议和政协提案办理情况……（四）政务公开创新情况……
        （五）年报数据统计需要说明的事项：无。（六）本行政机关认为需要报告的其他事项：无。
    """

    code = "R603"
    name = "profile-item-missing"
    title = "缺少配置要求的事项"
    severity = Severity.WARNING
    hint = "按配置（省级模板）要求逐项报告；没有内容的写明“无”。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item in missing_items(ctx, self.code):
            if item.section == 0:
                yield self.finding(ctx, f"报告缺少“{item.label}”（{ctx.profile.name}配置要求）", at=0)
            elif ctx.doc.section(item.section) is not None:  # a missing section is S101's
                part = f"第{ORDINALS[item.section - 1]}部分"
                yield at_heading(self, ctx, item.section, f"{part}缺少“{item.label}”（{ctx.profile.name}配置要求）")


class FeeNoticeContradiction(ProseRule):
    """第三部分表格有“逾期未缴费”的申请，但第六部分称未发出收费通知。

    检查内容:
        第三部分表格（六）2“申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”大于0，
        说明本年度发出过收费通知；第六部分却称未发出收费通知的，报告此矛盾（只说“未收取信息处理费”不矛盾：
        申请人没有缴费）。2021年度起适用。

    依据:
        国办函〔2020〕109号《政府信息公开信息处理费管理办法》：申请人收到收费通知后20个工作日内未缴费的，
        视为放弃申请；国办公开办函〔2021〕30号年度报告格式。

    不合规示例:
        表格（六）2 总计为1；第六部分：本年度未发出收费通知，未收取信息处理费。

    合规示例:
        表格（六）2 总计为1；第六部分：本年度发出收费通知1件，申请人逾期未缴费，未实际收取信息处理费。
    """

    code = "T304"
    name = "fee-notice-contradiction"
    title = "逾期未缴费与收费说明矛盾"
    severity = Severity.WARNING
    groups = ("tables", "fee")
    hint = "核对第三部分表格（六）2的数字，并在第六部分如实说明收费通知和收费情况。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.year is not None and ctx.year < 2021:
            return  # the fee rules (and （六）2) began with the 2021 format
        cell = ctx.tables.t3.cell("other_2", "total")
        fee = ctx.facts.fee
        if cell is None or not cell.is_number or not cell.value or fee is None:
            return
        if fee.notices_issued is not False:
            return  # "未收取" alone is consistent: notices were issued and the applicants did not pay
        said = "未发出收费通知"
        yield self.finding(
            ctx,
            f"第三部分表格（六）2“逾期未按收费通知要求缴纳费用”为{num(cell.value)}件，说明发出过收费通知，"
            f"但第六部分称{said}",
            at=cell.loc,
            evidence=fee.quote,
        )
