"""``review batch``: the command's body (reviewer/cli.py declares its options)."""

from __future__ import annotations

import dataclasses
import signal
import sqlite3
import sys
from pathlib import Path

import click

from reviewer.batch.outputs import xlsx_available
from reviewer.batch.progress import make_progress
from reviewer.batch.run import Batch, BatchReport
from reviewer.batch.runner import EngineSpec, WorkerError, default_jobs
from reviewer.errors import UsageError
from reviewer.folders import skipped_line, skipped_summary
from reviewer.output.safe import terminal


def _fail(message: str) -> None:
    click.echo(terminal(f"review: 错误：{message}", one_line=True), err=True)
    sys.exit(2)


XLSX_HINT = 'pip install "report-reviewer[xlsx]"（或 pip install openpyxl）'


def _terminate(signum, frame) -> None:  # SIGTERM: stop like Ctrl-C (what finished is kept)
    raise KeyboardInterrupt


def run_batch_command(paths: tuple[str, ...], out: str, jobs: int | None, spec: EngineSpec, xlsx: bool,
                      progress: bool, runner=None, after=None, pages: bool = True) -> None:
    if xlsx and not xlsx_available():
        _fail(f"--xlsx 需要 openpyxl：{XLSX_HINT}")
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"输出目录 {out} 已存在且不是目录")
    try:
        if runner is None:
            spec.build()  # a wrong profile or rule selection is a usage error before any work starts
        else:
            runner = runner()  # builds the spec's engine: the same errors
    except UsageError as e:
        _fail(str(e))
    signal.signal(signal.SIGTERM, _terminate)
    batch = Batch(out_dir, spec, jobs=jobs or default_jobs(), xlsx=xlsx, progress=make_progress(progress),
                  runner=runner, pages=pages)
    try:
        report = batch.run(paths)
    except KeyboardInterrupt:  # while the outputs were being written: the state has everything
        click.echo("review: 已中断：已完成的报告已保存，重新运行同一命令即可继续。", err=True)
        sys.exit(130)
    except UsageError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"无法写入输出目录 {out}：{_os_reason(e)}（已完成的报告已保存，解决后重新运行同一命令即可继续）")
    except sqlite3.Error as e:
        _fail(f"状态库 {out_dir / 'state.sqlite'} 无法使用：{_sqlite_reason(e)}（已完成的报告已保存，解决后重新运行同一命令即可继续）")
    except WorkerError as e:
        _fail(str(e))
    for path in report.skipped:
        click.echo(terminal(f"review: {skipped_line(path)}", one_line=True), err=True)
    click.echo(summary(report, out_dir, xlsx))
    problem = after(batch.runner) if after is not None else None  # prints its own summary; an error or None
    if report.interrupted:
        click.echo("review: 已中断：已完成的报告已保存，重新运行同一命令即可继续。", err=True)
        sys.exit(130)
    if problem:
        _fail(problem)


def _os_reason(e: OSError) -> str:
    import errno

    return {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EACCES: "没有写入权限",
            errno.EPERM: "没有写入权限", errno.EROFS: "文件系统只读"}.get(e.errno or -1, e.strerror or "写入失败")


def _sqlite_reason(e: sqlite3.Error) -> str:
    text = str(e).lower()
    if "readonly" in text or "read-only" in text:
        return "只读，无法写入"
    if "full" in text:
        return "磁盘已满"
    if "not a database" in text or "malformed" in text:
        return "文件已损坏（可删除该文件后重新运行，已审核的报告会重新审核）"
    if "locked" in text or "busy" in text:
        return "被其他进程锁定"
    return "读写失败"


