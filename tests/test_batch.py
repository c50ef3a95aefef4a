"""review batch: outputs, resumability, idempotence, error rows, cross-year pairs, manifests."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.batch import Batch, EngineSpec
from reviewer.batch.runner import ProcessRunner
from reviewer.engine import Engine
from schemas.batch import BatchRecord
from tests.conftest import BASES, ROOT, SAMPLES

OUTPUTS = ("findings.jsonl", "summary.csv", "index.html")


def shifted(text: str) -> str:
    """The same agency's report one year earlier."""
    return text.replace("2022", "2021").replace("2023", "2022").replace("2024", "2023")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "reports"
    (src / "sub").mkdir(parents=True)
    for f in SAMPLES.glob("*.txt"):
        shutil.copy(f, src / f.name)
    base = (BASES / "clean_department_2023.txt").read_text(encoding="utf-8")
    (src / "sub" / "clean_2023.txt").write_text(base, encoding="utf-8")
    (src / "sub" / "clean_2022.txt").write_text(shifted(base), encoding="utf-8")
    (src / "broken.txt").write_bytes(bytes(range(256)) * 8)
    (src / "notes.csv.bak").write_text("not a report", encoding="utf-8")
    return src


def run(paths, out: Path, **kw):
    return Batch(out, EngineSpec(), **kw).run([str(p) for p in paths])


