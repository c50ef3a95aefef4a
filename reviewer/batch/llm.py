"""``review batch --extractor llm``: the LLM extractor of ``review check`` in the batch.

The spec's ``extractor_options`` (part of the cache key) say what the model is asked and by whom:
model, endpoint (without credentials), instructor mode, prompt version, schema version. Its
``runtime`` holds the ``check`` options to rebuild the extractor (never the API key, read from the
environment). Requests run on threads (the extractor is synchronous and waits on the network),
``--llm-concurrency`` at a time; they share one extractor, so a dead endpoint costs the full retry
budget once, not once per report, and one ``Cooldown`` transport, so a 429 pauses every thread for
the server's Retry-After instead of letting each retry on its own.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Any

from reviewer.batch.runner import EngineSpec, Outcome, Task, execute
from reviewer.llm.errors import TransportError


def llm_spec(opts: dict[str, Any], *, profile: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> EngineSpec:
    """The spec for ``check``'s LLM options (reviewer.llm.options): a rules spec when they select
    no model (``--extractor auto`` without one). Usage errors as for ``check``."""
    from reviewer.llm.options import build_extractor

    extractor = build_extractor(opts, profile)
    if extractor is None:
        return EngineSpec(profile=profile, select=select, ignore=ignore)
    return EngineSpec(profile=profile, select=select, ignore=ignore, extractor="llm",
                      extractor_options=key_options(extractor.config), runtime=tuple(sorted(opts.items())))


def key_options(config: Any) -> tuple[tuple[str, str], ...]:
    """What decides the model's answers: in the cache key (never the API key)."""
    from reviewer.llm.cache import schema_version
    from reviewer.llm.prompt import prompt_version

    return (("model", config.model), ("endpoint", config.endpoint), ("mode", config.resolved_mode),
            ("prompt_version", prompt_version()), ("schema_version", schema_version()))


def llm_engine(spec: EngineSpec):
    """An engine whose LLM extractor sends through a shared Cooldown."""
    from reviewer.engine import Engine
    from reviewer.llm.extractor import LLMExtractor
    from reviewer.llm.options import build_extractor

    built = build_extractor(dict(spec.runtime), spec.profile)
    extractor = LLMExtractor(built.config, profile=built.profile, rules=built.rules, cache=built.cache,
                             transport=Cooldown(built.transport, cap=built.config.retry_after_cap,
                                                default=built.config.backoff), strict=built.strict)
    return Engine(profile=spec.profile, select=spec.select, ignore=spec.ignore, extractor=extractor)


class Cooldown:
    """A transport shared by the threads: after a 429, nobody sends until the wait the server asked
    for (``Retry-After``, capped at ``cap``; ``default`` seconds when it named none) has passed."""

    def __init__(self, inner: Any, *, cap: float, default: float, clock=time.monotonic, sleep=time.sleep) -> None:
        self.inner, self.cap, self.default = inner, cap, default
        self.clock, self.sleep = clock, sleep
        self.not_before = 0.0
        self.lock = threading.Lock()

    def send(self, body: dict, meta: dict | None = None) -> dict:
        while (delay := self.not_before - self.clock()) > 0:
            self.sleep(delay)
        try:
            return self.inner.send(body, meta)
        except TransportError as e:
            if e.status == 429:
                wait_s = min(e.retry_after if e.retry_after is not None else self.default, self.cap)
                with self.lock:
                    self.not_before = max(self.not_before, self.clock() + wait_s)
            raise


class ThreadRunner:
    """Tasks on ``concurrency`` threads through a bounded window (memory flat). The threads share
    the engine's extractor; each has its own shallow copy of the engine (``review_one`` sets the
    engine's year per report)."""

    def __init__(self, spec: EngineSpec, concurrency: int) -> None:
        self.engine, self.timeout = spec.build(), spec.timeout
        self.concurrency = concurrency
        self.pool: ThreadPoolExecutor | None = None
        self.local = threading.local()

    @property
    def failures(self) -> list[str]:
        """The reports whose extraction fell back to the rules (``--strict-llm``)."""
        return list(getattr(self.engine.extractor, "failures", []))

    def start(self) -> None:
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="review-llm")

    def _execute(self, task: Task) -> Outcome:
        engine = getattr(self.local, "engine", None)
        if engine is None:
            engine = self.local.engine = copy.copy(self.engine)
        return execute(engine, task, self.timeout)  # the budget by an asynchronous exception (reviewer.budget)

    def run(self, tasks: Iterable[Task], total: int | None = None) -> Iterator[Outcome]:
        self.start()
        assert self.pool is not None
        todo = iter(tasks)
        pending: set = set()
        while True:
            while len(pending) < 2 * self.concurrency and (task := next(todo, None)) is not None:
                pending.add(self.pool.submit(self._execute, task))
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()

    def close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=not cancel, cancel_futures=cancel)
            self.pool = None
