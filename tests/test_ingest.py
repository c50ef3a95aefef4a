"""Encodings and normalisation: detected, never guessed silently wrong; line:col kept."""

from __future__ import annotations

import codecs

import pytest

from reviewer.document import build_document
from reviewer.engine import Engine
from reviewer.errors import InputError
from reviewer.ingest import decode, normalize, to_lf
from tests.conftest import base_text, sample

TEXT = "临川市生态环境局2023年政府信息公开工作年度报告\n一、总体情况\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str) -> None:
    text, enc = decode(data)
    assert text == TEXT
    assert enc == encoding


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "为空"),
        (b"   \n\t ", "为空"),
        (bytes(range(256)) * 4, "不是文本"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "不是文本"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "无法按"),
    ],
)
def test_undecodable_input_is_an_error(data: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        decode(data)


def test_replacement_characters_are_an_error() -> None:
    with pytest.raises(InputError, match="替换字符"):
        decode("报告\ufffd内容".encode())


def test_normalisation_is_char_for_char() -> None:
    raw = "２０２３年（一）　ＡＢ\u00a0１２％"
    norm = normalize(raw)
    assert norm == "2023年(一) AB 12%"
    assert len(norm) == len(raw)


def test_crlf_and_full_width_digits_keep_line_and_column() -> None:
    text = base_text("clean_department_2023")
    # Full-width digits in one table row, CRLF line ends throughout.
    mutated = text.replace("行政强制\t2", "行政强制\t２.５").replace("\n", "\r\n")
    raw = to_lf(decode(mutated.encode("gb18030"))[0])
    result = Engine().review_text(raw, "x.txt")
    t104 = [f for f in result.findings if f.code == "T104"]
    assert [(f.line, f.column) for f in t104] == [(41, 6)]
    assert "２.５" in t104[0].message  # evidence quotes the original characters


def test_same_findings_in_every_encoding() -> None:
    raw = sample("002").read_text(encoding="utf-8")
    engine = Engine()
    ref = [(f.code, f.line, f.column, f.message) for f in engine.review_text(raw, "a").findings]
    for enc in ("gb18030", "utf-16"):
        text, _ = decode(raw.encode(enc))
        got = [(f.code, f.line, f.column, f.message) for f in engine.review_text(to_lf(text), "a").findings]
        assert got == ref


def test_headings_inline_in_one_long_line() -> None:
    flat = base_text("clean_department_2023").replace("\n", "")
    doc = build_document(flat, "flat.txt")
    assert [s.key for s in doc.sections] == [1, 2, 3, 4, 5, 6]
    assert doc.agency == "临川市生态环境局" and doc.year == 2023
    assert doc.signature is not None and str(doc.signature.date) == "2024-01-20"
