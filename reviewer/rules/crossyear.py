"""C rules: a report against the same agency's previous report (``ctx.previous``).

They run only when a previous report is attached: ``review report.txt --previous last.txt`` for one
pair, or a batch that holds the same agency's reports for consecutive years.
"""

from __future__ import annotations

from collections.abc import Iterator

from reviewer.lazyre import lazy
from reviewer.rules.base import Context, Rule, num
from schemas.common import Confidence, Severity
from schemas.document import Document
from schemas.facts import ItemFact
from schemas.findings import Finding
from schemas.tables import TABLE3_COLUMN_KEYS, TABLE3_COLUMNS

COPY_THRESHOLD = 0.5  # C102: share of the text found verbatim in last year's report
SHINGLE = 8  # C102: characters in a shared run that counts as copied
MIN_COMPARED = 20  # C102: texts shorter than this (e.g. "无") are left to R501
ADDRESSED = 0.4  # C103: share of a problem's distinctive bigrams found in the rectification
TABLE_SECTIONS = (2, 3, 4)


def _prev_name(ctx: Context) -> str:
    prev = ctx.previous
    return f"{prev.year}年度报告" if prev is not None and prev.year else "上年度报告"


class CarriedOverMismatch(Rule):
    """本年“上年结转”申请数与上年度报告“结转下年度继续办理”不一致。

    检查内容:
        第三部分表格“二、上年结转政府信息公开申请数量”每一列，应等于同一机关上一年度报告同表
        “四、结转下年度继续办理”的对应列。需要同一机关上一年度的报告（review 报告 --previous 上年报告，
        或批量审核中同一机关相邻年度的报告）。

    依据:
        国办公开办函〔2021〕30号年度报告格式，第三部分表格的统计口径：上年结转即上年度未办结、结转本年度办理的申请。

    不合规示例:
        2022年度报告：四、结转下年度继续办理 2 1 0 0 0 0 3
        2023年度报告：二、上年结转政府信息公开申请数量 2 0 0 0 0 0 2

    合规示例:
        2022年度报告：四、结转下年度继续办理 2 0 0 0 0 0 2
        2023年度报告：二、上年结转政府信息公开申请数量 2 0 0 0 0 0 2
    """

    code = "C101"
    name = "carried-over-mismatch"
    title = "上年结转数与上年度报告不一致"
    severity = Severity.WARNING
    groups = ("cross-year", "tables")
    hint = "核对上年度报告的“结转下年度继续办理”数，两年的数字应当衔接；如上年数字有误，应予说明。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        prev = ctx.previous
        if prev is None:
            return
        for col in TABLE3_COLUMN_KEYS:
            cur = ctx.tables.t3.cell("carried_over", col)
            old = prev.tables.t3.cell("carry_next", col)
            if cur is None or old is None or not cur.is_number or not old.is_number or cur.value == old.value:
                continue
            yield self.finding(
                ctx,
                f"{TABLE3_COLUMNS[col]}列：本年“上年结转”{num(cur.value)}件，"
                f"与{_prev_name(ctx)}“结转下年度继续办理”{num(old.value)}件（第{old.loc.line}行）不一致",
                at=cur.loc,
                evidence=ctx.doc.line_text(cur.loc.line).strip()[:120],
            )


def _comparable(doc: Document, keys: tuple[int, ...] | None) -> tuple[str, list[int]]:
    """The text to compare, without whitespace and with digits masked (years and figures change
    from one year to the next), and each kept character's offset in the document."""
    if keys is None:  # the whole text but the tables
        skip = [(s.heading_span.start, s.body_span.end) for s in doc.sections if s.key in TABLE_SECTIONS]
        ranges = [(0, len(doc.text))]
        for a, b in sorted(skip):
            ranges = [r for lo, hi in ranges for r in ((lo, min(hi, a)), (max(lo, b), hi)) if r[0] < r[1]]
    else:
        ranges = [(s.body_span.start, s.body_span.end) for s in doc.sections if s.key in keys]
    chars: list[str] = []
    offsets: list[int] = []
    text = doc.text
    for lo, hi in ranges:
        for i in range(lo, hi):
            ch = text[i]
            if ch.isspace():
                continue
            chars.append("#" if ch.isdigit() else ch)
            offsets.append(i)
    return "".join(chars), offsets


def copied_share(cur: str, prev: str, n: int = SHINGLE) -> tuple[float, tuple[int, int]]:
    """The share of ``cur``'s characters that lie in a run of n or more characters also found in
    ``prev``, and the longest such run (start, end) in ``cur``."""
    if len(cur) < n or len(prev) < n:
        return 0.0, (0, 0)
    grams = {prev[i : i + n] for i in range(len(prev) - n + 1)}
    covered = bytearray(len(cur))
    for i in range(len(cur) - n + 1):
        if cur[i : i + n] in grams:
            covered[i : i + n] = b"\x01" * n
    best, start = (0, 0), None
    for i, c in enumerate(bytes(covered) + b"\x00"):
        if c and start is None:
            start = i
        elif not c and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return sum(covered) / len(cur), best


