"""The per-report time budget (``--timeout``): a review that runs longer is stopped and becomes an
error for that report, so one crafted file cannot hang ``review``, a batch or the Action.

``deadline(seconds)`` raises ``ReviewTimeout`` in the block once the time is up:

- in the main thread through SIGALRM (``setitimer``): the signal handler runs between bytecodes
  and also inside a long regular-expression match, which checks for signals;
- in other threads (the LLM batch's) by an asynchronous exception that a watchdog thread sets on
  the thread (``PyThreadState_SetAsyncExc``), delivered between bytecodes.

Time spent waiting for a model (``paused()`` around the request) does not count: the model has its
own timeouts and retries (``--llm-timeout``). ``ReviewTimeout`` is a BaseException so that no
``except Exception`` on the way (a reader's "cannot read this file") mistakes it for a bad file.
Where signals are not available, the budget is not enforced in the main thread (Windows).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_TIMEOUT = 15.0


class ReviewTimeout(BaseException):
    def __init__(self, seconds: float = 0.0) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def message(seconds: float) -> str:
    return f"审核超时：超过 {seconds:g} 秒仍未完成，已停止（文件可能异常或过于复杂；可用 --timeout 调整）"


class _Timer:
    """One armed deadline: the thread it guards and when it expires (None while paused)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.left = seconds
        self.expires: float | None = None
        self.thread = threading.get_ident()
        self.fired = False


_local = threading.local()


def _current() -> _Timer | None:
    return getattr(_local, "timer", None)


# --- main thread: SIGALRM ---------------------------------------------------------------------
def _on_alarm(signum: int, frame: object) -> None:
    timer = _current()
    if timer is not None and timer.expires is not None:
        timer.fired = True
        raise ReviewTimeout(timer.seconds)


def _use_signal() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


# --- other threads: a watchdog sets an asynchronous exception ------------------------------------
_watch: dict[int, _Timer] = {}
_watch_lock = threading.Lock()
_wake = threading.Event()
_watchdog: threading.Thread | None = None


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    import ctypes  # imported by _ensure_watchdog before any timer can fire (not on the main-thread path)

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


class _ThreadTimeout(ReviewTimeout):
    """What the watchdog raises in a thread (an exception class: the C API takes a type)."""


def _watch_loop() -> None:
    while True:
        with _watch_lock:
            now = time.monotonic()
            soonest = None
            for timer in _watch.values():
                if timer.expires is None or timer.fired:
                    continue
                if timer.expires <= now:
                    timer.fired = True
                    _raise_in(timer.thread, _ThreadTimeout)
                elif soonest is None or timer.expires < soonest:
                    soonest = timer.expires
        _wake.wait(None if soonest is None else max(0.0, soonest - time.monotonic()) + 0.005)
        _wake.clear()


def _ensure_watchdog() -> None:
    global _watchdog
    import ctypes  # noqa: F401 - for _raise_in, loaded here rather than in the watchdog at a timeout

    with _watch_lock:
        if _watchdog is None or not _watchdog.is_alive():
            _watchdog = threading.Thread(target=_watch_loop, name="review-budget", daemon=True)
            _watchdog.start()


# --- the API ------------------------------------------------------------------------------------
def _arm(timer: _Timer) -> None:
    timer.expires = time.monotonic() + timer.left
    if _use_signal():
        signal.setitimer(signal.ITIMER_REAL, max(timer.left, 0.001))
    else:
        _wake.set()


def _disarm(timer: _Timer) -> None:
    if timer.expires is not None:
        timer.left = max(0.0, timer.expires - time.monotonic())
    timer.expires = None
    if _use_signal():
        signal.setitimer(signal.ITIMER_REAL, 0)


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise ReviewTimeout in this block after ``seconds`` (None or 0: no budget). Not nested: an
    inner deadline inside an armed one is ignored."""
    if not seconds or _current() is not None:
        yield
        return
    timer = _Timer(seconds)
    main = _use_signal()
    if main:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    else:
        _ensure_watchdog()
    _local.timer = timer
    try:
        with _watch_lock:
            if not main:
                _watch[timer.thread] = timer
            _arm(timer)
        yield
    except _ThreadTimeout:
        raise ReviewTimeout(seconds) from None
    finally:
        with _watch_lock:
            _disarm(timer)
            _watch.pop(timer.thread, None)
            if timer.fired and not main:
                _raise_in(timer.thread, None)  # fired after the block ended: take it back
        _local.timer = None
        if main:
            signal.signal(signal.SIGALRM, previous)


@contextmanager
def paused() -> Iterator[None]:
    """Stop the clock of the current deadline (waiting for a model's answer)."""
    timer = _current()
    if timer is None or timer.expires is None:
        yield
        return
    with _watch_lock:
        _disarm(timer)
    try:
        yield
    finally:
        with _watch_lock:
            _arm(timer)
