"""Rules extraction of the numbers in the prose: totals with parts, shares, change rates, counts of
what the tables count, vague quantities, and categorical statements ("未发生行政复议").

Only prose is read (``reviewer.extract.prose``): table cells are never claims. Each sentence is cut
into tokens — quantities ("1021条") and percentages ("4.2%") — each with its label, the words since
the previous boundary. Then, in this order:

- a quantity right after "其中" belongs to the total before it (kind ``total``, with its ``parts``);
  the list ends at "。", at a second "其中", and at "；" unless "；" separates its items or the items
  after it close a list the items before it leave open ("…12条；…47条；其他…45条。");
- a percentage after "占" is the share of the quantity before it (kind ``share``); its whole is the
  total it is a part of, or the figure the sentence names ("办结的申请中"), or for an outcome of
  applications the number handled, or else the nearest earlier figure marked as a total (共/累计/
  合计/总计/全年) in the same paragraph — and nothing if none of these is there;
- a percentage after "同比/较上年/比2021年…增长/下降" is the change rate of the quantity before it
  (kind ``change``), with the stated increase ("多发布82条") or previous figure ("较上年的57件") if
  the sentence gives one;
- any other quantity whose label says what it counts (``reviewer.extract.subjects``) is a ``count``.
A figure of another year ("2021年共收到申请57件") is not a claim about the report year.
"""

from __future__ import annotations

import bisect
import re
from schemas.plain import plain
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from reviewer.extract import statements
from reviewer.extract.prose import Piece, prose_pieces, sentences
from reviewer.extract.subjects import classify, doc_measure
from reviewer.lazyre import lazy
from schemas.common import Span
from schemas.document import Document
from schemas.facts import ClaimKind, ClaimSubject, NarrativeFacts, NumericClaim
from schemas.tables import Tables

_UNITS = "条次|件次|人次|条|件|项|个|篇|份|次|期|场|家|元"
# Starts with a digit class and never backtracks into a number (possessive quantifiers): several
# times faster than a leading lookbehind; a match inside a longer number is dropped in _tokens.
_TOKEN = lazy(
    r"(?P<num>[0-9]++(?:,[0-9]{3})*+(?:\.[0-9]++)?+)\s*+"
    r"(?:(?P<pct>%)|(?P<mult>万|千|亿)?(?P<unit>" + _UNITS + r"))"
)
_BOUNDARY = lazy(r"[，,；;：:、(（。！？]")
_DIGIT = lazy(r"[0-9]")
_NUMBER_CHARS = frozenset("0123456789.,")
_WORDS = lazy(r"[\u4e00-\u9fff]")

