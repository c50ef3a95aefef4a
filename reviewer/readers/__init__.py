"""Readers: a file on disk to (raw text, encoding, format, pre-parsed tables).

Plain text (.txt, .md) is read here. Readers for structured formats register in ``READERS`` by
suffix; a reader may return tables it read from a real table structure, which then take the place
of the text heuristics.
"""

from __future__ import annotations

from collections.abc import Callable
from schemas.plain import plain
from pathlib import Path

from reviewer.errors import InputError
from reviewer.ingest import read_bytes, read_text_file
from schemas.tables import Tables


@plain
class ReadResult:
    raw: str
    encoding: str
    format: str
    tables: Tables | None = None  # tables read from structure; None = parse from text
    notices: list[str] | None = None
    # paged formats (.pdf): (line, column, page) where each page begins in ``raw``, 1-based
    pages: list[tuple[int, int, int]] | None = None


Reader = Callable[[Path], ReadResult]  # structured readers' modules: read(path, data)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
READERS: dict[str, Reader] = {}
UNSUPPORTED = {
    ".doc": "旧版 Word（.doc）格式不受支持，请另存为 .docx 或 .txt 后再审核",
    ".wps": "WPS 格式不受支持，请另存为 .docx 或 .txt 后再审核",
    ".xls": "表格文件不受支持，请提供报告全文",
    ".xlsx": "表格文件不受支持，请提供报告全文",
    ".rtf": "RTF 格式不受支持，请另存为 .docx 或 .txt 后再审核",
    ".odt": "ODT 格式不受支持，请另存为 .docx 或 .txt 后再审核",
    ".ofd": "OFD 格式不受支持，请转换为 PDF、.docx 或 .txt 后再审核",
    ".et": "表格文件不受支持，请提供报告全文",
    ".csv": "表格文件不受支持，请提供报告全文",
    ".ppt": "演示文稿不受支持，请提供报告全文（.docx、.pdf 或 .txt）",
    ".pptx": "演示文稿不受支持，请提供报告全文（.docx、.pdf 或 .txt）",
    ".mht": "MHT 网页存档不受支持，请另存为 .html 或 .txt 后再审核",
    ".mhtml": "MHT 网页存档不受支持，请另存为 .html 或 .txt 后再审核",
    ".zip": "压缩包不受支持，请解压后审核其中的报告文件",
    ".rar": "压缩包不受支持，请解压后审核其中的报告文件",
    ".7z": "压缩包不受支持，请解压后审核其中的报告文件",
    ".jpg": "图片无法审核，请提供报告的文字版（.docx、.pdf 或 .txt）",
    ".jpeg": "图片无法审核，请提供报告的文字版（.docx、.pdf 或 .txt）",
    ".png": "图片无法审核，请提供报告的文字版（.docx、.pdf 或 .txt）",
    ".tif": "图片无法审核，请提供报告的文字版（.docx、.pdf 或 .txt）",
    ".tiff": "图片无法审核，请提供报告的文字版（.docx、.pdf 或 .txt）",
}


def _structured(module: str) -> Reader:
    """A reader whose module (and its library: python-docx, lxml, pdfplumber) loads on first use."""

    def reader(path: Path) -> ReadResult:
        import importlib

        data = read_bytes(path)  # a regular file within the size limit, or InputError
        return importlib.import_module(f"reviewer.readers.{module}").read(path, data)

    return reader


READERS.update(
    {
        ".docx": _structured("docx_reader"),
        ".html": _structured("html_reader"),
        ".htm": _structured("html_reader"),
        ".xhtml": _structured("html_reader"),
        ".pdf": _structured("pdf_reader"),
    }
)


def _read_text(path: Path) -> ReadResult:
    raw, enc = read_text_file(path)
    return ReadResult(raw=raw, encoding=enc, format=path.suffix.lstrip(".").lower() or "txt")


def page_of(pages: list[tuple[int, int, int]], line: int, column: int) -> int | None:
    """The page a (line, column) of a paged input's text stands on."""
    found = None
    for ln, col, page in pages:
        if (ln, col) > (line, column):
            break
        found = page
    return found


def read(path: str | Path) -> ReadResult:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in READERS:
        return READERS[suffix](p)
    if suffix in UNSUPPORTED:
        raise InputError(UNSUPPORTED[suffix])
    return _read_text(p)  # .txt, .md and anything else that decodes as a text report
