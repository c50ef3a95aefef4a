"""Bytes to text: detect the encoding (never guess silently wrong) and normalise.

Normalisation is character-for-character (full-width digits, letters, parentheses, spaces and NBSP
folded to ASCII), after CRLF/CR are turned into LF, so a (line, column) in the normalised text is the
same (line, column) in the original file: the line map back to the source is the identity.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from pathlib import Path

from reviewer import limits
from reviewer.errors import InputError
from reviewer.lazyre import lazy

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
# Readers for richer formats register here (suffix -> callable(path, data) -> (text, encoding, format)).
READERS: dict[str, str] = {}

_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FOLD.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # NBSP
        0x2002: 0x20,
        0x2003: 0x20,
        0x2009: 0x20,
        0x200B: 0x20,  # zero-width space: keep the length, fold to a space
        0xFEFF: 0x20,  # a BOM inside the text
        0xFF08: ord("("),
        0xFF09: ord(")"),
        0xFF05: ord("%"),
        0xFF0E: ord("."),
        0xFF0B: ord("+"),
        0xFF0D: ord("-"),
        0xFF0F: ord("/"),
    }
)


_FOLD_STR = {chr(k): chr(v) for k, v in _FOLD.items()}
_FOLD_RX = lazy("[" + "".join(re.escape(ch) for ch in _FOLD_STR) + "]")


def normalize(raw: str) -> str:
    """Fold a decoded text (with LF newlines) character for character.

    (A regex substitution of the few folded characters is several times faster than str.translate
    with a mapping over a whole report of CJK text.)"""
    return _FOLD_RX.sub(lambda m: _FOLD_STR[m.group()], raw)


def _is_texty(ch: str) -> bool:
    o = ord(ch)
    return (
        32 <= o < 127
        or ch in "\t\n\r\f\v"
        or 0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation (“” — …)
        or o in (0xA0, 0xB7, 0xD7)
        or 0x3400 <= o <= 0x4DBF
    )


# The characters _is_texty rejects, as one class: counting them with a regex instead of a Python
# call per character takes the check from ~40% of a review's time to almost nothing.
_NOT_TEXTY = lazy(
    "[^\x20-\x7e\t\n\r\f\v\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\xa0\xb7\xd7\u3400-\u4dbf]"
)


def _plausible(text: str) -> bool:
    """A decoded report is mostly CJK, ASCII and common punctuation, with almost no control chars."""
    if not text:
        return False
    sample = text[:20000]
    odd = sum(1 for _ in _NOT_TEXTY.finditer(sample))  # == sum(not _is_texty(ch) for ch in sample)
    return odd <= max(2, len(sample) // 50)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Decode report bytes; return (text, encoding). Raise InputError when no encoding fits."""
    if not data.strip():
        raise InputError("文件为空")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc.replace("-sig", ""))
            except UnicodeDecodeError as e:
                raise InputError(f"文件以 {enc} 字节序标记开头，但内容无法按 {enc} 解码（第 {e.start} 字节）") from None
            return _checked(text, enc)
    # UTF-8 and GB18030 text never holds NUL bytes; UTF-16 without a BOM usually does (ASCII
    # digits and newlines), so NULs mean UTF-16 or binary.
    candidates = ["utf-16-le", "utf-16-be"] if b"\x00" in data else ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return _checked(text, enc)
    if b"\x00" in data:
        raise InputError("不是文本文件（含有二进制内容）")
    return _checked(*_detect(data))


def _detect(data: bytes) -> tuple[str, str]:
    """Last resort: ask charset-normalizer (imported only here: most files never need it)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not _plausible(str(best)):
        raise InputError("无法识别文件编码（不是 UTF-8、GB18030/GBK 或 UTF-16 文本）")
    return str(best), best.encoding


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if "\ufffd" in text:
        raise InputError(f"按 {encoding} 解码后出现替换字符（\ufffd），文件编码有误或已损坏")
    if not _plausible(text):
        raise InputError("不是文本文件（含有大量控制字符）")
    if not text.strip():
        raise InputError("文件为空")
    return text, encoding


def to_lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_file(path: str | Path) -> tuple[str, str]:
    """Read a text report: (raw text with LF newlines, encoding)."""
    text, enc = decode(read_bytes(path))
    limits.check_text(text)
    return to_lf(text), enc


STDIN = "<标准输入>"  # how `review -` names the report it reads from standard input


def read_stdin(stream=None) -> tuple[str, str]:
    """``review -``: a text report from standard input, within the same limits as a file."""
    import sys

    stream = stream if stream is not None else sys.stdin.buffer
    cap = limits.allowed("bytes")
    data = stream.read() if cap is None else stream.read(cap + 1)
    if cap is not None and len(data) > cap:
        raise limits.exceeded("bytes", len(data), at_least=True)
    text, enc = decode(data)
    limits.check_text(text)
    return to_lf(text), enc


_KINDS = (
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "特殊文件")


def read_bytes(path: str | Path) -> bytes:
    """A regular file's bytes, at most ``limits.bytes`` of them, or InputError with a one-line reason.

    Only regular files are read: a FIFO would block forever and a device (/dev/zero, also through
    a symlink) never ends, so both are refused before any read. The file is opened non-blocking
    (opening a FIFO cannot hang either) and checked again on the open descriptor."""
    p = os.fspath(path)
    try:
        st = os.stat(p)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("是目录，不是文件")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"不是普通文件（{_kind(st.st_mode)}），不予读取")
        limits.check("bytes", st.st_size)
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError("文件不存在") from None
    except PermissionError:
        raise InputError("没有读取权限") from None
    except OSError as e:
        if e.errno == errno.ENXIO:  # a socket
            raise InputError("不是普通文件（套接字），不予读取") from None
        raise InputError(f"无法读取：{e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # replaced between the two looks
            raise InputError(f"不是普通文件（{_kind(st.st_mode)}），不予读取")
        cap = limits.allowed("bytes")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if cap is not None and total > cap:  # grew while being read (or /proc-like sizes)
                raise limits.exceeded("bytes", total, at_least=True)
        return b"".join(chunks)
    except OSError as e:
        raise InputError(f"无法读取：{e.strerror or e}") from None
    finally:
        os.close(fd)


# --- which files may be read at all ----------------------------------------------------------------
def inside(path: str, root: str) -> bool:
    """Whether ``path`` lies in ``root`` once every symlink of both is resolved."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def default_root(path: str) -> str:
    """The root a file named on its own is confined to: the working directory when the name lies in
    it, else the folder the name is in."""
    full, cwd = os.path.abspath(path), os.path.abspath(os.getcwd())
    if full.startswith(cwd.rstrip(os.sep) + os.sep):
        return cwd
    return os.path.dirname(full)


def escapes(path: str, root: str | None = None) -> str | None:
    """Why ``path`` may not be read: a symlink (the file, or a folder on its way) whose target lies
    outside ``root`` (the folder or manifest folder given; by default ``default_root``). None when
    it may be read."""
    root = root if root is not None else default_root(path)
    if inside(path, root):
        return None
    return f"是指向所给目录（{root}）之外的符号链接，不予读取"
