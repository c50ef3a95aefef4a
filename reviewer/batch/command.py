"""``review batch``: the command's body (reviewer/cli.py declares its options)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from reviewer.batch.outputs import xlsx_available
from reviewer.batch.progress import make_progress
from reviewer.batch.run import Batch, BatchReport
from reviewer.batch.runner import EngineSpec, WorkerError
from reviewer.errors import UsageError


def _fail(message: str) -> None:
    click.echo(f"review: 错误：{message}", err=True)
    sys.exit(2)


def _terminate(signum, frame) -> None:  # SIGTERM: stop like Ctrl-C (what finished is kept)
    raise KeyboardInterrupt


def run_batch_command(paths: tuple[str, ...], out: str, jobs: int | None, spec: EngineSpec, xlsx: bool,
                      progress: bool) -> None:
    if xlsx and not xlsx_available():
        _fail("--xlsx 需要 openpyxl（pip install 'report-reviewer[xlsx]'）")
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"输出目录 {out} 已存在且不是目录")
    try:
        spec.build()  # a wrong profile or rule selection is a usage error before any work starts
    except UsageError as e:
        _fail(str(e))
    signal.signal(signal.SIGTERM, _terminate)
    batch = Batch(out_dir, spec, jobs=jobs or os.cpu_count() or 1, xlsx=xlsx, progress=make_progress(progress))
    try:
        report = batch.run(paths)
    except KeyboardInterrupt:  # while the outputs were being written: the state has everything
        click.echo("review: 已中断：已完成的报告已保存，重新运行同一命令即可继续。", err=True)
        sys.exit(130)
    except UsageError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"无法写入输出目录 {out}：{e.strerror or e}")
    except WorkerError as e:
        _fail(str(e))
    click.echo(summary(report, out_dir, xlsx))
    if report.interrupted:
        click.echo("review: 已中断：已完成的报告已保存，重新运行同一命令即可继续。", err=True)
        sys.exit(130)


def summary(r: BatchReport, out: Path, xlsx: bool) -> str:
    s = r.stats
    lines = [
        f"共 {r.total} 份报告：新审核 {r.reviewed} 份，使用缓存 {r.cached} 份，无法审核 {r.failed} 份；"
        f"跨年度比对 {r.pairs} 份（新比对 {r.pairs_reviewed} 份）。",
        f"发现问题 {sum(s.severity.values())} 个（错误 {s.severity['error']}，警告 {s.severity['warning']}，"
        f"提示 {s.severity['info']}）；有错误的报告 {s.with_errors} 份，未发现问题的报告 {s.clean} 份。",
    ]
    files = ["findings.jsonl", "summary.csv", *(["summary.xlsx"] if xlsx else []), "index.html"]
    lines.append("输出：" + "、".join(str(out / f) for f in files))
    return "\n".join(lines)