_THEREOF = lazy(r"\s*[，,；;：:]?\s*其中")
_PART_STOP = lazy(r"(?<!公)共(?!享|建|同|治|性)|合计|总计|累计|总数|全年|其中|办结|答复|结转|复议|诉讼|收到|受理|同比|较上年|比上年")
_OPEN_LIST = lazy(r"\s*等")
_SEMICOLON = lazy(r"[；;]")
_BRACKETED = lazy(r"[（(][^（）()]*[）)]")
_BARE_PART = lazy(r"(?<=[\u4e00-\u9fff\s])[0-9]+(?=\s*[，,；;])")
_LAST_PART_REST = lazy(r"其他|其余|其它|剩余")
# What may stand between a figure's clause boundary and "占" when the share is that figure's.
_SHARE_SUBJECT_OK = lazy(r"(?:约|大约|分别|共计?|合计|总计|累计|仅|只|则|已|均|的)*")
_SHARE = lazy(r"占(?P<whole>[^%\d，。；]{0,16}?)(?:的)?(?:比例|比重|比)?(?:为|达到?)?\s*$")
_CHANGE = lazy(
    r"(?:同比|(?:较|比|与)(?:上一?年度?|去年|前一年|20\d\d年度?)(?:同期)?(?:相比)?)[^，。；%\d]{0,6}?"
    r"(?P<dir>增长|增加|上升|提高|多|下降|减少|降低|回落|少)了?\s*$"
)
_CHANGE_DIR_ONLY = lazy(r"^(?:总体|整体)?(?P<dir>增长|增加|上升|提高|下降|减少|降低|回落)了?\s*$")
_PREVIOUS_LABEL = lazy(r"(?:较|比|与)(?:上一?年度?|去年|前一年|20\d\d年度?)(?:同期)?(?:的|为)?\s*$")
_DELTA = lazy(
    r"^(?:同比|较上年|较去年|比上年|比去年)?(?P<dir>多|少|增加|减少)了?(?:发布|公开|收到|受理|办理|办结|制发)?\s*$"
)
_TOTAL_MARK = lazy(r"共|累计|合计|总计|总数|全年")
_OTHER_YEAR = lazy(r"(?<![比较与和])(20\d\d)\s*年")  # not the year compared with ("比2021年")
_LAST_YEAR = lazy(r"上一?年度?(?!结转)|去年|前一年|同期")
_WHOLE_HANDLED = lazy(r"办结|答复|办理")
_WHOLE_NEW = lazy(r"收到|新收|受理")
LOOKBACK_FIGURES = 500  # how many figures before a share are searched for its whole
_REF_HANDLED = lazy(r"(?:办结|答复|办理完毕)的[^，。；]{0,8}?中")
_REF_NEW = lazy(r"(?:收到|受理|新收)的[^，。；]{0,8}?中")
_SPREAD = lazy(
    r"(?P<subjects>[^，。；：]{2,40}?)(?:分别为|分别是|分别有)(?P<vals>\d+\s*件(?:\s*[、和及,，]\s*\d+\s*件)+)"
)
_SPREAD_ITEM = lazy(r"[、和及与]")
_SPREAD_VAL = lazy(r"\d+")
_NONE_ISSUED = lazy(r"(?:未|没有)(?:新)?(?:制发|制定|出台|印发)(?:任何)?(?P<what>(?:行政)?规范性文件|规章(?!制度))")
_ALL_ZERO = lazy(r"(?P<subjects>[^，。；：]{2,40}?)(?:均为|都为|均是|均|都是|各)\s*(?:0|零)\s*件?")

_DOCS = frozenset({ClaimSubject.NORMATIVE_DOCS, ClaimSubject.REGULATIONS})
_DECISIONS = frozenset({ClaimSubject.LICENSING, ClaimSubject.PENALTY, ClaimSubject.ENFORCEMENT})
_MATTERS = lazy(r"事项|清单|目录")
_INCREASE = frozenset({"增长", "增加", "上升", "提高", "多"})
_OUTCOMES = frozenset(
    {
        ClaimSubject.OUTCOME_GRANTED,
        ClaimSubject.OUTCOME_PARTIAL,
        ClaimSubject.OUTCOME_DENIED,
        ClaimSubject.OUTCOME_UNABLE,
        ClaimSubject.OUTCOME_REJECTED,
        ClaimSubject.OUTCOME_OTHER,
    }
)


@plain(slots=True)
class _Tok:
    start: int  # of the number
    end: int
    label_start: int
    label: str
    value: Decimal
    unit: str = ""  # "" for a percentage
    pct: str | None = None  # the percentage as written ("4.2")
    mult: str | None = None
    role: str = ""  # "", "part", "delta", "previous", "used" (a percentage attached to a quantity)
    owner: _Tok | None = None  # for a part: its total
    claim: NumericClaim | None = None
    subject: ClaimSubject | None = None
    measure: str | None = None


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = start
    for m in _TOKEN.finditer(text, start, end):
        if m.start() > start and text[m.start() - 1] in _NUMBER_CHARS:
            continue
        lstart = prev_end
        for b in _BOUNDARY.finditer(text, prev_end, m.start()):
            lstart = b.end()
        while lstart < m.start() and text[lstart].isspace():
            lstart += 1
        num = m.group("num").replace(",", "")
        tok = _Tok(m.start(), m.end(), lstart, text[lstart : m.start()], Decimal(num))
        if m.group("pct"):
            tok.pct = num
        else:
            tok.unit, tok.mult = m.group("unit"), m.group("mult")
            if tok.mult:
                tok.value *= {"千": 1000, "万": 10000, "亿": 100000000}[tok.mult]
        toks.append(tok)
        prev_end = m.end()
    return toks


