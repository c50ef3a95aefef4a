"""``python -m evals``: run the eval suite and print per-rule and per-field tables — first the real
set (evals/real: real reports, gold written by reading them), then the synthetic set.

    python -m evals                      # rules extractor on every case; writes evals/out/report.{md,json}
    python -m evals --extractor oracle   # the real set with the gold narrative facts (and the rules)
    python -m evals -v                   # … and list every miss and false positive
    python -m evals --check              # CI gate: exit 1 when a metric drops below evals/baseline.json
    python -m evals --update-baseline --reason "为什么变了"
    python -m evals --replay             # also the LLM extractor, replayed from evals/recordings/
    python -m evals --live               # also the LLM extractor, live (records to evals/recordings/)
    python -m evals --only sample-       # only cases whose id contains the text
    python -m evals --list               # the cases and their labels
    python -m evals --dump DIR           # write the generated cases (bytes as reviewed) and labels

Exit codes: 0 done, 1 the gate failed, 2 usage error or an extractor that is not available.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from evals import baseline as bl
from evals.cases import Case, all_cases
from evals.extractors import Unavailable, factory
from evals.mutate import SEED
from evals.oracle import NAME as ORACLE
from evals.oracle import factory as oracle_factory
from evals.realgold import real_cases
from evals.realreport import REAL_BEGIN, REAL_END, real_json, real_readme_block, render_real
from evals.realscore import figures
from evals.report import readme_block, render, to_json, update_readme
from evals.runner import RunResult, describe, run

REAL_EXTRACTORS = ("rules", "oracle", "llm-replay", "llm-live")

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"


def fingerprint(cases: list[Case]) -> str:
    import hashlib

    h = hashlib.sha256()
    for c in cases:
        h.update(c.fingerprint().encode())
    return h.hexdigest()[:16]


def _fail(msg: str) -> None:
    click.echo(f"evals: 错误：{msg}", err=True)
    sys.exit(2)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--check", is_flag=True, help="与 evals/baseline.json 比较，任何指标下降则退出码为1（CI 门禁）。")
@click.option("--update-baseline", is_flag=True, help="用本次结果重写 evals/baseline.json（须同时给出 --reason）。")
@click.option("--reason", default="", help="更新基线的原因（记录在基线文件中）。")
@click.option("--replay", is_flag=True, help="同时评测 LLM 抽取器（回放 evals/recordings/ 中的录制，离线）。")
@click.option("--live", is_flag=True, help="同时评测 LLM 抽取器（实时调用已配置的端点，并录制到 evals/recordings/）。")
@click.option("--extractor", "extractors", multiple=True, type=click.Choice(REAL_EXTRACTORS), default=("rules",),
              show_default=True,
              help="真实报告评测集用哪些抽取器（可重复）；oracle 用金标准的叙述事实代替抽取器，是任何模型应对照的上限。")
@click.option("--only", default="", help="只运行 id 含有该文字的用例。")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=OUT, show_default=True,
              help="Markdown 与 JSON 报告的输出目录。")
@click.option("-v", "--verbose", is_flag=True, help="列出每个漏报和误报。")
@click.option("--list", "list_cases", is_flag=True, help="列出全部用例及其标注，不运行。")
@click.option("--dump", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="把生成的用例（按其编码的字节）和标注写入该目录，不运行。")
def main(check: bool, update_baseline: bool, reason: str, replay: bool, live: bool, extractors: tuple[str, ...],
         only: str, out_dir: Path, verbose: bool, list_cases: bool, dump: Path | None) -> None:
    """评测审核器：先是真实报告评测集（精确率、召回率），再是合成评测集（按规则 TP/FP/FN、按叙述字段准确率）。"""
    if update_baseline and not reason.strip():
        _fail("--update-baseline 必须用 --reason 写明原因")
    if only and (check or update_baseline):
        _fail("--only 不能与 --check 或 --update-baseline 同用（门禁和基线针对全部用例）")
    try:
        real = real_cases()
    except ValueError as e:
        _fail(f"真实报告金标准有误：{e}")
    cases = all_cases()
    if only:
        cases = [c for c in cases if only in c.id]
        real = [c for c in real if only in c.id]
        if not cases and not real:
            _fail(f"没有 id 含“{only}”的用例")
    if list_cases:
        for c in real + cases:
            labels = " ".join(describe(lab) for lab in c.expect) or "（干净）"
            click.echo(f"{c.id}\t{c.group}\t{labels}")
        return
    if dump is not None:
        _dump(cases, dump)
        click.echo(f"已写出 {len(cases)} 个用例到 {dump}")
        return

    names = ["rules"] + (["llm-replay"] if replay else []) + (["llm-live"] if live else [])
    base: dict | None = None
    if check:
        base = bl.load()
        if base is None:
            _fail("没有基线文件 evals/baseline.json（先运行 python -m evals --update-baseline --reason …）")
        names += [n for n in base.get("extractors", {}) if n not in names]
    real_names = list(dict.fromkeys(extractors))
    if check or update_baseline:  # the gate and the baseline always hold the rules and the oracle
        real_names += [n for n in ("rules", ORACLE) if n not in real_names]
    if base is not None:
        real_names += [n for n in base.get("real", {}).get("extractors", {}) if n not in real_names]
    real_runs = [_run(real, name, base, real_set=True) for name in real_names] if real else []
    figs = [figures(r) for r in real_runs]
    runs = [_run(cases, name, base) for name in names] if cases else []

    fp, real_fp = fingerprint(cases), fingerprint(real)
    parts = [render_real(real_runs, figs, verbose=verbose) if real_runs else "",
             render(runs, cases, SEED, verbose=verbose) if runs else ""]  # fmt: skip
    click.echo("\n".join(p for p in parts if p), nl=False)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = [render_real(real_runs, figs, markdown=True, verbose=True) if real_runs else "",
             render(runs, cases, SEED, markdown=True, verbose=True) if runs else ""]  # fmt: skip
    (out_dir / "report.md").write_text("\n".join(p for p in parts if p), encoding="utf-8")
    data = to_json(runs, cases, SEED, fp) | {"real": real_json(real_runs, figs, real_fp)}
    (out_dir / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"\n报告已写入 {out_dir / 'report.md'} 和 {out_dir / 'report.json'}")

    if update_baseline:
        bl.save(runs, reason.strip(), SEED, fp, real=(figs, real_fp))
        shown = update_readme(ROOT / "README.md", readme_block(runs[0], cases, SEED))
        shown = update_readme(ROOT / "README.md", real_readme_block(figs), REAL_BEGIN, REAL_END) or shown
        click.echo(f"基线已更新：{bl.BASELINE}" + ("；README 的评测数字已更新" if shown else ""))
    if check:
        failures, notes = bl.compare(base, runs, fp)
        more_failures, more_notes = bl.compare_real(base, figs, real_fp)
        failures, notes = more_failures + failures, more_notes + notes
        for n in notes:
            click.echo(f"注意：{n}")
        if failures:
            click.echo("门禁失败：以下指标低于基线 evals/baseline.json：", err=True)
            for f in failures:
                click.echo(f"  {f}", err=True)
            sys.exit(1)
        click.echo("门禁通过：所有指标不低于基线。")


def _run(cases: list[Case], name: str, base: dict | None, real_set: bool = False) -> RunResult:
    """One extractor over the cases; an unavailable extractor is a usage error (exit 2), or a failed
    gate (exit 1) when the baseline (given only under --check) holds it."""
    try:
        make = oracle_factory({c.id: c.facts for c in cases if c.facts}) if name == ORACLE else factory(name)
        return run(cases, name, make)
    except Unavailable as e:
        held = (base or {}).get("real", {}).get("extractors", {}) if real_set else (base or {}).get("extractors", {})
        if name in held:
            click.echo(f"evals: 门禁失败：{e}", err=True)
            sys.exit(1)
        _fail(str(e))
        raise  # unreachable: _fail exits


def _dump(cases: list[Case], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    index = []
    for c in cases:
        name = c.id.replace(":", "__").replace("/", "_").replace("@", "_at_") + ".txt"
        (directory / name).write_bytes(c.data())
        index.append({
            "id": c.id, "file": name, "group": c.group, "rule": c.rule, "encoding": c.encoding, "crlf": c.crlf,
            "profile": c.profile, "expect": [describe(lab) for lab in c.expect],
            "may": [describe(lab) for lab in c.may],
        })  # fmt: skip
    (directory / "cases.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
