"""Benchmarks of the core reviewer (figures printed, not asserted; see README "Performance").

    python evals/bench.py [--runs N]
    python evals/bench.py --hostile [--only NAME,...] [--kill-after S] [--mem-cap MB]

- cold start: wall time of `python -m reviewer SAMPLE` as a ratio to `python -c pass` (target ≤ 8);
- in-process: median time to review one sample with a warm engine (target ≤ 5 ms);
- tables, worst case: the time to review a report whose tables hold hostile run-together digits —
  a 100-digit run after a table 三 row label, a 100-digit run in table 四, a 40-row table of
  run-together digits (target < 1 s each; the splitter is bounded, tables/split.py).
- --hostile: every attack of tests/hostile/attacks.py, each in its own subprocess, built at full size:
  exit code, wall time and peak RSS (of the process and the workers it waited for; target: every
  case within 20 s and 1 GB, exit 0, 1 or 2, no traceback).
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--hostile", action="store_true", help="time and peak memory of every hostile input")
    ap.add_argument("--only", default="", help="with --hostile: only these cases (comma-separated names)")
    ap.add_argument("--kill-after", type=float, default=120.0, help="with --hostile: kill a case after S seconds")
    ap.add_argument("--mem-cap", type=int, default=6144, help="with --hostile: address-space cap per case (MB)")
    args = ap.parse_args()
    if args.hostile:
        hostile([n for n in args.only.split(",") if n], args.kill_after, args.mem_cap)
        return

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
