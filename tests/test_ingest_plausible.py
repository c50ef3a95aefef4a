"""The fast plausibility check (one regex) counts exactly the characters _is_texty rejects."""

from __future__ import annotations

from reviewer.ingest import _NOT_TEXTY, _is_texty, _plausible


def test_regex_matches_is_texty_on_every_code_point() -> None:
    for o in range(0x30000):
        if 0xD800 <= o <= 0xDFFF:  # lone surrogates never occur in decoded text
            continue
        ch = chr(o)
        assert (not _is_texty(ch)) == bool(_NOT_TEXTY.fullmatch(ch)), hex(o)


def test_plausible() -> None:
    assert _plausible("政府信息公开工作年度报告\n一、总体情况\t2023年")
    assert not _plausible("\x01\x02\x03" * 50 + "报告")
    assert not _plausible("")
