"""What a number in the prose counts, read from the words just before it (its label).

A label is the text between the previous boundary (，；：、 or the previous number) and the number:
"全年共收到政府信息公开申请" 26件, "上年结转" 2件, "“予以公开”" 42件. The subject is only
assigned when the words say it; anything else is ``None`` (absent, not guessed). Some subjects also
need the sentence to be about information disclosure (行政复议 in a 司法局 report's work summary is
not a 政府信息公开 review).
"""

from __future__ import annotations

import re

from reviewer.lazyre import lazy
from schemas.facts import ClaimSubject as S

# The sentence is about applications / information disclosure.
_APPS_CONTEXT = lazy(r"申请|依申请")
_OWN_APPS = lazy(r"信息公开|依申请")  # a label that names disclosure applications itself
# A sentence about other applications or requests: its bare "办结25件" is not about table 三.
_OTHER_DOMAIN = lazy(r"许可|审批|政务服务|办件|建议|提案|信访|热线|12345|工单|诉求")
_DISCLOSURE_CONTEXT = lazy(r"信息公开|依申请|公开申请")

# Finer counts that must not be read as the whole subject.
_REVIEW_DETAIL = lazy(r"纠错|纠正|败诉|维持|撤销|确认违法|尚未审结|直接起诉|复议后起诉|未审结|审结")
_APPS_EXCLUDE = lazy(
    r"复议|诉讼|建议|提案|投诉|信访|咨询|留言|来电|来信|热线|自然人|法人|企业|组织|机构|网上|网络|线上|线下|"
    r"当面|现场|信函|邮寄|传真|电子邮件|邮箱|许可|审批|政务服务|办件|业务|工单|诉求|"
    # "区政府办代表区政府受理…17件" (hongze-2024.pdf): what one office handled for another, a scope
    # the table (often the whole district's) need not share
    r"代表"
)
_OUTCOMES: tuple[tuple[re.Pattern[str], S], ...] = (
    # "予以公开及部分公开42件": one figure for two rows
    (lazy(r"(?:予以|全部|同意)?公开(?:及|和|与|、|或|以及)部分公开"), S.OUTCOME_GRANTED_PARTIAL),
    (lazy(r"部分公开"), S.OUTCOME_PARTIAL),
    (lazy(r"不予公开"), S.OUTCOME_DENIED),
    (lazy(r"无法提供"), S.OUTCOME_UNABLE),
    (lazy(r"不予处理"), S.OUTCOME_REJECTED),
    (lazy(r"其他处理"), S.OUTCOME_OTHER),
    (lazy(r"予以公开|全部公开|同意公开"), S.OUTCOME_GRANTED),
)
_CARRY_NEXT = lazy(r"结转(?:至|到)?(?:下|次|明)一?年")
_CARRIED = lazy(r"上一?年度?(?:共)?结转|上年度?转入|往年结转")
_NEW = lazy(r"(?:收到|新收|受理|接收|接到)")
_HANDLED = lazy(r"办结|答复|办理完毕|处理完毕|办理完成")
_NORMATIVE = lazy(r"规范性文件")
_REGULATIONS = lazy(r"规章(?!制度)")
_DOC_MEASURES: tuple[tuple[re.Pattern[str], str], ...] = (
    (lazy(r"现行有效|有效"), "in_force"),
    (lazy(r"废止|失效"), "repealed"),
    (lazy(r"制发|制定|出台|印发|发布|新制"), "issued"),
)
_DECISION_EXCLUDE = lazy(r"事项|清单|目录|类|信息|公示|双公示|解读|培训|宣传")
_DECIDED = lazy(r"决定|作出|做出|办理|办结|受理|审批|实施|执行|处理")
_DECISIONS: tuple[tuple[re.Pattern[str], S], ...] = (
    (lazy(r"行政许可"), S.LICENSING),
    (lazy(r"行政处罚"), S.PENALTY),
    (lazy(r"行政强制"), S.ENFORCEMENT),
)
_PUBLISHED = lazy(r"(?:主动公开|公开|发布|推送|更新)[^，。；]*?(?:信息|政府信息|政务信息|内容)|(?:信息|政府信息).*公开")


def classify(label: str, unit: str, sentence: str, section: int, context: str = "") -> tuple[S | None, str | None]:
    """The subject (and, for 规章/规范性文件, the table-二 column) of a number with this label.

    ``sentence`` is the sentence the number stands in; ``context`` (default: the sentence) may add
    the sentence before it, which is enough to say that counts are about applications but not
    that a 行政复议 is about information disclosure."""
    context = context or sentence
    if unit in ("件", "件次", "项", "个"):
        if "复议" in label or "诉讼" in label:
            if _REVIEW_DETAIL.search(label) or not (section == 4 or _DISCLOSURE_CONTEXT.search(sentence)):
                return None, None
            if "复议" in label and "诉讼" in label:
                return None, None  # "行政复议和行政诉讼共2件": neither one alone
            return (S.REVIEW if "复议" in label else S.LITIGATION), None
        if _NORMATIVE.search(label) or _REGULATIONS.search(label):
            if "解读" in label:
                return None, None
            subject = S.NORMATIVE_DOCS if _NORMATIVE.search(label) else S.REGULATIONS
            measure = next((m for rx, m in _DOC_MEASURES if rx.search(label)), None)
            return subject, measure
        for rx, subject in _DECISIONS:
            if rx.search(label):
                if _DECISION_EXCLUDE.search(label) or (unit == "项" and not _DECIDED.search(label)):
                    return None, None  # "行政许可57项" alone counts matters (事项), not decisions taken
                return subject, None
    if unit not in ("件", "件次"):
        if unit in ("条", "条次") and _PUBLISHED.search(label):
            return S.PUBLISHED, None
        return None, None
    if not _APPS_CONTEXT.search(context) or _APPS_EXCLUDE.search(label):
        return None, None
    if not _OWN_APPS.search(label) and _OTHER_DOMAIN.search(context):
        return None, None
    if _CARRY_NEXT.search(label):
        return S.APPS_CARRY_NEXT, None
    if _CARRIED.search(label):
        return S.APPS_CARRIED, None
    for rx, subject in _OUTCOMES:
        if rx.search(label):
            return subject, None
    if _HANDLED.search(label):
        return S.APPS_HANDLED, None
    if _NEW.search(label) and "申请" in label:
        return S.APPS_NEW, None
    return None, None


def doc_measure(label: str) -> str | None:
    """The table-二 column a label names on its own ("现行有效件数" after "制发规范性文件34件")."""
    if _NORMATIVE.search(label) or _REGULATIONS.search(label) or len(label) > 8:
        return None
    return next((m for rx, m in _DOC_MEASURES if rx.search(label)), None)
