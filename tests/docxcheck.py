"""Reading an annotated .docx back, as a drafter's Word would: which text each comment is anchored on,
and the draft's XML with the comments taken out (to check that nothing else changed)."""

from __future__ import annotations

import zipfile
from collections import defaultdict
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CONTENT = {W + "t": None, W + "tab": "\t", W + "ptab": "\t", W + "cr": "\n", W + "noBreakHyphen": "-"}


def anchored_texts(path: Path) -> dict[str, list[str]]:
    """Comment text -> the texts its comments are anchored on (what Word highlights), read with
    python-docx: the runs between w:commentRangeStart and w:commentRangeEnd, deletions excluded."""
    import docx

    document = docx.Document(str(path))
    active: set[str] = set()
    anchored: dict[str, str] = defaultdict(str)
    for el in document.element.body.iter():
        if el.tag == W + "commentRangeStart":
            active.add(el.get(W + "id"))
            anchored[el.get(W + "id")] += ""
        elif el.tag == W + "commentRangeEnd":
            active.discard(el.get(W + "id"))
        elif el.tag in CONTENT and el.getparent().tag == W + "r":
            if any(a.tag in (W + "del", W + "moveFrom") for a in el.iterancestors()):
                continue
            piece = el.text or "" if CONTENT[el.tag] is None else CONTENT[el.tag]
            for cid in active:
                anchored[cid] += piece
        elif el.tag == W + "br" and el.getparent().tag == W + "r" and el.get(W + "type", "textWrapping") == "textWrapping":
            for cid in active:
                anchored[cid] += "\n"
    out: dict[str, list[str]] = defaultdict(list)
    for c in document.comments:
        out[c.text].append(anchored.get(str(c.comment_id), None))
    return out


def comment_authors(path: Path) -> set[str]:
    import docx

    return {c.author for c in docx.Document(str(path)).comments}


# --- "unchanged": everything but the comments ------------------------------------------------
def _parser():
    from docx.oxml.parser import oxml_parser

    return oxml_parser


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.endswith("/")}  # folder entries are no parts


def canonical(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data, _parser()), method="c14n")


def without_comments(data: bytes) -> bytes:
    """document.xml with comment markers and reference runs removed and adjacent runs of identical
    properties merged (w:t texts joined): the splits made to anchor comments disappear, and an
    original with such runs is normalised the same way."""
    root = etree.fromstring(data, _parser())
    for el in list(root.iter(W + "commentRangeStart", W + "commentRangeEnd")):
        el.getparent().remove(el)
    for ref in list(root.iter(W + "commentReference")):
        run = ref.getparent()
        run.getparent().remove(run)
    for parent in list(root.iter()):
        prev = None
        for child in list(parent):
            if child.tag != W + "r":
                prev = None
                continue
            if prev is not None and _props(prev) == _props(child):
                for c in [c for c in child if c.tag != W + "rPr"]:
                    prev.append(c)
                parent.remove(child)
            else:
                prev = child
    for run in root.iter(W + "r"):
        last = None
        for c in list(run):
            if c.tag == W + "t" and last is not None and last.tag == W + "t":
                last.text = (last.text or "") + (c.text or "")
                run.remove(c)
            else:
                last = c
        for t in run.iter(W + "t"):
            t.attrib.pop(XML_SPACE, None)
    return etree.tostring(root, method="c14n")


def _props(run) -> tuple:
    rpr = run.find(W + "rPr")
    return tuple(sorted(run.attrib.items())), etree.tostring(rpr, method="c14n") if rpr is not None else b""


def content_types(data: bytes, names: set[str]) -> dict[str, str]:
    root = etree.fromstring(data)
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in root.iter(ns + "Default")}
    overrides = {o.get("PartName"): o.get("ContentType") for o in root.iter(ns + "Override")}
    out = {}
    for n in names:
        if n == "[Content_Types].xml" or n.endswith("/"):
            continue
        out[n] = overrides.get("/" + n) or defaults.get(n.rsplit(".", 1)[-1].lower())
    return out


def relationships(data: bytes) -> set[tuple]:
    root = etree.fromstring(data)
    return {(r.get("Id"), r.get("Type"), r.get("Target"), r.get("TargetMode")) for r in root}
