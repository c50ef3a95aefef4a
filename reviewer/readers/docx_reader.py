""".docx: paragraphs and tables in document order, read with python-docx.

python-docx is used for the package and the paragraph text (runs, hyperlinks, breaks); the table
grid is walked from the XML (``w:gridBefore``, ``w:gridSpan``, ``w:vMerge``) so a merged cell is
one cell — python-docx's ``row.cells`` would hand it back once per slot. Automatic numbering
("一、" produced by a numbering definition, not typed) is rendered, or the section headings of a
draft with numbered heading styles would be invisible.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from reviewer import limits
from reviewer.errors import InputError
from reviewer.readers import ReadResult
from reviewer.readers.assemble import Block, Para, image_mark, read_result
from reviewer.readers.numbering import Numbering
from reviewer.tables.grid import Grid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_blocks(data: bytes, sources: list | None = None) -> list[Block]:
    """The blocks of a .docx (its bytes). With ``sources`` (a list), also the XML each block was read
    from, one entry per block (reviewer.readers.docx_locate turns them into a map from the text back
    to runs). The paragraph and table-cell limits are checked as the blocks are read."""
    return _limited(_blocks(*_open(data), sources, limits.Counter("cells")))


def _limited(blocks) -> list[Block]:
    out: list[Block] = []
    cap = limits.allowed("paragraphs")
    for block in blocks:
        out.append(block)
        if cap is not None and len(out) > cap:
            raise limits.exceeded("paragraphs", len(out), at_least=True)
    return out


def _open(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        check_zip(data)
        document = docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(f"不是有效的 .docx 文件（{_why(data, e)}）") from None
    except Exception as e:  # noqa: BLE001 - a corrupt package fails in many ways inside lxml/python-docx
        raise InputError(f"无法读取 .docx 文件（{type(e).__name__}）") from None
    return document.element.body, document, Numbering.of(document)


def check_zip(data: bytes) -> None:
    """Every part of the package within the decompression limit, by the sizes its directory
    declares — zipfile never inflates a part beyond its declared size, so a bomb stops here."""
    cap = limits.allowed("unzipped")
    if cap is None:
        return
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            if info.file_size > cap:
                raise limits.exceeded("unzipped", info.file_size, f"{info.filename}：")


def _why(data: bytes, e: Exception) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "实际是旧版 Word（.doc）格式，请另存为 .docx"
    return "文件已损坏或不是 Word 文档"


# The runs of a paragraph as Word shows them: inside hyperlinks, fields, smart tags, inline content
# controls and tracked insertions too (python-docx's Paragraph.text reads direct runs only), but
# not tracked deletions, nor text boxes anchored in the paragraph.
_RUNS = ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent)]"


def paragraph_runs(p) -> list:
    return p.xpath(_RUNS)


def paragraph_text(p) -> str:
    return "".join(r.text for r in paragraph_runs(p))


def _blocks(parent, document, numbering: Numbering, sources: list | None, cells: limits.Counter):
    from docx.table import Table

    for el in parent.iterchildren():
        if el.tag == W + "p":
            prefix = numbering.prefix(el)
            text = prefix + paragraph_text(el)
            if not text.strip() and el.xpath("./w:r/w:drawing/wp:inline | ./w:r/w:pict"):
                text = image_mark("嵌入图片")  # a picture on a line of its own: a table pasted as an image?
                prefix = text
            if sources is not None:
                sources.append((el, len(prefix)))
            yield Para(text)
        elif el.tag == W + "tbl":
            located: list | None = [] if sources is not None else None
            yield _grid(Table(el, document), cells, located)
            if sources is not None:
                sources.append((el, located))
        elif el.tag == W + "sdt":  # a content control wrapping body content
            content = el.find(W + "sdtContent")
            if content is not None:
                yield from _blocks(content, document, numbering, sources, cells)


def _grid(table, cells: limits.Counter, sources: list | None = None) -> Grid:
    """Walk the rows' <w:tc> elements: gridBefore and gridSpan give each cell its columns,
    vMerge="continue" extends the cell above. ``sources`` receives each cell's paragraphs. Spans are
    clamped to the table's real width (its <w:tblGrid> columns, or the most cells a row has when
    that is more), so a gridSpan or gridBefore of 2e8 is the rest of the row, and every slot counts
    against the document's cell limit."""
    rows = table._tbl.tr_lst
    width = _width(table._tbl, rows)
    spans: list[list] = []  # per row: [row, col, rowspan, colspan, text]
    above: dict[int, list] = {}  # column -> the span record covering it in the previous row
    for r, tr in enumerate(rows):
        col = min(_int(tr, "grid_before"), width)
        current: dict[int, list] = {}
        for tc in tr.tc_lst:
            span = max(1, min(_int(tc, "grid_span"), width - col))  # past the width: one slot each
            cells.add(span)
            if tc.vMerge == "continue" and col in above:
                rec = above[col]
                rec[2] = r - rec[0] + 1
            else:
                paragraphs = tc.xpath("./w:p | ./w:sdt/w:sdtContent/w:p")
                text = "\n".join(paragraph_text(p) for p in paragraphs)
                rec = [r, col, 1, span, text]
                if sources is not None:
                    sources.append(paragraphs)
                spans.append(rec)
            for c in range(col, col + span):
                current[c] = rec
            col += span
        above = current
    return Grid.from_spans(tuple(rec) for rec in spans)


def _int(el, attr: str) -> int:
    """A numeric attribute python-docx parses (gridSpan, gridBefore): 0 when absent or invalid."""
    try:
        return max(0, int(getattr(el, attr, 0) or 0))
    except (TypeError, ValueError):
        return 0


def _width(tbl, rows) -> int:
    grid = tbl.find(W + "tblGrid")
    declared = len(grid.findall(W + "gridCol")) if grid is not None else 0
    return max(1, declared, max((len(tr.tc_lst) for tr in rows), default=1))


def read(path: Path, data: bytes) -> ReadResult:
    return read_result(read_blocks(data), path, "docx", "utf-8")


def read_located(path: Path):
    """(the python-docx Document, what ``read`` returns, a DocxMap from that text back to the runs
    of that Document): the map is built from the very blocks the text was assembled from."""
    from reviewer.readers.docx_locate import DocxMap

    from reviewer.ingest import read_bytes

    body, document, numbering = _open(read_bytes(path))
    sources: list = []
    blocks = _limited(_blocks(body, document, numbering, sources, limits.Counter("cells")))
    res = read_result(blocks, path, "docx", "utf-8")
    return document, res, DocxMap(res.raw, blocks, sources)
