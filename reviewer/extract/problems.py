"""Section 五: the year's problems, the improvement measures, and the rectification of the previous
year's problems (上年度问题整改情况) — a block with its own heading ("（一）2021年问题整改情况"),
or a sentence ("针对上一年度存在的问题进行了整改"), with its specific measures or none (a bare claim).

The section is cut into blocks at sub-headings that name what follows (问题 / 改进 / 整改情况, or
labels such as "主要问题：" "改进情况："); a block without such a heading is split at the first
phrase that introduces the measures ("针对以上问题" "下一步" "在接下来的工作中").

A heading that was lost does not hide the content (RULES.md, "What may be a finding" 5): without a
section 五 heading, the content is read from the first problems / measures / rectification heading
after section 四 (where "（一）主要问题…（二）改进情况" follows table 四) up to section 六. The
rectification may also sit elsewhere ("（六）上年度问题整改情况" in section 一): a rectification heading
or sentence anywhere in the report counts when section 五 has none.
"""

from __future__ import annotations

import re
from schemas.plain import plain

from reviewer.extract.text import ARABIC_ORD, enumerated, fact, sentence_at, sentences, trim
from reviewer.lazyre import compile as compile_re
from reviewer.lazyre import lazy
from schemas.document import Document
from schemas.facts import ItemFact, NarrativeFacts, Rectification

