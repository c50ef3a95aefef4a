"""Readers: a file on disk to (raw text, encoding, format, pre-parsed tables).

Plain text (.txt, .md) is read here. Readers for structured formats register in ``READERS`` by
suffix; a reader may return tables it read from a real table structure, which then take the place
of the text heuristics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reviewer.errors import InputError
from reviewer.ingest import read_text_file
from schemas.tables import Tables


@dataclass
class ReadResult:
    raw: str
    encoding: str
    format: str
    tables: Tables | None = None  # tables read from structure; None = parse from text
    notices: list[str] | None = None


Reader = Callable[[Path], ReadResult]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
READERS: dict[str, Reader] = {}
UNSUPPORTED = {
    ".doc": "旧版 Word（.doc）格式不受支持，请另存为 .docx 或 .txt 后再审核",
    ".wps": "WPS 格式不受支持，请另存为 .docx 或 .txt 后再审核",
    ".xls": "表格文件不受支持，请提供报告全文",
    ".xlsx": "表格文件不受支持，请提供报告全文",
    ".rtf": "RTF 格式不受支持，请另存为 .docx 或 .txt 后再审核",
}


def _read_text(path: Path) -> ReadResult:
    raw, enc = read_text_file(path)
    return ReadResult(raw=raw, encoding=enc, format=path.suffix.lstrip(".").lower() or "txt")


def read(path: str | Path) -> ReadResult:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in READERS:
        return READERS[suffix](p)
    if suffix in UNSUPPORTED:
        raise InputError(UNSUPPORTED[suffix])
    return _read_text(p)  # .txt, .md and anything else that decodes as a text report
