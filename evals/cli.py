"""``python -m evals``: run the eval suite and print per-rule and per-field tables.

    python -m evals                      # rules extractor on every case; writes evals/out/report.{md,json}
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
from evals.report import readme_block, render, to_json, update_readme
from evals.runner import RunResult, describe, run

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
@click.option("--only", default="", help="只运行 id 含有该文字的用例。")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=OUT, show_default=True,
              help="Markdown 与 JSON 报告的输出目录。")
@click.option("-v", "--verbose", is_flag=True, help="列出每个漏报和误报。")
@click.option("--list", "list_cases", is_flag=True, help="列出全部用例及其标注，不运行。")
@click.option("--dump", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="把生成的用例（按其编码的字节）和标注写入该目录，不运行。")
def main(check: bool, update_baseline: bool, reason: str, replay: bool, live: bool, only: str, out_dir: Path,
         verbose: bool, list_cases: bool, dump: Path | None) -> None:
    """评测审核器：按规则统计 TP/FP/FN、精确率、召回率、F1，按叙述字段统计抽取准确率。"""
    if update_baseline and not reason.strip():
        _fail("--update-baseline 必须用 --reason 写明原因")
    if only and (check or update_baseline):
        _fail("--only 不能与 --check 或 --update-baseline 同用（门禁和基线针对全部用例）")
    cases = all_cases()
    if only:
        cases = [c for c in cases if only in c.id]
        if not cases:
            _fail(f"没有 id 含“{only}”的用例")
    if list_cases:
        for c in cases:
            labels = " ".join(describe(lab) for lab in c.expect) or "（干净）"
            click.echo(f"{c.id}\t{c.group}\t{labels}")
        return
    if dump is not None:
        _dump(cases, dump)
        click.echo(f"已写出 {len(cases)} 个用例到 {dump}")
        return

    names = ["rules"] + (["llm-replay"] if replay else []) + (["llm-live"] if live else [])
    if check:
        base = bl.load()
        if base is None:
            _fail("没有基线文件 evals/baseline.json（先运行 python -m evals --update-baseline --reason …）")
        names += [n for n in base.get("extractors", {}) if n not in names]
    runs: list[RunResult] = []
    for name in names:
        try:
            runs.append(run(cases, name, factory(name)))
        except Unavailable as e:
            if check and name in (base or {}).get("extractors", {}):
                click.echo(f"evals: 门禁失败：{e}", err=True)
                sys.exit(1)
            _fail(str(e))

    fp = fingerprint(cases)
    click.echo(render(runs, cases, SEED, verbose=verbose), nl=False)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.md").write_text(render(runs, cases, SEED, markdown=True, verbose=True), encoding="utf-8")
    (out_dir / "report.json").write_text(
        json.dumps(to_json(runs, cases, SEED, fp), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    click.echo(f"\n报告已写入 {out_dir / 'report.md'} 和 {out_dir / 'report.json'}")

    if update_baseline:
        bl.save(runs, reason.strip(), SEED, fp)
        shown = update_readme(ROOT / "README.md", readme_block(runs[0], cases, SEED))
        click.echo(f"基线已更新：{bl.BASELINE}" + ("；README 的评测数字已更新" if shown else ""))
    if check:
        failures, notes = bl.compare(base, runs, fp)
        for n in notes:
            click.echo(f"注意：{n}")
        if failures:
            click.echo("门禁失败：以下指标低于基线 evals/baseline.json：", err=True)
            for f in failures:
                click.echo(f"  {f}", err=True)
            sys.exit(1)
        click.echo("门禁通过：所有指标不低于基线。")


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
