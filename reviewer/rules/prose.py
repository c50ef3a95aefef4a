"""N, X and Q rules: the numbers stated in the prose (their own arithmetic, and against the tables),
and writing quality (list ordinals, doubled characters).

N and X findings rest on facts read from the prose (``facts.claims``, ``facts.vague``,
``facts.statements``): they are ``inferred`` and name their extractor. Arithmetic is exact
(``reviewer.rules.arith``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

from reviewer.extract.prose import prose_pieces
from reviewer.extract.text import sentence_at
from reviewer.lazyre import lazy
from reviewer.rules.arith import (
    implied_previous,
    parse_percent,
    precision_words,
    previous_exists,
    round_half_up,
    show,
    truncate,
)
from reviewer.rules.base import Context, Rule, num
from schemas.common import Confidence, Severity
from schemas.facts import ClaimKind, ClaimSubject as S, NumericClaim, StatementKind
from schemas.findings import Finding
from schemas.tables import TABLE3_COLUMN_KEYS, TABLE3_ROWS, Cell

_COUNT_UNITS = frozenset({"条次", "件次", "人次", "条", "件", "项", "个", "篇", "份", "次", "期", "场", "家"})


class ProseRule(Rule):
    """Base of the rules resting on narrative facts (not registered: no ``code``)."""

    confidence = Confidence.INFERRED
    uses_facts = True
    groups = ("prose",)


# --- N: arithmetic stated in the prose -------------------------------------------------------
class TotalPartsMismatch(ProseRule):
    """正文中的总数与其列出的各分项之和不一致。

    检查内容:
        正文写出一个总数并用“其中”列出各组成部分时，各部分之和应等于总数。各部分之和大于总数一定有误；
        小于总数时，只有列出的两项以上是完整的分项才报告：最后一项为“其他……”“其余……”，或各项之和已达
        总数的九成以上（如各渠道条数，差额是笔误而不是未列出的类别）。只列举部分类别（“累计公开信息12630条，
        其中，重点领域信息5385条”；“1021条，其中政策解读12条，人事信息8条”）不是错误。带着自己占比的一项，
        占比恰是前面某一分项的份额的（“事项共有89项，其中行政许可57项，实现‘一趟不用跑’的有45项，占比78.9%”，
        45 ÷ 57 = 78.9%），是那一分项的子集，不是并列的分项；前几项已恰好等于总数、后面又列出几项的，是同一总数的
        第二种分法（“其中网上申请6件、信函申请4件，自然人申请8件、法人申请2件”），不相加。

    依据:
        《中华人民共和国政府信息公开条例》第五十条；国办公开办函〔2021〕30号年度报告格式（报告如实反映
        全年数据，正文所写的总数与分项应当一致）。

    不合规示例:
        主动公开政府信息1021条，其中门户网站843条，微信公众号146条，其他渠道30条。

    合规示例:
        主动公开政府信息1021条，其中门户网站843条，微信公众号146条，其他渠道32条。
    """

    code = "N101"
    name = "total-parts-mismatch"
    title = "总数与分项之和不符"
    severity = Severity.ERROR
    groups = ("prose", "arithmetic")
    hint = "核对总数与各分项，使各分项之和等于总数。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.facts.claims:
            if c.kind != ClaimKind.TOTAL or not c.parts:
                continue
            total = sum(c.parts, Decimal(0))
            breakdown = len(c.parts) >= 2 and (c.parts_exhaustive or total * 10 >= c.value * 9)
            if total > c.value or (total < c.value and breakdown):
                terms = " + ".join(num(p) for p in c.parts)
                diff = num(abs(c.value - total))
                yield self.fact_finding(
                    ctx,
                    f"报告称共{num(c.value)}{c.unit}，其中各项之和 {terms} = {num(total)}{c.unit}，"
                    f"与总数相差{diff}{c.unit}",
                    c,
                )


class ShareMismatch(ProseRule):
    """正文中的百分比与“部分 ÷ 总数”按所写位数四舍五入的结果不一致。

    检查内容:
        “2件，占4.2%”这类占比，按“部分 ÷ 总数”精确计算，再按报告写出的小数位数四舍五入（half-up），
        应等于报告所写的百分比。总数取该部分所属的总数、句中点明的总数（如“办结的申请中”）、办理结果的
        占比取办结（答复）总数，否则取同一段中此前写明“共/累计/合计/总计/全年”的数；都没有时不检查。按这个
        总数算不出所写的百分比、而同一句中另有一个数恰好能算出时，总数是那个数（读法存疑，不报告）。
        截尾取值（42 ÷ 47 = 89.36%写作89.3%）不是四舍五入，同样报告，并在说明中指出。

    依据:
        国办公开办函〔2021〕30号年度报告格式（报告如实反映全年数据）；百分数按四舍五入保留报告所写的
        小数位数。

    不合规示例:
        共办结申请47件……“部分公开”2件，占4.2%。（2 ÷ 47 = 4.26%，应为4.3%）

    合规示例:
        共办结申请47件……“部分公开”2件，占4.3%。
    """

    code = "N102"
    name = "share-mismatch"
    title = "百分比计算有误"
    severity = Severity.WARNING
    groups = ("prose", "arithmetic")
    hint = "按“部分 ÷ 总数”重新计算百分比，并按所保留的位数四舍五入。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.facts.claims:
            stated = parse_percent(c.percent) if c.kind == ClaimKind.SHARE else None
            if stated is None or not c.whole or c.whole < 0 or c.value < 0:
                continue
            percent, places, written = stated
            exact = Fraction(c.value) / Fraction(c.whole) * 100
            if round_half_up(exact, places) == percent:
                continue
            note = "（报告似按截尾取值）" if truncate(exact, places) == percent else ""
            yield self.fact_finding(
                ctx,
                f"{num(c.value)} ÷ {num(c.whole)} = {show(exact, places + 1)}%，{precision_words(places)}应为"
                f"{show(exact, places)}%，报告写作{written}%{note}",
                c,
            )


class ChangeRateMismatch(ProseRule):
    """正文中的同比增减幅度与写出的数字不一致，或推算出的上年数不可能。

    检查内容:
        “本年N件，同比增长/下降P%”：写出了上年数或增减量（“多发布82条”）时，按精确计算核对增减幅度
        （按报告写出的位数四舍五入）和增减方向；都没写时，推算上年数——件数、条数必须是整数，若不存在
        任何整数上年数能得出所写的幅度（“3件，同比增长300%”推算上年为0.75件），报告。本年为0却称增长、
        本年大于0却称下降100%以上，也报告。

    依据:
        国办公开办函〔2021〕30号年度报告格式（报告如实反映全年数据）；件数、条数只能是整数，
        增减幅度 = (本年 − 上年) ÷ 上年。

    不合规示例:
        2023年共收到依申请公开事项3件，同比增长300%。

    合规示例:
        2023年共收到依申请公开事项3件，同比增长200%。（上年1件）
    """

    code = "N103"
    name = "change-rate-mismatch"
    title = "增减幅度计算有误"
    severity = Severity.WARNING
    groups = ("prose", "arithmetic")
    hint = "写明上年数，并按“(本年 − 上年) ÷ 上年”重新计算增减幅度。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for c in ctx.facts.claims:
            stated = parse_percent(c.percent) if c.kind == ClaimKind.CHANGE else None
            if stated is not None and c.direction in ("增长", "下降"):
                msg = self.problem(c, *stated)
                if msg:
                    yield self.fact_finding(ctx, msg, c)

    @staticmethod
    def problem(c: NumericClaim, stated: Fraction, places: int, pct: str) -> str | None:
        value, up = Fraction(c.value), c.direction == "增长"
        word, u = ("增长" if up else "下降"), c.unit
        previous = c.previous
        if previous is None and c.delta is not None:
            previous = c.value - c.delta if up else c.value + c.delta
            if previous <= 0:
                return f"本年{num(c.value)}{u}、{word}{num(c.delta)}{u}，推算上年为{num(previous)}{u}，不可能"
        if previous is not None:
            prev = Fraction(previous)
            if prev == 0:
                return f"上年为0{u}，无法计算同比{word}幅度，报告写作{word}{pct}%"
            actual = (value - prev) / prev * 100
            if actual != 0 and (actual > 0) != up:
                right = "增长" if actual > 0 else "下降"
                return f"本年{num(c.value)}{u}、上年{num(previous)}{u}，应为{right}，报告写作{word}{pct}%"
            if round_half_up(abs(actual), places) != stated:
                return (
                    f"本年{num(c.value)}{u}、上年{num(previous)}{u}，{word}幅度 {show(abs(actual), places + 1)}%，"
                    f"{precision_words(places)}应为{show(abs(actual), places)}%，报告写作{pct}%"
                )
            return None
        if up and value == 0:
            return f"本年为0{u}，不可能同比增长{pct}%"
        if c.unit not in _COUNT_UNITS or value.denominator != 1:
            return None
        if previous_exists(value, stated, places, up):
            return None
        implied = implied_previous(value, stated, up)
        if implied is None:
            return f"本年{num(c.value)}{u}，不可能同比下降{pct}%"
        sign = "+" if up else "−"
        shown = show(implied, 2)
        return (
            f"本年{num(c.value)}{u}、同比{word}{pct}%，推算上年为 {num(c.value)} ÷ (1 {sign} {pct}%) = "
            f"{shown}{u}，不是整数；没有任何整数的上年数能得出{word}{pct}%"
        )


class VagueQuantity(ProseRule):
    """应写确切数字的地方用了约数。

    检查内容:
        正文中以“300多条”“20余件”“数十件”“若干”“约300条”“300条左右”等约数代替确切数字——年度报告
        统计的信息条数、申请件数、文件件数和培训、解读的次数期数应写确切数字（只检查条、件、篇、份、次、
        期、场；金额、人次等不检查；文件名《……若干意见》不算）。

    依据:
        国办公开办函〔2021〕30号：年度报告内容应准确，“不能遗漏，也不宜泛化”。

    不合规示例:
        2022年在政府门户网站及本级微信公众号共主动公开政府信息300多条次。

    合规示例:
        2022年在政府门户网站及本级微信公众号共主动公开政府信息326条。
    """

    code = "N104"
    name = "vague-quantity"
    title = "用约数代替确切数字"
    severity = Severity.INFO
    opt_in = True  # "余/多" in narrative is normal; no law or format asks for exact figures
    hint = "写出确切数字。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for v in ctx.facts.vague:
            yield self.fact_finding(ctx, f"“{v.quote}”是约数，应写明确切数字", v)


# --- X: prose against the tables -------------------------------------------------------------
_T3_ROWS: dict[S, tuple[str, tuple[str, ...]]] = {
    S.APPS_NEW: ("一、本年新收政府信息公开申请数量", ("new",)),
    S.APPS_CARRIED: ("二、上年结转政府信息公开申请数量", ("carried_over",)),
    S.APPS_HANDLED: ("（七）总计", ("total",)),
    S.APPS_CARRY_NEXT: ("四、结转下年度继续办理", ("carry_next",)),
    S.OUTCOME_GRANTED: ("（一）予以公开", ("granted",)),
    S.OUTCOME_PARTIAL: ("（二）部分公开", ("partial",)),
    S.OUTCOME_GRANTED_PARTIAL: ("（一）予以公开 + （二）部分公开", ("granted", "partial")),
    S.OUTCOME_DENIED: ("（三）不予公开（1—8项之和）", tuple(k for k in TABLE3_ROWS if k.startswith("denied_"))),
    S.OUTCOME_UNABLE: ("（四）无法提供（1—3项之和）", tuple(k for k in TABLE3_ROWS if k.startswith("unable_"))),
    S.OUTCOME_REJECTED: ("（五）不予处理（1—5项之和）", tuple(k for k in TABLE3_ROWS if k.startswith("rejected_"))),
    S.OUTCOME_OTHER: ("（六）其他处理（1—3项之和）", tuple(k for k in TABLE3_ROWS if k.startswith("other_"))),
}
_SUBJECT_WORDS: dict[S, str] = {
    S.APPS_NEW: "本年新收申请",
    S.APPS_CARRIED: "上年结转申请",
    S.APPS_HANDLED: "办结（答复）申请",
    S.APPS_CARRY_NEXT: "结转下年度申请",
    S.OUTCOME_GRANTED: "予以公开",
    S.OUTCOME_PARTIAL: "部分公开",
    S.OUTCOME_GRANTED_PARTIAL: "予以公开及部分公开",
    S.OUTCOME_DENIED: "不予公开",
    S.OUTCOME_UNABLE: "无法提供",
    S.OUTCOME_REJECTED: "不予处理",
    S.OUTCOME_OTHER: "其他处理",
    S.REVIEW: "行政复议",
    S.LITIGATION: "行政诉讼",
    S.NORMATIVE_DOCS: "行政规范性文件",
    S.REGULATIONS: "规章",
    S.LICENSING: "行政许可",
    S.PENALTY: "行政处罚",
    S.ENFORCEMENT: "行政强制",
}
_T4_BLOCKS: dict[S, tuple[str, tuple[str, ...]]] = {
    S.REVIEW: ("行政复议总计", ("review",)),
    S.LITIGATION: ("行政诉讼总计（未经复议直接起诉与复议后起诉之和）", ("direct_suit", "suit_after_review")),
}
_T2_MEASURES = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}
_T2_ROWS = {
    S.NORMATIVE_DOCS: "normative_docs",
    S.REGULATIONS: "regulations",
    S.LICENSING: "licensing",
    S.PENALTY: "penalty",
    S.ENFORCEMENT: "enforcement",
}
_MEASURE_WORDS = {"issued": "本年制发", "repealed": "本年废止", "in_force": "现行有效"}


def _sum(cells: list[Cell | None]) -> Decimal | None:
    if any(c is None or not c.is_number for c in cells):
        return None
    return sum((c.value for c in cells if c is not None and c.value is not None), Decimal(0))


def t3_value(ctx: Context, subject: S) -> tuple[str, Decimal] | None:
    t3 = ctx.tables.t3
    if subject not in _T3_ROWS or not t3.parsed:
        return None
    label, rows = _T3_ROWS[subject]
    value = _sum([t3.cell(r, "total") for r in rows])
    return None if value is None else (label, value)


def t4_value(ctx: Context, subject: S) -> tuple[str, Decimal] | None:
    t4 = ctx.tables.t4
    if subject not in _T4_BLOCKS or not t4.parsed:
        return None
    label, blocks = _T4_BLOCKS[subject]
    value = _sum([t4.cell(b, "total") for b in blocks])
    return None if value is None else (label, value)


class _ProseVsTable(ProseRule):
    """Shared check of a stated count against one table value (not registered: no ``code``)."""

    groups = ("prose", "tables")
    table = ""

    def lookup(self, ctx: Context, c: NumericClaim) -> tuple[str, Decimal] | None:  # pragma: no cover
        raise NotImplementedError

    def consistent(self, ctx: Context, c: NumericClaim) -> bool:
        """Another reading of the figure under which it agrees with the tables."""
        return False

    def check(self, ctx: Context) -> Iterator[Finding]:
        # One sentence that states several figures the table contradicts ("共收到申请4件，受理并办结3件"
        # against a table of zeros) is one problem: one finding naming every figure (RULES.md policy 2).
        groups: dict[object, list[tuple[NumericClaim, str, Decimal]]] = {}
        for c in ctx.facts.claims:
            if c.subject not in _SUBJECT_WORDS:
                continue
            found = self.lookup(ctx, c)
            if found is None or found[1] == c.value or self.consistent(ctx, c):
                continue
            key = sentence_at(ctx.doc.text, c.span.start)[0] if c.span is not None else id(c)
            groups.setdefault(key, []).append((c, *found))
        for group in groups.values():
            stated = "、".join(
                f"{_MEASURE_WORDS.get(c.measure or '', '')}{_SUBJECT_WORDS[c.subject]}{num(c.value)}{c.unit or '件'}"
                for c, _, _ in group
            )
            table = "、".join(f"“{label}”为{num(value)}" for _, label, value in group)
            first = group[0][0]
            evidence = first.quote
            if len(group) > 1 and all(c.span is not None for c, _, _ in group):
                last = max(group, key=lambda g: g[0].span.end)[0]  # type: ignore[union-attr]
                evidence = ctx.doc.quote((first.span.start, last.span.end))  # type: ignore[union-attr]
            yield self.fact_finding(ctx, f"正文称{stated}，{self.table}{table}", first, evidence=evidence)


class ApplicationsMismatch(_ProseVsTable):
    """正文中的申请件数与第三部分表格不一致。

    检查内容:
        正文写出的本年新收、上年结转、办结（答复）、各类办理结果、结转下年度的申请件数，应与第三部分表格
        “总计”列的对应行一致（办理结果的大类取其各小项之和，办结取“（七）总计”；“予以公开及部分公开42件”
        这类合并的数取两行之和）。正文“收到/受理申请N件”等于表格新收与上年结转之和的，是把上年结转一并
        计入的常见写法，不报告；正文的数等于该行六个申请人列之和、只是表格自己的“总计”算错的，由T301报告，
        这里不重复报告。表格无法识别或单元格不是数字时不比较；与报告年度不同年份的数字不比较；
        某一机关“代表”本级政府受理的件数不与表格比较。
        同一句话中有几个数字与表格不一致的，合并为一条发现。

    依据:
        国办公开办函〔2021〕30号：第三部分以表格报告收到和处理政府信息公开申请情况，正文应与之一致。

    不合规示例:
        全年共收到政府信息公开申请27件……（表格“一、本年新收政府信息公开申请数量”总计为26）

    合规示例:
        全年共收到政府信息公开申请26件……（表格总计为26）
    """

    code = "X101"
    name = "applications-mismatch-table"
    title = "申请件数与表格不一致"
    severity = Severity.ERROR
    hint = "核对正文与第三部分表格，使两处数字一致。"
    table = "第三部分表格"

    def lookup(self, ctx: Context, c: NumericClaim) -> tuple[str, Decimal] | None:
        return t3_value(ctx, c.subject)

    def consistent(self, ctx: Context, c: NumericClaim) -> bool:
        """"收到/受理申请75件" where the table has 新收74 + 上年结转1: the applications on hand this year,
        a common and consistent way to count (RULES.md X101). "新收75件" means the new ones only.
        A figure equal to the sum of the row's six applicant columns agrees with the table: it is the
        table's own 总计 that is wrong (T301's finding, one problem)."""
        if self.applicants_sum(ctx, c.subject) == c.value:
            return True
        if c.subject != S.APPS_NEW or "新收" in c.quote:
            return False
        new, carried = t3_value(ctx, S.APPS_NEW), t3_value(ctx, S.APPS_CARRIED)
        return new is not None and carried is not None and new[1] + carried[1] == c.value


    @staticmethod
    def applicants_sum(ctx: Context, subject: S) -> Decimal | None:
        """The sum over the subject's rows of the six applicant columns (not 总计), when the rows' 总计
        disagrees with it; else None."""
        t3 = ctx.tables.t3
        if subject not in _T3_ROWS or not t3.parsed:
            return None
        rows = _T3_ROWS[subject][1]
        applicants = _sum([t3.cell(r, col) for r in rows for col in TABLE3_COLUMN_KEYS if col != "total"])
        total = _sum([t3.cell(r, "total") for r in rows])
        return applicants if applicants is not None and total is not None and applicants != total else None


class ReviewLitigationMismatch(_ProseVsTable):
    """正文中的行政复议、行政诉讼件数与第四部分表格不一致。

    检查内容:
        正文写出的政府信息公开行政复议件数应等于第四部分表格“行政复议”的总计；行政诉讼件数应等于
        “未经复议直接起诉”与“复议后起诉”两个总计之和。表格无法识别或单元格不是数字时不比较。

    依据:
        《中华人民共和国政府信息公开条例》第五十条第（三）项；国办公开办函〔2021〕30号。

    不合规示例:
        全县共办理政府信息公开行政复议3件。（表格行政复议总计为2）

    合规示例:
        全县共办理政府信息公开行政复议2件，行政诉讼0件。（表格与之一致）
    """

    code = "X102"
    name = "review-litigation-mismatch-table"
    title = "复议诉讼件数与表格不一致"
    severity = Severity.ERROR
    hint = "核对正文与第四部分表格，使两处数字一致。"
    table = "第四部分表格"

    def lookup(self, ctx: Context, c: NumericClaim) -> tuple[str, Decimal] | None:
        return t4_value(ctx, c.subject)


class ProactiveMismatch(_ProseVsTable):
    """正文中的规范性文件、行政许可、行政处罚、行政强制件数与第二部分表格不一致。

    检查内容:
        正文写出的本年制发（废止、现行有效）行政规范性文件和规章件数，以及行政许可、行政处罚、行政强制
        的处理决定数量，应与第二部分表格对应单元格一致。正文没说明是哪一栏的（如“清理规范性文件1件”）
        不比较；事项数不是决定数，不比较（网站列出的“事项共有89项，其中行政许可57项”；以“项”计又没说作出、
        办理决定的“行政许可57项”）；表格无法识别或单元格不是数字时不比较。

    依据:
        国办公开办函〔2021〕30号：第二部分以表格报告主动公开政府信息情况。

    不合规示例:
        本年制发行政规范性文件3件。（表格“行政规范性文件”本年制发件数为2）

    合规示例:
        本年制发行政规范性文件2件。（表格为2）
    """

    code = "X103"
    name = "proactive-mismatch-table"
    title = "主动公开件数与表格不一致"
    severity = Severity.WARNING
    hint = "核对正文与第二部分表格，使两处数字一致。"
    table = "第二部分表格"

    def lookup(self, ctx: Context, c: NumericClaim) -> tuple[str, Decimal] | None:
        t2 = ctx.tables.t2
        row = _T2_ROWS.get(c.subject)
        if row is None or not t2.parsed:
            return None
        if row in ("normative_docs", "regulations"):
            if c.measure not in _T2_MEASURES:
                return None
            col, label = c.measure, f"{_SUBJECT_WORDS[c.subject]}”“{_T2_MEASURES[c.measure]}"
        else:
            col, label = "decisions", f"{_SUBJECT_WORDS[c.subject]}”“本年处理决定数量"
        value = _sum([t2.cell(row, col)])
        return None if value is None else (label, value)


_STATEMENT_CHECKS: dict[StatementKind, tuple[str, Callable[[Context], tuple[str, Decimal] | None]]] = {
    StatementKind.NO_REVIEW: ("第四部分表格行政复议总计", lambda ctx: t4_value(ctx, S.REVIEW)),
    StatementKind.NO_LITIGATION: ("第四部分表格行政诉讼总计", lambda ctx: t4_value(ctx, S.LITIGATION)),
    StatementKind.NO_APPLICATIONS: ("第三部分表格本年新收申请总计", lambda ctx: t3_value(ctx, S.APPS_NEW)),
    StatementKind.ALL_COMPLETED: ("第三部分表格“四、结转下年度继续办理”总计", lambda ctx: t3_value(ctx, S.APPS_CARRY_NEXT)),
}


class ProseContradictsTable(ProseRule):
    """正文的断言与表格矛盾。

    检查内容:
        正文称“未发生行政复议/行政诉讼”而第四部分表格相应总计大于0；称“未收到政府信息公开申请”而第三部分
        表格本年新收申请总计大于0；称申请“均已办结/全部答复”而“结转下年度继续办理”大于0。只读与政府信息
        公开有关的句子（“建议提案均已按期答复”不算）；表格无法识别时不比较。

    依据:
        《中华人民共和国政府信息公开条例》第五十条；国办公开办函〔2021〕30号。

    不合规示例:
        全年未发生因政府信息公开被申请行政复议、提起行政诉讼情况。（表格行政复议总计为2）

    合规示例:
        全年被申请行政复议2件，被提起行政诉讼1件。（表格与之一致）
    """

    code = "X104"
    name = "prose-contradicts-table"
    title = "正文断言与表格矛盾"
    severity = Severity.ERROR
    groups = ("prose", "tables")
    hint = "核对正文表述与统计表，修改其中错误的一处。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st in ctx.facts.statements:
            what, lookup = _STATEMENT_CHECKS[st.kind]
            found = lookup(ctx)
            if found is not None and found[1] > 0:
                yield self.fact_finding(ctx, f"正文称“{st.quote}”，但{what}为{num(found[1])}", st)


# --- Q: writing quality (Q101, list ordinals, is in reviewer/rules/numbering.py) -----------------
# Function characters that never reduplicate: "的的", "是是", "了了" are slips — except inside
# these legitimate words and word boundaries.
_DOUBLE_CHAR = lazy(r"([的是了])\1")
_DOUBLE_PUNCT = lazy(r"([。，、；：！？])\1+")
_DOUBLE_WORD = lazy(r"([\u4e00-\u9fff]{2,4})\1")
_NUMERALS = frozenset("一二三四五六七八九十两几百千万第每")
# Legitimate reduplication and words that put two of the same character side by side. The
# single-character check only looks at 的/是/了, so 层层, 常常, 人人, 一一, 年年, 天天, 等等 are never
# candidates; they are listed so that a widened check stays silent on them.
LEGIT = (
    "的的确确", "的的确", "目的的", "有的的", "是是非非", "是是非", "是是否", "不了了", "了了解", "了了结",
    "层层", "常常", "人人", "一一", "年年", "天天", "等等", "处处", "事事", "步步", "时时", "紧紧", "牢牢",
    "实实在在", "扎扎实实", "认认真真", "方方面面", "点点滴滴", "家家户户", "件件", "条条", "个个", "项项",
    "研究研究", "学习学习", "讨论讨论", "商量商量", "考虑考虑", "了解了解", "检查检查",
)


def _legit(text: str, start: int, end: int) -> bool:
    for w in LEGIT:
        lo = max(0, end - len(w))
        pos = text.find(w, lo, start + len(w))
        if pos != -1 and pos <= start and pos + len(w) >= end:
            return True
    return False


class DoubledText(Rule):
    """字词或标点重复（“的的”“审核审核”“。。”）。

    检查内容:
        正文中同一个词连写两次（“审核审核”“公开公开”），虚词“的、是、了”连写（“的的”），或句末、句中
        标点连写（“。。”“，，”）。合法的叠词（层层、常常、人人、一一、年年、天天、等等、的的确确、
        是是非非、不了了之、研究研究……）和数量结构（一个一个）不报告；宁可漏报，不误报。表格不检查。

    依据:
        公文写作惯例：文字精炼准确，不重复；《标点符号用法》（GB/T 15834-2011）：句末点号只用一个。

    不合规示例:
        见面率、回复率、满意率均达100%。。

    合规示例:
        见面率、回复率、满意率均达100%。
    """

    code = "Q102"
    name = "doubled-text"
    title = "字词或标点重复"
    severity = Severity.INFO
    groups = ("writing",)
    confidence = Confidence.INFERRED
    hint = "删去重复的字词或标点。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.doc.text
        for piece in prose_pieces(ctx.doc):
            hits: list[tuple[int, int, str]] = []
            for m in _DOUBLE_PUNCT.finditer(text, piece.start, piece.end):
                hits.append((m.start(), m.end(), f"标点“{m.group()}”重复"))
            for m in _DOUBLE_CHAR.finditer(text, piece.start, piece.end):
                if not _legit(text, m.start(), m.end()):
                    hits.append((m.start(), m.end(), f"“{m.group()}”重复"))
            for m in _DOUBLE_WORD.finditer(text, piece.start, piece.end):
                word = m.group(1)
                if len(set(word)) > 1 and word[0] not in _NUMERALS and not _legit(text, m.start(), m.end()):
                    hits.append((m.start(), m.end(), f"“{word}”重复写作“{m.group()}”"))
            for start, end, msg in sorted(hits):
                yield self.finding(
                    ctx, msg, at=start, evidence=ctx.doc.quote((max(piece.start, start - 12), min(piece.end, end + 8)))
                )
