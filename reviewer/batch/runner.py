"""The per-report step and how it runs: in this process (--jobs 1) or in worker processes.

The engine is built by ``EngineSpec.build`` (the extractor is part of the spec), so the batch never
knows which extractor runs. Where workers are forked (Linux) it is built once, in the batch process,
before the fork: the workers inherit it with every module imported and every pattern compiled, and
``gc.freeze()`` keeps their collector off the inherited objects (no time spent scanning them, and
fewer of their pages copied on write). Elsewhere each worker builds its own. Work goes to the workers in chunks
through a bounded window, and each chunk's outcomes come back together (``run_batches``), so the
batch stores them in one transaction: memory stays flat however many reports there are. When a
worker dies, the pool is rebuilt and what was in flight is rerun one report at a time, alone, so
only the report that kills its worker becomes an error row.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from reviewer import limits
from reviewer.budget import DEFAULT_TIMEOUT


@dataclass(frozen=True)
class EngineSpec:
    """Everything that decides a report's result besides its content (and part of the cache key)."""

    profile: str = "national"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extractor: str = "rules"  # rules | llm (reviewer.batch.llm) | ingest (reviewer.batch.ingest)
    extractor_options: tuple[tuple[str, str], ...] = field(default=())
    # How to run the extractor, not what it extracts (endpoint URL, timeouts, cache, the results file):
    # never part of the cache key, and never the API key (read from the environment when built).
    runtime: tuple[tuple[str, Any], ...] = field(default=(), compare=False)
    # What one report may cost (--timeout, --limit): not part of the cache key either. A report
    # over a limit is not stored; one over the time budget is stored under the budget (run.py).
    timeout: float = field(default=DEFAULT_TIMEOUT, compare=False)
    limits: limits.Limits = field(default=limits.DEFAULT, compare=False)

    def build(self):
        from reviewer.engine import Engine

        if self.extractor == "llm":
            from reviewer.batch.llm import llm_engine

            return llm_engine(self)
        if self.extractor == "ingest":
            from reviewer.batch.ingest import ingest_engine

            return ingest_engine(self)
        if self.extractor != "rules":
            from reviewer.errors import UsageError

            raise UsageError(f"批量审核不支持提取器 {self.extractor}")
        return Engine(profile=self.profile, select=self.select, ignore=self.ignore)


def default_jobs() -> int:
    """``--jobs`` when not given: the cores this process may run on (its CPU affinity, which a
    container or ``taskset`` may narrow below ``os.cpu_count()``)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# A task is a plain tuple (cheap to pickle): ("review", path, year),
# ("pair", path, year, previous path, previous year) or ("page", path, record JSON, destination).
Task = tuple
Outcome = dict[str, Any]


def review_one(engine, path: str, year: int | None, timeout: float | None = None) -> Outcome:
    """Review one report within ``timeout`` seconds. Never raises: an unreadable file, a crash or
    a timeout is an error result; only results that depend on the content alone (``cache``) may be
    stored under its hash — and a timeout under the budget it ran out of (``timeout`` in the outcome)."""
    from reviewer.budget import ReviewTimeout, deadline, message
    from reviewer.errors import InputError, ModelFailure, internal_error
    from reviewer.ingest import read_bytes
    from schemas.output import FileResult

    try:
        sha = hashlib.sha256(read_bytes(path)).hexdigest()
    except InputError:
        sha = None
    default, engine.year = engine.year, year
    cache, timed_out = sha is not None, False
    try:
        with deadline(timeout):
            result = engine.review_path(path, raise_limits=True)
    except (limits.LimitError, ModelFailure) as e:  # a rerun (a higher limit, the model back) reviews it: not stored
        result, cache = FileResult(path=path, error=str(e)), False
    except InputError as e:
        result = FileResult(path=path, error=str(e))
    except ReviewTimeout:
        result, timed_out = FileResult(path=path, error=message(timeout or 0)), True
    except Exception as e:  # noqa: BLE001 - one bad report never stops the batch
        result, cache = FileResult(path=path, error=internal_error(e)), False
    finally:
        engine.year = default
    if result.extractor == "rules" and result.usage is not None:
        cache = False  # the model failed and the rules stood in: kept for this run, asked again on the next
    result.path = ""  # stored by content, shown under each path that has it
    return {
        "kind": "review", "path": path, "sha": sha, "result": result.model_dump_json(),
        "agency": result.report.agency, "year": result.report.year, "cache": cache and sha is not None,
        "failed": result.error is not None, "timeout": timed_out, "not_report": result.not_a_report(),
    }


def pair_one(engine, path: str, year: int | None, prev_path: str, prev_year: int | None,
             timeout: float | None = None) -> Outcome:
    """The cross-year (C) findings of a report against its previous year's report."""
    from reviewer.budget import ReviewTimeout, deadline
    from reviewer.crossyear import cross_year_findings, load_context

    default = engine.year
    try:
        with deadline(timeout):
            engine.year = year
            ctx = load_context(engine, path)
            engine.year = prev_year
            prev = load_context(engine, prev_path)
            found = cross_year_findings(engine, ctx, prev) if ctx is not None and prev is not None else []
        findings, ok = json.dumps([f.model_dump(mode="json") for f in found], ensure_ascii=False), True
    except (Exception, ReviewTimeout):  # noqa: BLE001 - a pair that cannot be compared (unreadable, crashed) adds nothing
        findings, ok = "[]", False
    finally:
        engine.year = default
    return {"kind": "pair", "path": path, "findings": findings, "cache": ok}


