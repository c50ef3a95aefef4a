"""Property-based: mutated and random inputs give exit codes 0/1/2 only, no traceback, no hang."""

from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.cli import main
from tests.conftest import SAMPLES, base_text

TEXTS = [base_text("clean_department_2023")] + [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
DIR = Path(tempfile.mkdtemp(prefix="review-fuzz-"))


def _run(data: bytes, name: str = "r.txt") -> None:
    path = DIR / name
    path.write_bytes(data)
    result = CliRunner().invoke(main, [str(path), "--format", "json"])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


edit = st.tuples(
    st.sampled_from(["delete", "insert", "duplicate", "flatten", "digits"]),
    st.integers(min_value=0, max_value=20000),
    st.integers(min_value=0, max_value=400),
    st.text(alphabet="0123456789一二三四五六（）()、.\t\n 总计年月日件%占同比增长", max_size=30),
)


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(TEXTS))), st.lists(edit, max_size=6), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_mutated_reports(idx: int, edits: list, encoding: str) -> None:
    text = TEXTS[idx]
    for kind, pos, length, s in edits:
        pos %= max(1, len(text))
        if kind == "delete":
            text = text[:pos] + text[pos + length :]
        elif kind == "insert":
            text = text[:pos] + s + text[pos:]
        elif kind == "duplicate":
            text = text[:pos] + text[pos : pos + length] + text[pos:]
        elif kind == "flatten":
            text = text[:pos] + text[pos : pos + length * 10].replace("\n", "").replace("\t", "") + text[pos + length * 10 :]
        else:
            text = text[:pos] + "".join(ch for ch in s if ch.isdigit()) * 3 + text[pos:]
    _run(text.encode(encoding))


@settings(max_examples=60, deadline=5000)
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    _run(data)


@settings(max_examples=40, deadline=5000)
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    _run(text.encode("utf-8", errors="surrogatepass"), "t.md")
