"""The command line: ``review PATH...`` (ruff-style output), ``review rules``, ``review rule CODE``,
``review profiles``.

click is used for parsing (small, fast to import, good errors); output is plain text so a rules-only
run imports nothing heavy. Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or
input error (never hidden by --fail-on never).
"""

from __future__ import annotations

import sys

import click

from reviewer import __version__
from reviewer.check import FAIL_LEVELS, apply_limits, codes, fail, run, utf8_streams
from reviewer.errors import UsageError, internal_error
from reviewer.llm.options import llm_options

__all__ = ["FAIL_LEVELS", "main"]


class DefaultGroup(click.Group):
    """A group whose default command is ``check``: ``review a.txt`` == ``review check a.txt``; bare
    ``review`` prints the help. click speaks Chinese (reviewer.clickzh), and its usage errors are one
    line like every other error."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)  # no arguments: the help (click's NoArgsIsHelpError)

    def main(self, args=None, prog_name=None, **extra):  # type: ignore[override]
        from reviewer.clickzh import install
        from reviewer.output.safe import terminal

        install()
        try:
            code = super().main(args, prog_name or "review", standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as e:
            e.show()
            sys.exit(e.exit_code)
        except click.UsageError as e:
            where = f"（用 {e.ctx.command_path} -h 查看帮助）" if e.ctx is not None else ""
            message = e.format_message().strip().rstrip(".。")
            if isinstance(e, click.MissingParameter) and e.param is not None and e.ctx is not None:
                kind = "参数" if isinstance(e.param, click.Argument) else "选项"
                message = f"缺少{kind} {e.param.get_error_hint(e.ctx)}"
            click.echo(terminal(f"review: 错误：{message}{where}", one_line=True), err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            click.echo(terminal(f"review: 错误：{e.format_message()}", one_line=True), err=True)
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("review: 已中止。", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        """Whatever a command did not foresee ends as one Chinese line and exit 2, never a traceback."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
            raise  # (a closed pipe, `review rules | head`: click quiets it)
        except Exception as e:  # noqa: BLE001 - the last line of defence
            fail(internal_error(e))


def limit_options(f):
    """``--timeout`` and ``--limit``: what one report may cost (reviewer.budget, reviewer.limits)."""
    from reviewer.budget import DEFAULT_TIMEOUT
    from reviewer.limits import describe

    f = click.option("--limit", "limit_specs", multiple=True, metavar="NAME=N",
                     help=f"放宽或收紧一项输入限制（可带 k/m/g 后缀，0 表示不限），可重复。默认：{describe()}"
                          "（含义见 README “Limits”）。")(f)
    return click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
                        help="每份报告的审核时限（秒，不含等待大模型的时间；0 表示不限）。")(f)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="review", message="%(prog)s %(version)s", help="显示版本并退出。")
def main() -> None:
    """审核政府信息公开工作年度报告：review 报告.txt"""
    utf8_streams()


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
@limit_options
@llm_options
def check(paths: tuple[str, ...], fmt: str, output: str | None, annotate: str | None, annotate_author: str,
          select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str, profile: str, year: int | None,
          previous: str | None, timeout: float, limit_specs: tuple[str, ...], **llm: object) -> None:
    """审核一个或多个报告文件（目录会递归查找报告文件）。"""
    run(paths, fmt=fmt, output=output, annotate=annotate, annotate_author=annotate_author, select=select,
        ignore=ignore, fail_on=fail_on, profile=profile, year=year, previous=previous, timeout=timeout,
        limit_specs=limit_specs, llm=llm)


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
@limit_options
@llm_options
@click.option("--llm-concurrency", type=click.IntRange(1, 64), default=4, show_default=True,
              help="同时进行的大模型请求数（--extractor llm）。")
@click.option("--llm-batch", default=None, metavar="FILE",
              help="不审核：把大模型请求写成 OpenAI Batch API 输入文件（JSONL，custom_id 为报告内容哈希）。")
@click.option("--ingest", default=None, metavar="RESULTS.jsonl",
              help="导入批处理接口的结果文件，用其中的应答完成审核。")
def batch(paths: tuple[str, ...], out: str, jobs: int | None, profile: str, select: tuple[str, ...],
          ignore: tuple[str, ...], xlsx: bool, pages: bool, progress: bool, timeout: float,
          limit_specs: tuple[str, ...], **llm: object) -> None:
    """批量审核：PATH 为目录（递归）、通配符或清单（含 path 列的 CSV，可有 agency、year 列）。"""
    from reviewer.batch.command import batch_main

    try:
        budget = (timeout, apply_limits(limit_specs))
    except UsageError as e:
        fail(str(e))
    batch_main(paths, out, jobs, profile, tuple(codes(select)), tuple(codes(ignore)), xlsx, progress, llm,
               pages=pages, budget=budget)


@main.command("rules")
def list_rules() -> None:
    """列出全部规则。"""
    from reviewer.rules.base import all_rules, rule_title

    rules = all_rules()
    width = max(display_width(rule_title(cls.code)) for cls in rules)
    for cls in rules:
        opt = "（可选，默认不运行）" if cls.opt_in else ""
        title = rule_title(cls.code)
        pad = " " * (width - display_width(title))
        click.echo(f"{cls.code}  {cls.severity.label}  {title}{pad}  {cls.summary()}{opt}")
    click.echo("\n标明“可选”的规则默认不运行：用 --select 加规则代码，或使用启用它们的配置（如 --profile strict）。")


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: two for a wide (CJK) character."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@main.command("rule")
@click.argument("code")
def show_rule(code: str) -> None:
    """显示一条规则的说明（检查内容、依据、示例）。"""
    import inspect

    from reviewer.rules.base import REGISTRY, all_rules, rule_title

    all_rules()
    cls = REGISTRY.get(code.strip().upper())
    if cls is None:
        fail(f"没有规则 {code}（review rules 列出全部规则）")
    click.echo(f"{cls.code} {rule_title(cls.code)} [{cls.severity.label}]（{cls.name}）")
    click.echo(f"分组：{', '.join(cls.groups)}；配置：{', '.join(cls.profiles)}；置信度：{'确定' if cls.confidence.value == 'certain' else '推断'}")
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