class CopiedFromPreviousYear(Rule):
    """第五部分（或全文）一半以上与上年度报告相同。

    检查内容:
        将第五部分“存在的主要问题及改进情况”与同一机关上一年度报告的第五部分比较（忽略空白，数字视为相同，
        以便年份、数字改动后的照抄也能发现）；任一报告缺少第五部分时，比较表格以外的全文。超过一半的文字
        与上年相同的，报告此问题：问题和改进措施很可能照搬上年，没有反映本年度的实际情况。

    依据:
        《中华人民共和国政府信息公开条例》第五十条；国办公开办函〔2021〕30号：“年度报告内容……不能遗漏，也不宜泛化”。

    不合规示例:
        2022年度报告：五、……一是政策解读的针对性有待加强；二是基层工作人员业务能力有待提升。
        2023年度报告：五、……一是政策解读的针对性有待加强；二是基层工作人员业务能力有待提升。

    合规示例:
        2022年度报告：五、……一是政策解读的针对性有待加强；二是基层工作人员业务能力有待提升。
        2023年度报告：五、……一是依申请公开答复文书不够规范；二是政务新媒体更新不及时。
    """

    code = "C102"
    name = "copied-from-previous-year"
    title = "照抄上年度报告"
    severity = Severity.WARNING
    groups = ("cross-year", "content")
    hint = "根据本年度实际情况撰写存在的问题和改进措施，并说明上年度问题的整改结果。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        prev = ctx.previous
        if prev is None:
            return
        both = ctx.doc.section(5) is not None and prev.doc.section(5) is not None
        keys = (5,) if both else None
        cur, offsets = _comparable(ctx.doc, keys)
        old, _ = _comparable(prev.doc, keys)
        if len(cur) < MIN_COMPARED:
            return
        share, (a, b) = copied_share(cur, old)
        if share <= COPY_THRESHOLD:
            return
        what = "第五部分“存在的主要问题及改进情况”" if both else "全文（表格除外）"
        sec = ctx.doc.section(5) if both else None
        yield self.finding(
            ctx,
            f"{what}有{share:.0%}的文字与{_prev_name(ctx)}相同（超过一半），内容可能照搬上年",
            at=sec.heading_span if sec else 0,
            evidence=_longest_line(ctx.doc.quote((offsets[a], offsets[b - 1] + 1))) if b > a else "",
        )


def _longest_line(quote: str) -> str:
    return max(quote.splitlines(), key=len).strip()


_GENERIC = set(
    (
        "有待 加强 进一 一步 不够 不足 存在 问题 工作 方面 情况 提升 提高 需要 仍需 还需 相关 一定 程度 "
        "一是 二是 三是 四是 五是 针对 整改 上年 年度 本年 措施 改进 完善 落实 推进 持续 及时 全面"
    ).split()
)
_STOP_CHARS = set("的了和与及等是在为将把被之其有待")  # function characters: bigrams across them say nothing
_NON_CJK = lazy(r"[^\u4e00-\u9fff]+")


def _bigrams(text: str) -> set[str]:
    out: set[str] = set()
    for run in _NON_CJK.split(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return {g for g in out if g not in _GENERIC and not _STOP_CHARS & set(g)}


def addressed(problem: str, rectification: str) -> bool:
    """Whether the rectification text speaks of the problem: enough of the problem's distinctive
    character bigrams occur in it (a rules-level stand-in for reading it)."""
    grams = _bigrams(problem)
    if not grams:
        return True  # nothing distinctive to look for
    return len(grams & _bigrams(rectification)) / len(grams) >= ADDRESSED


def _item_text(item: ItemFact) -> str:
    return item.text or item.quote


class RectificationMissesPreviousProblems(Rule):
    """上年度问题整改情况没有回应上年度报告列出的问题。

    检查内容:
        第五部分的“上年度问题整改情况”应逐项回应同一机关上一年度报告第五部分列出的主要问题。整改情况
        没有涉及上年列出的某个问题的，报告此问题，并列出未涉及的问题。没有整改情况的由 R502 报告，
        此处不重复。

    依据:
        《中华人民共和国政府信息公开条例》第五十条第（四）项“存在的主要问题及改进情况”；各地年度报告
        编制要求：报告上年度问题的整改情况。

    不合规示例:
        2022年度报告：存在的主要问题：一是依申请公开答复不够规范。
        2023年度报告：2022年度问题整改情况：针对政策解读形式单一的问题，制作图解12期。

    合规示例:
        2022年度报告：存在的主要问题：一是政策解读形式单一。
        2023年度报告：2022年度问题整改情况：针对政策解读形式单一的问题，制作图解12期。
    """

    code = "C103"
    name = "rectification-misses-previous-problems"
    title = "整改未回应上年度问题"
    severity = Severity.WARNING
    groups = ("cross-year", "content")
    confidence = Confidence.INFERRED
    uses_facts = True
    hint = "在整改情况中逐项说明上年度报告所列问题的整改措施和成效。"

    def check(self, ctx: Context) -> Iterator[Finding]:
        prev = ctx.previous
        rect = ctx.facts.rectification
        if prev is None or rect is None or not prev.facts.problems:
            return
        said = " ".join([rect.quote, *(_item_text(m) for m in rect.measures)])
        missed = [p for p in prev.facts.problems if not addressed(_item_text(p), said)]
        if not missed:
            return
        shown = "、".join(f"“{_bare(_item_text(p))[:40]}”" for p in missed[:3]) + ("等" if len(missed) > 3 else "")
        total = len(prev.facts.problems)
        sec = ctx.doc.section(5)
        spans = [f.span for f in (rect, *rect.measures) if f.span is not None]
        evidence = ctx.doc.quote((min(x.start for x in spans), max(x.end for x in spans))) if spans else rect.quote
        yield self.finding(
            ctx,
            f"上年度问题整改情况未涉及{_prev_name(ctx)}列出的{len(missed)}个问题（共{total}个）：{shown}",
            at=rect.span or (sec.heading_span if sec else 0),
            evidence=evidence,
        )


_ORDINAL = lazy(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]|[一二三四五六七八九十]+是)\s*")


def _bare(text: str) -> str:
    """A listed item without its ordinal and final punctuation ("二是……提升。" -> "……提升")."""
    return _ORDINAL.sub("", text).rstrip("；;。，, ")
