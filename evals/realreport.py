"""Render the real set's figures: terminal text, Markdown and JSON (pure functions)."""

from __future__ import annotations

from evals.realscore import KEY_GROUPS, RealFigures, batch_name, severity
from evals.report import _short, _table, fmt, misses
from evals.runner import RunResult, describe
from evals.score import LISTS, SCALARS, Counts

TABLE_FIELDS = ("tables.t2", "tables.t3", "tables.t4")
INTRO = (
    "金标准由人工逐份阅读报告写成（evals/real/gold，未参考审核器的输出）。未被金标准要求或接受的发现一律计为误报"
    "（属实但不需要报告的也算）；“可接受”（may）的发现不计对错；同一问题报告两次，第二次计为误报。"
)


def _ratio(c: Counts) -> str:
    return f"{fmt(c.recall)}（{c.tp}/{c.tp + c.fn}）" if c.tp + c.fn else "—"


def summary_rows(figs: list[RealFigures]) -> list[list[str]]:
    rows = []
    for f in figs:
        o = f.overall
        rows.append(
            [f.extractor, fmt(o.precision), fmt(o.recall), str(o.tp), str(o.fp), str(o.fn), str(len(f.error_fp))]
            + [_ratio(f.groups[g]) for g in KEY_GROUPS]
        )
    return rows


SUMMARY_HEADERS = ["抽取器", "精确率", "召回率", "TP", "FP", "FN", "错误级误报"] + [f"{g}召回" for g in KEY_GROUPS]
BATCH_HEADERS = ["抽取器", "批次", "报告数"] + SUMMARY_HEADERS[1:]
BATCH_INTRO = (
    "按批次：第1批是调校审核器时用过的报告（金标准无 batch 键），第2、3批是新验证集（batch: 2 或 3，金标准在审核器"
    "运行前写成）——每批首次测量的数字说明审核器能否推广到没见过的报告（此后据其误报调校过，见 evals/real/README.md）。"
    "门禁按全集计算。"
)


def batch_rows(figs: list[RealFigures]) -> list[list[str]]:
    rows = []
    for f in figs:
        for b, bf in f.batches.items():
            rows += [[row[0], batch_name(b), str(bf.cases)] + row[1:] for row in summary_rows([bf])]
    return rows


RULE_HEADERS = ["规则", "级别", "TP", "FP", "FN", "精确率", "召回率"]


def rule_rows(f: RealFigures) -> list[list[str]]:
    return [
        [code, severity(code), str(c.tp), str(c.fp), str(c.fn), fmt(c.precision), fmt(c.recall)]
        for code, c in f.per_rule.items()
    ]


def field_rows(figs: list[RealFigures]) -> list[list[str]]:
    rows = []
    for name in SCALARS + LISTS + TABLE_FIELDS:
        scores = [f.fields.get(name) for f in figs]
        first = next((s for s in scores if s), None)
        if first is None:
            continue
        n = "项" if first.items is not None else str(first.total)
        rows.append([name, n] + [fmt(s.accuracy) if s else "—" for s in scores])
    return rows


def error_lines(f: RealFigures) -> list[str]:
    return [f"{case} {x.code}@{x.line}:{x.column} {_short(x.message)}" for case, x in f.error_fp] or ["（无）"]


def render_real(
    runs: list[RunResult], figs: list[RealFigures], *, markdown: bool = False, verbose: bool = False
) -> str:
    h = "## " if markdown else ""
    h3 = "### " if markdown else ""
    bullet = "- " if markdown else "  "
    n = figs[0].cases if figs else 0
    out = [f"{h}真实报告评测集（{n} 份真实报告）", "", INTRO, "", _table(SUMMARY_HEADERS, summary_rows(figs), markdown), ""]
    out += [BATCH_INTRO, "", _table(BATCH_HEADERS, batch_rows(figs), markdown), ""]
    for f in figs:
        out += [f"{h3}按规则（真实报告，抽取器 {f.extractor}）", "", _table(RULE_HEADERS, rule_rows(f), markdown), ""]
        out += [f"错误级误报（抽取器 {f.extractor}）：", ""] + [bullet + line for line in error_lines(f)] + [""]
    fields = field_rows(figs)
    if fields:
        out += [f"{h3}真实报告的叙述字段与表格读数", "", _table(["字段", "n"] + [f.extractor for f in figs], fields, markdown)]
        out += ["", "tables.t2/t3/t4：与人工读出的表格逐格相同的比例（解析器的读数，与抽取器无关）。", ""]
    if verbose:
        for run in runs:
            out += [f"{h3}真实报告的漏报与误报（抽取器 {run.extractor}）", ""] + misses(run) + [""]
    return "\n".join(out).rstrip() + "\n"


def real_json(runs: list[RunResult], figs: list[RealFigures], fingerprint: str) -> dict:
    def headline(f: RealFigures) -> dict:
        o = f.overall
        return {
            "overall": {"tp": o.tp, "fp": o.fp, "fn": o.fn, "precision": o.precision, "recall": o.recall},
            "groups": {g: {"tp": c.tp, "fn": c.fn, "recall": c.recall} for g, c in f.groups.items()},
        }

    def one(run: RunResult, f: RealFigures) -> dict:
        return {
            "extractor": f.extractor,
            **headline(f),
            "batches": {str(b): {"name": batch_name(b), "cases": bf.cases, **headline(bf), "error_fp": len(bf.error_fp)}
                        for b, bf in f.batches.items()},  # fmt: skip
            "rules": {code: {"severity": severity(code), "tp": c.tp, "fp": c.fp, "fn": c.fn,
                             "precision": c.precision, "recall": c.recall}
                      for code, c in f.per_rule.items()},  # fmt: skip
            "error_fp": [{"case": case, "code": x.code, "line": x.line, "column": x.column, "message": x.message}
                         for case, x in f.error_fp],  # fmt: skip
            "fields": {name: s.accuracy for name, s in f.fields.items()},
            "cases": [
                {"id": r.case.id, "error": r.error, "missed": [describe(m) for m in r.score.missed],
                 "false": [{"code": x.code, "line": x.line, "column": x.column, "message": x.message}
                           for x in r.score.false],
                 "notices": r.notices}  # fmt: skip
                for r in run.results
            ],
        }

    return {"cases": figs[0].cases if figs else 0, "fingerprint": fingerprint,
            "runs": [one(r, f) for r, f in zip(runs, figs)]}  # fmt: skip


REAL_BEGIN, REAL_END = "<!-- evals-real:begin -->", "<!-- evals-real:end -->"


def real_readme_block(figs: list[RealFigures]) -> str:
    """README's real-set figures: the summary per extractor (regenerated by --update-baseline)."""
    n = figs[0].cases if figs else 0
    return "\n".join([f"真实报告 {n} 份。", "", _table(SUMMARY_HEADERS, summary_rows(figs), True), "", "按批次：", "",
                      _table(BATCH_HEADERS, batch_rows(figs), True)])  # fmt: skip
