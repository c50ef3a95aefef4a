"""``review gh-comment`` and ``review gh-action``: the GitHub side of the CLI (heavy imports stay lazy)."""

from __future__ import annotations

import sys

import click


def _fail(message: object) -> None:
    from reviewer.output.safe import terminal

    click.echo(terminal(f"review: 错误：{message}", one_line=True), err=True)
    sys.exit(2)


@click.command("gh-comment")
@click.argument("paths", nargs=-1)
@click.option("--results", "results_file", type=click.Path(dir_okay=False),
              help="使用 review --format json 的输出文件，不再重新审核。")
@click.option("--profile", default=None, help="配置名称或 .toml 文件路径（转交 review check）。")
@click.option("--select", multiple=True, help="只运行这些规则（转交 review check）。")
@click.option("--ignore", multiple=True, help="不运行这些规则（转交 review check）。")
@click.option("--year", type=int, default=None, help="指定报告年度（转交 review check）。")
def gh_comment(paths: tuple[str, ...], results_file: str | None, profile: str | None, select: tuple[str, ...],
               ignore: tuple[str, ...], year: int | None) -> None:
    """审核报告并在 pull request 上发表（或原地更新）一条评论。

    使用 GITHUB_TOKEN、GITHUB_REPOSITORY、GITHUB_EVENT_PATH、GITHUB_API_URL。令牌只读（来自复刻仓库的
    PR）时给出提示，退出码仍为 0。
    """
    from reviewer.errors import UsageError
    from reviewer.github.action import STATES, notice, run_check
    from reviewer.github.api import GitHub, GitHubError
    from reviewer.github.comment import comment_body, upsert_comment
    from reviewer.github.context import RunContext
    from reviewer.output.markdown import Links
    from schemas.output import ReviewOutput

    if bool(paths) == bool(results_file):
        _fail("请给出要审核的报告文件，或用 --results 给出 review --format json 的输出（二者选一）")
    try:
        ctx = RunContext.from_env()
        ctx.require_api()
        if ctx.pr_number is None:
            notice(click.echo, "当前事件不是 pull request，不发表评论。")
            return
        if results_file:
            try:
                with open(results_file, encoding="utf-8") as fh:
                    results = ReviewOutput.model_validate_json(fh.read()).files
            except (OSError, ValueError) as e:
                raise UsageError(f"无法读取审核结果 {results_file}：{str(e).splitlines()[0]}") from None
        else:
            args = [*(["--profile", profile] if profile else []), *(["--year", str(year)] if year else [])]
            args += [a for v in select for a in ("--select", v)] + [a for v in ignore for a in ("--ignore", v)]
            results = run_check(list(paths), args)
        state, cid = upsert_comment(GitHub(ctx.token, ctx.api_url), ctx.repo, ctx.pr_number,
                                    comment_body(results, Links.from_env()))
    except UsageError as e:
        _fail(e)
    except GitHubError as e:
        if e.status == 403:
            notice(click.echo, "令牌没有写权限（来自复刻仓库的 PR 只有只读令牌），未发表 PR 评论。")
            return
        _fail(e)
    click.echo(f"PR 评论 {cid}：{STATES[state]}")


@click.command("gh-action")
@click.option("--files", envvar="REVIEW_FILES", default="", help="要审核的文件、目录或通配符（空：PR 修改的报告文件）。")
@click.option("--files-glob", envvar="REVIEW_FILES_GLOB", default="",
              help="自动选择文件时的通配符，每行或逗号分隔一个，可用 ! 排除（默认 **/*.{txt,docx,html,htm,pdf}；Markdown 报告请加上 md）。")
@click.option("--profile", envvar="REVIEW_PROFILE", default="national", show_default=True, help="配置名称或 .toml 路径。")
@click.option("--fail-on", envvar="REVIEW_FAIL_ON", default="error", show_default=True,
              help="达到该级别（error|warning|info|never）的问题使检查失败。")
@click.option("--comment/--no-comment", envvar="REVIEW_COMMENT", default=True, show_default=True,
              help="在 pull request 上发表或更新评论。")
@click.option("--sarif", envvar="REVIEW_SARIF", default="", help="写出 SARIF 文件的路径（空：不写）。")
@click.option("--args", "extra", envvar="REVIEW_ARGS", default="", help="转交 review check 的其他参数。")
@click.option("--annotate/--no-annotate", envvar="REVIEW_ANNOTATE", default=False, show_default=True,
              help="为每个审核的报告另存带批注的 Word 文档（$RUNNER_TEMP/report-review-annotated/）。")
def gh_action(files: str, files_glob: str, profile: str, fail_on: str, comment: bool, sarif: str, extra: str,
              annotate: bool) -> None:
    """GitHub Action 的入口（action.yml 调用）：注解、任务摘要、SARIF、PR 评论。"""
    import os

    from reviewer.errors import UsageError
    from reviewer.github.action import ActionOptions, run_action

    opts = ActionOptions(files=files, files_glob=files_glob, profile=profile, fail_on=fail_on.strip().lower(),
                         comment=comment, sarif=sarif.strip(), args=extra, annotate=annotate,
                         model=os.environ.get("REVIEW_INPUT_MODEL", ""),
                         base_url=os.environ.get("REVIEW_INPUT_BASE_URL", ""),
                         api_key=os.environ.get("REVIEW_INPUT_API_KEY", ""))
    try:
        code = run_action(opts, echo=click.echo)
    except UsageError as e:
        _fail(e)
    sys.exit(code)