def lines(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_outputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = run([corpus], out)
    assert (report.total, report.reviewed, report.cached, report.failed) == (8, 7, 0, 1)
    recs = lines(out)
    assert [r["path"] for r in recs] == sorted(r["path"] for r in recs) and len(recs) == 8
    for r in recs:
        BatchRecord.model_validate(r)
    by_name = {Path(r["path"]).name: r for r in recs}
    assert by_name["broken.txt"]["error"] and by_name["broken.txt"]["sha256"]
    # each line is what `review --format json` says about the file, plus the batch's fields
    engine = Engine()
    for f in SAMPLES.glob("*.txt"):
        expected = json.loads(engine.review_path(corpus / f.name).model_dump_json())
        got = {k: v for k, v in by_name[f.name].items() if k not in ("sha256", "previous")}
        assert got == expected
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["文件", "机关", "层级"] and len(rows) == 9
    row = next(r for r in rows if r[0].endswith("002_0282ec6a975384cb.txt"))
    res = engine.review_path(corpus / "002_0282ec6a975384cb.txt")
    c = res.counts()
    assert row[1] == "韩城镇人民政府" and row[3] == "2022" and row[4] == "rules"
    assert row[5:8] == [str(c["error"]), str(c["warning"]), str(c["info"])] and c["warning"] > 0
    assert row[8] == " ".join(sorted({f.code for f in res.findings})) and "T102" in row[8]


def test_rerun_is_cached_and_identical(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([corpus], out)
    first = snapshot(out)
    again = run([corpus], out)
    assert again.reviewed == 0 and again.cached == 7 and again.pairs_reviewed == 0
    assert again.failed == 1  # the binary file from the state too: its error depends only on its bytes
    assert snapshot(out) == first


def test_adding_a_file_adds_exactly_its_row(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([corpus], out)
    before = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    shutil.copy(BASES / "clean_department_2023.txt", corpus / "added.txt")
    report = run([corpus], out)
    assert report.reviewed == 0 and report.cached == 8  # same content as clean_2023: a cache hit
    after = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before) + 1 and set(before) < set(after)
    csv_rows = (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_rows) == len(before) + 2


def test_changed_file_is_reviewed_again(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([corpus], out)
    target = corpus / "002_0282ec6a975384cb.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("本年度止件数", "本年废止件数"), encoding="utf-8")
    report = run([corpus], out)
    assert report.reviewed == 1
    rec = next(r for r in lines(out) if r["path"].endswith(target.name))
    assert "T102" not in {f["code"] for f in rec["findings"] if "本年度止件数" in f["message"]}


def test_cross_year_pairs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = run([corpus], out)
    assert report.pairs == 1
    recs = {Path(r["path"]).name: r for r in lines(out)}
    cur, prev = recs["clean_2023.txt"], recs["clean_2022.txt"]
    assert cur["previous"].endswith("clean_2022.txt") and prev["previous"] is None
    codes = [f["code"] for f in cur["findings"]]
    assert codes.count("C101") == 2 and "C102" in codes
    assert [(f["line"], f["column"]) for f in cur["findings"]] == sorted((f["line"], f["column"]) for f in cur["findings"])
    assert not [f for f in prev["findings"] if f["code"].startswith("C")]


def test_manifest_agency_and_year(tmp_path: Path) -> None:
    """A manifest's agency and year win: two reports without a recognisable agency pair up."""
    base = (BASES / "clean_department_2023.txt").read_text(encoding="utf-8")
    strip = lambda t: t.replace("临川市生态环境局2023年", "2023年").replace("临川市生态环境局2022年", "2022年")  # noqa: E731
    (tmp_path / "a.txt").write_text(strip(base), encoding="utf-8")
    (tmp_path / "b.txt").write_text(strip(shifted(base)), encoding="utf-8")
    manifest = tmp_path / "list.csv"
    manifest.write_bytes("path,机关,年度\na.txt,某局,2023\nb.txt,某局,2022年\nmissing.txt,某局,2021\n".encode("gb18030"))
    out = tmp_path / "out"
    report = run([manifest], out)
    assert report.total == 3 and report.failed == 1 and report.pairs == 1
    recs = {Path(r["path"]).name: r for r in lines(out)}
    assert recs["a.txt"]["report"]["agency"] == "某局" and recs["a.txt"]["previous"].endswith("b.txt")
    assert recs["missing.txt"]["error"] == "文件不存在" and recs["missing.txt"]["sha256"] is None


def test_a_mistyped_path_keeps_the_last_outputs(corpus: Path, tmp_path: Path) -> None:
    from reviewer.errors import UsageError

    out = tmp_path / "out"
    run([corpus], out)
    before = snapshot(out)
    with pytest.raises(UsageError):
        run([tmp_path / "no-such-folder" / "*.txt"], out)
    assert snapshot(out) == before


def test_globs_duplicates_and_own_output_are_skipped(corpus: Path, tmp_path: Path) -> None:
    out = corpus / "out"  # inside the scanned folder: its index.html is not a report
    run([corpus], out)
    report = run([corpus, corpus / "*.txt", corpus / "sub" / "clean_2023.txt"], out)
    assert report.total == 8


def test_jobs_give_the_same_outputs(corpus: Path, tmp_path: Path) -> None:
    run([corpus], tmp_path / "one")
    run([corpus], tmp_path / "two", jobs=2)
    strip = lambda b: b.replace(str(tmp_path / "two").encode(), str(tmp_path / "one").encode())  # noqa: E731
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert all(one[k] == strip(two[k]) for k in OUTPUTS)


def test_xlsx(corpus: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    run([corpus], out, xlsx=True)
    rows = list(load_workbook(out / "summary.xlsx").active.values)
    assert rows[0][0] == "文件" and len(rows) == 9
    run([corpus], out, xlsx=True)
    assert list(load_workbook(out / "summary.xlsx").active.values) == rows


class CrashingSpec(EngineSpec):
    """An engine whose worker dies on one report (as a segfault in a parser would)."""

    def build(self):
        engine = super().build()
        real = engine.review_path

        def review_path(path, **kw):
            if str(path).endswith("crash.txt"):
                import os

                os._exit(3)
            return real(path, **kw)

        engine.review_path = review_path
        return engine


def test_a_dying_worker_takes_only_its_report(tmp_path: Path) -> None:
    paths = []
    for i in range(9):
        p = tmp_path / (f"r{i}.txt" if i != 4 else "crash.txt")
        shutil.copy(BASES / "clean_department_2023.txt", p)
        paths.append(str(p))
    runner = ProcessRunner(CrashingSpec(), jobs=2, chunk=4)
    try:
        outcomes = {Path(o["path"]).name: o for o in runner.run(("review", p, None) for p in paths)}
    finally:
        runner.close()
    assert len(outcomes) == 9
    assert "意外退出" in json.loads(outcomes["crash.txt"]["result"])["error"] and not outcomes["crash.txt"]["cache"]
    assert all(o["cache"] for n, o in outcomes.items() if n != "crash.txt")


class CountingSpec(EngineSpec):
    """Records, in a file, the process each engine is built in."""

    def build(self):
        import os

        with open(dict(self.runtime)["log"], "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return super().build()


def test_forked_workers_inherit_the_engine_built_once_in_the_batch(tmp_path: Path) -> None:
    import os

    log = tmp_path / "built.log"
    runner = ProcessRunner(CountingSpec(runtime=(("log", str(log)),)), jobs=2, chunk=2)
    try:
        outcomes = list(runner.run(("review", str(p), None) for p in sorted(SAMPLES.glob("*.txt"))))
    finally:
        runner.close()
    assert len(outcomes) == 5 and not any(o["failed"] for o in outcomes)
    assert log.read_text(encoding="utf-8").split() == [str(os.getpid())]  # never again in a worker


def variants_of(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    base = (BASES / "clean_department_2023.txt").read_text(encoding="utf-8")
    out = []
    for i in range(n):
        out.append(folder / f"r{i:03d}.txt")
        out[-1].write_text(base.replace("组织业务培训2次", f"组织业务培训{i}次"), encoding="utf-8")
    return out


def test_a_workers_chunk_is_stored_in_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer.batch import store as store_module

    variants_of(tmp_path / "src", 48)
    sizes: list[int] = []
    real = store_module.Store.put_results

    def counting(self, items):
        sizes.append(len(items))
        return real(self, items)

    monkeypatch.setattr(store_module.Store, "put_results", counting)
    report = run([tmp_path / "src"], tmp_path / "out", jobs=2)
    assert report.reviewed == 48 and sum(sizes) == 48 and max(sizes) > 1  # chunks, not one report a commit
    assert len(lines(tmp_path / "out")) == 48
    monkeypatch.setattr(store_module.Store, "put_results", real)
    assert run([tmp_path / "src"], tmp_path / "out", jobs=1).cached == 48  # every one of them stored


def test_chunks_shrink_towards_the_end() -> None:
    runner = ProcessRunner(EngineSpec(), jobs=2, chunk=16)
    sizes = [len(c) for c in runner._chunks(iter(range(400)), 400)]
    assert sum(sizes) == 400 and sizes[0] == 16 and sizes[-1] == 1
    assert sizes == sorted(sizes, reverse=True)  # no long chunk after a short one
    assert [len(c) for c in runner._chunks(iter(range(40)), None)] == [16, 16, 8]  # total unknown: fixed size


def test_store_put_results(tmp_path: Path) -> None:
    from reviewer.batch.store import Store

    store = Store(tmp_path / "state.sqlite")
    try:
        store.begin_run()
        store.add_inputs([(i, f"r{i}.txt", "todo", None, "cfg", None, "机关" if i == 1 else None, None, None)
                          for i in range(3)])
        given = store.put_results([
            ("r0.txt", "a" * 64, '{"x": 0}', None, None, 2023, True, ""),
            ("r1.txt", "b" * 64, '{"x": 1}', None, None, 2023, True, "#timeout=15"),
            ("r2.txt", None, '{"error": "x"}', None, None, None, False, ""),
        ])
        assert given == [None, "机关", None]
        assert store.result("a" * 64, "cfg") == '{"x": 0}' and store.result("b" * 64, "cfg#timeout=15") == '{"x": 1}'
        assert store.counts() == {"done": 2, "error": 1}
    finally:
        store.close()


# --- the command ------------------------------------------------------------------------------
def review(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], cwd=ROOT, capture_output=True, text=True, **kw)


def test_cli_batch(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = review("batch", str(corpus), "--out", str(out), "--jobs", "2")
    assert r.returncode == 0, r.stderr
    assert "共 7 份报告" in r.stdout and "另有 1 个文件无法审核" in r.stdout and "跨年度比对 1 份" in r.stdout
    assert "review batch: 审核 8/8（失败 1）" in r.stderr  # plain progress lines off a terminal
    assert len(lines(out)) == 8
    r = review("batch", str(corpus), "--out", str(out), "--no-progress")
    assert "新审核 0 份，使用缓存 7 份" in r.stdout and r.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["batch", "nothing-here/*.txt", "--out", "{tmp}/out"], "没有找到要审核的报告文件"),
        (["batch", ".", "--out", "{tmp}/file"], "不是目录"),
        (["batch", ".", "--out", "{tmp}/out", "--profile", "nosuch"], "未知的配置"),
        (["batch", "{tmp}/bad.csv", "--out", "{tmp}/out"], "没有 path"),
    ],
)
def test_cli_batch_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("name\nx\n", encoding="utf-8")
    r = review(*[a.format(tmp=tmp_path) for a in args])
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_cli_batch_lock(corpus: Path, tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "w") as held:
        fcntl.lockf(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        r = review("batch", str(corpus), "--out", str(out))
    assert r.returncode == 2 and "正被另一个批量审核使用" in r.stderr


# --- killed and interrupted runs -----------------------------------------------------------------
N_VARIANTS = 250
def variants(folder: Path, n: int) -> Path:
    """n distinct reports (no two share a hash)."""
    folder.mkdir()
    base = (BASES / "clean_department_2023.txt").read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"r{i:04d}.txt").write_text(base.replace("组织业务培训2次", f"组织业务培训{i}次"), encoding="utf-8")
    return folder


def start_and_stop(src: Path, out: Path, sig: int, after: int = 20) -> subprocess.CompletedProcess:
    """Start a batch and send it ``sig`` once ``after`` reports are in findings.jsonl."""
    import signal  # noqa: F401
    import time

    p = subprocess.Popen(
        [sys.executable, "-m", "reviewer", "batch", str(src), "--out", str(out), "--jobs", "2", "--no-progress"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and p.poll() is None:
        f = out / "findings.jsonl"
        if f.exists() and f.read_bytes().count(b"\n") >= after:
            break
        time.sleep(0.002)
    p.send_signal(sig)
    stdout, stderr = p.communicate(timeout=60)
    return subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr)


def workers_left(out: Path) -> list[int]:
    import time

    time.sleep(0.3)
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(out).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_kill_loses_nothing_finished(tmp_path: Path) -> None:
    import signal

    src, out = variants(tmp_path / "src", N_VARIANTS), tmp_path / "out"
    r = start_and_stop(src, out, signal.SIGKILL)
    assert r.returncode == -signal.SIGKILL
    raw = (out / "findings.jsonl").read_bytes()
    assert raw.endswith(b"\n")  # never a half-written line
    done = [json.loads(x)["path"] for x in raw.splitlines()]
    assert 20 <= len(done) < N_VARIANTS and len(set(done)) == len(done)
    assert workers_left(out) == []  # the workers die with the batch
    again = review("batch", str(src), "--out", str(out), "--no-progress")
    assert again.returncode == 0, again.stderr
    cached = int(again.stdout.split("使用缓存 ")[1].split(" ")[0])
    assert cached >= len(done)
    final = lines(out)
    assert len(final) == N_VARIANTS and len({r["path"] for r in final}) == N_VARIANTS


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_interrupt_keeps_what_finished(tmp_path: Path, signame: str) -> None:
    import signal

    src, out = variants(tmp_path / "src", N_VARIANTS), tmp_path / "out"
    r = start_and_stop(src, out, getattr(signal, signame))
    assert r.returncode == 130 and "已中断" in r.stderr and "Traceback" not in r.stderr
    recs = lines(out)
    assert 20 <= len(recs) < N_VARIANTS
    assert f"尚有 {N_VARIANTS - len(recs)} 份报告未审核" in r.stdout  # the summary says what remains
    rows = (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == len(recs) + 1 and (out / "index.html").exists()
    assert workers_left(out) == []
