"""Which parts of a report are prose: everything except the statutory tables.

The tables live in sections 二, 三 and 四; their cells must never be read as claims of the prose. In
those sections only sentence-like pieces count as prose (a piece ending in 。, ；, ！ or ？, with no
tab-separated cells and no table label in it), e.g. "全年被申请行政复议2件，被提起行政诉讼1件。"
under table 四. Elsewhere every line is prose except the ones that look like table rows (cells separated by
tabs, a bare number).

Pieces never cross a section boundary, so a scraped page with no line breaks is still cut at its
headings; a sentence in a table section that is glued to table cells is dropped, not guessed at.
"""

from __future__ import annotations

from collections.abc import Iterator
from schemas.plain import plain

from reviewer.lazyre import lazy
from schemas.document import Document

TABLE_SECTIONS = (2, 3, 4)

# Labels that only occur in the statutory tables.
_TABLE_MARKERS = lazy(
    r"勾稽关系|本年新收政府信息公开申请数量|上年结转政府信息公开申请数量|本年制发件数|本年处理决定数量"
    r"|结果维持|结果纠正|尚未审结|信息内容|第二十条第"
)
_CELL_TAB = lazy(r"\S\t+\S")  # a tab between two cells (a leading tab is only indentation)
_BARE = lazy(r"[\s\d.,%/\-—–无]*")  # a bare cell value
# The last label or cell run of a table (cells: digits, spaces, tabs, placeholders).
_TABLE_END = lazy(
    r"(?:总计|尚未审结|其他结果|结果纠正|结果维持|继续办理|行政事业性收费|行政强制|行政处罚|行政许可|\t)"
    r"[\d\s.\t/—–-]*"
)
_AFTER_NUMBER = frozenset("年月日件条%")
_SENTENCE_MARK = lazy(r"[。！？；]")
_SENTENCE_PIECE = lazy(r"[^。！？；\n]*[。！？；]")
_SENTENCE = lazy(r"[^。！？\n]+[。！？]?")


@plain(frozen=True, slots=True)
class Piece:
    """A run of prose [start, end) in ``doc.text`` (one line, or one sentence in a table section)."""

    start: int
    end: int
    section: int  # 0 before section 一 (title and intro), else the SectionKey value


def _table_like(s: str, strict: bool) -> bool:
    """Cells separated by tabs, a bare value, or (in a table section) a table label."""
    return bool(_CELL_TAB.search(s) or _BARE.fullmatch(s) or (strict and _TABLE_MARKERS.search(s)))


def _regions(doc: Document) -> list[tuple[int, int, int]]:
    """(start, end, section) covering the whole text, cut at every section heading."""
    out: list[tuple[int, int, int]] = []
    pos = 0
    for s in doc.sections:
        if s.heading_span.start > pos:
            out.append((pos, s.heading_span.start, out[-1][2] if out else 0))
        out.append((s.heading_span.start, s.body_span.end, int(s.key)))
        pos = s.body_span.end
    if pos < len(doc.text):
        out.append((pos, len(doc.text), 0 if not doc.sections else -1))
    return out


_last: tuple[Document | None, tuple[Piece, ...]] = (None, ())


def prose_pieces(doc: Document) -> tuple[Piece, ...]:
    """The prose of the document, in order. The extractor and the Q rules both ask for it, so the
    last document's pieces are kept (one slot; a document does not change once built)."""
    global _last
    cached_doc, cached = _last
    if cached_doc is doc:
        return cached
    pieces = tuple(_prose_pieces(doc))
    _last = (doc, pieces)
    return pieces


def _prose_pieces(doc: Document) -> list[Piece]:
    text = doc.text
    pieces: list[Piece] = []
    for rstart, rend, key in _regions(doc):
        if key in TABLE_SECTIONS:
            pieces.extend(_table_section_prose(text, rstart, rend, key))
            continue
        pos = rstart
        while pos < rend:
            nl = text.find("\n", pos, rend)
            lend = rend if nl == -1 else nl
            line = text[pos:lend].strip()
            if line and not _table_like(line, False):
                pieces.append(Piece(pos, lend, key))
            pos = lend + 1
    return pieces


def _table_section_prose(text: str, start: int, end: int, key: int) -> Iterator[Piece]:
    """The sentences of a table section: only lines with sentence punctuation are looked at (a
    table of one cell per line has hundreds of lines and usually none of them)."""
    done = start
    for p in _SENTENCE_MARK.finditer(text, start, end):
        if p.start() < done:
            continue
        lstart = text.rfind("\n", start, p.start()) + 1 or start
        nl = text.find("\n", p.start(), end)
        done = end if nl == -1 else nl
        for m in _SENTENCE_PIECE.finditer(text, max(lstart, start), done):
            s = m.group().strip()
            if s and not _table_like(s, True):
                yield Piece(m.start(), m.end(), key)
            elif s:
                tail = _after_table(text, m.start(), m.end())
                if tail is not None:
                    yield Piece(tail, m.end(), key)


def _after_table(text: str, start: int, end: int) -> int | None:
    """Where a sentence glued to the end of a table begins (scraped pages: "…总计1 0 0 0 1 0 0 0 1 1 0 0 0
    0 0 全年被申请行政复议1件，被提起行政诉讼1件。"), or None."""
    last = None
    for last in _TABLE_END.finditer(text, start, end):
        pass
    if last is None or last.end() >= end:
        return None
    pos = last.end()
    if text[pos] in _AFTER_NUMBER:  # the cells swallowed the number the sentence opens with ("2022年")
        while pos > last.start() and text[pos - 1].isdigit():
            pos -= 1
    tail = text[pos:end].strip()
    return pos if tail and "\u4e00" <= tail[0] <= "\u9fff" and not _table_like(tail, True) else None


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentences (split at 。！？ and line ends) of ``text[start:end]``, as absolute spans."""
    for m in _SENTENCE.finditer(text, start, end):
        if m.group().strip():
            yield m.start(), m.end()
