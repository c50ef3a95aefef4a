"""Findings where the drafter works: a reviewed copy of the draft with each finding as a Word comment
(``review draft.docx --annotate reviewed.docx``), and what the HTML page needs (the text as read, its
pages and tables, with the result).

``review_file`` reviews one report and keeps what a plain review throws away: the text the reviewer
read, the page map, the tables, and for a .docx the document itself with the map from the text back
to its runs (reviewer.readers.docx_locate), so the comments go into the very document that was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reviewer.errors import InputError
from reviewer.output.where import page_note
from schemas.output import FileResult
from schemas.tables import Tables

DEFAULT_AUTHOR = "报告审核"


@dataclass
class Reviewed:
    path: str
    result: FileResult
    raw: str = ""
    pages: list[tuple[int, int, int]] | None = None
    tables: Tables | None = None
    docx: tuple | None = None  # (python-docx Document, DocxMap) for a .docx read with locate=True
    title: tuple[int, int] | None = None  # the title's span in ``raw`` (where notices are anchored)


def review_file(engine, path: str, *, previous=None, locate: bool = False) -> Reviewed:
    """Review one file keeping the text, pages and tables; input problems are ``result.error``."""
    from reviewer.engine import merge_tables
    from reviewer.readers import read

    located = None
    try:
        if locate and Path(path).suffix.lower() == ".docx" and Path(path).is_file():
            from reviewer.readers.docx_reader import read_located

            document, res, dmap = read_located(Path(path))
            located = (document, dmap)
        else:
            res = read(path)
    except InputError as e:
        return Reviewed(path=path, result=FileResult(path=path, error=str(e)))
    result = engine.review_read(res, path, previous=previous)
    doc = engine.document(res.raw, path, encoding=res.encoding, fmt=res.format)
    title = (doc.title_span.start, doc.title_span.end) if doc.title_span else None
    return Reviewed(path=path, result=result, raw=res.raw, pages=res.pages, tables=merge_tables(res.tables, doc),
                    docx=located, title=title)


def comment_text(f) -> str:
    """A finding as a comment: severity, code and message (with the page for a PDF), then the hint."""
    text = f"【{f.severity.label}】{f.code} {f.message}{page_note(f)}"
    return text + (f"\n建议：{f.hint}" if f.hint else "")


def notices_text(notices: list[str]) -> str:
    lines = ["审核说明："] + [f"{i}. {n}" for i, n in enumerate(notices, 1)]
    return "\n".join(lines)


def write_annotated(reviewed: Reviewed, dest: str | Path, *, author: str = DEFAULT_AUTHOR) -> int:
    """Write the annotated .docx for a reviewed report; returns the number of comments written."""
    from reviewer.annotate.comments import annotate_copy, annotate_text

    if reviewed.docx is not None:
        document, dmap = reviewed.docx
        return annotate_copy(document, dmap, reviewed, Path(dest), author=author)
    return annotate_text(reviewed, Path(dest), author=author)
