"""Word comments for findings: into a copy of a .docx draft, or into a new .docx of the text read.

In a copy, each comment is anchored on the runs holding the finding's span (reviewer.output.spans):
a run that the span starts or ends inside is split in two, both halves keeping the run's properties
(the only change to the draft's own content). python-docx's ``Document.add_comment`` puts the range
markers around the runs and the reference run after them; a reference run that would land inside a
tracked change, a content control, a hyperlink or a field is moved to just after it, so accepting or
rejecting changes, or refilling a control, never takes the comment with it. A span with no run behind
it (an empty table cell, a paragraph without text) gets a point comment in its paragraph.

What "unchanged" means for the copy (tests/test_annotate_docx.py checks it): every part of the draft
is kept with its content type, and every part other than the main document, the comments part, the
relationships of the main document and [Content_Types].xml is the same XML; the relationships and
content types only gain the comments part; and the main document is the same XML once the comment
markers and reference runs are removed and adjacent runs with identical properties are merged (on
both sides) - that is, the splits are the only other change.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reviewer.annotate import Reviewed, comment_text, notices_text
from reviewer.output.spans import TextMap

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Where a reference run must not stay: it would go with a rejected insertion, a refilled control, a
# link's text or a field's result.
_WRAPPERS = {W + t for t in ("ins", "del", "moveTo", "moveFrom", "sdtContent", "sdt", "hyperlink", "smartTag",
                              "fldSimple", "customXml")}


def anchors(reviewed: Reviewed) -> list[tuple[int, int, str]]:
    """(start, end, comment text): the notices at the title, then every finding at its span."""
    tm = TextMap(reviewed.raw)
    out = []
    if reviewed.result.notices:
        start, end = reviewed.title or _first_line(reviewed.raw)
        out.append((start, end, notices_text(reviewed.result.notices)))
    for f in reviewed.result.findings:
        start, end = tm.span(f)
        out.append((start, end, comment_text(f)))
    return out


def _first_line(raw: str) -> tuple[int, int]:
    at = 0
    for line in raw.split("\n"):
        if line.strip():
            return at, at + len(line)
        at += len(line) + 1
    return 0, 0


def initials(author: str) -> str:
    return author[-2:]


# --- a copy of the draft ----------------------------------------------------------------------
def annotate_copy(document, dmap, reviewed: Reviewed, dest: Path, *, author: str) -> int:
    n = 0
    for start, end, text in anchors(reviewed):
        owned = dmap.owned(start, end)
        if owned:
            dmap.split_before(owned[0])
            dmap.split_after(owned[-1])
            add_comment(document, dmap.owner[owned[0]][0], dmap.owner[owned[-1]][0], text, author)
        else:
            add_point(document, dmap.host(start), text, author)
        n += 1
    save(document, dest)
    return n


def add_comment(document, first_r, last_r, text: str, author: str):
    from docx.text.run import Run

    comment = document.add_comment([Run(first_r, None), Run(last_r, None)], text=text, author=author,
                                   initials=initials(author))
    end = last_r.getnext()  # python-docx: last run, w:commentRangeEnd, the reference run
    ref = end.getnext() if end is not None else None
    if ref is not None and ref.tag == W + "r":
        _hoist(ref)
    return comment


def _hoist(ref) -> None:
    """Move a reference run out of wrappers it must not stay in, to just after the outermost one."""
    outer, node = None, ref.getparent()
    while node is not None and node.tag != W + "p":
        if node.tag in _WRAPPERS:
            outer = node
        node = node.getparent()
    if outer is not None:
        outer.addnext(ref)
    field_end = _open_field_end(ref)
    if field_end is not None:
        field_end.addnext(ref)


def _open_field_end(ref):
    """The run ending a complex field whose result ``ref`` stands in (None when it stands outside)."""
    depth, node = 0, ref.getprevious()
    while node is not None:
        for ch in node.iter(W + "fldChar"):
            kind = ch.get(W + "fldCharType")
            depth += {"end": -1, "begin": 1}.get(kind, 0)
        node = node.getprevious()
    if depth <= 0:
        return None
    node = ref.getnext()
    while node is not None:
        for ch in node.iter(W + "fldChar"):
            kind = ch.get(W + "fldCharType")
            depth += {"end": -1, "begin": 1}.get(kind, 0)
            if depth == 0:
                return node
        node = node.getnext()
    return None


def add_point(document, paragraph, text: str, author: str):
    """A comment where there is no text to hold it: on the paragraph's runs when it has any (a picture,
    a number Word draws), else at the paragraph's start (an empty cell)."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    runs = paragraph.xpath("./w:r[not(w:commentReference)]")
    if runs:
        return add_comment(document, runs[0], runs[-1], text, author)
    comment = document.comments.add_comment(text=text, author=author, initials=initials(author))
    cid = str(comment.comment_id)
    ref = OxmlElement("w:r")
    ref.get_or_add_rPr().style = "CommentReference"
    ref.append(OxmlElement("w:commentReference", attrs={qn("w:id"): cid}))
    ppr = paragraph.find(W + "pPr")
    at = 0 if ppr is None else paragraph.index(ppr) + 1
    for i, el in enumerate((OxmlElement("w:commentRangeStart", attrs={qn("w:id"): cid}),
                            OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): cid}), ref)):
        paragraph.insert(at + i, el)
    return comment


def save(document, dest: Path) -> None:
    """Write next to the destination, then rename into place: a failed save leaves nothing behind."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        document.save(tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp's 0600 is not what a saved document should have
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- a new document of the text read ----------------------------------------------------------
def annotate_text(reviewed: Reviewed, dest: Path, *, author: str) -> int:
    """A .docx with one paragraph per line of the text the reviewer read (a table row keeps its
    tabs), each run cut at the spans' ends so every comment sits exactly on its span."""
    import docx

    document = docx.Document()
    _east_asian_font(document, "宋体")
    raw = reviewed.raw
    tm = TextMap(raw)
    marks = [_widen(tm, s, e) + (text,) for s, e, text in anchors(reviewed)]
    cuts = sorted({x for s, e, _ in marks for x in (s, e)})
    runs: list[tuple[int, int, object]] = []  # (start, end, w:r) in text order
    paragraphs: list[tuple[int, int, object]] = []
    at = 0
    for line in raw.split("\n"):
        p = document.add_paragraph()
        end = at + len(line)
        points = [at] + [c for c in cuts if at < c < end] + [end]
        for a, b in zip(points, points[1:]):
            if b > a:
                runs.append((a, b, p.add_run(raw[a:b])._r))
        paragraphs.append((at, end, p._p))
        at = end + 1
    for start, end, text in marks:
        inside = [r for a, b, r in runs if a < end and b > start]
        if inside:
            add_comment(document, inside[0], inside[-1], text, author)
        else:  # an empty line
            add_point(document, next((p for a, b, p in paragraphs if a <= start <= b), paragraphs[-1][2]), text, author)
    save(document, dest)
    return len(marks)


def _widen(tm: TextMap, start: int, end: int) -> tuple[int, int]:
    """A point becomes the character after it (before it at the end of a line)."""
    if end > start:
        return start, end
    lo, hi = tm.line_bounds(start)
    if start < hi:
        return start, start + 1
    return (start - 1, start) if start > lo else (start, start)


def _east_asian_font(document, name: str) -> None:
    from docx.oxml.ns import qn

    fonts = document.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
