"""Every attack of attacks.py ends cleanly: an allowed exit code, the expected one-line answer, no
traceback, no raw control characters on the terminal, and nothing of a file outside the input in
any output. (Time and memory are measured by ``python evals/bench.py --hostile``, not here.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import attacks
from tests.hostile.attacks import ATTACKS, ROOT, SECRET, Attack

# The digit runs wait for the time budget until the table parser handles them: a short one here.
FAST = ["--timeout", "3"]


def run(argv: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reviewer", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, check=False)


def leaked(folder: Path, out: subprocess.CompletedProcess[str]) -> list[str]:
    """Where the secret shows up: the output, or any file the run wrote (the secret's own file aside)."""
    where = ["output"] if SECRET in out.stdout + out.stderr else []
    for f in folder.rglob("*"):
        if f.is_file() and not f.is_symlink() and f.parent.name != "outside" and SECRET.encode() in f.read_bytes():
            where.append(str(f))
    return where


CASES = [a for a in ATTACKS if "slow" not in a.tags]


@pytest.mark.parametrize("attack", CASES, ids=lambda a: a.name)
def test_attack_ends_cleanly(attack: Attack, tmp_path: Path) -> None:
    argv = attack.build(tmp_path, False)
    if "digits" in attack.tags:
        argv = FAST + argv
    out = run(argv)
    text = out.stdout + out.stderr
    assert out.returncode in attack.codes, text[-2000:]
    assert "Traceback" not in text and "Exceeds the limit" not in text
    if attack.expect:
        assert attack.expect in text, text[-2000:]
    assert not any(ch in text for ch in "\x1b\x07\x9b"), "raw control characters reached the terminal"
    if out.returncode == 2 and argv[0] != "batch":
        errors = [ln for ln in text.splitlines() if "错误：" in ln]
        assert errors and all("\n" not in e for e in errors)
    if attack.secret:
        assert not leaked(tmp_path, out)


def test_a_batch_holding_every_file_attack_finishes_and_reports_each(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """One folder with every single-file attack: the batch completes (exit 0), every file has its
    row — reviewed, or an error saying why — and a rerun gives the same rows (reports over the time
    budget from the state; those over a size limit, which are not stored, quickly again)."""
    root = tmp_path / "in"
    monkeypatch.setattr(attacks, "SECRET_HOME", tmp_path / "outside")  # the secrets outside the batch's folder
    expected = []
    for attack in CASES:
        folder = root / attack.name
        folder.mkdir(parents=True)
        argv = attack.build(folder, False)
        if len(argv) == 1 and argv[0].startswith(str(root)):
            expected.append((argv[0], attack.name))
    first = {}  # a file reached twice (two links to /dev/zero) has one row: the first spelling's
    for f in sorted(root.rglob("*")):
        first.setdefault(os.path.realpath(f), str(f))
    expected = [name for path, name in expected if first[os.path.realpath(path)] == path]
    out = run(["batch", str(root), "--out", str(tmp_path / "audit"), "--no-progress", "--jobs", "2",
               "--timeout", "3", "--xlsx"], timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stdout + out.stderr
    rows = (tmp_path / "audit" / "summary.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    named = {Path(r.split(",", 1)[0]).parent.name for r in rows}
    assert set(expected) <= named, set(expected) - named
    assert not leaked(tmp_path, out)
    summary = (tmp_path / "audit" / "summary.csv").read_bytes()
    again = run(["batch", str(root), "--out", str(tmp_path / "audit"), "--no-progress", "--jobs", "2",
                 "--timeout", "3"], timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert (tmp_path / "audit" / "summary.csv").read_bytes().decode() == summary.decode()
