"""Word automatic numbering rendered as text ("一、", "（一）", "1."), for .docx paragraphs.

A heading numbered by a numbering definition has no "一、" in its text; without it the section
headings of many drafts would not be found. Covers the formats reports use (decimal, Chinese
counting, letters, roman, circled digits); bullets and unknown formats render as nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_NUMBERING, RT_STYLES = _RELS + "numbering", _RELS + "styles"
_DIGITS = "〇一二三四五六七八九"


def chinese(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letter(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(d) + 0xFEE0) for d in str(n)),
    "decimalHalfWidth": str,
    "chineseCounting": chinese,
    "chineseCountingThousand": chinese,
    "chineseLegalSimplified": chinese,
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "ideographDigital": lambda n: "".join(_DIGITS[int(d)] for d in str(n)),
    "upperLetter": _letter,
    "lowerLetter": lambda n: _letter(n).lower(),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: f"({n})",
}


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = ""
    start: int = 1


@dataclass
class Numbering:
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> level
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> (numId, ilvl)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> Numbering:
        out = cls()
        try:  # part_related_by, not numbering_part: reading must not add a part to the document
            root = document.part.part_related_by(RT_NUMBERING).element
        except (KeyError, NotImplementedError, AttributeError):
            return out
        abstract = {a.get(W + "abstractNumId"): a for a in root.iter(W + "abstractNum")}
        for num in root.iter(W + "num"):
            aid = num.find(W + "abstractNumId")
            a = abstract.get(aid.get(W + "val")) if aid is not None else None
            if a is None:
                continue
            levels = {int(lvl.get(W + "ilvl", "0")): _level(lvl) for lvl in a.iter(W + "lvl")}
            for ov in num.iter(W + "lvlOverride"):
                start = ov.find(W + "startOverride")
                ilvl = int(ov.get(W + "ilvl", "0"))
                if start is not None and ilvl in levels:
                    levels[ilvl].start = int(start.get(W + "val", "1"))
            out.levels[num.get(W + "numId")] = levels
        out._styles(document)
        return out

    def _styles(self, document) -> None:
        try:
            styles = document.part.part_related_by(RT_STYLES).element
        except (KeyError, AttributeError):
            return
        based: dict[str, str] = {}
        own: dict[str, tuple[str, int]] = {}
        for st in styles.iter(W + "style"):
            sid = st.get(W + "styleId")
            b = st.find(W + "basedOn")
            if b is not None:
                based[sid] = b.get(W + "val")
            ref = _num_pr(st.find(W + "pPr"))
            if ref:
                own[sid] = ref
        for sid in list(based) + list(own):
            seen, cur = set(), sid
            while cur and cur not in own and cur not in seen:
                seen.add(cur)
                cur = based.get(cur)
            if cur in own:
                self.style_num[sid] = own[cur]

    def prefix(self, p) -> str:
        """The number Word shows before paragraph p (an lxml w:p), advancing the counters."""
        ppr = p.find(W + "pPr")
        ref = _num_pr(ppr)
        if ref is None and ppr is not None:
            style = ppr.find(W + "pStyle")
            ref = self.style_num.get(style.get(W + "val")) if style is not None else None
        if ref is None or ref[0] in ("0", None) or ref[0] not in self.levels:
            return ""
        num_id, ilvl = ref
        levels = self.levels[num_id]
        level = levels.get(ilvl)
        if level is None:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 10)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else level.start
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        if level.fmt in ("bullet", "none") or level.fmt not in FORMATS:
            return ""

        def fill(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            lv = levels.get(i, _Level())
            n = counts[i] or lv.start
            return FORMATS.get(lv.fmt if i != ilvl else level.fmt, str)(n)

        return re.sub(r"%(\d)", fill, level.text)


def _level(lvl) -> _Level:
    def val(tag: str, default: str) -> str:
        el = lvl.find(W + tag)
        return el.get(W + "val", default) if el is not None else default

    return _Level(fmt=val("numFmt", "decimal"), text=val("lvlText", ""), start=int(val("start", "1")))


def _num_pr(ppr) -> tuple[str, int] | None:
    if ppr is None:
        return None
    npr = ppr.find(W + "numPr")
    if npr is None:
        return None
    nid = npr.find(W + "numId")
    ilvl = npr.find(W + "ilvl")
    if nid is None:
        return None
    return nid.get(W + "val"), int(ilvl.get(W + "val", "0")) if ilvl is not None else 0
