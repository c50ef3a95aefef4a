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
from reviewer.errors import InputError, UsageError, internal_error
from reviewer.llm.options import build_extractor, llm_options

FAIL_LEVELS = {"error": 3, "warning": 2, "info": 1, "never": 99}


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


def expand_paths(paths: tuple[str, ...], skipped: list[str] | None = None) -> list[tuple[str, str | None]]:
    """(file, root) for the files as given and the report files directories hold (recursively).
    A file found in a directory is confined to it (root = the directory: a symlink out of it is not
    read); a file named on its own to the working directory or its own folder (root None). Files of
    a directory in a format that cannot be read (.doc, .wps …) go to ``skipped``."""
    from reviewer.folders import walk

    out: list[tuple[str, str | None]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend((f, p) for f in walk(path, skipped))
        else:
            out.append((p, None))
    return out


def _skip_non_reports(results: list, files: list[tuple[str, str | None]]) -> list:
    """A file found in a folder that is not an annual report at all (a README) is left out with a
    note; one named on its own is reviewed, and D001 says why it is no report."""
    from reviewer.output.safe import terminal

    kept = []
    for r, (_, root) in zip(results, files):
        if root is not None and r.not_a_report():
            click.echo(terminal(f"review: 跳过 {r.path}：不是政府信息公开工作年度报告", one_line=True), err=True)
        else:
            kept.append(r)
    return kept


def limit_options(f):
    """``--timeout`` and ``--limit``: what one report may cost (reviewer.budget, reviewer.limits)."""
    from reviewer.budget import DEFAULT_TIMEOUT
    from reviewer.limits import describe

    f = click.option("--limit", "limit_specs", multiple=True, metavar="NAME=N",
                     help=f"放宽或收紧一项输入限制（可带 k/m/g 后缀，0 表示不限），可重复。默认：{describe()}"
                          "（含义见 README “Limits”）。")(f)
    return click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
                        help="每份报告的审核时限（秒，不含等待大模型的时间；0 表示不限）。")(f)


def apply_limits(specs: tuple[str, ...]):
    """Parse and install the --limit settings (a usage error is exit 2)."""
    from reviewer import limits

    parsed = limits.parse(specs)
    limits.configure(parsed)
    return parsed


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="review", message="%(prog)s %(version)s", help="显示版本并退出。")
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
@limit_options
@llm_options
def check(paths: tuple[str, ...], fmt: str, output: str | None, annotate: str | None, annotate_author: str,
          select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str, profile: str, year: int | None,
          previous: str | None, timeout: float, limit_specs: tuple[str, ...], **llm: object) -> None:
    """审核一个或多个报告文件（目录会递归查找报告文件）。"""
    from reviewer.engine import Engine
    from reviewer.folders import skipped_line, skipped_summary
    from reviewer.output import renderer
    from reviewer.output.safe import terminal

    try:
        apply_limits(limit_specs)
        extractor = build_extractor(llm, profile)
        engine = Engine(profile=profile, select=_codes(select), ignore=_codes(ignore), year=year, extractor=extractor)
    except UsageError as e:
        fail(str(e))
    skipped: list[str] = []
    files = expand_paths(paths, skipped)
    for path in skipped:
        click.echo(terminal(f"review: {skipped_line(path)}", one_line=True), err=True)
    if not files:
        fail("没有找到要审核的报告文件")
    prev_ctx = _previous_context(engine, previous, files, timeout) if previous else None
    page = ""
    if annotate or fmt == "html":  # one report, kept with its text (reviewer.annotate)
        if any(path == "-" for path, _ in files):
            fail("--annotate 和 --format html 需要报告文件，不能读标准输入")
        result, page = _review_single(engine, files, prev_ctx, timeout, html=fmt == "html", output=output,
                                      annotate=annotate, author=annotate_author)
        results = [result]
    else:
        results = _skip_non_reports([review_file(engine, path, root, timeout, previous=prev_ctx)
                                     for path, root in files], files)
    if fmt in ("text", "full"):  # a file's error goes to stderr (below), the summary counts it
        _emit(renderer(fmt)(results, errors=False) + (skipped_summary(skipped) + "\n" if skipped else ""), output)
    elif fmt != "html":
        _emit(renderer(fmt)(results), output)
    elif page:
        _emit(page, output)
    for r in results:
        if r.error:
            click.echo(terminal(f"{r.path}: 错误：{r.error}", one_line=True), err=True)
    if any(r.error for r in results):  # (with --strict-llm, a model failure is the file's error)
        sys.exit(2)
    threshold = FAIL_LEVELS[fail_on]
    if any(f.severity.rank >= threshold for r in results for f in r.findings):
        sys.exit(1)


