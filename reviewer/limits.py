"""Limits on what one input may cost: its size and everything it can expand into (README "Limits").

A report is a few dozen kilobytes of text, a few hundred paragraphs and table cells, a few dozen
PDF pages; a crafted file can be a zip bomb, a table whose spans cover a billion slots, a PDF stream
that inflates to gigabytes. Each limit is checked before the work it bounds, and an input beyond one
is an input error for that file (one Chinese line, exit 2) naming the limit and the option that
raises it (``--limit NAME=N``; 0 = no limit).

The limits in force are process-wide (``configure``): the command line sets them once, batch worker
processes receive them with the batch's spec.
"""

from __future__ import annotations

import re
from schemas.plain import fields, plain, replace

from reviewer.errors import InputError, UsageError
from reviewer.lazyre import lazy

MB = 1 << 20


@plain(frozen=True)
class Limits:
    bytes: int = 50 * MB  # the input file
    chars: int = 1_000_000  # characters of the text read from it
    lines: int = 100_000  # lines of that text
    paragraphs: int = 50_000  # paragraphs (blocks) of a .docx, .html or .pdf
    cells: int = 100_000  # table slots after span expansion, over the whole document
    pages: int = 500  # PDF pages
    glyphs: int = 30_000  # characters on one PDF page
    rulings: int = 3_000  # ruling objects (lines, rectangles, curves) on one PDF page
    crossings: int = 2_000  # crossings of horizontal and vertical rulings on one PDF page
    unzipped: int = 100 * MB  # decompressed size of any part of a .docx (a zip)
    inflated: int = 100 * MB  # decompressed size of a PDF's streams (any one, and all together)


DEFAULT = Limits()
NAMES = fields(Limits)
# What each limit counts, for the messages (Chinese) and `--help`.
WHAT = {
    "bytes": ("文件大小", "字节"),
    "chars": ("文本字符数", "个"),
    "lines": ("文本行数", "行"),
    "paragraphs": ("段落数", "个"),
    "cells": ("表格单元格数（展开合并单元格后）", "个"),
    "pages": ("PDF 页数", "页"),
    "glyphs": ("PDF 单页的字符数", "个"),
    "rulings": ("PDF 单页的表格线条数", "条"),
    "crossings": ("PDF 单页表格线条的交叉点数", "个"),
    "unzipped": ("压缩包内单个部件解压后的大小", "字节"),
    "inflated": ("PDF 数据流解压后的总大小", "字节"),
}

_current = DEFAULT


class LimitError(InputError):
    """The input exceeds a limit. Not cached by the batch: a rerun with a higher limit reviews it."""


def current() -> Limits:
    return _current


def configure(limits: Limits) -> None:
    global _current
    _current = limits


def exceeded(name: str, value: int, where: str = "", *, at_least: bool = False) -> LimitError:
    what, unit = WHAT[name]
    limit = getattr(_current, name)
    return LimitError(
        f"{where}{what}超过上限：{'至少' if at_least else ''}{value:,}{unit}，上限{limit:,}{unit}（可疑或过大的文件；"
        f"确需审核时可用 --limit {name}=N 放宽）"
    )


def check(name: str, value: int, where: str = "") -> None:
    """Raise LimitError when ``value`` exceeds the limit ``name`` (0 = unlimited)."""
    limit = getattr(_current, name)
    if limit and value > limit:
        raise exceeded(name, value, where)


def allowed(name: str) -> int | None:
    """The limit ``name``, or None when it is switched off."""
    return getattr(_current, name) or None


def check_text(raw: str) -> None:
    """The characters and lines of a text read from an input."""
    check("chars", len(raw))
    limit = _current.lines
    if limit and len(raw) > limit:  # fewer characters than the limit cannot hold more lines
        n = raw.count("\n") + 1
        if n > limit:
            raise exceeded("lines", n)


class Counter:
    """A running count checked against a limit (table cells over a whole document)."""

    def __init__(self, name: str) -> None:
        self.name, self.n = name, 0

    def add(self, k: int) -> None:
        self.n += k
        limit = getattr(_current, self.name)
        if limit and self.n > limit:
            raise exceeded(self.name, self.n, at_least=True)


_SIZE = lazy(r"^\s*(\d+)\s*([kmg]?)b?\s*$", re.I)


def parse(specs: tuple[str, ...] | list[str], base: Limits = DEFAULT) -> Limits:
    """``NAME=N`` settings (``bytes=200M``; k/m/g suffixes; 0 = no limit) over ``base``."""
    changes: dict[str, int] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        name = name.strip().lower()
        if not sep or name not in NAMES:
            raise UsageError(f"--limit 应写作 名称=数值，名称为 {'、'.join(NAMES)} 之一，而不是“{spec}”")
        m = _SIZE.match(value)
        if not m:
            raise UsageError(f"--limit {name} 的值应为非负整数（可带 k/m/g 后缀），而不是“{value}”")
        changes[name] = int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]
    return replace(base, **changes)


def describe() -> str:
    """The limits and their defaults, for --help ("bytes=50m、chars=1000000、…")."""

    def shown(n: int) -> str:
        return f"{n >> 20}m" if n >= MB and n % MB == 0 else str(n)

    return "、".join(f"{n}={shown(getattr(DEFAULT, n))}" for n in NAMES)
