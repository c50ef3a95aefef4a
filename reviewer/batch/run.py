"""The batch: scan the inputs (hash, look up the state), review what is not done in parallel, pair
consecutive years of the same agency and run the C rules on each pair, then write the outputs.

findings.jsonl grows by one whole line as each report finishes (LiveLines); at the end
every output is regenerated from the state in path order, so a rerun over the same folder
reproduces them byte for byte, and adding files adds exactly their rows.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reviewer import __version__
from reviewer.agency import agency_key
from reviewer.batch.outputs import Stats, line, not_report, record, records, write_outputs
from reviewer.batch.progress import NoProgress
from reviewer.batch.runner import EngineSpec, InlineRunner, ProcessRunner
from reviewer.batch.sources import Source, expand
from reviewer.batch.store import Store
from reviewer.errors import InputError, UsageError
from reviewer.ingest import escapes, read_bytes

STATE_FILE = "state.sqlite"
SCAN_PAGE = 500


@dataclass
class BatchReport:
    """What a run did (printed by the CLI; not part of the outputs, which must not vary)."""

    total: int = 0  # inputs; each is one of: a report reviewed now or answered from the state, a file
    reviewed: int = 0  # that could not be reviewed, a file that is not an annual report (D001)
    cached: int = 0
    failed: int = 0
    not_reports: int = 0
    remaining: int = 0  # reports an interrupted run did not get to
    pairs_left: int = 0  # cross-year comparisons it did not get to
    skipped: list[str] = field(default_factory=list)  # files of the folders in a format it cannot read (.doc …)
    pairs: int = 0
    pairs_reviewed: int = 0
    pages: int = 0
    interrupted: bool = False
    stats: Stats = field(default_factory=Stats)

    @property
    def reports(self) -> int:
        """The annual reports read and reviewed (what the summary counts)."""
        return self.reviewed + self.cached

    def count(self, *, not_report: bool, failed: bool, cached: bool) -> None:
        if not_report:
            self.not_reports += 1
        elif failed:
            self.failed += 1
        elif cached:
            self.cached += 1
        else:
            self.reviewed += 1


def tool_fingerprint() -> str:
    """The tool version in the cache key: the version number and a hash of the code and data that
    decide a result (everything but the batch package), so an edited rule never serves stale results."""
    import prompts
    import reviewer
    import schemas

    h = hashlib.sha256(__version__.encode())
    for pkg in (reviewer, schemas, prompts):
        root = Path(pkg.__file__).parent
        for f in sorted(root.rglob("*")):
            rel = f.relative_to(root).as_posix()
            if f.suffix in (".py", ".toml", ".j2", ".md", ".txt") and not rel.startswith("batch/") and f.is_file():
                h.update(f"{pkg.__name__}/{rel}\0".encode())
                h.update(f.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def timeout_suffix(timeout: float | None) -> str:
    """A report that ran out of time is stored under its config and the budget: the same budget
    gives the same answer at once (a rerun never hangs on it again), a larger one reviews it again."""
    return f"#timeout={timeout:g}" if timeout else ""


def config_key(spec: EngineSpec, tool: str | None = None) -> str:
    """Tool version + profile (its merged content) + rule selection + extractor config."""
    from reviewer.profile import load_profile

    blob = json.dumps(
        {
            "tool": tool or tool_fingerprint(),
            "profile": load_profile(spec.profile).model_dump(mode="json"),
            "select": sorted(spec.select),
            "ignore": sorted(spec.ignore),
            "extractor": spec.extractor,
            "options": sorted(spec.extractor_options),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


class LiveLines:
    """findings.jsonl while the batch runs. Each line goes to the kernel in one write() on an
    O_APPEND descriptor, so however the process dies the file ends with a whole line. fsync (which
    only matters if the machine itself goes down) runs at most every SYNC_EVERY seconds and at the
    end: at several ms per call on a busy disk, fsync per line would cap the batch below 150
    reports/s. The state (SQLite, WAL) is the record; the outputs are regenerated from it."""

    SYNC_EVERY = 0.5

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        self.synced = time.monotonic()

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]
        if time.monotonic() - self.synced >= self.SYNC_EVERY:
            os.fsync(self.fd)
            self.synced = time.monotonic()

    def close(self) -> None:
        if self.fd >= 0:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1


def _lock(out: Path):
    """One batch per output folder. A POSIX record lock: held by this process only (the workers do
    not inherit it) and released by the kernel however the process ends."""
    f = open(out / ".lock", "w")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise UsageError(f"输出目录 {out} 正被另一个批量审核使用") from None
    return f


class Batch:
    """One run over a set of inputs into an output folder. ``runner`` is injectable: anything with
    ``start()``, ``run(tasks, total) -> outcomes`` and ``close(cancel)`` (reviewer.batch.runner),
    e.g. a runner that sends LLM requests with bounded concurrency."""

    def __init__(self, out: Path, spec: EngineSpec, *, jobs: int = 1, xlsx: bool = False, progress=None,
                 runner=None, pages: bool = True) -> None:
        self.out, self.spec, self.jobs, self.xlsx, self.with_pages = Path(out), spec, jobs, xlsx, pages
        self.progress = progress or NoProgress()
        self.runner = runner
        self.report = BatchReport()

    def _runner(self):
        if self.runner is None:
            self.runner = InlineRunner(self.spec) if self.jobs <= 1 else ProcessRunner(self.spec, self.jobs)
        return self.runner

    def run(self, paths: Iterable[str] | None = None, sources: Iterable[Source] | None = None) -> BatchReport:
        if sources is None:
            sources = expand(paths or (), exclude=self.out, skipped=self.report.skipped)
        found = iter(sources)
        first = next(found, None)
        if first is None:  # before anything in DIR is touched: a mistyped path keeps the last outputs
            raise UsageError("没有找到要审核的报告文件")
        self.out.mkdir(parents=True, exist_ok=True)
        lock = _lock(self.out)
        try:  # a state that cannot be opened (read-only, corrupt) leaves the last outputs untouched
            store = Store(self.out / STATE_FILE)
        except BaseException:
            lock.close()
            raise
        try:
            live = LiveLines(self.out / "findings.jsonl")
        except BaseException:
            store.close()
            lock.close()
            raise
        try:
            tool = tool_fingerprint()
            config = config_key(self.spec, tool)
            pages = None
            if self.with_pages:
                from reviewer.batch.pages import Pages

                pages = Pages(self.out, tool)
            store.begin_run()
            try:
                self.scan(itertools.chain([first], found), store, live, config)
                self.review(store, live)
                self.pair(store)
                if pages is not None:
                    self.pages(store, pages)
            except KeyboardInterrupt:
                self.report.interrupted = True
                if self.runner is not None:
                    self.runner.close(cancel=True)
                self.report.remaining = store.counts().get("todo", 0)
                self.report.pairs_left = store.pairs_pending() if not self.report.remaining else 0
            live.close()
            self.report.stats = write_outputs(store, self.out, xlsx=self.xlsx, link=pages.link if pages else None)
        finally:
            live.close()
            if self.runner is not None:
                self.runner.close()
            self.progress.close()
            store.close()
            lock.close()
        return self.report

    # --- the phases -------------------------------------------------------------------------
    def scan(self, sources: Iterable[Source], store: Store, live: LiveLines, config: str) -> None:
        """Hash every input; what the state already holds is done (and written) at once."""
        from schemas.output import FileResult

        rows: list[tuple] = []
        late = timeout_suffix(self.spec.timeout)
        for seq, src in enumerate(sources):
            self.report.total += 1
            cfg = config if src.year is None else f"{config}@{src.year}"
            try:
                if why := escapes(src.path, src.root):
                    raise InputError(why)
                sha = hashlib.sha256(read_bytes(src.path)).hexdigest()
            except InputError as e:  # unreadable: an error row, never stored under a hash
                result = FileResult(path="", error=str(e)).model_dump_json()
                rows.append((seq, src.path, "error", None, cfg, result, src.agency, agency_key(src.agency), src.year))
                self.report.failed += 1
                live.write(line(record((src.path, None, "error", result, src.agency, None, None, None))))
                continue
            result = store.result(sha, cfg)
            if result is None and late and (result := store.result(sha, cfg + late)) is not None:
                cfg += late  # it ran out of this very budget before
            if result is not None:
                rec = json.loads(result)
                self.report.count(not_report=not_report(rec), failed=rec.get("error") is not None, cached=True)
                live.write(line(record((src.path, sha, "done", None, src.agency, result, None, None))))
            status = "todo" if result is None else "done"
            rows.append((seq, src.path, status, sha, cfg, None, src.agency, agency_key(src.agency), src.year))
            if len(rows) >= SCAN_PAGE:
                store.add_inputs(rows)
                rows = []
        store.add_inputs(rows)

    def review(self, store: Store, live: LiveLines) -> None:
        todo = store.counts().get("todo", 0)
        if not todo:
            return
        runner = self._runner()
        runner.start()  # workers first, then the progress bar's thread
        self.progress.start("审核", self.report.total, self.report.total - todo)
        from reviewer.batch.dashboard import prepare

        prepare()  # the outputs' template, compiled while the workers review
        tasks = (("review", path, year) for path, _sha, year in store.todo())
        late = timeout_suffix(self.spec.timeout)
        for batch in batches(runner, tasks, todo):
            # stored first (one transaction a batch), then written: every line of findings.jsonl is in the state
            given = store.put_results([
                (o["path"], o["sha"], o["result"], o["agency"], agency_key(o["agency"]), o["year"], o["cache"],
                 late if o.get("timeout") else "")
                for o in batch
            ])
            lines = []
            for o, agency in zip(batch, given):
                stored = o["cache"] and o["sha"] is not None
                row = (o["path"], o["sha"], "done" if stored else "error", None if stored else o["result"], agency,
                       o["result"] if stored else None, None, None)
                lines.append(line(record(row)))
            live.write(b"".join(lines))
            for o in batch:
                self.report.count(not_report=o.get("not_report", False), failed=o["failed"], cached=False)
                self.progress.advance(o["failed"])
        self.progress.finish()

    def pages(self, store: Store, pages) -> None:
        """Render the pages that are not there yet (in the workers: each reads its report again)."""
        todo = pages.index(records(store))
        if not todo:
            return
        runner = self._runner()
        runner.start()
        self.progress.start("生成网页", todo, 0)
        for o in runner.run(pages.tasks(records(store)), total=todo):
            self.report.pages += o["ok"]
            self.progress.advance(not o["ok"])
        self.progress.finish()

    def pair(self, store: Store) -> None:
        self.report.pairs = store.pair_up()
        pending = store.pairs_pending()
        if not pending:
            return
        runner = self._runner()
        runner.start()
        self.progress.start("跨年度比对", self.report.pairs, self.report.pairs - pending)
        for batch in batches(runner, (("pair", *t) for t in store.pairs_todo()), pending):
            store.put_pairs([(o["path"], o["findings"]) for o in batch if o["cache"]])
            for o in batch:
                self.report.pairs_reviewed += 1
                self.progress.advance(not o["cache"])
        self.progress.finish()


def batches(runner, tasks: Iterable[tuple], total: int) -> Iterator[list[dict]]:
    """The runner's outcomes as they arrive, in the batches it delivers them in (``run_batches``:
    a worker's chunk); one at a time from a runner that has only ``run``."""
    by_batch = getattr(runner, "run_batches", None)
    if by_batch is not None:
        yield from by_batch(tasks, total=total)
    else:
        yield from ([o] for o in runner.run(tasks, total=total))
