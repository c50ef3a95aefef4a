"""Benchmarks of the core reviewer (figures printed, not asserted; see README "Performance").

    python evals/bench.py [--runs N]

- cold start: wall time of `python -m reviewer SAMPLE` as a ratio to `python -c pass` (target ≤ 8);
- in-process: median time to review one sample with a warm engine (target ≤ 5 ms).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = sorted((ROOT / "evals" / "samples").glob("*.txt"))


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()

    sample = str(SAMPLES[3])
    base = wall([sys.executable, "-c", "pass"], args.runs)
    cold = wall([sys.executable, "-m", "reviewer", sample], args.runs)
    print(f"cold start: python -c pass {base * 1000:.0f} ms, review {cold * 1000:.0f} ms, ratio {cold / base:.1f} (target ≤ 8)")

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


if __name__ == "__main__":
    main()