class _Builder:
    def __init__(self, doc: Document, facts: NarrativeFacts) -> None:
        self.doc, self.facts = doc, facts
        self.year = doc.year
        self.sent_start, self.sent_end = 0, len(doc.text)
        self._cache: dict[tuple, tuple[list[int], list[re.Match[str]]]] = {}

    def claim(self, tok: _Tok, kind: ClaimKind, end: int, **kw: object) -> NumericClaim:
        this_year = not self.other_year(tok, self.sent_start)
        c = NumericClaim(
            kind=kind,
            subject=(tok.subject if this_year else None) or ClaimSubject.OTHER,
            value=tok.value,
            unit=tok.unit,
            measure=tok.measure,
            quote=self.doc.raw[tok.label_start : end],
            span=Span(start=tok.label_start, end=end),
            **kw,
        )
        tok.claim = c
        self.facts.claims.append(c)
        return c

    def other_year(self, tok: _Tok, sent_start: int) -> bool:
        """The figure is about another year than the report's: its label says 上年/去年, or the
        last year named before it in the sentence is not the report year."""
        if _LAST_YEAR.search(tok.label):
            return True
        last = _last_before(self._matches(_OTHER_YEAR, sent_start, self.sent_end), tok.start)
        return bool(self.year and last is not None and int(last.group(1)) != self.year)

    def _line_end(self, pos: int) -> int:
        key = ("\n", pos, 0)
        if key not in self._cache:
            end = self.doc.text.find("\n", pos)
            self._cache[key] = ([len(self.doc.text) if end == -1 else end], [])
        return self._cache[key][0][0]

    def _matches(self, rx: re.Pattern[str], start: int, end: int) -> tuple[list[int], list[re.Match[str]]]:
        """The matches of ``rx`` in text[start:end] with their ends (for bisection), found once per
        stretch: a sentence or paragraph with many figures is scanned once, not once per figure
        (a single-line report of megabytes would otherwise take quadratic time)."""
        key = (rx.pattern, start, end)
        found = self._cache.get(key)
        if found is None:
            ms = list(rx.finditer(self.doc.text, start, end))
            found = self._cache[key] = ([m.end() for m in ms], ms)
        return found

    # --- the passes --------------------------------------------------------------------------
    def piece(self, piece: Piece, sents: list[tuple[int, int]]) -> None:
        text = self.doc.text
        para: list[_Tok] = []
        if "规" in text[piece.start : piece.end]:
            self.none_issued(piece)
        if not _DIGIT.search(text, piece.start, piece.end):
            return
        prev_sent, ended_on = "", None
        for s, e in sents:
            sent, self.sent_start, self.sent_end = text[s:e], s, e
            # what the sentence is about may be said in the one before ("已全部答复，其中予以公开10件")
            context, prev_sent = prev_sent + sent, sent
            toks = _tokens(text, s, e)
            if not toks:
                ended_on = None
                continue
            prev: _Tok | None = None
            for t in toks:
                if t.unit:
                    t.subject, t.measure = classify(t.label, t.unit, sent, piece.section, context)
                    if t.subject is None and prev is not None and prev.subject in _DOCS and prev.unit == t.unit:
                        # "制发规范性文件34件，现行有效件数424件": the same documents, another column
                        measure = doc_measure(t.label)
                        if measure is not None:
                            t.subject, t.measure = prev.subject, measure
                    prev = t
            self.spread(toks, text, s, e, sent, piece.section)
            if ended_on is not None and _THEREOF.match(text, s):
                self.total(ended_on, toks, text)  # "…2345条，同比增长12.3%。其中门户网站1200条"
            self.totals(toks, text)
            self.changes(toks)
            self.shares(toks, para, text, piece.start)
            self.counts(toks)
            para.extend(toks)
            ended_on = self.ended_on(toks, text, e)

    @staticmethod
    def ended_on(toks: list[_Tok], text: str, end: int) -> _Tok | None:
        """The figure a sentence ends on (its last quantity, when nothing but punctuation or that
        figure's own rate follows it): the total a next sentence opening with "其中" divides."""
        if _WORDS.search(text, toks[-1].end, end):
            return None
        figures = [t for t in toks if t.unit and t.role not in ("part", "delta", "previous")]
        return figures[-1] if figures and (figures[-1] is toks[-1] or toks[-1].role == "used") else None

    def none_issued(self, piece: Piece) -> None:
        """"本年未制发规范性文件": a count of 0 issued."""
        for m in _NONE_ISSUED.finditer(self.doc.text, piece.start, piece.end):
            sent_start = max(self.doc.text.rfind(ch, piece.start, m.start()) for ch in "。！？") + 1
            years = _OTHER_YEAR.findall(self.doc.text, max(sent_start, piece.start), m.start())
            if self.year and years and int(years[-1]) != self.year:
                continue
            subject = ClaimSubject.REGULATIONS if m.group("what").startswith("规章") else ClaimSubject.NORMATIVE_DOCS
            self.facts.claims.append(
                NumericClaim(
                    kind=ClaimKind.COUNT,
                    subject=subject,
                    value=Decimal(0),
                    unit="件",
                    measure="issued",
                    quote=self.doc.raw[m.start() : m.end()],
                    span=Span(start=m.start(), end=m.end()),
                )
            )

    def spread(self, toks: list[_Tok], text: str, s: int, e: int, sent: str, section: int) -> None:
        """"行政复议、行政诉讼分别为2件、1件" and "行政复议和行政诉讼均为0件"."""
        if "分别" not in sent and "均" not in sent and "各" not in sent:
            return
        for m in _SPREAD.finditer(text, s, e):
            names = [n for n in _SPREAD_ITEM.split(m.group("subjects")) if n]
            vals = list(_SPREAD_VAL.finditer(m.group("vals")))
            if len(names) != len(vals):
                continue
            base = m.start("vals")
            for name, v in zip(names, vals, strict=True):
                tok = next((t for t in toks if t.start == base + v.start()), None)
                if tok is not None:
                    tok.label_start, tok.label = m.start("subjects"), name
                    tok.subject, tok.measure = classify(name, tok.unit or "件", sent, section)
        for m in _ALL_ZERO.finditer(text, s, e):
            names = [n for n in _SPREAD_ITEM.split(m.group("subjects")) if n]
            subjects = [classify(n, "件", sent, section)[0] for n in names]
            subjects = [x for x in subjects if x is not None]
            if len(subjects) < 2:
                continue
            for x in subjects:
                c = NumericClaim(
                    kind=ClaimKind.COUNT,
                    subject=x,
                    value=Decimal(0),
                    unit="件",
                    quote=self.doc.raw[m.start() : m.end()].strip(),
                    span=Span(start=m.start(), end=m.end()),
                )
                self.facts.claims.append(c)
            for t in toks:
                if m.start() <= t.start < m.end():
                    t.role = "used"

    def totals(self, toks: list[_Tok], text: str) -> None:
        for i, t in enumerate(toks):
            if t.unit and not t.role and _THEREOF.match(text, t.end):
                self.total(t, toks[i + 1 :], text)

    def total(self, t: _Tok, after: list[_Tok], text: str) -> None:
        parts: list[_Tok] = []
        values: list[list[Decimal]] = []  # per part: its value, after any unit-less item before it
        semicolons = False  # the list's own separator is "；" ("其中：A 9条；B 7条；C 39条")
        cut = None  # where a "；" would end a list separated by "，"
        for k, p in enumerate(after):
            if p.pct is not None:
                continue
            if _depth(text, t.end, p.start) > 0:
                # "其中，主动公开117条（涵盖政策类10条、…其他81条）、依申请公开274条": the bracketed
                # figures break down the part before them, not the total
                continue
            if p.unit != t.unit or p.role or _PART_STOP.search(_THEREOF.sub("", p.label, count=1)):
                break
            own = after[k + 1] if k + 1 < len(after) and self.is_share(after[k + 1]) else None
            if own is not None and parts and not _fits(p.value, t.value, own.pct) and any(
                _fits(p.value, q.value, own.pct) for q in parts
            ):
                break  # "共89项，其中行政许可57项，实现…的有45项，占比78.9%": 45 of the 57, not another part
            gap = text[(parts[-1] if parts else t).end : p.label_start]
            if parts:
                if "。" in gap:
                    break
                if _SEMICOLON.search(gap) and not semicolons and cut is None:
                    if len(parts) == 1:
                        semicolons = True
                    else:
                        cut = len(parts)
                if "其中" in p.label:
                    break  # a second "其中" divides another figure, not this total
            # an item whose unit was lost ("…能源类信息 45，其他类4条") is still one of the parts
            bare = _BRACKETED.sub("", gap)
            values.append([Decimal(b.group()) for b in _BARE_PART.finditer(bare)] + [p.value])
            parts.append(p)
        if cut is not None and not self.runs_on(t, parts, values, cut):
            parts, values = parts[:cut], values[:cut]
        k = self.first_breakdown(t, values)
        parts, values = parts[:k], values[:k]
        if not parts:
            return
        if _MATTERS.search(t.label):  # "…的事项共有89项，其中行政许可57项": matters listed, not decisions taken
            for p in parts:
                if p.subject in _DECISIONS:
                    p.subject = None
        last = parts[-1]
        exhaustive = bool(_LAST_PART_REST.search(last.label)) and not _OPEN_LIST.match(text, last.end)
        for p in parts:
            p.role, p.owner = "part", t
        if t.claim is None:  # a figure that already has a change rate keeps it; its parts still know it
            flat = [v for vs in values for v in vs]
            self.claim(t, ClaimKind.TOTAL, last.end, parts=flat, parts_exhaustive=exhaustive)

    @staticmethod
    def first_breakdown(t: _Tok, values: list[list[Decimal]]) -> int:
        """How many parts make the list: all of them, unless the first ones already add up to the total
        and the rest go beyond it — a second breakdown of the same total ("收到申请10件，其中网上申请6件、
        信函申请4件，自然人申请8件、法人申请2件")."""
        running = Decimal(0)
        for k, vs in enumerate(values, 1):
            running += sum(vs, Decimal(0))
            if running == t.value and k < len(values) and sum((v for vs in values for v in vs), Decimal(0)) > t.value:
                return k
        return len(values)

    @staticmethod
    def runs_on(t: _Tok, parts: list[_Tok], values: list[list[Decimal]], cut: int) -> bool:
        """A list separated by "，" ends at "；" — what follows is another clause ("其他渠道32条；发布
        政策解读信息60条") — unless the items before it do not close the list (no "其他…" item, not the
        total yet) and the items after it do, up to "。" ("…类信息12条；…类信息47条；其他…45条。")."""
        closed = _LAST_PART_REST.search
        head = sum((v for vs in values[:cut] for v in vs), Decimal(0))
        return not closed(parts[cut - 1].label) and head != t.value and bool(closed(parts[-1].label))

    def changes(self, toks: list[_Tok]) -> None:
        for i, p in enumerate(toks):
            if p.pct is None or p.role:
                continue
            m = _CHANGE.search(p.label) or _CHANGE_DIR_ONLY.match(p.label)
            prior = [t for t in toks[:i] if t.unit and t.role != "part"]
            if not m or not prior:
                continue
            q, extra, role = prior[-1], None, ""
            if len(prior) > 1 and _DELTA.match(q.label):
                extra, role, q = q, "delta", prior[-2]  # "405条，…多发布82条，同比增长25.4%"
            elif len(prior) > 1 and _PREVIOUS_LABEL.search(q.label):
                extra, role, q = q, "previous", prior[-2]  # "47件，较上年的57件下降17.5%"
            elif m.re is _CHANGE_DIR_ONLY:
                continue  # a bare "下降17.5%" that names no comparison
            if q.claim is not None or (extra is not None and extra.unit != q.unit):
                continue
            if extra is not None:
                extra.role = role
            p.role = "used"
            self.claim(
                q,
                ClaimKind.CHANGE,
                p.end,
                percent=p.pct,
                direction="增长" if m.group("dir") in _INCREASE else "下降",
                delta=extra.value if extra is not None and role == "delta" else None,
                previous=extra.value if extra is not None and role == "previous" else None,
            )

    def shares(self, toks: list[_Tok], para: list[_Tok], text: str, para_start: int) -> None:
        for i, p in enumerate(toks):
            if p.pct is None or p.role or i == 0:
                continue
            m = _SHARE.search(p.label)
            q = toks[i - 1]
            if not m or not q.unit or q.role in ("delta", "previous") or q.claim is not None:
                continue
            if not _SHARE_SUBJECT_OK.fullmatch(p.label[: m.start()].strip()):
                continue  # "不予公开77条，主动公开及依申请公开…总条数占…79.63%": the share of another figure
            p.role = "used"
            whole = self.whole(q, m.group("whole"), toks[max(0, i - LOOKBACK_FIGURES) : i], para, text, para_start)
            if whole is not None and not _fits(q.value, whole, p.pct):
                # another figure of the sentence the percentage is exactly of: the reading of the whole is
                # in doubt ("共89项，其中行政许可57项，…45项，占比78.9%" = 45 ÷ 57), so take that one
                whole = next(
                    (t.value for t in reversed(toks[max(0, i - LOOKBACK_FIGURES) : i - 1])
                     if t.unit == q.unit and t.value >= q.value and t.value != whole and _fits(q.value, t.value, p.pct)),
                    whole,
                )  # fmt: skip
            self.claim(q, ClaimKind.SHARE, p.end, percent=p.pct, whole=whole)

    @staticmethod
    def is_share(p: _Tok) -> bool:
        """A percentage that states the share of the figure right before it ("45项，占比78.9%")."""
        m = _SHARE.search(p.label) if p.pct is not None else None
        return m is not None and bool(_SHARE_SUBJECT_OK.fullmatch(p.label[: m.start()].strip()))

    def whole(
        self, part: _Tok, named: str, before: list[_Tok], para: list[_Tok], text: str, para_start: int
    ) -> Decimal | None:
        """The whole a share refers to, only when the text says which (see the module docstring)."""
        if part.owner is not None:
            return part.owner.value if part.owner.value >= part.value else None
        # the figures before it (the nearest LOOKBACK_FIGURES: linear time on a report of one endless line)
        near = para[-LOOKBACK_FIGURES:] + before if len(before) < LOOKBACK_FIGURES else before
        earlier = [t for t in near[-LOOKBACK_FIGURES:] if t.unit == part.unit and t.start < part.start]
        want: ClaimSubject | None = None
        if _WHOLE_HANDLED.search(named):
            want = ClaimSubject.APPS_HANDLED
        elif _WHOLE_NEW.search(named):
            want = ClaimSubject.APPS_NEW
        else:
            para_end = self._line_end(para_start)
            refs = []  # the last reference of each kind before the part (a match ending by its label)
            for rx, subject in ((_REF_HANDLED, ClaimSubject.APPS_HANDLED), (_REF_NEW, ClaimSubject.APPS_NEW)):
                last = _last_before(self._matches(rx, para_start, max(para_end, part.label_start)), part.label_start)
                if last is not None:
                    refs.append((last.start(), subject))
            if refs:
                want = max(refs)[1]
            elif part.subject in _OUTCOMES and any(t.subject == ClaimSubject.APPS_HANDLED for t in earlier):
                want = ClaimSubject.APPS_HANDLED
        for t in reversed(earlier):
            if want is not None:
                if t.subject == want:
                    return t.value if t.value >= part.value else None
            elif t.role != "part" and _TOTAL_MARK.search(t.label) and t.value >= part.value:
                return t.value
        return None

    def counts(self, toks: list[_Tok]) -> None:
        for t in toks:
            if t.role == "part" and t.subject == ClaimSubject.PUBLISHED:
                continue  # a channel's share of a stated total is in the total's parts
            if t.unit and t.claim is None and t.role in ("", "part") and t.subject is not None:
                if not self.other_year(t, self.sent_start) and not t.mult:
                    self.claim(t, ClaimKind.COUNT, t.end)


