"""Benchmark of ``review batch`` (rules only): throughput, cache hits, memory as the batch grows.

    python evals/bench_batch.py                 # 400 reports, --jobs 2, cold and warm runs
    python evals/bench_batch.py --sizes 400,2000,10000   # memory flat? a 10,000-report run
    python evals/bench_batch.py --profile       # where the time goes in the per-report engine

The corpus is copies of evals/samples and evals/bases made distinct (each copy's agency gets its
own prefix; a quarter of the clean base's copies are shifted one year back, so the same agency has
consecutive years and the cross-year phase runs too). Each size runs in its own process so the
peak RSS figures (ru_maxrss: the batch process, and its largest worker) do not mix.
Not a test: the figures depend on the machine. README's "Batch audits" section quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = sorted((ROOT / "evals" / "samples").glob("*.txt")) + sorted((ROOT / "evals" / "bases").glob("*.txt"))
TITLE_AGENCY = re.compile(r"^\s*(\S+?)(?:\n\s*)?(20\d\d)年", re.S)


def shifted(text: str) -> str:
    return text.replace("2022", "2021").replace("2023", "2022").replace("2024", "2023")


def make_corpus(folder: Path, n: int, pairs: bool = True) -> None:
    """n distinct sample-sized reports in subfolders of 500 (with ``pairs``, every fourth copy of a
    clean base is the previous year of the copy before it: about one report in nine has a pair)."""
    from reviewer.document import build_document

    texts = []
    for f in SOURCES:
        raw = f.read_text(encoding="utf-8")
        texts.append((f.stem, raw, build_document(raw, str(f)).agency))
    for i in range(n):
        stem, raw, agency = texts[i % len(texts)]
        k = i // len(texts)
        if agency:
            text = raw.replace(agency, f"第{k}区{agency}")
            if pairs and stem.startswith("clean") and k % 4 == 3:  # the previous year of copy k-1's agency
                text = shifted(raw.replace(agency, f"第{k - 1}区{agency}"))
        else:
            text = raw + "\n" * (k + 1)  # no agency to vary: still a distinct file
        sub = folder / f"part{i // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:05d}_{stem}.txt").write_text(text, encoding="utf-8")


def _cpu() -> tuple[float, float]:
    """CPU seconds used so far by this process and by its (finished) workers."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def one(n: int, jobs: int, workdir: Path, pairs: bool = True, pages: bool = True) -> dict:
    """Cold and warm runs over n reports, in this process."""
    from reviewer.batch import Batch, EngineSpec

    corpus, out = workdir / "corpus", workdir / "out"
    t = time.perf_counter()
    make_corpus(corpus, n, pairs)
    made = time.perf_counter() - t
    figures: dict = {"reports": n, "jobs": jobs, "corpus_seconds": round(made, 2), "pages": pages}
    for label in ("cold", "warm"):
        t, cpu = time.perf_counter(), _cpu()
        report = Batch(out, EngineSpec(), jobs=jobs, pages=pages).run([str(corpus)])
        wall = time.perf_counter() - t
        figures[label] = {
            "seconds": round(wall, 2),
            "cpu_seconds": round(sum(_cpu()) - sum(cpu), 2),
            "cpu_main": round(_cpu()[0] - cpu[0], 2),
            "reports_per_s": round(n / wall, 1),
            "reviewed": report.reviewed,
            "cached": report.cached,
            "pairs": report.pairs,
            "findings": sum(report.stats.severity.values()),
        }
    figures["peak_rss_mb_batch"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["peak_rss_mb_worker"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    figures["outputs_mb"] = round(sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 2**20, 1)
    return figures


def profile(n: int) -> None:
    """Where one process spends its time on the corpus (the per-report engine, no batch)."""
    import cProfile
    import pstats

    from reviewer.engine import Engine

    with tempfile.TemporaryDirectory() as tmp:
        make_corpus(Path(tmp), n)
        files = sorted(str(p) for p in Path(tmp).rglob("*.txt"))
        engine = Engine()
        t = time.perf_counter()
        for f in files:
            engine.review_path(f)
        print(f"one process, engine only: {len(files) / (time.perf_counter() - t):.0f} reports/s")
        prof = cProfile.Profile()
        prof.runcall(lambda: [engine.review_path(f) for f in files])
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="400", help="comma-separated batch sizes (each in its own process)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--profile", action="store_true", help="profile the engine on 400 reports instead")
    ap.add_argument("--no-pairs", action="store_true", help="one year per agency (no cross-year phase)")
    ap.add_argument("--no-pages", action="store_true", help="without the per-report pages (review batch --no-pages)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.profile:
        profile(400)
        return
    if args.one:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(one(args.one, args.jobs, Path(tmp), not args.no_pairs, not args.no_pages)))
        return
    print(f"CPU cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}")
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--jobs", str(args.jobs), *(["--no-pairs"] if args.no_pairs else []),
             *(["--no-pages"] if args.no_pages else [])],
            stdout=subprocess.PIPE, text=True, check=True,
        )
        f = json.loads(out.stdout.strip().splitlines()[-1])
        c, w = f["cold"], f["warm"]
        print(
            f"{n:>6} reports, --jobs {f['jobs']}{'' if f['pages'] else ', --no-pages'}: cold {c['seconds']}s = {c['reports_per_s']} reports/s "
            f"(CPU {c['cpu_seconds']}s, of which the batch process {c['cpu_main']}s) "
            f"({c['pairs']} cross-year pairs, {c['findings']} findings); warm rerun {w['seconds']}s "
            f"({w['cached']} cache hits, {w['reviewed']} reviewed); peak RSS batch {f['peak_rss_mb_batch']} MB, "
            f"largest worker {f['peak_rss_mb_worker']} MB; outputs {f['outputs_mb']} MB"
        )


if __name__ == "__main__":
    main()
