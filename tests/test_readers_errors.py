"""Unsupported and broken inputs: one Chinese line, exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reviewer.engine import Engine
from reviewer.readers import UNSUPPORTED

ROOT = Path(__file__).resolve().parent.parent


def run(*paths: Path) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "reviewer", *map(str, paths)]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True)


def error_lines(out: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in out.stderr.splitlines() if ": 错误：" in ln]


def test_unsupported_formats_suggest_conversion(tmp_path: Path) -> None:
    suffixes = [".doc", ".wps", ".xls", ".ofd", ".pptx"]
    paths = []
    for suffix in suffixes:
        paths.append(tmp_path / f"report{suffix}")
        paths[-1].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    out = run(*paths)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = error_lines(out)
    assert len(lines) == len(suffixes)
    for line, suffix in zip(lines, suffixes):
        assert line.endswith(UNSUPPORTED[suffix]) and "请" in line


def test_broken_docx_files(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"PK\x03\x04 not really a zip")
    old_word = tmp_path / "old.docx"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    empty = tmp_path / "empty.docx"
    import docx

    docx.Document().save(str(empty))
    out = run(garbage, old_word, empty, tmp_path / "missing.docx")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = error_lines(out)
    assert len(lines) == 4
    assert "不是有效的 .docx 文件" in lines[0]
    assert "旧版 Word（.doc）" in lines[1]
    assert lines[2].endswith("文档中没有文字")
    assert lines[3].endswith("文件不存在")


def test_broken_html_files(tmp_path: Path) -> None:
    chrome_only = tmp_path / "nav.html"
    chrome_only.write_text(
        "<html><body><nav><a href='/'>首页</a></nav><footer>版权所有</footer></body></html>", encoding="utf-8"
    )
    binary = tmp_path / "binary.htm"
    binary.write_bytes(bytes(range(256)) * 4)
    for path, words in ((chrome_only, "没有正文"), (binary, "")):
        result = Engine().review_path(path)
        assert result.error and "\n" not in result.error and words in result.error


def test_directory_expansion_picks_structured_formats(tmp_path: Path) -> None:
    from tests.builders import to_html
    from tests.conftest import base_text

    to_html(base_text("clean_department_2023"), tmp_path / "a.html")
    (tmp_path / "notes.xyz").write_text("x", encoding="utf-8")
    out = run(tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "共审核 1 个文件" in out.stdout
