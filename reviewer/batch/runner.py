"""The per-report step and how it runs: in this process (--jobs 1) or in worker processes.

The engine is built once per worker by ``EngineSpec.build`` (the extractor is part of the spec), so
the batch never knows which extractor runs. Work goes to the workers in chunks through a bounded
window: memory stays flat however many reports there are. When a worker dies, the pool is rebuilt
and what was in flight is rerun one report at a time, alone, so only the report that kills its
worker becomes an error row.
"""

from __future__ import annotations

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
from pathlib import Path
from typing import Any



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


# A task is a plain tuple (cheap to pickle): ("review", path, year),
# ("pair", path, year, previous path, previous year) or ("page", path, record JSON, destination).
Task = tuple
Outcome = dict[str, Any]


def review_one(engine, path: str, year: int | None) -> Outcome:
    """Review one report. Never raises: an unreadable file or a crash is an error result; only
    results that depend on the content alone (``cache``) may be stored under its hash."""
    from schemas.output import FileResult

    try:
        sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        sha = None
    default, engine.year = engine.year, year
    cache = sha is not None
    try:
        result = engine.review_path(path)
    except Exception as e:  # noqa: BLE001 - one bad report never stops the batch
        result, cache = FileResult(path=path, error=f"内部错误（{type(e).__name__}）：{e}"), False
    finally:
        engine.year = default
    if result.extractor == "rules" and result.usage is not None:
        cache = False  # the model failed and the rules stood in: kept for this run, asked again on the next
    result.path = ""  # stored by content, shown under each path that has it
    return {
        "kind": "review", "path": path, "sha": sha, "result": result.model_dump_json(),
        "agency": result.report.agency, "year": result.report.year, "cache": cache, "failed": result.error is not None,
    }


def pair_one(engine, path: str, year: int | None, prev_path: str, prev_year: int | None) -> Outcome:
    """The cross-year (C) findings of a report against its previous year's report."""
    from reviewer.crossyear import cross_year_findings, load_context

    default = engine.year
    try:
        engine.year = year
        ctx = load_context(engine, path)
        engine.year = prev_year
        prev = load_context(engine, prev_path)
        found = cross_year_findings(engine, ctx, prev) if ctx is not None and prev is not None else []
        findings, ok = json.dumps([f.model_dump(mode="json") for f in found], ensure_ascii=False), True
    except Exception:  # noqa: BLE001 - a pair that cannot be compared (unreadable, crashed) adds nothing
        findings, ok = "[]", False
    finally:
        engine.year = default
    return {"kind": "pair", "path": path, "findings": findings, "cache": ok}


def execute(engine, task: Task) -> Outcome:
    if task[0] == "review":
        return review_one(engine, *task[1:])
    if task[0] == "page":
        from reviewer.batch.pages import render_one

        return render_one(*task[1:])
    return pair_one(engine, *task[1:])


# --- worker processes ---------------------------------------------------------------------------
_ENGINE = None


def _init_worker(spec: EngineSpec, parent: int) -> None:
    global _ENGINE
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's graceful handler
    _die_with_parent(parent)
    _ENGINE = spec.build()


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
    return [execute(_ENGINE, t) for t in tasks]


class InlineRunner:
    """Everything in this process (``--jobs 1``, tests, debugging)."""

    def __init__(self, spec: EngineSpec) -> None:
        self.engine = spec.build()

    def start(self) -> None:
        pass

    def run(self, tasks: Iterable[Task], total: int | None = None) -> Iterator[Outcome]:
        for t in tasks:
            yield execute(self.engine, t)

    def close(self, cancel: bool = False) -> None:
        pass


class WorkerError(Exception):
    """The worker processes cannot run at all (they die on start)."""


class ProcessRunner:
    """Worker processes fed chunks of tasks through a bounded window.

    On Linux the workers are forked (fast: they inherit the loaded engine code); ``start()`` launches
    them before any other thread exists (call it before a progress bar starts)."""

    MAX_BREAKS = 5  # pool failures with nothing finished in between before giving up

    def __init__(self, spec: EngineSpec, jobs: int, chunk: int = 16) -> None:
        self.spec, self.jobs, self.chunk = spec, jobs, chunk
        self.pool: ProcessPoolExecutor | None = None
        self.breaks = 0

    def start(self) -> ProcessPoolExecutor:
        if self.pool is None:
            fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if fork else None)
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_init_worker,
                                            initargs=(self.spec, os.getpid()))
            self.pool.submit(int).result()  # launch the workers now
        return self.pool

    def _chunks(self, tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
        buf: list[Task] = []
        for t in tasks:
            buf.append(t)
            if len(buf) >= size:
                yield buf
                buf = []
        if buf:
            yield buf

    def run(self, tasks: Iterable[Task], total: int | None = None) -> Iterator[Outcome]:
        """Outcomes in completion order. With ``total`` known, chunks shrink so that the last ones
        do not leave a worker idle (about eight chunks per worker, at most ``chunk`` tasks each)."""
        size = self.chunk if total is None else max(1, min(self.chunk, total // (self.jobs * 8)))
        chunks = self._chunks(tasks, size)
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
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                chunk = pending.pop(fut, None)
                if chunk is None:  # re-queued by _rebuild
                    continue
                try:
                    outcomes = fut.result()
                except BrokenProcessPool:
                    self._rebuild(pending, suspects)
                    if fut is alone:  # it broke the pool on its own
                        yield crashed(chunk[0])
                    else:
                        suspects.extend(chunk)
                    continue
                self.breaks = 0
                yield from outcomes

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


def crashed(task: Task) -> Outcome:
    from schemas.output import FileResult

    if task[0] == "pair":
        return {"kind": "pair", "path": task[1], "findings": "[]", "cache": False}
    if task[0] == "page":
        return {"kind": "page", "path": task[1], "ok": False}
    result = FileResult(path="", error="审核进程意外退出（可能是文件过大或格式异常）")
    return {"kind": "review", "path": task[1], "sha": None, "result": result.model_dump_json(),
            "agency": None, "year": None, "cache": False, "failed": True}
