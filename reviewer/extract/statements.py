"""Rules extraction of categorical statements ("全年未发生因政府信息公开被行政复议、提起行政诉讼情况",
"未收到政府信息公开申请", "均已办结") and vague quantities ("300多条次", "若干", "数十件").

Statements are read clause by clause (split at ，；。) and only when the clause is about information
disclosure: "所有建议提案均已全部按期答复" answers 建议提案, not applications, "未发生行政复议
纠错" says nothing about whether there were reviews at all, and "均在法定期限内答复" says the answers
were timely, not that no application is carried into next year.
"""

from __future__ import annotations

from collections.abc import Iterator

from reviewer.extract.prose import Piece
from reviewer.lazyre import lazy
from schemas.common import Span
from schemas.document import Document
from schemas.facts import NarrativeFacts, Statement, StatementKind, VagueQuantity

_KEYWORDS = lazy(r"复议|诉讼|申请|办结|答复|办理完|处理完")  # a statement needs one of these
_CLAUSE = lazy(r"[^，,；;。！？\n]+")
_NEG = r"(?:未|没有|无|不存在)(?!经|审结|决|法|论|需|偿|误|关)"
_NO_CASES = lazy(_NEG + r"[^，。；]{0,30}?(?:行政复议|行政诉讼|复议|诉讼)")
_CASE_DETAIL = lazy(r"纠错|纠正|败诉|撤销|确认违法|被纠")
_DISCLOSURE = lazy(r"信息公开|依申请|公开申请")
_NO_APPS = lazy(
    _NEG + r"(?P<verb>收到|接到|受理|发生|产生|有)?(?P<mid>[^，。；]{0,12}?)"
    r"(?P<what>政府信息公开申请|信息公开申请|依申请公开|公开申请|申请)(?!人|费)"
)
_APPS_EXCLUDE = lazy(r"复议|诉讼|建议|提案|投诉|补正|收费|缴费|处理费|信访")
_ALL_DONE = lazy(
    r"(?:均已全部|均已|已全部|全部已|都已|全部|均)(?P<mid>[^，。；未不没]{0,10}?)"
    r"(?:办结|答复完毕|办理完毕|处理完毕|办理完成|予以答复|答复)"
)
# Not about this year's applications: 建议提案, cases, or the applications carried over from last year
# ("上年结转的2件申请，均已办结" says nothing about those carried forward: 结转 in the clause, or
# "结转的…" as the subject in the clause before; "上年结转1件，已全部办结" is about all of them).
_DONE_EXCLUDE = lazy(r"建议|提案|复议|诉讼|信访|留言|来信|来电|咨询|投诉|结转")
# "均在法定期限内予以答复" is about timeliness: applications carried into next year are still within
# their time limit, so it does not say that none is left (szfgs2024.pdf: 103 carried, "顺延").
_IN_TIME_LIMIT = lazy(r"(?:期限|时限|期)内")

# Counts a report states: items, applications, documents, and sessions (培训20余次, 解读10余期).
_VAGUE_UNITS = r"(?:个)?(?:条次|件次|条|件|篇|份|次|期|场)"
# Three regexes, each opening with a digit or a literal so the scan can skip ahead (one combined
# regex with a leading lookbehind was several times slower).
_VAGUE_WORD = lazy(
    r"(?:数十|数百|数千|上百|上千|近百|近千|几十|几百|十几|十余|百余|千余|若干)\s*" + _VAGUE_UNITS
    + r"|若干(?=政府信息|信息|规范性文件|文件|申请)"
)
_VAGUE_NUMBER = lazy(  # 300多条, 20余次, 300条左右
    r"[0-9]++(?:\.[0-9]++)?+\s*+(?:万|千)?\s*+(?:(?:多|余)\s*+" + _VAGUE_UNITS + "|" + _VAGUE_UNITS
    + r"\s*+(?:左右|以上|上下))"
)
_VAGUE_ABOUT = lazy(r"(?:大约|约|近|逾|超过)\s*+[0-9]++(?:\.[0-9]++)?+\s*+(?:万|千)?\s*+" + _VAGUE_UNITS)


def _vague(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of vague quantities: 300多条, 20余件, 300条左右, 约300条, 数十件, 若干."""
    for rx in (_VAGUE_WORD, _VAGUE_ABOUT):
        for m in rx.finditer(text, start, end):
            yield m.start(), m.end()
    for m in _VAGUE_NUMBER.finditer(text, start, end):
        if m.start() == start or text[m.start() - 1] not in ".0123456789":
            yield m.start(), m.end()


def _in_title(text: str, start: int, pos: int) -> bool:
    """Inside 《…》 (a document's name such as 《关于…的若干意见》)."""
    seg = text[start:pos]
    return seg.rfind("《") > seg.rfind("》")


def fill_piece(doc: Document, piece: Piece, sents: list[tuple[int, int]], facts: NarrativeFacts) -> None:
    """Append the vague quantities and the statements of one prose piece (its sentences given)."""
    text = doc.text
    for vs, ve in sorted(_vague(text, piece.start, piece.end)):
        if not _in_title(text, piece.start, vs):
            facts.vague.append(VagueQuantity(quote=doc.raw[vs:ve], span=Span(start=vs, end=ve)))
    if not _KEYWORDS.search(text, piece.start, piece.end):
        return
    prev_sent = ""
    for ss, se in sents:
        sent = text[ss:se]
        # what a sentence is about may be said in the one before ("收到申请15件。已全部按时答复")
        context, prev_sent = prev_sent + sent, sent
        if not _KEYWORDS.search(sent):
            continue
        prev = ""
        for c in _CLAUSE.finditer(text, ss, se):
            for kind in _clause_kinds(c.group(), prev, sent, context, piece.section):
                s, e = c.start(), c.end()
                while s < e and text[s].isspace():
                    s += 1
                quote = doc.raw[s:e].rstrip()
                facts.statements.append(Statement(kind=kind, quote=quote, span=Span(start=s, end=s + len(quote))))
            prev = c.group()


def _clause_kinds(clause: str, prev: str, sent: str, context: str, section: int) -> list[StatementKind]:
    """The statements a clause makes. ``prev`` is the clause before it in the sentence; ``context``
    adds the sentence before, which may say the clause is about applications (not about cases)."""
    kinds: list[StatementKind] = []
    about_disclosure = section == 4 or bool(_DISCLOSURE.search(sent))
    negated = "未" in clause or "没有" in clause or "无" in clause or "不存在" in clause
    m = _NO_CASES.search(clause) if negated else None
    if m and about_disclosure and not _CASE_DETAIL.search(clause):
        rest = clause[m.start() :]
        if "复议" in rest:
            kinds.append(StatementKind.NO_REVIEW)
        if "诉讼" in rest:
            kinds.append(StatementKind.NO_LITIGATION)
    m = _NO_APPS.search(clause) if negated else None
    if m and not _APPS_EXCLUDE.search(m.group("mid")) and not _APPS_EXCLUDE.search(clause, m.end()):
        bare = m.group("what") == "申请"
        if not bare or (m.group("verb") in ("收到", "接到", "受理") and (section == 3 or _DISCLOSURE.search(context))):
            kinds.append(StatementKind.NO_APPLICATIONS)
    m = _ALL_DONE.search(clause)
    if (m and "申请" in context and not _DONE_EXCLUDE.search(clause) and "结转的" not in prev
            and not _IN_TIME_LIMIT.search(clause)):
        kinds.append(StatementKind.ALL_COMPLETED)
    return kinds
