"""Render eval runs: a plain-text table for the terminal, Markdown, and JSON (pure functions)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from evals.cases import Case
from evals.runner import RunResult, describe
from evals.score import LISTS, SCALARS
from reviewer.rules.base import REGISTRY

GROUP_NAMES = {"sample": "真实样本", "base": "合规底本", "clean": "干净变体", "defect": "缺陷变体", "not-report": "非年报"}


def fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}"


def _table(headers: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    width = [max(_w(x) for x in col) for col in zip(headers, *rows)]
    line = lambda r: "  ".join(x + " " * (w - _w(x)) for x, w in zip(r, width)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in width])] + [line(r) for r in rows])


def _w(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def rule_rows(run: RunResult) -> list[list[str]]:
    per_rule, cases, implemented = run.per_rule(), run.cases_per_rule(), run.implemented
    rows = []
    for code in sorted(set(per_rule) | set(cases)):
        c = per_rule.get(code)
        cls = REGISTRY.get(code)
        if code not in implemented or cls is None:
            rows.append([code, "—", str(cases.get(code, 0)), "—", "—", "—", "未实现", "", ""])
            continue
        rows.append([
            code, cls.severity.value, str(cases.get(code, 0)), str(c.tp), str(c.fp), str(c.fn),
            fmt(c.precision), fmt(c.recall), fmt(c.f1),
        ])  # fmt: skip
    return rows


def field_rows(runs: list[RunResult]) -> list[list[str]]:
    fields = [r.per_field() for r in runs]
    rows = []
    for name in SCALARS + LISTS:
        scores = [f.get(name) for f in fields]
        if not any(scores):
            continue
        first = next(s for s in scores if s)
        n = str(first.total) if first.items is None else "项"
        rows.append([name, n] + [fmt(s.accuracy) if s else "—" for s in scores])
    return rows


def summary_lines(run: RunResult) -> list[str]:
    s = run.summary()
    out = [
        f"抽取器 {run.extractor}：{s['cases']} 个用例，完全正确 {s['exact']}，"
        f"干净用例无误报 {s['clean_ok']}/{s['clean_cases']}，出错 {s['errors']}，跳过 {s['skipped']}，"
        f"用时 {s['seconds']} 秒"
    ]
    if s["requests"] or run.extractor.startswith("llm"):
        out.append(f"  LLM 请求 {s['requests']} 次，令牌 {s['tokens']}")
    reasons = Counter(run.skipped.values())
    out += [f"  跳过 {n} 个：{why}" for why, n in reasons.items()]
    return out


def _header(cases: list[Case], seed: int) -> str:
    groups = Counter(c.group for c in cases)
    parts = "，".join(f"{GROUP_NAMES[g]} {groups[g]}" for g in GROUP_NAMES if groups.get(g))
    return f"评测用例 {len(cases)} 个（{parts}），变体种子 {seed}"


RULE_HEADERS = ["规则", "级别", "用例", "TP", "FP", "FN", "精确率", "召回率", "F1"]
FIELD_NOTE = "字段准确率：标量为正确比例；claims/vague/statements 为逐项 F1（可选项不计）。"


def render(
    runs: list[RunResult], cases: list[Case], seed: int, *, markdown: bool = False, verbose: bool = False
) -> str:
    h = "## " if markdown else ""
    out = [("# 评测报告\n\n" if markdown else "") + _header(cases, seed), ""]
    for run in runs:
        out += [f"{h}按规则（抽取器 {run.extractor}）", "", _table(RULE_HEADERS, rule_rows(run), markdown), ""]
    fields = _table(["字段", "n"] + [r.extractor for r in runs], field_rows(runs), markdown)
    out += [f"{h}按叙述字段（{len([c for c in cases if c.facts])} 个有标注的报告）", "", fields, "", FIELD_NOTE, ""]
    out += [f"{h}汇总", ""] + [("- " if markdown else "") + line for r in runs for line in summary_lines(r)]
    if verbose:
        out += ["", f"{h}未命中与误报", ""] + misses(runs[0])
    return "\n".join(out).rstrip() + "\n"


def misses(run: RunResult) -> list[str]:
    impl = run.implemented
    out = []
    for r in run.results:
        missed = [describe(m) for m in r.score.missed if m.code in impl]
        false = [f"{f.code}@{f.line}:{f.column} {_short(f.message)}" for f in r.score.false]
        if not (missed or false or r.error):
            continue
        out.append(f"{r.case.id}" + (f"  {r.error}" if r.error else ""))
        out += [f"  漏报 {m}" for m in missed] + [f"  误报 {f}" for f in false]
    return out or ["（无）"]


def _short(s: str, n: int = 100) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def to_json(runs: list[RunResult], cases: list[Case], seed: int, fingerprint: str) -> dict:
    def run_json(run: RunResult) -> dict:
        return {
            "extractor": run.extractor,
            "summary": run.summary(),
            "rules": {
                code: {"tp": c.tp, "fp": c.fp, "fn": c.fn, "precision": c.precision, "recall": c.recall,
                       "f1": c.f1, "implemented": code in run.implemented}  # fmt: skip
                for code, c in run.per_rule().items()
            },
            "fields": {
                name: {"accuracy": s.accuracy, "correct": s.correct, "total": s.total}
                | ({"tp": s.items.tp, "fp": s.items.fp, "fn": s.items.fn} if s.items else {})
                for name, s in run.per_field().items()
            },
            "cases": [
                {
                    "id": r.case.id, "group": r.case.group, "rule": r.case.rule, "error": r.error,
                    "seconds": round(r.seconds, 4),
                    "missed": [describe(m) for m in r.score.missed],
                    "false": [{"code": f.code, "line": f.line, "column": f.column, "message": f.message}
                              for f in r.score.false],
                }  # fmt: skip
                for r in run.results
            ],
            "skipped": run.skipped,
        }

    return {"seed": seed, "cases": len(cases), "fingerprint": fingerprint, "runs": [run_json(r) for r in runs]}


README_BEGIN, README_END = "<!-- evals:begin -->", "<!-- evals:end -->"


def readme_block(run: RunResult, cases: list[Case], seed: int) -> str:
    """The figures README shows: implemented rules, the field table of the rules extractor, a summary."""
    rows = [r for r in rule_rows(run) if r[6] != "未实现"]
    missing = [r[0] for r in rule_rows(run) if r[6] == "未实现"]
    parts = [
        _header(cases, seed) + "。",
        "",
        _table(RULE_HEADERS, rows, True),
        "",
        f"尚未实现（已有标注，合并后自动计分）：{'、'.join(missing)}。" if missing else "",
        "",
        _table(["字段", "n", run.extractor], field_rows([run]), True),
        "",
        " ".join(summary_lines(run)[:1]) + "。",
    ]
    return "\n".join(p for p in parts if p is not None).strip()


def update_readme(path: Path, block: str, begin: str = README_BEGIN, end: str = README_END) -> bool:
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        return False
    path.write_text(pattern.sub(lambda _: f"{begin}\n{block}\n{end}", text), encoding="utf-8")
    return True
