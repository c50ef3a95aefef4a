"""A batch whose state or output folder fails (read-only, full disk, corrupt): one Chinese line,
exit 2, the outputs written so far intact, and the rerun resumes where it stopped."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer.batch import store as store_module
from reviewer.cli import main
from tests.hostile import attacks


def _inputs(tmp_path: Path, n: int = 5) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        attacks.text_file(src, f"r{i}.txt", attacks.BASE.replace("临川市", f"临川{i}市"))
    return src


def batch(src: Path, out: Path):
    return CliRunner().invoke(main, ["batch", str(src), "--out", str(out), "--jobs", "1", "--no-progress"])


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [ln for ln in result.output.splitlines() if "错误：" in ln]
    assert len(lines) == 1 and "Traceback" not in result.output
    return lines[0]


def test_a_read_only_state_leaves_the_last_outputs_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = _inputs(tmp_path), tmp_path / "audit"
    assert batch(src, out).exit_code == 0
    before = {f.name: f.read_bytes() for f in out.iterdir() if f.is_file() and f.suffix in (".jsonl", ".csv", ".html")}
    real = sqlite3.connect
    monkeypatch.setattr(store_module.sqlite3, "connect",
                        lambda path, **kw: real(f"file:{path}?mode=ro", uri=True, **kw))
    line = one_error_line(batch(src, out))
    assert "state.sqlite" in line and "只读" in line
    assert {name: (out / name).read_bytes() for name in before} == before


def test_a_full_disk_mid_run_keeps_what_finished_and_the_rerun_resumes(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = _inputs(tmp_path), tmp_path / "audit"
    real = store_module.Store.put_results
    calls = []

    def failing(self, items, *args, **kw):
        calls.extend(items)  # --jobs 1: one report a transaction
        if len(calls) > 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, items, *args, **kw)

    monkeypatch.setattr(store_module.Store, "put_results", failing)
    line = one_error_line(batch(src, out))
    assert "磁盘已满" in line and "重新运行" in line
    lines = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(ln.endswith("}") for ln in lines)  # whole lines, as far as it got
    monkeypatch.setattr(store_module.Store, "put_results", real)
    again = batch(src, out)
    assert again.exit_code == 0 and "新审核 3 份，使用缓存 2 份" in again.output


def test_a_full_disk_while_writing_the_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = _inputs(tmp_path), tmp_path / "audit"
    import reviewer.batch.run as run_module

    def no_space(*args, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_module, "write_outputs", no_space)
    line = one_error_line(batch(src, out))
    assert "磁盘空间不足" in line and "No space" not in line
    monkeypatch.undo()
    again = batch(src, out)
    assert again.exit_code == 0 and "使用缓存 5 份" in again.output


def test_a_corrupt_state(tmp_path: Path) -> None:
    src, out = _inputs(tmp_path, 2), tmp_path / "audit"
    out.mkdir()
    (out / "state.sqlite").write_bytes(b"this is not a database" * 100)
    line = one_error_line(batch(src, out))
    assert "已损坏" in line
