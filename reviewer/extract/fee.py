"""The 信息处理费 statement (国办函〔2020〕109号): charged or not, cases, amount in 元, 按件/按量, and
whether fee notices were issued.

Section 六 is read first, where the format puts it. Elsewhere only a sentence that names the
信息处理费 counts: a bare "无收费情况" in section 一 may be about anything.
"""

from __future__ import annotations

import re
from decimal import Decimal

from reviewer.extract.text import fact, mask_titles, sentences
from reviewer.lazyre import lazy
from schemas.document import Document
from schemas.facts import FeeMethod, FeeStatement, NarrativeFacts

# The topic: in section 六 any mention of a fee; elsewhere the 信息处理费 by name.
TOPIC_SIX = lazy(r"处理费|收费|收取[^。；;，,]{0,8}费|计收|费用")
TOPIC_ANY = lazy(r"信息(?:公开)?处理费")
# "Nothing was charged", in the phrasings seen in reports.
NONE = lazy(
    r"(?:未|没有|不存在|均未|从未|暂未|尚未|无)[^。；;，,]{0,12}?(?:收取|收费|计收|征收)"
    r"|(?:未|没有|不存在|无)(?:产生|发生)[^。；;，,]{0,8}?(?:处理费|费用)"
    r"|(?:不予|不再|免予|免)收取|免收|免费"
    r"|(?:处理费|收费|费用)[^。；;，,\d]{0,6}?(?:为|是|：|:)?\s*(?:0|零|〇)\s*(?:元|万元|件)?(?![\d.])"
    r"|(?:处理费|收费)[^。；;，,]{0,10}(?:情况)?\s*[：:]\s*无"
)
_AMOUNT = lazy(r"(\d+(?:\.\d+)?)\s*(万元|元)")
_CASES = lazy(r"(\d+)\s*(?:件|笔|宗|次|人次)")
_CHARGED = lazy(r"收取|计收|收费|缴纳")
# "收取了信息处理费" says it was charged even without figures (R602 then asks for them).
_CHARGED_CLAIM = lazy(
    r"(?:已|共|累计|合计|共计)[^。；;，,]{0,10}?(?:收取|计收)|(?:收取|计收)了[^。；;，,]{0,6}(?:处理费|费用)"
)
_NOTICE_NONE = lazy(r"(?:未|没有|无)[^。；;，,]{0,6}(?:发出|发放|出具|下发|送达|制发)?[^。；;，,]{0,4}收费通知")
_NOTICE_SOME = lazy(r"(?:发出|发放|出具|下发|送达|制发)[^。；;，,]{0,6}收费通知|收费通知(?:书)?\s*\d+\s*(?:份|件|次)")
_FEE_TABLE = lazy(
    r"(?:(?:[一二三四五六七八九十]、)?\s*(?:信息(?:公开)?处理费)?收取情况\s*)?通知收取件数\s*通知收取金额[（(]元[)）]\s*实际收取金额[（(]元[)）]\s*(?:[^\d\s]{1,12}?\s*)?"
    r"(?P<cells>\d[\d.]*(?:\s+\d[\d.]*){0,2})"
)
_HEADING = lazy(r"[一二三四五六七八九十]、|（[一二三四五六七八九十]）")
_PER_CASE = lazy(r"按件")
_PER_VOLUME = lazy(r"按量")


def classify(sentence: str) -> dict[str, object]:
    """What one sentence says about the fee (book titles already masked)."""
    out: dict[str, object] = {"charged": None}
    if _NOTICE_NONE.search(sentence):
        out["notices_issued"] = False
    elif _NOTICE_SOME.search(sentence):
        out["notices_issued"] = True
    if NONE.search(sentence):
        out["charged"] = False
        return out
    amount = _AMOUNT.search(sentence)
    cases = _CASES.search(sentence)
    if amount or (cases and _CHARGED.search(sentence)) or _CHARGED_CLAIM.search(sentence):
        out["charged"] = True
        if amount:
            value = Decimal(amount.group(1)) * (10000 if amount.group(2) == "万元" else 1)
            out["amount_yuan"] = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
        if cases:
            out["cases"] = int(cases.group(1))
        if _PER_CASE.search(sentence):
            out["method"] = FeeMethod.PER_CASE
        elif _PER_VOLUME.search(sentence):
            out["method"] = FeeMethod.PER_VOLUME
    return out


def _scan(doc: Document, masked: str, lo: int, hi: int, topic: re.Pattern[str]) -> FeeStatement | None:
    first: FeeStatement | None = None
    for s, e in sentences(masked, lo, hi):
        m = topic.search(masked, s, e)
        if m is None:
            continue
        # A scraped page has no full stop between a table and the heading after it: the statement
        # starts at the last heading before the topic ("…000五、信息处理费收取情况通知收取件数…000").
        heads = [h.start() for h in _HEADING.finditer(masked, s, m.start())]
        s = heads[-1] if heads else s
        sentence = masked[s:e]
        said = classify(sentence)
        if said["charged"] is not None or said.get("notices_issued") is not None:
            return fact(doc, FeeStatement, s, e, **said)
        if first is None:
            first = fact(doc, FeeStatement, s, e, charged=None)
    return first


def _table(doc: Document, masked: str) -> FeeStatement | None:
    """A table of the fee (Fujian's reports from 2023 on: 通知收取件数 / 通知收取金额（元） / 实际收取金额
    （元）), read when its cells are apart or all zero ("000" run together in a scraped page)."""
    m = _FEE_TABLE.search(masked)
    if m is None:
        return None
    raw = m.group("cells").strip()
    cells = raw.split()
    if len(cells) == 1 and set(cells[0]) == {"0"} and len(cells[0]) == 3:
        cells = ["0", "0", "0"]
    if len(cells) != 3:
        return None  # digits run together: more than one reading
    notices, _, actual = (Decimal(c) for c in cells)
    end = m.start("cells") + len(m.group("cells").rstrip())
    return fact(
        doc, FeeStatement, m.start(), end, charged=actual > 0, cases=0 if actual == 0 else None,
        amount_yuan=actual, notices_issued=notices > 0,
    )


def fill(doc: Document, facts: NarrativeFacts) -> None:
    masked = mask_titles(doc.text)
    six = doc.section(6)
    found = _scan(doc, masked, six.body_span.start, six.body_span.end, TOPIC_SIX) if six else None
    if found is None or found.charged is None:
        outside = _scan(doc, masked, 0, len(masked), TOPIC_ANY)
        if outside is not None and outside.charged is not None:
            found = outside
    if found is None or found.charged is None:
        found = _table(doc, masked) or found
    facts.fee = found