def execute(engine, task: Task, timeout: float | None = None) -> Outcome:
    if task[0] == "review":
        return review_one(engine, *task[1:], timeout=timeout)
    if task[0] == "page":
        from reviewer.batch.pages import render_one
        from reviewer.budget import ReviewTimeout, deadline

        try:
            with deadline(timeout):
                return render_one(*task[1:])
        except ReviewTimeout:
            return {"kind": "page", "path": task[1], "ok": False}
    return pair_one(engine, *task[1:], timeout=timeout)


# --- worker processes ---------------------------------------------------------------------------
_ENGINE = None
_TIMEOUT: float | None = None


def _init_worker(spec: EngineSpec, parent: int, inherited: bool = False) -> None:
    """``inherited``: the worker was forked with the engine already in ``_ENGINE`` (built by the
    batch process, ProcessRunner.start); otherwise it builds its own."""
    global _ENGINE, _TIMEOUT
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's graceful handler
    _die_with_parent(parent)
    limits.configure(spec.limits)
    _ENGINE, _TIMEOUT = (_ENGINE if inherited and _ENGINE is not None else spec.build()), spec.timeout


def _die_with_parent(parent: int) -> None:
    """A killed batch must not leave its workers behind: on Linux the kernel signals them when the
    parent dies (prctl PR_SET_PDEATHSIG); the check afterwards covers a parent already gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # pragma: no cover - unusual libc
            pass
    if os.getppid() != parent:
        os._exit(0)


def _run_chunk(tasks: list[Task]) -> list[Outcome]:
    return [execute(_ENGINE, t, _TIMEOUT) for t in tasks]


class InlineRunner:
    """Everything in this process (``--jobs 1``, tests, debugging)."""

    def __init__(self, spec: EngineSpec) -> None:
        self.engine, self.timeout = spec.build(), spec.timeout

    def start(self) -> None:
        pass

    def run(self, tasks: Iterable[Task], total: int | None = None) -> Iterator[Outcome]:
        for t in tasks:
            yield execute(self.engine, t, self.timeout)

    def run_batches(self, tasks: Iterable[Task], total: int | None = None) -> Iterator[list[Outcome]]:
        for o in self.run(tasks, total):  # one at a time: each is stored as soon as it is done
            yield [o]

    def close(self, cancel: bool = False) -> None:
        pass


class WorkerError(Exception):
    """The worker processes cannot run at all (they die on start)."""


class ProcessRunner:
    """Worker processes fed chunks of tasks through a bounded window.

    On Linux the workers are forked (fast: they inherit the loaded engine code); ``start()`` launches
    them before any other thread exists (call it before a progress bar starts)."""

    MAX_BREAKS = 5  # pool failures with nothing finished in between before giving up
    GRACE = 5.0  # seconds past the time budget before a silent worker is killed

    def __init__(self, spec: EngineSpec, jobs: int, chunk: int = 16) -> None:
        self.spec, self.jobs, self.chunk = spec, jobs, chunk
        self.pool: ProcessPoolExecutor | None = None
        self.breaks = 0
        self.killed = False  # the pool was broken by the watchdog (a report over its time budget)
        self.engine = None  # built in this process for forked workers (start)

    def start(self) -> ProcessPoolExecutor:
        global _ENGINE
        if self.pool is None:
            fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if fork else None)
            if fork:  # built here once; every worker (and every rebuilt pool) inherits it as it is
                if self.engine is None:
                    self.engine = self.spec.build()
                _ENGINE = self.engine
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_init_worker,
                                            initargs=(self.spec, os.getpid(), fork))
            frozen = fork and gc.get_freeze_count() == 0  # (never undo a freeze made by someone else)
            if frozen:  # what exists now is the workers' too: their collector leaves it alone
                gc.freeze()  # (no gc.collect() first: at tens of ms it costs more than the garbage it would free)
            try:
                self.pool.submit(int).result()  # launch the workers now (with fork, all of them)
            finally:
                if frozen:
                    gc.unfreeze()  # this process collects its own garbage as before
                _ENGINE = None  # the workers have their copy; this process holds self.engine
        return self.pool

    def _chunks(self, tasks: Iterable[Task], total: int | None) -> Iterator[list[Task]]:
        """Chunks of at most ``chunk`` tasks; with ``total`` known, each is at most a quarter of a
        worker's share of what is left (guided scheduling): they shrink to one task at the end, so
        no worker sits idle while another finishes a long last chunk."""
        buf: list[Task] = []
        left = total
        size = self.chunk if left is None else max(1, min(self.chunk, left // (self.jobs * 4)))
        for t in tasks:
            buf.append(t)
            if len(buf) >= size:
                yield buf
                buf = []
                if left is not None:
                    left -= size
                    size = max(1, min(self.chunk, left // (self.jobs * 4)))
        if buf:
            yield buf

    def run(self, tasks: Iterable[Task], total: int | None = None) -> Iterator[Outcome]:
        """Outcomes in completion order."""
        for outcomes in self.run_batches(tasks, total):
            yield from outcomes

    def run_batches(self, tasks: Iterable[Task], total: int | None = None) -> Iterator[list[Outcome]]:
        """Outcomes in completion order, a chunk's together (as they arrive from its worker). With
        ``total`` known, chunks shrink towards the end (``_chunks``)."""
        chunks = self._chunks(tasks, total)
        suspects: deque[Task] = deque()  # in flight when a worker died: rerun alone, one at a time
        pending: dict[Future, list[Task]] = {}
        alone: Future | None = None  # the suspect running alone, if any
        exhausted = False
        while True:
            while True:  # fill the window
                suspect = bool(suspects)
                if suspect:
                    if pending:
                        break
                    chunk = [suspects.popleft()]
                elif exhausted or len(pending) >= self.jobs * 3:
                    break
                else:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                try:
                    fut = self.start().submit(_run_chunk, chunk)
                except BrokenProcessPool:
                    suspects.extendleft(reversed(chunk))
                    self._rebuild(pending, suspects)
                    continue
                pending[fut] = chunk
                alone = fut if suspect else alone
            if not pending:
                return
            done, _ = wait(pending, timeout=self._silence(pending), return_when=FIRST_COMPLETED)
            if not done:  # every worker over its budget and deaf to its alarm (stuck in C code)
                self._kill_workers()
                continue
            for fut in done:
                chunk = pending.pop(fut, None)
                if chunk is None:  # re-queued by _rebuild
                    continue
                try:
                    outcomes = fut.result()
                except BrokenProcessPool:
                    killed, self.killed = self.killed, False
                    self._rebuild(pending, suspects)
                    if fut is alone:  # it broke the pool on its own
                        yield [crashed(chunk[0], self.spec.timeout if killed else None)]
                    else:
                        suspects.extend(chunk)
                    continue
                self.breaks = 0
                yield outcomes

    def _silence(self, pending: dict[Future, list[Task]]) -> float | None:
        """How long the workers may stay silent: each report of a chunk has the time budget (the
        worker's own alarm stops it), plus a grace; None when there is no budget."""
        if not self.spec.timeout:
            return None
        return max(len(c) for c in pending.values()) * self.spec.timeout + self.GRACE

    def _kill_workers(self) -> None:
        """Kill the worker processes: the pool breaks, and what was in flight is rerun alone."""
        self.killed = True
        for proc in list(getattr(self.pool, "_processes", {}).values()):
            try:
                proc.kill()
            except (OSError, AttributeError):  # pragma: no cover - already gone
                pass

    def _rebuild(self, pending: dict, suspects: deque) -> None:
        """A worker died: everything in flight becomes a suspect, rerun alone on a new pool, so the
        report that kills its worker is found (and becomes an error) without blaming the others."""
        self.breaks += 1
        if self.breaks > self.MAX_BREAKS:
            raise WorkerError("审核进程反复意外退出，无法继续")
        for fut, other in list(pending.items()):
            if fut.done() and fut.exception() is None:
                continue  # finished before the break: its results are still collected
            pending.pop(fut)
            suspects.extend(other)
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None

    def close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=cancel)
            self.pool = None


def crashed(task: Task, timeout: float | None = None) -> Outcome:
    """The outcome of a task whose worker died — or was killed over the time budget (``timeout``:
    then it is stored under that budget like any timeout, so a rerun does not hang on it again)."""
    from reviewer.budget import message
    from reviewer.errors import InputError
    from reviewer.ingest import read_bytes
    from schemas.output import FileResult

    if task[0] == "pair":
        return {"kind": "pair", "path": task[1], "findings": "[]", "cache": False}
    if task[0] == "page":
        return {"kind": "page", "path": task[1], "ok": False}
    sha = None
    if timeout:
        error = message(timeout)
        try:
            sha = hashlib.sha256(read_bytes(task[1])).hexdigest()
        except InputError:
            pass
    else:
        error = "审核进程意外退出（可能是文件过大或格式异常）"
    result = FileResult(path="", error=error)
    return {"kind": "review", "path": task[1], "sha": sha, "result": result.model_dump_json(),
            "agency": None, "year": None, "cache": sha is not None, "failed": True, "timeout": bool(timeout)}