# A sub-heading: an ordinal or a label at a line start (or after a sentence end in scraped text).
_MARKER = lazy(r"\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|" + ARABIC_ORD)
_LABEL = lazy(
    r"(?:(?:存在的?)?主要问题|存在的?问题|改进(?:情况|措施|举措)|整改措施"
    r"|下一步(?:工作)?(?:打算|计划|措施|方向)|(?:下一年度?)?工作(?:打算|计划))[ \t]*[：:]"
)
_HEAD_END = lazy(r"[。：:；;，,\n]")
HEAD_MAX = 24
_HEAD_GAP = lazy(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")

RECT_HEAD = lazy(r"整改(?:落实)?(?:工作)?情况|问题(?:的)?整改|整改(?:工作)?(?:完成|落实)情况")
# "（一）2024年工作中存在问题的改进情况" in a 2025 report: last year's problems and what was done.
_PAST_DONE = lazy(r"(?:问题|不足)[^，。；]{0,8}?(?:改进|整改|落实)(?:情况|成效|工作)")
PROB_HEAD = lazy(r"问题|不足|差距|短板")
IMPR_HEAD = lazy(r"改进|措施|举措|打算|计划|方向|下一步|整改")
# "2022年存在的主要问题及整改情况" in a 2022 report: this year's problems and measures, not a rectification.
_THIS_YEARS = lazy(r"存在的?(?:主要)?问题(?:及|和|与|以及)")
_HEAD_YEAR = lazy(r"(20\d{2})\s*年")
_RELATIVE_YEAR = lazy(r"上一?个?年度?|上年|去年|前一年")

# A sentence claiming the previous year's problems were rectified (relative year only: an explicit
# year in running text is too easily this year's).
RECT_CLAIM = lazy(
    r"(?:上一?个?年度|上年度?|去年|前一年度?)(?:报告)?中?所?(?:指出|发现|存在|反映|提出|列出|查找)?的?(?:主要)?"
    r"(?:问题|不足)[^。；;]{0,12}?整改"
)
# "针对上述问题": opens the measures, and never belongs to a heading's own words.
_FOR_THESE = r"针对(?:以上|上述|这些|前述|存在的?|此类)(?:主要)?(?:问题|不足)"
IMPR_CUE = lazy(
    _FOR_THESE + r"|下一步|接下来|今后|明年|抓好以下工作"
    r"|改进(?:措施|情况|举措|方向|计划)?[：:]|整改措施[：:]|(?:拟|将)(?:采取|从)[^。]{0,8}(?:措施|方面)"
    r"|主要从[^。]{0,6}方面(?:进行|加以)?了?改进|努力方向|下一?阶段|新的一年"
    r"|(?:做好|抓好|抓做好|落实|推进)以下[^。：:]{0,8}(?:工作|方面)|(?:对此|为此)[，,]?[^。；;]{0,10}?将"
)
# "针对2022年度工作报告中提到的问题与不足，2023年，我局着力在……下功夫" in a 2023 report: what was done
# about last year's problems, told in the rest of the sentence.
_RECT_FOR = (
    r"针对(?:{year}\s*年度?|上一?个?年度?|上年度?|去年|前一年度?)(?:政府信息公开|政务公开)?(?:工作)?(?:年度)?(?:工作)?"
    r"(?:报告)?中?所?"
    r"(?:提到|指出|发现|存在|反映|提出|列出|查找)?的?(?:主要)?(?:问题|不足)(?:[与和及](?:不足|短板))?[，,]"
)
# "2022年，我局将适应新要求……" in a 2021 report: the next year's plans are the measures.
_NEXT_YEAR = r"(?:(?<=[。；;\n])|(?<=^))[ \t]*{year}\s*年(?:度)?[，,]?[^。；;]{{0,30}}?(?:将|要|拟|计划|继续)"
_BODY_TURN = lazy(_FOR_THESE)
# A paragraph that turns to this year's problems or measures ends a rectification block that has
# no following heading ("（一）2021年问题整改情况 …… \n 2022年……但也存在一些不足：一是……").
PROB_INTRO = lazy(
    r"[^。\n]{0,40}?(?:(?:存在|还有|仍有)[^。\n：:]{0,12}?(?:问题|不足|差距|短板)|(?:还|尚|仍)不能(?:完全|充分)?满足)"
)
PROB_WORD = lazy(
    r"问题|不足|差距|有待|不够|不高|薄弱|短板|欠缺|滞后|不强|不到位|不充分|不平衡"
    r"|(?:还|尚|仍)?不能(?:完全|充分|很好地?)?满足|难以满足|(?:改进|提升|提高|完善)的?空间"
)
_EMPTY = lazy(r"^[\s无暂。.、]*$")
# A sentence that only says the problems were dealt with ("上一年度存在的问题均已整改。") is no measure.
BARE = lazy(
    r"[^。；;]{0,30}?(?:问题|不足)[^。；;]{0,12}?(?:整改|解决|改正|改进)(?:到位|完毕|完成|落实)?(?:了)?\s*[。；;]?"
)


@plain
class Block:
    kinds: frozenset[str]  # {"rect"} | {"prob"} | {"impr"} | {"prob", "impr"} | frozenset() (unheaded)
    head: tuple[int, int] | None
    lo: int
    hi: int


def _last_year(heading: str, report_year: int | None) -> bool:
    """The heading names the previous year (report year − 1, or 上年度/去年)."""
    year = _year(heading, report_year)
    return (report_year is not None and year == report_year - 1) or bool(_RELATIVE_YEAR.search(heading))


def _classify(heading: str, report_year: int | None) -> frozenset[str]:
    last_year = _last_year(heading, report_year)
    if RECT_HEAD.search(heading):
        if not _THIS_YEARS.search(heading) or last_year:
            return frozenset({"rect"})
    if last_year and _PAST_DONE.search(heading):
        return frozenset({"rect"})
    kinds = set()
    if PROB_HEAD.search(heading):
        kinds.add("prob")
    if IMPR_HEAD.search(heading):
        kinds.add("impr")
    return frozenset(kinds)


def blocks(text: str, lo: int, hi: int, report_year: int | None = None) -> list[Block]:
    """Section 五's body cut at the sub-headings that say what follows."""
    heads = _heads(text, lo, hi, report_year)
    out: list[Block] = []
    if not heads or text[lo : heads[0][0]].strip():
        out.append(Block(frozenset(), None, lo, heads[0][0] if heads else hi))
    for i, (start, body, kinds) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else hi
        cut = _rect_end(text, body, end) if kinds == {"rect"} else end
        out.append(Block(kinds, (start, body), body, cut))
        if cut < end:
            out.append(Block(frozenset(), None, cut, end))
    return out


def _heads(text: str, lo: int, hi: int, report_year: int | None) -> list[tuple[int, int, frozenset[str]]]:
    """(start, body start, kinds) of the sub-headings in text[lo:hi] that say what follows."""
    heads: list[tuple[int, int, frozenset[str]]] = []
    for rx in (_MARKER, _LABEL):
        for m in rx.finditer(text, lo, hi):
            if not _at_line_or_sentence_start(text, m.start(), lo):
                continue
            if rx is _LABEL:
                h_end = body = m.end()
            else:
                stop = _HEAD_END.search(text, m.end(), min(hi, m.end() + HEAD_MAX + 1))
                h_end = stop.start() if stop else min(hi, m.end() + HEAD_MAX)
                body = stop.end() if stop and text[stop.start()] in "。：:\n" else h_end
                # Scraped pages keep a heading and its text on one line, apart by a space
                # ("（二）下一步的改进措施 针对上述问题，…"): the heading ends at that space.
                gap = _HEAD_GAP.search(text, m.end(), h_end)
                if gap:
                    h_end = body = gap.start()
                # …or run into it: "（二）下一步的改进措施针对上述问题，…" — the heading ends where a
                # phrase that opens the measures begins (past the heading's own first words)
                turn = _BODY_TURN.search(text, m.end() + 2, h_end)
                if turn:
                    h_end = body = turn.start()
            kinds = _classify(text[m.start() : h_end], report_year)
            if kinds:
                heads.append((m.start(), body, kinds))
    heads.sort()
    return heads


def _rect_end(text: str, lo: int, hi: int) -> int:
    """Where an unheaded turn to this year's problems or measures ends a rectification block."""
    pos = text.find("\n", lo, hi)
    while pos != -1:
        start = pos + 1
        while start < hi and text[start] in " \t\n":
            start += 1
        if start < hi and (PROB_INTRO.match(text, start, hi) or IMPR_CUE.match(text, start, min(hi, start + 16))):
            return start
        pos = text.find("\n", start, hi)
    return hi


def _at_line_or_sentence_start(text: str, pos: int, lo: int) -> bool:
    i = pos - 1
    while i >= lo and text[i] in " \t":
        i -= 1
    return i < lo or text[i] in "\n。；;]】"


def _items(doc: Document, lo: int, hi: int, *, need: re.Pattern[str] | None = None,
           skip: tuple[int, int] | None = None, not_bare: bool = False) -> list[ItemFact]:
    """Enumerated items of text[lo:hi], or else its sentences (those matching ``need``); with
    ``not_bare``, a sentence that only claims the problems were dealt with is no item."""
    text = doc.text

    def kept(span: tuple[int, int]) -> bool:  # (a list inside the skipped span is not this block's)
        return not (skip and span[0] < skip[1] and span[1] > skip[0])

    spans = [sp for sp in enumerated(text, lo, hi) if kept(sp)] or [
        s for s in sentences(text, lo, hi)
        if kept(s) and len(text[s[0] : s[1]].strip()) >= 6 and (need is None or need.search(text, *s))
    ]
    out = []
    for s, e in spans:
        s, e = trim(doc, s, e)
        if e > s and not _EMPTY.match(text[s:e]) and not (not_bare and BARE.fullmatch(text, s, e)):
            out.append(fact(doc, ItemFact, s, e, text=doc.raw[s:e]))
    return out


def _year(heading: str, report_year: int | None) -> int | None:
    m = _HEAD_YEAR.search(heading)
    if m:
        return int(m.group(1))
    if _RELATIVE_YEAR.search(heading) and report_year:
        return report_year - 1
    return None


def region(doc: Document) -> tuple[int, int] | None:
    """Where section 五's content sits: its body, or — its heading lost — from the first problems /
    measures / rectification heading after the last section before it up to the next section after
    it ("（一）主要问题 …（二）改进情况" after table 四, then "五、其他需要报告的事项"). None when the
    content cannot be found either."""
    section = doc.section(5)
    if section is not None:
        return section.body_span.start, section.body_span.end
    before = [s for s in doc.sections if s.key < 5]
    if not before:
        return None  # no anchor: a heading anywhere in section 一 could pass for one of ours
    after = [s for s in doc.sections if s.key > 5]
    lo = before[-1].body_span.start
    if after:
        hi = after[0].heading_span.start
    elif doc.signature is not None and doc.signature.span.start > lo:
        hi = doc.signature.span.start
    else:
        hi = len(doc.text)
    heads = _heads(doc.text, lo, hi, doc.year)
    return (heads[0][0], hi) if heads else None


def fill(doc: Document, facts: NarrativeFacts) -> None:
    where = region(doc)
    text = doc.text
    if where is not None:
        for b in blocks(text, *where, doc.year):
            if b.kinds == {"rect"}:
                if facts.rectification is None:
                    facts.rectification = _rect_block(doc, b)
                continue
            _mixed(doc, facts, b.lo, b.hi, measures_only=b.kinds == {"impr"}, problems_only=b.kinds == {"prob"})
    if facts.rectification is None:
        facts.rectification = _rect_elsewhere(doc, where)


def _rect_block(doc: Document, b: Block) -> Rectification:
    assert b.head is not None
    h_lo, h_hi = b.head
    measures = _items(doc, b.lo, b.hi, not_bare=True)
    return fact(
        doc, Rectification, h_lo, h_hi, year=_year(doc.text[h_lo:h_hi], doc.year), measures=measures,
        bare_claim=not measures,
    )


def _rect_elsewhere(doc: Document, skip: tuple[int, int] | None) -> Rectification | None:
    """A rectification outside section 五's content: a heading that names it ("（六）2022年问题整改
    情况"), or a sentence claiming it ("针对上年度报告中指出的问题……进行了整改")."""
    text = doc.text
    spans = [(0, skip[0]), (skip[1], len(text))] if skip else [(0, len(text))]
    for lo, hi in spans:
        # Outside section 五 only a heading that names last year's problems: "（三）督查整改情况" in
        # section 一 is about websites, not about the previous report.
        heads = [
            h for h in _heads(text, lo, hi, doc.year)
            if h[2] == {"rect"} and _last_year(text[h[0] : h[1]], doc.year) and re.search(r"问题|不足", text[h[0] : h[1]])
        ]
        if heads:
            start, body, kinds = heads[0]
            nxt = _next_head(text, body, hi)
            return _rect_block(doc, Block(kinds, (start, body), body, _rect_end(text, body, nxt)))
    for lo, hi in spans:
        claim = RECT_CLAIM.search(text, lo, hi)
        if claim:
            c_lo, c_end = sentence_at(text, claim.start(), lo, hi, clause=True)
            return fact(
                doc, Rectification, c_lo, max(c_end, claim.end()),
                year=(doc.year - 1) if doc.year else None, measures=[], bare_claim=True,
            )
    for lo, hi in spans:
        found = _rect_for(doc, lo, hi)
        if found:
            return found[1]
    return None


def _next_head(text: str, lo: int, hi: int) -> int:
    """Where the next heading of any kind (an ordinal at a line or sentence start) begins."""
    for m in _MARKER.finditer(text, lo, hi):
        if _at_line_or_sentence_start(text, m.start(), lo):
            return m.start()
    return hi


def _measures_cue(text: str, lo: int, hi: int, report_year: int | None) -> re.Match[str] | None:
    """The first phrase in text[lo:hi] that turns to the measures."""
    cue = IMPR_CUE.search(text, lo, hi)
    if report_year:
        nxt = compile_re(_NEXT_YEAR.format(year=report_year + 1), re.M).search(text, lo, hi)
        if nxt and (cue is None or nxt.start() < cue.start()):
            return nxt
    return cue


def _rect_for(doc: Document, lo: int, hi: int) -> tuple[tuple[int, int], Rectification] | None:
    """A sentence that opens with last year's problems and goes on with what was done about them:
    its span and the rectification (with that rest of the sentence as its measure), or None."""
    text = doc.text
    year = str(doc.year - 1) if doc.year else r"(?!)"
    m = compile_re(_RECT_FOR.format(year=year)).search(text, lo, hi)
    if m is None:
        return None
    c_lo, c_hi = sentence_at(text, m.start(), lo, hi)
    measures = [r for r in _items(doc, m.end(), c_hi, not_bare=True) if len(r.quote) >= 8]
    listed = _list_after(text, c_hi, hi)  # "…积极整改。一是……；二是……；三是……。": the measures taken
    if listed:
        measures = [fact(doc, ItemFact, a, b, text=doc.raw[a:b]) for a, b in listed]
        c_hi = listed[-1][1]
    rect = fact(
        doc, Rectification, c_lo, c_hi, year=_year(text[m.start() : m.end()], doc.year), measures=measures,
        bare_claim=not measures,
    )
    return (c_lo, c_hi), rect


def _list_after(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The enumerated items (一是…二是…) that follow ``lo`` directly, one after another."""
    out: list[tuple[int, int]] = []
    pos = lo
    for a, b in enumerated(text, lo, hi):
        if text[pos:a].strip():
            break
        out.append((a, b))
        pos = b
    return out if len(out) >= 2 else []


def _mixed(doc: Document, facts: NarrativeFacts, lo: int, hi: int, *, measures_only: bool = False,
           problems_only: bool = False) -> None:
    """A block holding problems and measures (and maybe a rectification sentence) in running text;
    under a heading that names only measures ("（三）改进措施") all of it is measures; under one that
    names only problems ("（一）主要问题"), its sentences are problems even without a word such as
    不足 or 有待 (until a phrase introduces measures)."""
    text = doc.text
    claim = RECT_CLAIM.search(text, lo, hi)
    claim_span = None
    start = lo
    if claim:
        c_lo, c_hi = sentence_at(text, claim.start(), lo, hi)
        claim_span = (c_lo, c_hi)
        measures: list[ItemFact] = []
        # "…已整改，具体如下：一是……" — measures follow the claim directly.
        colon = text.find("：", claim.end(), c_hi + 1)
        if colon != -1 and text[claim.end() : colon].count("，") <= 1:
            para = text.find("\n", colon)
            para = hi if para == -1 or para > hi else para
            measures = [m for m in _items(doc, colon + 1, para) if m.span and m.span.start < para]
            start = para if measures else start
        if facts.rectification is None:
            c_lo, c_end = sentence_at(text, claim.start(), lo, hi, clause=True)
            facts.rectification = fact(
                doc, Rectification, c_lo, max(c_end, claim.end()),
                year=(doc.year - 1) if doc.year else None, measures=measures, bare_claim=not measures,
            )
    elif (found := _rect_for(doc, lo, hi)) is not None:
        claim_span, rect = found
        facts.rectification = facts.rectification or rect
    cue = _measures_cue(text, start, hi, doc.year)
    p_hi = start if measures_only else (cue.start() if cue else hi)
    found = _items(doc, start, p_hi, need=PROB_WORD, skip=claim_span)
    if not found and problems_only:
        found = _items(doc, start, p_hi, skip=claim_span)
    facts.problems += found
    if measures_only:
        facts.improvements += _items(doc, start, hi, skip=claim_span)
    elif cue:
        facts.improvements += _items(doc, cue.start(), hi)
