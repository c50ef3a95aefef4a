"""The command line: ``review PATH...`` (ruff-style output), ``review rules``, ``review rule CODE``,
``review profiles``.

click is used for parsing (small, fast to import, good errors); output is plain text so a rules-only
run imports nothing heavy. Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or
input error (never hidden by --fail-on never).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reviewer import __version__
from reviewer.errors import InputError, UsageError
from reviewer.llm.options import build_extractor, llm_options, strict_failures

REPORT_SUFFIXES = {".txt", ".md", ".docx", ".html", ".htm", ".pdf"}
FAIL_LEVELS = {"error": 3, "warning": 2, "info": 1, "never": 99}


class DefaultGroup(click.Group):
    """A group whose default command is ``check``: ``review a.txt`` == ``review check a.txt``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _utf8_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if enc != "utf8" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):  # pragma: no cover - detached or unusual streams
                pass


def _codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def expand_paths(paths: tuple[str, ...]) -> list[str]:
    """Files as given; directories expanded (recursively) to the report files they hold."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(str(f) for f in path.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES)
            out.extend(found)
        else:
            out.append(p)
    return out


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="review")
def main() -> None:
    """审核政府信息公开工作年度报告：review 报告.txt"""
    _utf8_streams()


@main.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "full", "json", "github", "sarif", "markdown", "html"]),
              default="text", show_default=True,
              help="输出格式：text 每条一行；full 附原文与修改建议；json 机器可读；"
                   "github 工作流注解；sarif 代码扫描；markdown 摘要表格；html 标注原文的网页（单个报告）。")
@click.option("--output", "-o", "output", default=None, metavar="FILE", help="把输出写入文件，而不是标准输出。")
@click.option("--annotate", default=None, metavar="OUT.docx",
              help="另存一份带批注的 Word 文档：每个问题作为批注标在相关原文上（单个报告；原文件不会被修改）。")
@click.option("--annotate-author", default="报告审核", show_default=True, help="批注的作者名。")
@click.option("--select", multiple=True, help="只运行这些规则（代码或前缀，逗号分隔，可重复）。")
@click.option("--ignore", multiple=True, help="不运行这些规则（代码或前缀）。")
@click.option("--fail-on", type=click.Choice(list(FAIL_LEVELS)), default="error", show_default=True,
              help="达到该级别的问题使退出码为1。")
@click.option("--profile", default="national", show_default=True, help="配置名称（review profiles 列出）或 .toml 文件路径。")
@click.option("--year", type=click.IntRange(1990, 2100), default=None, help="指定报告年度（覆盖自动识别）。")
@click.option("--previous", default=None, metavar="FILE",
              help="同一机关上一年度的报告，用于跨年度检查（C101–C103）；此时只能审核一个报告。")
@llm_options
def check(paths: tuple[str, ...], fmt: str, output: str | None, annotate: str | None, annotate_author: str,
          select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str, profile: str, year: int | None,
          previous: str | None, **llm: object) -> None:
    """审核一个或多个报告文件（目录会递归查找报告文件）。"""
    from reviewer.engine import Engine
    from reviewer.output import renderer
    from schemas.output import FileResult

    try:
        extractor = build_extractor(llm, profile)
        engine = Engine(profile=profile, select=_codes(select), ignore=_codes(ignore), year=year, extractor=extractor)
    except UsageError as e:
        click.echo(f"review: 错误：{e}", err=True)
        sys.exit(2)
    files = expand_paths(paths)
    if not files:
        click.echo("review: 错误：没有找到要审核的报告文件", err=True)
        sys.exit(2)
    prev_ctx = _previous_context(engine, previous, files) if previous else None
    results: list[FileResult] = []
    page = ""
    if annotate or fmt == "html":  # one report, kept with its text (reviewer.annotate)
        from reviewer.annotate.command import review_single

        result, page = review_single(engine, files, prev_ctx, html=fmt == "html", output=output, annotate=annotate,
                                     author=annotate_author)
        results.append(result)
    else:
        for path in files:
            try:
                results.append(engine.review_path(path, previous=prev_ctx))
            except InputError as e:  # pragma: no cover - review_path already records these
                results.append(FileResult(path=path, error=str(e)))
            except Exception as e:  # noqa: BLE001 - one bad file never stops the others
                results.append(FileResult(path=path, error=f"内部错误（{type(e).__name__}）：{e}"))
    if fmt != "html":
        _emit(renderer(fmt)(results), output)
    elif page:
        _emit(page, output)
    for r in results:
        if r.error and fmt != "text":
            click.echo(f"{r.path}: 错误：{r.error}", err=True)
    if any(r.error for r in results):
        sys.exit(2)
    if failed := strict_failures(extractor, llm):
        click.echo(f"review: 错误：大模型提取失败（--strict-llm），涉及 {len(failed)} 个文件：{'、'.join(failed)}", err=True)
        sys.exit(2)
    threshold = FAIL_LEVELS[fail_on]
    if any(f.severity.rank >= threshold for r in results for f in r.findings):
        sys.exit(1)


def _emit(text: str, output: str | None) -> None:
    """The output to stdout, or to the --output file."""
    if not output:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as e:
        click.echo(f"review: 错误：无法写入输出文件 {output}：{e.strerror or e}", err=True)
        sys.exit(2)


def _previous_context(engine, previous: str, files: list[str]):
    """The Context of the --previous report, or a one-line error and exit 2."""
    from reviewer.crossyear import load_context

    if len(files) != 1:
        click.echo(f"review: 错误：--previous 只能与一个报告一起使用（找到 {len(files)} 个报告文件）", err=True)
        sys.exit(2)
    try:
        ctx = load_context(engine, previous)
    except InputError as e:
        click.echo(f"review: 错误：上年度报告 {previous}：{e}", err=True)
        sys.exit(2)
    if ctx is None:
        click.echo(f"review: 错误：上年度报告 {previous} 无法识别为政府信息公开工作年度报告", err=True)
        sys.exit(2)
    return ctx


@main.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", required=True, metavar="DIR",
              help="输出目录：findings.jsonl、summary.csv、index.html 和断点续审用的状态库。")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None, help="并行进程数（默认为CPU核数）。")
@click.option("--profile", default="national", show_default=True, help="配置名称（review profiles 列出）或 .toml 文件路径。")
@click.option("--select", multiple=True, help="只运行这些规则（代码或前缀，逗号分隔，可重复）。")
@click.option("--ignore", multiple=True, help="不运行这些规则（代码或前缀）。")
@click.option("--xlsx", is_flag=True, help="另写 summary.xlsx（需要 openpyxl）。")
@click.option("--pages/--no-pages", default=True, show_default=True,
              help="为每个报告另写一个标注原文的网页（pages/ 目录），index.html 链接到它。")
@click.option("--progress/--no-progress", default=True, show_default=True, help="在标准错误输出显示进度。")
@llm_options
@click.option("--llm-concurrency", type=click.IntRange(1, 64), default=4, show_default=True,
              help="同时进行的大模型请求数（--extractor llm）。")
@click.option("--llm-batch", default=None, metavar="FILE",
              help="不审核：把大模型请求写成 OpenAI Batch API 输入文件（JSONL，custom_id 为报告内容哈希）。")
@click.option("--ingest", default=None, metavar="RESULTS.jsonl",
              help="导入批处理接口的结果文件，用其中的应答完成审核。")
def batch(paths: tuple[str, ...], out: str, jobs: int | None, profile: str, select: tuple[str, ...],
          ignore: tuple[str, ...], xlsx: bool, pages: bool, progress: bool, **llm: object) -> None:
    """批量审核：PATH 为目录（递归）、通配符或清单（含 path 列的 CSV，可有 agency、year 列）。"""
    from reviewer.batch.command import batch_main

    batch_main(paths, out, jobs, profile, tuple(_codes(select)), tuple(_codes(ignore)), xlsx, progress, llm, pages=pages)


@main.command("rules")
def list_rules() -> None:
    """列出全部规则。"""
    from reviewer.rules.base import all_rules

    for cls in all_rules():
        opt = "（可选，默认不运行）" if cls.opt_in else ""
        click.echo(f"{cls.code}  {cls.severity.value:<7}  {cls.name:<36}  {cls.summary()}{opt}")
    click.echo("\n标明“可选”的规则默认不运行：用 --select 加规则代码，或使用启用它们的配置（如 --profile strict）。")


@main.command("rule")
@click.argument("code")
def show_rule(code: str) -> None:
    """显示一条规则的说明（检查内容、依据、示例）。"""
    import inspect

    from reviewer.rules.base import REGISTRY, all_rules

    all_rules()
    cls = REGISTRY.get(code.strip().upper())
    if cls is None:
        click.echo(f"review: 错误：没有规则 {code}（review rules 列出全部规则）", err=True)
        sys.exit(2)
    click.echo(f"{cls.code} {cls.name} [{cls.severity.value}]")
    click.echo(f"分组：{', '.join(cls.groups)}；配置：{', '.join(cls.profiles)}；置信度：{cls.confidence.value}")
    if cls.opt_in:
        click.echo(f"可选规则：默认不运行；用 --select {cls.code} 或启用它的配置（如 --profile strict）运行。")
    click.echo("")
    click.echo(inspect.getdoc(cls) or "")


@main.command("profiles")
def list_profiles() -> None:
    """列出内置配置。"""
    from reviewer.profile import builtin_names, load_profile

    for name in builtin_names():
        p = load_profile(name)
        click.echo(f"{name:<12} {p.description}")


# GitHub: `review gh-comment PATH...` and `review gh-action` (the Action's entry point).
from reviewer.github.commands import gh_action, gh_comment  # noqa: E402

main.add_command(gh_comment)
main.add_command(gh_action)
