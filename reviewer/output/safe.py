"""Text from reports and file names, made safe for a terminal and for spreadsheets.

A file name or a report may hold ANSI/OSC escape sequences (ESC, the C1 CSI U+009B), BEL, or
Unicode bidi overrides: printed raw they recolour or clear the terminal, set its title, or make a
line read differently from what it says. ``terminal`` writes every such character as a visible
escape (``\\x1b``, ``\\x9b``, ``\\u202e``). ``cell`` neutralises a spreadsheet cell (CSV and xlsx
alike): control characters dropped, and text that Excel or LibreOffice would read as a formula
(leading ``= + - @``, TAB or CR) prefixed with ``'``.
"""

from __future__ import annotations

import re
from typing import Any

from reviewer.lazyre import lazy

# C0 (but TAB and LF, which the line formats use), DEL, C1, and the bidi embeddings/overrides/isolates.
_CONTROLS = lazy("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_ALL = lazy("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # TAB kept


def _visible(m: re.Match[str]) -> str:
    o = ord(m.group())
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def terminal(text: str, *, one_line: bool = False) -> str:
    """``text`` with control characters written as escapes (also LF and CR when ``one_line``)."""
    return (_CONTROLS_ALL if one_line else _CONTROLS).sub(_visible, text)


def json_text(text: str) -> str:
    """A JSON document with the characters JSON leaves raw (C1, bidi) written as \\u escapes: still
    the same JSON, harmless when printed."""
    return re.sub("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}", text)


_CELL_CONTROLS = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A spreadsheet cell's value: text stripped of control characters (openpyxl refuses them, and
    they have no place in a table) and never a formula; numbers unchanged."""
    if not isinstance(value, str):
        return value
    text = _CELL_CONTROLS.sub("", value)
    if text.startswith(_FORMULA):
        text = "'" + text
    return text