def _depth(text: str, lo: int, hi: int) -> int:
    """How many brackets opened in text[lo:hi] are still open at ``hi``."""
    depth = 0
    for ch in text[lo:hi]:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return depth


def _fits(value: Decimal, whole: Decimal, pct: str | None) -> bool:
    """``value`` ÷ ``whole`` gives the percentage as written, rounded half-up or cut at its places."""
    if pct is None or whole <= 0:
        return False
    stated = Decimal(pct)
    exp = stated.as_tuple().exponent
    quantum = Decimal(1).scaleb(exp if isinstance(exp, int) else 0)
    exact = value / whole * 100
    return stated in (exact.quantize(quantum, rounding=ROUND_HALF_UP), exact.quantize(quantum, rounding=ROUND_DOWN))


def _last_before(found: tuple[list[int], list[re.Match[str]]], pos: int) -> re.Match[str] | None:
    """The last of the found matches that ends at or before ``pos``."""
    ends, ms = found
    i = bisect.bisect_right(ends, pos)
    return ms[i - 1] if i else None


def fill(doc: Document, tables: Tables, facts: NarrativeFacts) -> None:
    """Fill ``facts.claims``, ``facts.vague`` and ``facts.statements`` in place."""
    builder = _Builder(doc, facts)
    for piece in prose_pieces(doc):
        sents = list(sentences(doc.text, piece.start, piece.end))
        builder.piece(piece, sents)
        statements.fill_piece(doc, piece, sents, facts)
