"""Benchmarks of the core reviewer and the batch (figures printed, not asserted; see README "Performance").

    python evals/bench.py [--runs N] [--reports N] [--rounds N] [--jobs N]
    python evals/bench.py --hostile [--only NAME,...] [--kill-after S] [--mem-cap MB]

One run prints, side by side, for the samples and the batch corpus (N distinct reports, made as
evals/bench_batch.py makes them, one year per agency) and for one 2 MB report:
- cold start: wall time of `review FILE` as a ratio to `python -c pass` (target ≤ 6), in a fresh
  virtualenv with a plain `pip install .` (what a user has; `--no-fresh` skips building it) and with
  this interpreter (`python -m reviewer FILE`; an editable install's import hooks slow `pass` too);
- in-process: the time to review one report with a warm engine (target ≤ 5 ms median on the samples);
- batch: `review batch --no-pages` (the Batch of reviewer.batch, after its imports, as the command
  runs it) in a process of its own: reports/s against cores × the in-process rate on the same files,
  measured in the same round (target ≥ 70%), and the CPU the batch used against the in-process CPU;
- peak RSS of the batch process and of its largest worker;
- tables, worst case: the time to review a report whose tables hold hostile run-together digits —
  a 100-digit run after a table 三 row label, a 100-digit run in table 四, a 40-row table of
  run-together digits (target < 1 s each; the splitter is bounded, tables/split.py).
- --hostile: every attack of tests/hostile/attacks.py, each in its own subprocess, built at full size:
  exit code, wall time and peak RSS (of the process and the workers it waited for; target: every
  case within 20 s and 1 GB, exit 0, 1 or 2, no traceback).
The machine is shared: each round measures the in-process rate and the batch one after the other,
and the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals"))  # bench_batch (the corpus)

SAMPLES = sorted((ROOT / "evals" / "samples").glob("*.txt"))
SCRAPED = ROOT / "evals" / "bases" / "clean_scraped_2022.txt"
TSV = ROOT / "evals" / "bases" / "clean_department_2023.txt"


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def interleaved(a: list[str], b: list[str], runs: int) -> tuple[float, float]:
    """Medians of ``a`` and ``b`` run alternately (the shared machine's drift hits both alike)."""
    for _ in range(2):
        wall(b, 1)  # warm: bytecode and the pattern cache written on a first run
    ta, tb = [], []
    for _ in range(runs):
        ta.append(wall(a, 1))
        tb.append(wall(b, 1))
    return statistics.median(ta), statistics.median(tb)


def fresh_venv(where: Path) -> Path | None:
    """A new virtualenv with a plain (non-editable) ``pip install`` of this checkout: its python."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    py = where / "bin" / "python"
    done = subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(ROOT)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        print(f"fresh virtualenv: pip install failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    return py


def measure(argv: list[str], kill_after: float, mem_cap: int) -> tuple[int | None, float, float, str]:
    """Run ``python -m reviewer ARGV``: (exit code or None when killed, seconds, peak RSS in MB, output)."""

    def limit() -> None:  # keep a runaway case from taking the shared machine down
        if mem_cap:
            resource.setrlimit(resource.RLIMIT_AS, (mem_cap << 20, mem_cap << 20))
        os.setsid()

    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "REVIEW_MODEL")}
    with tempfile.TemporaryFile() as out:
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "reviewer", *argv], cwd=ROOT, stdout=out, stderr=out,
                                stdin=subprocess.DEVNULL, env=env, preexec_fn=limit)
        code: int | None = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - t > kill_after:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - t
        proc.returncode = code if code is not None else -9
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return code, seconds, usage.ru_maxrss / 1024, text


def hostile(only: list[str], kill_after: float, mem_cap: int) -> None:
    from tests.hostile.attacks import ATTACKS

    print("| case | exit | time (s) | peak RSS (MB) | answer |")
    print("| --- | ---: | ---: | ---: | --- |")
    worst_t, worst_m, bad = 0.0, 0.0, []
    for attack in ATTACKS:
        if only and attack.name not in only:
            continue
        folder = Path(tempfile.mkdtemp(prefix=f"hostile-{attack.name}-"))
        try:
            argv = attack.build(folder, True)
            code, seconds, peak, text = measure(argv, kill_after, mem_cap)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        answer = _answer(text)
        if code is None:
            answer = f"killed after {kill_after:.0f} s"
        elif "Traceback" in text:
            answer = "TRACEBACK: " + answer
        ok = code in (0, 1, 2) and "Traceback" not in text and seconds <= 20 and peak <= 1024
        bad += [] if ok else [attack.name]
        worst_t, worst_m = max(worst_t, seconds), max(worst_m, peak)
        print(f"| {attack.name} | {'-' if code is None else code} | {seconds:.2f} | {peak:.0f} | {answer} |", flush=True)
    print(f"\nworst: {worst_t:.2f} s, {worst_m:.0f} MB; over 20 s / 1 GB, or a bad exit or a traceback: "
          f"{', '.join(bad) or 'none'}")


def _answer(text: str) -> str:
    """The telling line of a case's output: its error, else the summary line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    chosen = next((ln for ln in lines if "错误：" in ln or "Error:" in ln or "Traceback" in ln), None)
    chosen = chosen or next((ln for ln in lines if ln.startswith("共")), lines[-1] if lines else "")
    return chosen.replace("|", "\\|")[-110:]


def cores() -> int:
    """The cores this process may run on (what --jobs defaults to)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def big_report(folder: Path, size: int = 2 << 20) -> Path:
    """A report of ``size`` bytes: a clean base whose section 一 is padded with its own paragraphs."""
    base = TSV.read_text(encoding="utf-8")
    paras = [ln for ln in base.split("\n") if len(ln) > 60]
    cut, filler, total = base.index("\n二、"), [], len(base.encode())
    while total < size:
        filler.append(paras[len(filler) % len(paras)])
        total += len(filler[-1].encode()) + 1
    path = folder / "big" / "big_2mb.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(base[:cut] + "\n" + "\n".join(filler) + base[cut:], encoding="utf-8")
    return path


def batch_child(corpus: str, out: str, jobs: int) -> None:
    """``--batch-child``: one batch run in this (fresh) process; its figures as a JSON line."""
    from reviewer.batch import Batch, EngineSpec

    spec = EngineSpec()
    spec.build()  # what `review batch` does before it starts (a wrong option is a usage error first)
    t, cpu = time.perf_counter(), time.process_time()
    report = Batch(Path(out), spec, jobs=jobs, pages=False).run([corpus])
    seconds = time.perf_counter() - t
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "seconds": seconds, "reports": report.total, "reviewed": report.reviewed, "failed": report.failed,
        "cpu_main": time.process_time() - cpu, "cpu_workers": kids.ru_utime + kids.ru_stime,
        "rss_batch": me.ru_maxrss / 1024, "rss_worker": kids.ru_maxrss / 1024,
    }))


def run_batch(corpus: Path, out: Path, jobs: int) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run([sys.executable, __file__, "--batch-child", str(corpus), str(out), str(jobs)],
                          cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


_ENGINE = None  # the warm engine the side-by-side loops inherit (fork)


def _loop(files: list[str]) -> None:
    for f in files:
        _ENGINE.review_path(f)


def side_by_side(engine, files: list[str], jobs: int) -> tuple[float, float]:
    """The machine's own ceiling: ``jobs`` forked copies of the warm in-process loop, each over its
    share of the files, no batch at all. (wall seconds, CPU seconds of the loops)"""
    import multiprocessing

    global _ENGINE
    _ENGINE = engine
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(int, range(jobs))  # started
        t = time.perf_counter()
        pool.map(_loop, [files[i::jobs] for i in range(jobs)], chunksize=1)
        seconds = time.perf_counter() - t
        pool.close()
        pool.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def in_process(engine, files: list[str]) -> tuple[float, float]:
    """Wall and CPU ms per report of one warm pass over ``files`` in this process."""
    t, cpu = time.perf_counter(), time.process_time()
    for f in files:
        engine.review_path(f)
    return (time.perf_counter() - t) * 1000 / len(files), (time.process_time() - cpu) * 1000 / len(files)


def batch_figures(engine, n: int, rounds: int, jobs: int, runs: int) -> dict:
    """The batch against the in-process rate, on n distinct reports and on one 2 MB report."""
    from bench_batch import make_corpus

    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        corpus = work / "corpus"
        make_corpus(corpus, n, pairs=False)
        files = sorted(str(p) for p in corpus.rglob("*.txt"))
        in_process(engine, files[: min(50, n)])  # warm up
        print(f"\nbatch: {n} distinct reports, --jobs {jobs} on {cores()} cores, --no-pages; "
              f"load average {os.getloadavg()[0]:.1f}")
        per_round = []
        for r in range(rounds):
            ms, cpu_ms = in_process(engine, files)
            sbs, sbs_cpu = side_by_side(engine, files, jobs)
            b = run_batch(corpus, work / "out", jobs)
            rate, ideal, ceiling = b["reports"] / b["seconds"], jobs * 1000 / ms, n / sbs
            cpu = b["cpu_main"] + b["cpu_workers"]
            per_round.append({"ms": ms, "rate": rate, "ideal": ideal, "ratio": rate / ideal, "ceiling": ceiling,
                              "of_ceiling": rate / ceiling, "ceiling_share": ceiling / ideal, "cpu_share": cpu_ms * n / 1000 / cpu,
                              "sbs_cpu_share": sbs_cpu / cpu, **b})
            print(f"  round {r + 1}: in-process {ms:.2f} ms/report (CPU {cpu_ms:.2f} ms) -> cores × rate {ideal:.0f}/s; "
                  f"{jobs} in-process loops side by side {ceiling:.0f}/s ({ceiling / ideal:.0%}); "
                  f"batch {b['seconds']:.2f} s = {rate:.0f} reports/s = {rate / ideal:.0%} of cores × rate, "
                  f"{rate / ceiling:.0%} of the loops side by side; batch CPU {b['cpu_main']:.2f} s (batch process) + "
                  f"{b['cpu_workers']:.2f} s (workers), the loops side by side {sbs_cpu:.2f} s; peak RSS "
                  f"{b['rss_batch']:.0f} / {b['rss_worker']:.0f} MB; load {os.getloadavg()[0]:.1f}", flush=True)
        best = max(per_round, key=lambda f: f["ratio"])

        big = big_report(work)
        base = wall([sys.executable, "-c", "pass"], max(3, runs // 3))
        cold = wall([sys.executable, "-m", "reviewer", str(big)], max(3, runs // 3))
        engine.review_path(big)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            engine.review_path(big)
            times.append(time.perf_counter() - t)
        one = run_batch(big.parent, work / "out-big", jobs)
        return {"rounds": per_round, "best": best,
                "big": {"mb": big.stat().st_size / 2**20, "cold": cold, "pass": base,
                        "ms": statistics.median(times) * 1000, **one}}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--reports", type=int, default=400, help="batch corpus size (distinct reports)")
    ap.add_argument("--rounds", type=int, default=3, help="in-process pass + batch run, this many times")
    ap.add_argument("--jobs", type=int, default=cores(), help="batch workers (default: the cores, as review batch)")
    ap.add_argument("--no-fresh", action="store_true", help="skip the cold start in a fresh virtualenv")
    ap.add_argument("--no-batch", action="store_true", help="only the cold start, in-process and tables figures")
    ap.add_argument("--hostile", action="store_true", help="time and peak memory of every hostile input")
    ap.add_argument("--only", default="", help="with --hostile: only these cases (comma-separated names)")
    ap.add_argument("--kill-after", type=float, default=120.0, help="with --hostile: kill a case after S seconds")
    ap.add_argument("--mem-cap", type=int, default=6144, help="with --hostile: address-space cap per case (MB)")
    ap.add_argument("--batch-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.batch_child:
        batch_child(args.batch_child[0], args.batch_child[1], int(args.batch_child[2]))
        return
    if args.hostile:
        hostile([n for n in args.only.split(",") if n], args.kill_after, args.mem_cap)
        return

    print(f"{cores()} cores, load average {os.getloadavg()[0]:.1f}")
    sample = str(SAMPLES[3])
    fresh = None
    if not args.no_fresh:
        with tempfile.TemporaryDirectory() as tmp:
            py = fresh_venv(Path(tmp) / "venv")
            if py is not None:
                fresh = interleaved([str(py), "-c", "pass"], [str(py.parent / "review"), sample], args.runs)
                print(f"cold start, fresh virtualenv (pip install .): python -c pass {fresh[0] * 1000:.0f} ms, "
                      f"review {fresh[1] * 1000:.0f} ms, ratio {fresh[1] / fresh[0]:.1f} (target ≤ 6)")
    base, cold = interleaved([sys.executable, "-c", "pass"], [sys.executable, "-m", "reviewer", sample], args.runs)
    print(f"cold start, this interpreter: python -c pass {base * 1000:.0f} ms, python -m reviewer {cold * 1000:.0f} ms, "
          f"ratio {cold / base:.1f} (target ≤ 6)")

    from reviewer.engine import Engine

    engine = Engine()
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in SAMPLES]
    for name, text in texts:
        engine.review_text(text, name)  # warm up
    per_sample = {}
    for name, text in texts:
        times = []
        for _ in range(max(50, args.runs * 5)):
            t = time.perf_counter()
            engine.review_text(text, name)
            times.append(time.perf_counter() - t)
        per_sample[name] = statistics.median(times) * 1000
    overall = statistics.median(per_sample.values())
    for name, ms in per_sample.items():
        print(f"in-process: {name} {ms:.2f} ms")
    print(f"in-process median over samples: {overall:.2f} ms (target ≤ 5 ms)")
    worst = tables_worst_case(engine, args.runs)
    if args.no_batch:
        return
    b = batch_figures(engine, args.reports, args.rounds, args.jobs, args.runs)
    best, big = b["best"], b["big"]
    print(f"\n| figure | the samples / {args.reports} distinct reports | one {big['mb']:.1f} MB report |")
    print("| --- | --- | --- |")
    if fresh is not None:
        print(f"| cold start, fresh virtualenv: `review FILE` / `python -c pass` | {fresh[1] * 1000:.0f} / "
              f"{fresh[0] * 1000:.0f} ms = {fresh[1] / fresh[0]:.1f} (target ≤ 6) | |")
    print(f"| cold start, this interpreter: `python -m reviewer FILE` / `python -c pass` | {cold * 1000:.0f} / "
          f"{base * 1000:.0f} ms = {cold / base:.1f} | {big['cold'] * 1000:.0f} / {big['pass'] * 1000:.0f} ms = "
          f"{big['cold'] / big['pass']:.1f} |")
    print(f"| in-process review, warm | {overall:.2f} ms median over the samples (target ≤ 5); "
          f"{best['ms']:.2f} ms/report over the corpus | {big['ms']:.0f} ms |")
    rounds = b["rounds"]

    def spread(key: str) -> str:
        values = [f[key] for f in rounds]
        return f"**{statistics.median(values):.0%}** (rounds {min(values):.0%}–{max(values):.0%})"

    print(f"| batch, --jobs {args.jobs}, --no-pages: reports/s against cores × in-process rate (target ≥ 70%) | "
          f"{spread('ratio')}; best round {best['rate']:.0f} reports/s against {best['ideal']:.0f}/s | "
          f"{big['seconds']:.2f} s |")
    print(f"| the same rounds: the batch against {args.jobs} in-process loops side by side (no batch: the "
          f"machine's own ceiling, {spread('ceiling_share')} of cores × rate) | {spread('of_ceiling')} | |")
    print(f"| CPU: the loops side by side / the batch (batch process + workers) | {spread('sbs_cpu_share')}; "
          f"best round {best['cpu_main']:.2f} s + {best['cpu_workers']:.2f} s | "
          f"{big['cpu_main']:.2f} s + {big['cpu_workers']:.2f} s |")
    print(f"| peak RSS: batch process / largest worker | {best['rss_batch']:.0f} / {best['rss_worker']:.0f} MB | "
          f"{big['rss_batch']:.0f} / {big['rss_worker']:.0f} MB |")
    print(f"| tables, worst case (hostile run-together digits) | {worst * 1000:.0f} ms (target < 1 s) | |")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


def hostile_reports() -> dict[str, str]:
    """Reports whose tables hold digit runs no real table has (random digits, fixed seed)."""
    import random

    rng = random.Random(11)

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    scraped = SCRAPED.read_text(encoding="utf-8")
    out = {
        "100 digits after a table 三 row label": scraped.replace("一、本年新收政府信息公开申请数量213001025", "一、本年新收政府信息公开申请数量" + digits(100)),
        "100 digits in table 四": scraped.replace("1 0 0 0 1 0 0 0 1 1 0 0 0 0 0", digits(100)),
    }
    for n in (30, 40, 49):  # the longest runs a 7-cell row of at most 7-digit cells can hold
        out[f"every table 三 row {n} digits"] = re.sub(
            r"(?<=[\u4e00-\u9fff”）)])\d{7,9}(?=[\u4e00-\u9fff（(]|\d\.)", lambda _: digits(n), scraped
        )
    # a 40-row table of run-together digits: table 三's 25 rows and 15 more, as Markdown rows
    tsv = TSV.read_text(encoding="utf-8")
    start, end = tsv.index("一、本年新收政府信息公开申请数量"), tsv.index("\n\n", tsv.index("四、结转下年度继续办理"))
    rows = []
    for line in tsv[start:end].split("\n"):
        label = re.sub(r"[\t\d]+$", "", line).replace("\t", " ")
        rows.append(f"| {label} | {digits(rng.randint(20, 45))} |")
        if len(rows) % 5 == 0:
            rows.append(f"| | {digits(rng.randint(20, 45))} |" * 1)
    rows += [f"| | {digits(rng.randint(20, 45))} |" for _ in range(40 - len(rows))]
    out["40-row table of run-together digits"] = tsv[:start] + "\n".join(rows[:40]) + tsv[end:]
    return out


def tables_worst_case(engine, runs: int) -> float:
    worst = 0.0
    for name, text in hostile_reports().items():
        times = []
        for _ in range(max(3, runs // 3)):
            t = time.perf_counter()
            engine.review_text(text, "hostile.txt")
            times.append(time.perf_counter() - t)
        worst = max(worst, max(times))
        print(f"tables worst case: {name}: {max(times) * 1000:.0f} ms (median {statistics.median(times) * 1000:.0f} ms)")
    print(f"tables worst case overall: {worst * 1000:.0f} ms (target < 1 s)")
    return worst


if __name__ == "__main__":
    main()