def summary(r: BatchReport, out: Path, xlsx: bool) -> str:
    s = r.stats
    lines = [(f"共 {r.reports} 份报告：新审核 {r.reviewed} 份，使用缓存 {r.cached} 份；"
              f"跨年度比对 {r.pairs} 份（新比对 {r.pairs_reviewed} 份）。")]
    apart = [f"{r.failed} 个文件无法审核"] if r.failed else []
    apart += [f"{r.not_reports} 个文件不是年度报告"] if r.not_reports else []
    if apart:
        lines.append(f"另有 {'、'.join(apart)}，未计入统计（原因见 summary.csv 的“无法审核原因”列和 index.html）。")
    if r.skipped:
        lines.append(skipped_summary(r.skipped))
    lines.append(f"发现问题 {sum(s.severity.values())} 个（错误 {s.severity['error']}，警告 {s.severity['warning']}，"
                 f"提示 {s.severity['info']}）；有错误的报告 {s.with_errors} 份，未发现问题的报告 {s.clean} 份。")
    if r.interrupted:
        left = (f"尚有 {r.remaining} 份报告未审核" if r.remaining else
                f"尚有 {r.pairs_left} 份跨年度比对未完成" if r.pairs_left else "报告均已审核")
        lines.append(f"已中断：{left}；重新运行同一命令即可继续（已完成的不会重做）。")
    files = ["findings.jsonl", "summary.csv", *(["summary.xlsx"] if xlsx else []), "index.html"]
    if r.pages:
        files.append(f"pages/（新生成 {r.pages} 个报告网页）")
    lines.append("输出：" + "、".join(str(out / f) for f in files))
    return "\n".join(lines)


def batch_main(paths: tuple[str, ...], out: str, jobs: int | None, profile: str, select: tuple[str, ...],
               ignore: tuple[str, ...], xlsx: bool, progress: bool, llm: dict, pages: bool = True,
               budget: tuple | None = None) -> None:
    """Dispatch ``review batch`` by its LLM options: rules, --extractor llm (threads), --llm-batch
    (write the requests), --ingest (complete the review with a batch's answers). ``budget``:
    (--timeout, the parsed --limit settings), given to every spec."""
    from reviewer.batch.llm import ThreadRunner, llm_spec

    def budgeted(spec: EngineSpec) -> EngineSpec:
        return spec if budget is None else dataclasses.replace(spec, timeout=budget[0], limits=budget[1])

    concurrency, requests_file, results = llm.pop("llm_concurrency"), llm.pop("llm_batch"), llm.pop("ingest")
    try:
        if requests_file and results:
            raise UsageError("--llm-batch 与 --ingest 不能同时使用：先写请求文件，拿到结果后再导入")
        if requests_file:
            return write_requests_command(paths, out, profile, llm, Path(requests_file))
        if results:
            from reviewer.batch.ingest import ingest_spec

            spec = budgeted(ingest_spec(results, model=llm["model"], profile=profile, select=select, ignore=ignore))
            return run_batch_command(paths, out, jobs, spec, xlsx, progress, after=lambda _: _ingest_summary(results, out),
                                     pages=pages)
        spec = budgeted(llm_spec(llm, profile=profile, select=select, ignore=ignore))
    except UsageError as e:
        _fail(str(e))
    if spec.extractor == "rules":
        return run_batch_command(paths, out, jobs, spec, xlsx, progress, pages=pages)

    def strict(runner) -> str | None:
        failed = runner.failures if runner is not None and llm["strict_llm"] else []
        return f"大模型提取失败（--strict-llm），涉及 {len(failed)} 个文件：{'、'.join(failed)}" if failed else None

    run_batch_command(paths, out, jobs, spec, xlsx, progress, runner=lambda: ThreadRunner(spec, concurrency), pages=pages,
                      after=strict)


def write_requests_command(paths: tuple[str, ...], out: str, profile: str, llm: dict, target: Path) -> None:
    from reviewer.batch.requests_file import next_steps, write_requests
    from reviewer.llm.config import LLMConfig

    if llm["extractor"] == "rules":
        raise UsageError("--llm-batch 需要大模型：不能与 --extractor rules 一起使用")
    config = LLMConfig.from_env(model=llm["model"], base_url=llm["base_url"], mode=llm["llm_mode"])
    if config is None:
        raise UsageError("--llm-batch 需要模型名称：请用 --model 或环境变量 REVIEW_MODEL 指定")
    try:
        done = write_requests(paths, target, config, profile=profile, exclude=Path(out))
    except OSError as e:
        _fail(f"无法写入 {target}：{e.strerror or e}")
    click.echo(next_steps(target, done, paths, out, config.model))


def _ingest_summary(results: str, out: str) -> None:
    import json

    from reviewer.batch.ingest import cached_results, ingest_summary

    shas, missing = set(), set()
    with open(Path(out) / "findings.jsonl", encoding="utf-8") as f:
        for raw in f:
            rec = json.loads(raw)
            if rec.get("sha256"):
                shas.add(rec["sha256"])
                if any("没有该报告的应答" in n for n in rec.get("notices", [])):
                    missing.add(rec["sha256"])
    click.echo(ingest_summary(cached_results(results), shas, missing, results))
