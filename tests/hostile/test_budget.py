"""The per-report time budget (reviewer.budget): it stops Python loops and regular expressions in
the main thread and in worker threads, it does not count waiting for a model, and a batch records a
report over budget as an error line that a rerun answers from the state instead of hanging again."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from pathlib import Path

import pytest

from reviewer.batch.run import Batch
from reviewer.batch.runner import EngineSpec, ProcessRunner
from reviewer.budget import ReviewTimeout, deadline, paused
from tests.hostile import attacks


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_busy_loop_and_a_catastrophic_regex_are_stopped() -> None:
    t = time.monotonic()
    with pytest.raises(ReviewTimeout), deadline(0.3):
        spin(30)
    with pytest.raises(ReviewTimeout), deadline(0.3):
        re.match(r"(a+)+$", "a" * 40 + "b")
    assert time.monotonic() - t < 5
    with deadline(5):  # within budget: nothing happens, and nothing fires later
        spin(0.05)
    spin(0.1)


def test_a_timeout_is_no_ordinary_exception() -> None:
    """A reader's ``except Exception`` ("cannot read this file") must not swallow it."""
    with pytest.raises(ReviewTimeout), deadline(0.2):
        try:
            spin(30)
        except Exception:  # noqa: BLE001
            pytest.fail("the timeout was caught as an ordinary exception")


def test_waiting_for_the_model_does_not_count() -> None:
    with deadline(0.5):
        with paused():
            time.sleep(0.8)
        spin(0.1)
    with pytest.raises(ReviewTimeout), deadline(0.5):
        with paused():
            time.sleep(0.1)
        spin(30)  # the clock runs again after the pause


def test_the_budget_reaches_worker_threads() -> None:
    outcome: list[str] = []

    def work() -> None:
        try:
            with deadline(0.3):
                spin(30)
            outcome.append("finished")
        except ReviewTimeout:
            outcome.append("stopped")

    threads = [threading.Thread(target=work) for _ in range(3)]
    t = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert outcome == ["stopped"] * 3 and time.monotonic() - t < 5


class SlowSpec(EngineSpec):
    """An engine that spins on reports named slow*.txt; ``deaf`` also blocks SIGALRM first (a
    parser stuck in C code, which the in-process alarm cannot stop)."""

    deaf: bool = False

    def build(self):
        engine = super().build()
        real = engine.review_path
        deaf = self.deaf

        def review_path(path, **kw):
            if Path(path).name.startswith("slow"):
                if deaf:
                    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
                spin(60)
            return real(path, **kw)

        engine.review_path = review_path
        return engine


def _folder(tmp_path: Path, n: int = 4) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        attacks.text_file(src, f"r{i}.txt", attacks.BASE.replace("临川市", f"临川{i}市"))
    attacks.text_file(src, "slow.txt", attacks.BASE)
    return src


def _rows(out: Path) -> dict[str, dict]:
    lines = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(r["path"]).name: r for r in map(json.loads, lines)}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_records_a_report_over_budget_and_never_hangs_on_it_again(tmp_path: Path, jobs: int) -> None:
    src, out = _folder(tmp_path), tmp_path / "audit"
    spec = SlowSpec(timeout=0.5)
    report = Batch(out, spec, jobs=jobs).run([str(src)])
    rows = _rows(out)
    assert report.failed == 1 and len(rows) == 5
    assert "审核超时" in rows["slow.txt"]["error"] and "--timeout" in rows["slow.txt"]["error"]
    assert all(rows[f"r{i}.txt"]["error"] is None for i in range(4))
    t = time.monotonic()
    again = Batch(out, spec, jobs=jobs).run([str(src)])
    assert (again.reviewed, again.cached, again.failed) == (0, 4, 1) and time.monotonic() - t < 10
    assert "审核超时" in _rows(out)["slow.txt"]["error"]
    # a larger budget is a new question: the report is reviewed again
    bigger = Batch(out, SlowSpec(timeout=0.7), jobs=jobs).run([str(src)])
    assert bigger.reviewed + bigger.failed == 1 and bigger.cached == 4


def test_a_worker_deaf_to_its_alarm_is_killed_and_only_its_report_fails(tmp_path: Path) -> None:
    src = _folder(tmp_path, 6)
    spec = SlowSpec(timeout=2)
    object.__setattr__(spec, "deaf", True)
    runner = ProcessRunner(spec, jobs=2, chunk=2)
    runner.GRACE = 1.0
    try:
        t = time.monotonic()
        outcomes = {Path(o["path"]).name: o for o in runner.run(("review", str(p), None) for p in sorted(src.iterdir()))}
    finally:
        runner.close()
    assert time.monotonic() - t < 60
    assert len(outcomes) == 7
    slow = outcomes["slow.txt"]
    assert slow["timeout"] and slow["cache"] and "审核超时" in json.loads(slow["result"])["error"]
    assert all(o["cache"] and not o["failed"] for n, o in outcomes.items() if n != "slow.txt")