def fail(message: str) -> None:
    """A usage or input error: one line on stderr (controls escaped), exit 2."""
    from reviewer.output.safe import terminal

    click.echo(terminal(f"review: 错误：{message}"), err=True)
    sys.exit(2)


def review_file(engine, path: str, root: str | None, timeout: float, **kw):
    """One report's FileResult, within the time budget; never raises. ``-`` is standard input."""
    from reviewer.ingest import STDIN, escapes, read_stdin
    from schemas.output import FileResult

    if path == "-":  # standard input: a text report
        try:
            raw, enc = read_stdin()
        except InputError as e:
            return FileResult(path=STDIN, error=str(e))
        return _within(timeout, STDIN, lambda: engine.review_text(raw, STDIN, encoding=enc, **kw))
    why = escapes(path, root)
    if why:
        return FileResult(path=path, error=why)
    return _within(timeout, path, lambda: engine.review_path(path, **kw))


def _within(timeout: float, path: str, review):
    """``review()`` within the time budget; a timeout or a crash is an error result, never raised."""
    from reviewer.budget import ReviewTimeout, deadline, message
    from schemas.output import FileResult

    try:
        with deadline(timeout):
            return review()
    except ReviewTimeout:
        return FileResult(path=path, error=message(timeout))
    except InputError as e:  # pragma: no cover - review_path already records these
        return FileResult(path=path, error=str(e))
    except Exception as e:  # noqa: BLE001 - one bad file never stops the others
        return FileResult(path=path, error=internal_error(e))


def _emit(text: str, output: str | None) -> None:
    """The output to stdout, or to the --output file."""
    if not output:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"无法写入输出文件 {output}：{e.strerror or e}")


def _review_single(engine, files: list[tuple[str, str | None]], previous, timeout: float, **kw):
    """``--annotate`` / ``--format html``: one report kept with its text (reviewer.annotate), under
    the same file rules and time budget as every review."""
    from reviewer.annotate.command import review_single
    from reviewer.budget import ReviewTimeout, deadline, message
    from reviewer.ingest import escapes
    from schemas.output import FileResult

    if len(files) == 1 and (why := escapes(*files[0])):
        return FileResult(path=files[0][0], error=why), ""
    try:
        with deadline(timeout):
            return review_single(engine, [p for p, _ in files], previous, **kw)
    except ReviewTimeout:
        return FileResult(path=files[0][0], error=message(timeout)), ""


def _previous_context(engine, previous: str, files: list[tuple[str, str | None]], timeout: float):
    """The Context of the --previous report, or a one-line error and exit 2."""
    from reviewer.budget import ReviewTimeout, deadline, message
    from reviewer.crossyear import load_context
    from reviewer.ingest import escapes

    if len(files) != 1:
        fail(f"--previous 只能与一个报告一起使用（找到 {len(files)} 个报告文件）")
    try:
        if why := escapes(previous):
            raise InputError(why)
        with deadline(timeout):
            ctx = load_context(engine, previous)
    except InputError as e:
        fail(f"上年度报告 {previous}：{e}")
    except ReviewTimeout:
        fail(f"上年度报告 {previous}：{message(timeout)}")
    except Exception as e:  # noqa: BLE001
        fail(f"上年度报告 {previous}：{internal_error(e)}")
    if ctx is None:
        fail(f"上年度报告 {previous} 无法识别为政府信息公开工作年度报告")
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
    batch_main(paths, out, jobs, profile, tuple(_codes(select)), tuple(_codes(ignore)), xlsx, progress, llm,
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
