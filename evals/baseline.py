"""The committed baseline (evals/baseline.json) and the CI gate.

Synthetic set: the gate fails when any metric of the baseline drops: a rule's precision or recall, a
narrative field's accuracy, the share of clean cases without a false positive — or when a rule or an
extractor of the baseline has disappeared. New rules and fields are reported, never a failure.

Real set (section ``real``, per extractor: rules and the oracle): the gate fails when the overall
precision or recall drops, when the recall on R502, R601, T3xx or T401 expectations drops, when a
narrative field or a table is read less well, or when an error-severity false positive appears that
the baseline does not have (counted per report and rule: lines move when a reader changes).

Wall time is not gated (it depends on the machine). A deliberate change updates the baseline in the
same commit, with ``--update-baseline --reason "..."``; the reason is recorded in the file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from evals.realscore import RealFigures
from evals.runner import RunResult

BASELINE = Path(__file__).resolve().parent / "baseline.json"
EPS = 1e-9
HISTORY = 20


def metrics(run: RunResult) -> dict:
    """The gated metrics of one run (what the baseline stores per extractor)."""
    s = run.summary()
    return {
        "rules": {
            code: {"tp": c.tp, "fp": c.fp, "fn": c.fn, "precision": _r(c.precision), "recall": _r(c.recall)}
            for code, c in run.per_rule().items()
            if code in run.implemented
        },
        "fields": {name: _r(f.accuracy) for name, f in sorted(run.per_field().items())},
        "clean_ok": _r(s["clean_ok"] / s["clean_cases"]) if s["clean_cases"] else None,
        "implemented": sorted(run.implemented),
        "cases": s["cases"],
        "skipped": s["skipped"],
    }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 6)


def load(path: Path = BASELINE) -> dict | None:
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def real_metrics(f: RealFigures) -> dict:
    """The gated metrics of one extractor on the real set (per-rule figures are kept for reading)."""
    return {
        "precision": _r(f.overall.precision),
        "recall": _r(f.overall.recall),
        "tp": f.overall.tp,
        "fp": f.overall.fp,
        "fn": f.overall.fn,
        "groups": {g: _r(c.recall) for g, c in f.groups.items()},
        "error_fp": f.error_fp_counts(),
        "fields": {name: _r(s.accuracy) for name, s in sorted(f.fields.items())},
        "rules": {code: {"tp": c.tp, "fp": c.fp, "fn": c.fn} for code, c in f.per_rule.items()},
        "cases": f.cases,
        # per gold batch, for reading (the gate is on the whole set)
        "batches": {
            str(b): {"cases": bf.cases, "precision": _r(bf.overall.precision), "recall": _r(bf.overall.recall),
                     "tp": bf.overall.tp, "fp": bf.overall.fp, "fn": bf.overall.fn, "error_fp": len(bf.error_fp)}
            for b, bf in f.batches.items()
        },  # fmt: skip
    }


def save(
    runs: list[RunResult],
    reason: str,
    seed: int,
    fingerprint: str,
    path: Path = BASELINE,
    real: tuple[list[RealFigures], str] | None = None,
) -> dict:
    old = load(path) or {}
    history = ([{"date": old["date"], "reason": old["reason"]}] if old.get("reason") else []) + old.get("history", [])
    data = {
        "reason": reason,
        "date": dt.date.today().isoformat(),
        "seed": seed,
        "fingerprint": fingerprint,
        # a live LLM run is neither reproducible nor runnable in CI: never part of the baseline
        "extractors": {r.extractor: metrics(r) for r in runs if r.extractor != "llm-live"},
        "history": history[:HISTORY],
    }
    if real is not None:
        figs, real_fp = real
        data["real"] = {
            "fingerprint": real_fp,
            "extractors": {f.extractor: real_metrics(f) for f in figs if f.extractor != "llm-live"},
        }
    elif "real" in old:
        data["real"] = old["real"]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return data


def compare(baseline: dict, runs: list[RunResult], fingerprint: str) -> tuple[list[str], list[str]]:
    """(failures, notes) of the current runs against the baseline."""
    failures: list[str] = []
    notes: list[str] = []
    if baseline.get("fingerprint") != fingerprint:
        notes.append("用例集与基线不同（用例或标注有改动）；若指标因此变化，请在同一提交中更新基线并写明原因")
    current = {r.extractor: metrics(r) for r in runs}
    for name, base in baseline.get("extractors", {}).items():
        now = current.get(name)
        if now is None:
            failures.append(f"{name}：基线中有该抽取器，本次没有运行")
            continue
        tag = f"[{name}] "
        for code, b in base["rules"].items():
            n = now["rules"].get(code)
            if code not in now["implemented"]:
                failures.append(f"{tag}{code}：规则已不存在（基线 TP {b['tp']} FP {b['fp']}）")
                continue
            if n is None:  # neither labelled nor reported any more: nothing to compare
                continue
            for m, label in (("precision", "精确率"), ("recall", "召回率")):
                if _dropped(b[m], n[m]):
                    counts = f"TP {n['tp']} FP {n['fp']} FN {n['fn']}"
                    failures.append(f"{tag}{code} {label}下降：{_f(b[m])} → {_f(n[m])}（{counts}）")
        for field, b in base["fields"].items():
            if _dropped(b, now["fields"].get(field)):
                failures.append(f"{tag}字段 {field} 准确率下降：{_f(b)} → {_f(now['fields'].get(field))}")
        if _dropped(base.get("clean_ok"), now.get("clean_ok")):
            failures.append(f"{tag}干净用例无误报比例下降：{_f(base['clean_ok'])} → {_f(now['clean_ok'])}")
        new_rules = sorted(set(now["rules"]) - set(base["rules"]))
        if new_rules:
            notes.append(f"{tag}基线之外的新规则：{'、'.join(new_rules)}（更新基线后纳入门禁）")
    return failures, notes


def compare_real(baseline: dict, figs: list[RealFigures], fingerprint: str) -> tuple[list[str], list[str]]:
    """(failures, notes) of the real-set figures against the baseline's ``real`` section."""
    failures: list[str] = []
    notes: list[str] = []
    base = baseline.get("real")
    if not base:
        return failures, ["基线中没有真实报告评测集的数字（运行 --update-baseline 纳入门禁）"]
    if base.get("fingerprint") != fingerprint:
        notes.append("真实报告评测集与基线不同（报告或金标准有改动）；若指标因此变化，请在同一提交中更新基线并写明原因")
    current = {f.extractor: real_metrics(f) for f in figs}
    for name, b in base.get("extractors", {}).items():
        now = current.get(name)
        tag = f"[真实报告 {name}] "
        if now is None:
            failures.append(f"{tag}基线中有该抽取器，本次没有运行")
            continue
        counts = f"（TP {now['tp']} FP {now['fp']} FN {now['fn']}）"
        for m, label in (("precision", "精确率"), ("recall", "召回率")):
            if _dropped(b[m], now[m]):
                failures.append(f"{tag}总{label}下降：{_f(b[m])} → {_f(now[m])}{counts}")
        for g, v in b["groups"].items():
            if _dropped(v, now["groups"].get(g)):
                failures.append(f"{tag}{g} 召回率下降：{_f(v)} → {_f(now['groups'].get(g))}")
        for field, v in b["fields"].items():
            if _dropped(v, now["fields"].get(field)):
                failures.append(f"{tag}字段 {field} 准确率下降：{_f(v)} → {_f(now['fields'].get(field))}")
        for key, n in now["error_fp"].items():
            if n > b["error_fp"].get(key, 0):
                failures.append(f"{tag}新的错误级误报：{key}（{n} 个，基线 {b['error_fp'].get(key, 0)} 个）")
    return failures, notes


def _dropped(before: float | None, after: float | None) -> bool:
    if before is None:
        return False
    return after is None and before > 0 or after is not None and after < before - EPS


def _f(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}"
