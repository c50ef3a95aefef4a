""".pdf: text and tables per page, read with pdfplumber (MIT; pdfminer.six underneath).

Per page: ruled tables become grids (pdfplumber's table finder; a "table" that is only a framed
text box stays text); the text outside them becomes lines, rebuilt into paragraphs — a line that
runs to the right margin continues into the next unindented line, also across a page break — and
page numbers ("- 3 -", "第3页") are dropped. Spaces the extraction puts next to CJK characters
("2024 年") are removed.

A page with no text layer (a scan) or whose text extracts as ``(cid:N)`` codes or mojibake (a font
without a Unicode map) is not machine-readable: it becomes a ``[不可机读: …]`` line and a notice, so
the tables on it are reported as unverifiable (T101) and the sections on it are not reported
missing. A file in which no page is readable cannot be reviewed at all (exit 2).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from reviewer import limits
from reviewer.errors import InputError
from reviewer.readers import ReadResult, pdf_guard
from reviewer.readers.assemble import WIDE, Block, Para, drop_wide_spaces, read_result
from reviewer.tables.grid import Grid, GridCell

_CID = re.compile(r"\(cid:\d+\)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters a Chinese report hardly contains but mojibake is made of (Latin-1 letters, ligatures,
# symbols from a wrong code page).
_MOJIBAKE = re.compile(r"[\u0080-\u024f\u02b0-\u02ff\u0370-\u03ff\u2020-\u2022\u2030-\u203a\u2044\ufb00-\ufb06\uf8ff]")
_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$|^\d{1,4}\s*/\s*\d{1,4}$"
)
_FIGURES = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:\s+\d+(?:\.\d+)?){2,}(?![\d.])")  # three figures in a row
_SPACE_CJK_CJK = re.compile(rf"(?<=[{WIDE}])[ \t]+(?=[{WIDE}])")
_ORDINAL_START = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.]|[(（]\s*[一二三四五六七八九十]+\s*[)）]|\d{1,2}\s*[、.](?!\d))")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    page: int


@dataclass
class _Page:
    number: int
    items: list[tuple[float, _Line | Grid]] = field(default_factory=list)
    left: float = 0.0
    right: float = 0.0
    problem: str = ""  # "scan" | "garbled"
    cids: int = 0


def read(path: Path, data: bytes) -> ReadResult:
    pages = _read_pages(data)
    readable = [p for p in pages if not p.problem and p.items]
    bad = [p for p in pages if p.problem]
    if not readable:
        what = "没有文字层（扫描件）" if all(p.problem == "scan" for p in bad) else "没有可识别的文字（扫描件或字体编码损坏）"
        raise InputError(f"PDF 不可机读：全部{len(pages)}页都{what}，无法审核；请提供带文字层的 PDF，或 .docx/.txt 文本")
    notices = [_notice(p) for p in pages if p.problem or p.cids]
    return read_result(_blocks(pages), path, "pdf", "pdf", notices=notices, paged=True)


def _notice(p: _Page) -> str:
    if p.problem == "scan":
        return f"第{p.number}页没有文字层（可能是扫描图片），不可机读，该页内容未审核"
    if p.problem == "garbled":
        return f"第{p.number}页的文字提取为乱码（字体缺少编码映射，出现(cid:N)等字符），不可机读，该页内容未审核"
    return f"第{p.number}页有{p.cids}处字符无法识别（(cid:N)），相关内容可能不完整"


def _placeholder(p: _Page) -> str:
    why = "没有文字层（可能是扫描图片）" if p.problem == "scan" else "的文字无法识别（字体编码损坏）"
    return f"[不可机读: 第{p.number}页{why}]"


def _read_pages(data: bytes) -> list[_Page]:
    import pdfplumber

    pdf_guard.install()
    pdf_guard.start_document()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except pdf_guard.Exceeded as e:
        raise limits.exceeded(e.name, e.value, at_least=not e.exact) from None
    except Exception as e:  # noqa: BLE001 - pdfminer raises many types for corrupt or encrypted files
        raise InputError(f"不是有效的 PDF 文件（{_why(data, e)}）") from None
    out: list[_Page] = []
    with pdf:
        try:
            _count_pages(pdf)
            pages = pdf.pages
            for i, page in enumerate(pages):
                pdf_guard.start_page()
                out.append(_page(page, i + 1))
                page.close()  # pdfplumber keeps every page's objects until the file is closed
        except InputError:
            raise
        except pdf_guard.Exceeded as e:
            raise limits.exceeded(e.name, e.value, f"PDF 第{len(out) + 1}页：", at_least=not e.exact) from None
        except Exception as e:  # noqa: BLE001
            raise InputError(f"无法读取 PDF 第{len(out) + 1}页（{type(e).__name__}），文件可能已损坏") from None
    if not out:
        raise InputError("PDF 中没有页面")
    return out


def _count_pages(pdf) -> None:
    """The page limit, checked walking the page tree lazily: pdfplumber's ``pages`` builds an
    object per page first, which for a file of a million tiny pages is the problem itself."""
    import itertools

    from pdfminer.pdfpage import PDFPage

    cap = limits.allowed("pages")
    if cap is not None:
        n = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), cap + 1))
        if n > cap:
            raise limits.exceeded("pages", n, at_least=True)


def _why(data: bytes, e: Exception) -> str:
    name = type(e).__name__
    if "Password" in name or "Encrypt" in name:
        return "文件已加密，请提供未加密的版本"
    return "文件已损坏" if data[:5].startswith(b"%PDF") else "文件内容不是 PDF"


def _page(page, number: int) -> _Page:
    p = _Page(number)
    text = page.extract_text() or ""
    if not text.strip():
        if page.images or page.rects or page.curves:
            p.problem = "scan"
        return p
    cids = len(_CID.findall(text))
    odd = len(_MOJIBAKE.findall(_CID.sub("", text)))
    cjk = len(_CJK.findall(text))
    if cids + odd >= 10 and cids + odd > cjk * 0.25:
        p.problem = "garbled"
        return p
    p.cids = cids
    cores = [c for c in (_core(t) for t in page.find_tables()) if c is not None]
    boxes = [box for box, _ in cores]

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    lines = [
        _Line(_clean(ln["text"]), ln["x0"], ln["x1"], ln["top"], _size(ln), number)
        for ln in page.filter(outside).extract_text_lines()
    ]
    lines = [ln for ln in lines if ln.text.strip()]
    while lines and _PAGE_NUMBER.match(lines[-1].text.strip()):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0].text.strip()):
        lines.pop(0)
    if lines:
        p.left = min(ln.x0 for ln in lines)
        p.right = max(ln.x1 for ln in lines)
    p.items = sorted([(ln.top, ln) for ln in lines] + [(box[1], g) for box, g in cores], key=lambda it: it[0])
    for _, g in cores:
        g.page = number
    return p


def _clean(text: str) -> str:
    """Drop the spaces extraction put next to CJK ("2024 年" -> "2024年") — but in a line of figures
    (a table row without ruling lines) keep those beside digits, so a value is not glued to a label
    written down the margin ("31 年")."""
    if _FIGURES.search(text):
        return _SPACE_CJK_CJK.sub("", text)
    return drop_wide_spaces(text)


def _size(line: dict) -> float:
    chars = line.get("chars") or []
    return float(chars[0]["size"]) if chars else 12.0


def _core(table) -> tuple[tuple[float, float, float, float], Grid] | None:
    """The table's rows from the first to the last with two or more cells (a framed text box around
    prose, or captions merged into the frame, stay text), as a grid."""
    rows = table.rows
    multi = [i for i, row in enumerate(rows) if sum(c is not None for c in row.cells) >= 2]
    if not multi:
        return None
    first, last = multi[0], multi[-1]
    texts = table.extract()
    cols = _column_centres(table)
    index: dict[tuple, int] = {}
    grid = Grid()
    for i in range(first, last + 1):
        row = rows[i]
        y = (row.bbox[1] + row.bbox[3]) / 2
        slots: list[int | None] = []
        for j, box in enumerate(row.cells):
            if box is None:
                cover = next((b for b in table.cells if b[0] <= cols[j] <= b[2] and b[1] <= y <= b[3]), None)
                slots.append(index.get(cover) if cover is not None else None)
                continue
            if box not in index:
                index[box] = len(grid.cells)
                grid.cells.append(GridCell(text=drop_wide_spaces(texts[i][j] or ""), row=i - first, col=j))
            slots.append(index[box])
        grid.slots.append(slots)
    top = rows[first].bbox[1]
    bottom = rows[last].bbox[3]
    return (table.bbox[0], top, table.bbox[2], bottom), grid


def _column_centres(table) -> list[float]:
    """The x centre of each grid column. pdfplumber's column boxes are widened by merged cells, so a
    column runs from its leftmost cell edge to the next column's."""
    n = len(table.rows[0].cells) if table.rows else 0
    lefts = [min((row.cells[j][0] for row in table.rows if row.cells[j] is not None), default=None) for j in range(n)]
    edges = [x if x is not None else table.bbox[0] for x in lefts] + [table.bbox[2]]
    return [(edges[j] + edges[j + 1]) / 2 for j in range(n)]


