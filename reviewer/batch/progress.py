"""Progress on stderr: a bar (done / failed / ETA) on a terminal, plain lines otherwise.

rich is imported only here and only for a terminal.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _eta(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}分{seconds % 60:02d}秒" if seconds >= 60 else f"{seconds}秒"


class PlainProgress:
    """A line every ``interval`` seconds and one at the end of each phase."""

    def __init__(self, stream: TextIO | None = None, interval: float = 2.0) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval

    def start(self, label: str, total: int, done: int = 0) -> None:
        self.label, self.total, self.done, self.failed = label, total, done, 0
        self.t0 = self.last = time.monotonic()
        self.first = done

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self._line(now)

    def _line(self, now: float, final: bool = False) -> None:
        rate = (self.done - self.first) / max(now - self.t0, 1e-9)
        left = self.total - self.done
        tail = "" if final or not rate else f"，预计剩余{_eta(left / rate)}"
        print(
            f"review batch: {self.label} {self.done}/{self.total}（失败 {self.failed}），{rate:.0f} 份/秒{tail}",
            file=self.stream,
            flush=True,
        )

    def finish(self) -> None:
        self._line(time.monotonic(), final=True)

    def close(self) -> None:
        pass


class RichProgress:
    """A live bar on a terminal."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("失败 {task.fields[failed]}"),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self.live = False

    def start(self, label: str, total: int, done: int = 0) -> None:
        if not self.live:  # its refresh thread starts only now, after the worker processes
            self.bar.start()
            self.live = True
        self.failed = 0
        self.task = self.bar.add_task(label, total=total, completed=done, failed=0)

    def advance(self, failed: bool = False) -> None:
        self.failed += failed
        self.bar.update(self.task, advance=1, failed=self.failed)

    def finish(self) -> None:
        self.bar.refresh()

    def close(self) -> None:
        if self.live:
            self.bar.stop()


class NoProgress(PlainProgress):
    def _line(self, now: float, final: bool = False) -> None:
        pass


def make_progress(enabled: bool = True):
    if not enabled:
        return NoProgress()
    if sys.stderr.isatty():
        return RichProgress()
    return PlainProgress()
