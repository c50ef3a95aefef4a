""".html / .htm: the article body as paragraphs, and <table>s as grids, read with lxml.

Encoding: a BOM, else the page's own declaration (<meta charset>, http-equiv Content-Type), else
the text decoder's detection (UTF-8, GB18030, charset-normalizer). GB2312 and GBK pages are decoded
as GB18030, their superset. Navigation chrome (nav, header, footer, aside, menus, breadcrumbs,
share bars and link lists) is dropped; layout tables (a table holding tables) are unwrapped, so
only data tables become grids; rowspan and colspan are expanded.
"""

from __future__ import annotations

import re
from pathlib import Path

from reviewer import limits
from reviewer.errors import InputError
from reviewer.ingest import decode, to_lf
from reviewer.readers import ReadResult
from reviewer.readers.assemble import WIDE, Block, Para, image_mark, join_lines, read_result
from reviewer.tables.grid import Grid

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "utf8": "utf-8"}
_DROP = {"nav", "header", "footer", "aside", "form", "map"}
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|header|head|top|topbar|footer|foot|bottom|breadcrumbs?|crumbs?|"
    r"position|location|sidebar|side|share|toolbar|tools|copyright|banner|login|search|related|"
    r"pager|print)(?:$|[\s_-])",
    re.I,
)
_CJK_BREAK = re.compile(rf"(?<=[{WIDE}])[ \t\r]*\n\s*(?=[{WIDE}])")
_ALWAYS_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "button", "select",
                "input", "textarea"}
_REPORT = re.compile(r"政府信息公开(?:工作)?年度报告|政府信息公开年报|[一二三四五六]\s*[、.]\s*(?:总体情况|主动公开|收到和处理)")
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
          "article", "main", "blockquote", "pre", "center", "address", "figure", "figcaption", "body",
          "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "hr"}


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page by its BOM, its declared charset, or detection."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    m = _META.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        enc = _ALIASES.get(declared, declared)
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: fall back to detection
    return decode(data)


def read_blocks(data: bytes) -> tuple[list[Block], str]:
    import lxml.html
    from lxml import etree

    text, encoding = decode_html(data)
    limits.check("chars", len(text))
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", to_lf(text))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise InputError(f"无法解析 HTML（{e}）") from None
    body = root.find("body")
    if body is None:
        body = root
    _strip_chrome(body)
    out: list[Block] = []
    _walk(body, out, ["", ""], limits.Counter("cells"))  # [text of the current block, a standalone image in it]
    blocks = [b for b in out if not isinstance(b, Para) or b.text]
    limits.check("paragraphs", len(blocks))
    if not blocks:
        raise InputError("网页中没有正文内容")
    return blocks, encoding


def _strip_chrome(body) -> None:
    for el in list(body.iter()):
        if not isinstance(el.tag, str):  # comments, processing instructions
            if el.getparent() is not None:
                el.drop_tree()
            continue
        tag = el.tag.lower()
        if tag in _ALWAYS_DROP:
            chrome = True
        else:
            marks = " ".join(filter(None, (el.get("id"), el.get("class"))))
            chrome = (
                tag in _DROP
                or bool(marks and _CHROME.search(marks))
                or el.get("role") in ("navigation", "banner", "contentinfo")
                or (tag in ("ul", "ol", "div") and _link_list(el))
            ) and not _holds_report(el)
        if chrome and el.getparent() is not None:
            el.drop_tree()


def _holds_report(el) -> bool:
    """An article header (<header> around the title, a "detail-head" div) is not chrome: keep a
    block whose own text — outside links — has the report's title or a section heading."""
    return bool(_REPORT.search("".join(el.xpath(".//text()[not(ancestor::a)]"))))


def _link_list(el) -> bool:
    """A block that is mostly links (a menu, a list of related articles)."""
    text = _norm(el.text_content())
    if not text or len(text) > 400:
        return False
    linked = sum(len(_norm(a.text_content())) for a in el.iter("a"))
    return linked / len(text) > 0.6 and len(list(el.iter("a"))) >= 3


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _walk(el, out: list[Block], buf: list[str], cells: limits.Counter) -> None:
    """Append paragraphs (inline text between block boundaries) and grids, in document order."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag == "table" and el.find(".//table") is None:
        _flush(out, buf)
        grid = _grid(el, cells)
        if grid.slots:
            out.append(grid)
        _tail(el, out, buf)
        return
    block = tag in _BLOCK
    if block:
        _flush(out, buf)
    if tag == "br":
        _flush(out, buf)
    elif tag == "img" and not buf[1]:
        buf[1] = (el.get("alt") or el.get("title") or (el.get("src") or "").rsplit("/", 1)[-1] or "图片").strip()[:40]
    if el.text and isinstance(el.tag, str):
        buf[0] += el.text
    for child in el:
        _walk(child, out, buf, cells)
    if block:
        _flush(out, buf)
    _tail(el, out, buf)


def _tail(el, out: list[Block], buf: list[str]) -> None:
    if el.tail:
        buf[0] += el.tail


def _flush(out: list[Block], buf: list[str]) -> None:
    # a line break in the source between CJK characters is not a space (CSS segment-break rules)
    text = _norm(_CJK_BREAK.sub("", buf[0]).replace("\xa0", " ").replace("\u3000", " "))
    if text:
        out.append(Para(text))
    elif buf[1]:
        out.append(Para(image_mark(buf[1])))  # an image standing alone: a table published as a picture?
    buf[0] = buf[1] = ""


def _grid(table, cells: limits.Counter) -> Grid:
    """Rows of a data table with rowspan/colspan expanded (a slot taken by a span moves the cell right).

    Spans are clamped to the table's real size: a rowspan to the rows left in the table, a colspan
    to the most cells a row has; every slot counts against the document's cell limit, checked
    before it is taken."""
    rows = [[td for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")] for tr in table.iter("tr")]
    width = max((len(tds) for tds in rows), default=1)
    spans = []
    taken: set[tuple[int, int]] = set()
    for r, tds in enumerate(rows):  # a leaf table: every row is its own
        c = 0
        for td in tds:
            while (r, c) in taken:
                c += 1
            rowspan = min(_span(td.get("rowspan")), len(rows) - r)
            colspan = min(_span(td.get("colspan")), width)
            cells.add(rowspan * colspan)
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    taken.add((rr, cc))
            spans.append((r, c, rowspan, colspan, _cell_text(td)))
            c += colspan
    return Grid.from_spans(spans)


def _span(v: str | None) -> int:
    try:
        return max(1, min(int((v or "1").strip()[:6] or 1), 1000))  # HTML caps colspan at 1000
    except ValueError:
        return 1


def _cell_text(td) -> str:
    """A cell's text with its block boundaries as line breaks (joined later like any cell)."""
    parts: list[Block] = []
    buf = ["", ""]
    _walk_inline(td, parts, buf)
    _flush(parts, buf)
    return join_lines("\n".join(p.text for p in parts if isinstance(p, Para)))


def _walk_inline(el, out: list[Block], buf: list[str]) -> None:
    if el.text:
        buf[0] += el.text
    for child in el:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag in _BLOCK or tag == "br":
            _flush(out, buf)
        _walk_inline(child, out, buf)
        if tag in _BLOCK:
            _flush(out, buf)
        if child.tail:
            buf[0] += child.tail


def read(path: Path, data: bytes) -> ReadResult:
    blocks, encoding = read_blocks(data)
    return read_result(blocks, path, "html", encoding)