def _blocks(pages: list[_Page]) -> list[Block]:
    """Lines to paragraphs, grids in between, a placeholder for each unreadable page."""
    out: list[Block] = []
    para: Para | None = None
    prev: _Line | None = None
    by_number = {p.number: p for p in pages}
    for p in pages:
        if p.problem:
            out.append(Para(_placeholder(p), page=p.number))
            para, prev = None, None
            continue
        for _, item in p.items:
            if isinstance(item, Grid):
                out.append(item)
                para, prev = None, None
                continue
            if para is not None and prev is not None and _continues(prev, item, by_number):
                if item.page != prev.page:
                    para.breaks.append((len(para.text), item.page))
                para.text += item.text.strip()
            else:
                para = Para(item.text.strip(), page=item.page)
                out.append(para)
            prev = item
    return out


def _continues(prev: _Line, line: _Line, pages: dict[int, _Page]) -> bool:
    """Whether ``line`` continues the paragraph ``prev`` ends: prev runs to the right margin, line
    starts at the left margin (not indented) and does not open a numbered item."""
    pp, lp = pages[prev.page], pages[line.page]
    full = prev.x1 >= pp.right - 2 * prev.size
    flush_left = line.x0 <= lp.left + 0.5 * line.size
    return full and flush_left and not _ORDINAL_START.match(line.text.strip())
