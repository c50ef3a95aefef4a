"""Benchmarks of the core reviewer (figures printed, not asserted; see README "Performance").

    python evals/bench.py [--runs N]

- cold start: wall time of `python -m reviewer SAMPLE` as a ratio to `python -c pass` (target ≤ 8);
- in-process: median time to review one sample with a warm engine (target ≤ 5 ms);
- tables, worst case: the time to review a report whose tables hold hostile run-together digits —
  a 100-digit run after a table 三 row label, a 100-digit run in table 四, a 40-row table of
  run-together digits (target < 1 s each; the splitter is bounded, tables/split.py).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
    tables_worst_case(engine, args.runs)


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


def tables_worst_case(engine, runs: int) -> None:
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


if __name__ == "__main__":
    main()
