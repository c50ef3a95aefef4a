"""The GitHub Action's logic (action.yml only installs the package and calls ``review gh-action``).

One review, many outputs: annotations in the log, the Markdown job summary, an optional SARIF file,
step outputs, and one PR comment updated in place. The review itself runs ``review check --format
json`` in a subprocess, so the action reads the public JSON contract and every option of ``check``
(including model configuration through the environment) applies unchanged.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

import reviewer
from reviewer.cli import FAIL_LEVELS
from reviewer.errors import UsageError
from reviewer.github import changed
from reviewer.github.api import GitHub, GitHubError
from reviewer.github.comment import comment_body, no_reports_body, upsert_comment
from reviewer.github.context import RunContext
from reviewer.output.github import command
from reviewer.output.markdown import Links, render_markdown, utf8_len
from schemas.output import FileResult, ReviewOutput

SUMMARY_LIMIT = 1024 * 1024 - 1024  # GitHub's step-summary cap is 1 MiB; keep a little slack
ANNOTATED = "report-review-annotated"  # the folder (under RUNNER_TEMP) action.yml uploads as an artifact

Echo = Callable[[str], None]


def notice(echo: Echo, message: str) -> None:
    echo(command("notice", message))


def warning(echo: Echo, message: str) -> None:
    echo(command("warning", message))


def check_deadline(files: int, env: Mapping[str, str]) -> float:
    """How long ``review check`` may run on ``files`` reports: each has the time budget (the check
    enforces it itself); with a model, also its requests (up to 9 per report, --llm-timeout 120 s
    each); plus start-up. A backstop for a review that hangs where the budget cannot reach."""
    from reviewer.budget import DEFAULT_TIMEOUT

    per_report = DEFAULT_TIMEOUT + 10 + (9 * 120 if env.get("REVIEW_MODEL") else 0)
    return 60 + files * per_report


def run_check(paths: list[str], args: list[str], env: Mapping[str, str] | None = None,
              timeout: float | None = None) -> list[FileResult]:
    """``review check --format json`` on ``paths``; input problems come back as FileResult.error.
    The subprocess is killed after ``timeout`` seconds (default: ``check_deadline``)."""
    child_env = dict(os.environ if env is None else env)
    root = str(Path(reviewer.__file__).resolve().parent.parent)  # this very package, whatever the cwd
    child_env["PYTHONPATH"] = os.pathsep.join(p for p in (root, child_env.get("PYTHONPATH", "")) if p)
    cmd = [sys.executable, "-m", "reviewer", "check", "--format", "json", "--fail-on", "never", *args, "--", *paths]
    limit = timeout if timeout is not None else check_deadline(len(paths), child_env)
    try:
        proc = subprocess.run(cmd, capture_output=True, env=child_env, check=False, timeout=limit,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise UsageError(f"审核超时：review check 超过 {limit:g} 秒未完成，已停止") from None
    try:
        return ReviewOutput.model_validate_json(proc.stdout).files
    except ValidationError:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        last = lines[-1].removeprefix("review: 错误：") if lines else ""
        if not last or "Traceback" in proc.stderr.decode("utf-8", "replace"):
            last = f"审核失败（review check 退出码 {proc.returncode}，没有输出结果）"
        raise UsageError(last[:500]) from None


OWN_OPTIONS = ("--format", "-o", "--output", "--annotate")  # how `review check` writes: the action decides


def split_args(args: str) -> tuple[list[str], str | None, list[str]]:
    """The ``args`` input split into (options passed on to ``review check``, its ``--fail-on`` if any
    — it wins over the fail-on input —, the output options the action ignores, as written)."""
    words, kept, ignored = shlex.split(args or ""), [], []
    fail_on: str | None = None
    i = 0
    while i < len(words):
        word = words[i]
        name, eq, value = word.partition("=")
        if name in (*OWN_OPTIONS, "--fail-on"):
            if not eq:
                value = words[i + 1] if i + 1 < len(words) else ""
                i += 1
            if name == "--fail-on":
                fail_on = value.strip().lower()
            else:
                ignored.append(word if eq else f"{word} {value}".strip())
        else:
            kept.append(word)
        i += 1
    return kept, fail_on, ignored


@dataclass
class ActionOptions:
    files: str = ""
    files_glob: str = ""
    profile: str = "national"
    fail_on: str = "error"
    comment: bool = True
    sarif: str = ""
    args: str = ""
    model: str = ""
    base_url: str = ""
    api_key: str = ""
    annotate: bool = False


def select_files(opts: ActionOptions, ctx: RunContext, echo: Echo) -> tuple[list[str], bool]:
    """(files, automatic): the given files, or the changed report files matching the glob."""
    if opts.files.strip():
        return changed.explicit_files(opts.files), False
    base = ctx.base_sha
    if base:
        candidates = changed.changed_files(base)
    else:
        notice(echo, "不是 pull request 事件，审核仓库中所有匹配的报告文件。")
        candidates = changed.tracked_files()
    return [f for f in changed.matching(candidates, opts.files_glob) if os.path.isfile(f)], True


def drop_non_reports(results: list[FileResult], echo: Echo) -> list[FileResult]:
    """Automatic file lists: a changed file that is not an annual report (README.md…) is skipped, not failed."""
    kept = []
    for r in results:
        if r.not_a_report():
            notice(echo, f"跳过 {r.path}：不是政府信息公开工作年度报告。")
        else:
            kept.append(r)
    return kept


def check_env(opts: ActionOptions, echo: Echo) -> dict[str, str]:
    """The review's environment: model settings only when given (an empty OPENAI_BASE_URL would break
    the client), and the key masked in the log."""
    env = dict(os.environ)
    for name, value in (("REVIEW_MODEL", opts.model), ("OPENAI_BASE_URL", opts.base_url), ("OPENAI_API_KEY", opts.api_key)):
        if value.strip():
            env[name] = value.strip()
    if opts.api_key.strip():
        echo(f"::add-mask::{opts.api_key.strip()}")
    return env


def annotated_name(path: str) -> Path:
    """Where a report's annotated copy goes inside the artifact: its path in the repository, a .docx
    keeping its name, any other format with .docx added (reports/2023.txt -> reports/2023.txt.docx)."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            p = Path(p.name)
    p = Path(*[x for x in p.parts if x not in ("..", ".", "/")] or [p.name])
    return p if p.suffix.lower() == ".docx" else p.with_name(p.name + ".docx")


def annotate(results: list[FileResult], args: list[str], env: Mapping[str, str], echo: Echo) -> str | None:
    """The annotated .docx of each reviewed report (``review check FILE --annotate``), in one folder for
    action.yml to upload; the folder, or None when nothing was written."""
    root = Path(env.get("RUNNER_TEMP") or ".") / ANNOTATED
    written = 0
    for r in results:
        if r.error:
            continue
        dest = root / annotated_name(r.path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            run_check([r.path], [*args, "--annotate", str(dest)], env)
        except UsageError as e:
            warning(echo, f"无法为 {r.path} 生成批注文档：{e}")
            continue
        written += dest.is_file()
    if not written:
        return None
    echo(f"带批注的 Word 文档 {written} 份：{root}（作为产物 {ANNOTATED} 上传）")
    return str(root)


def write_outputs(results: list[FileResult], opts: ActionOptions, env: Mapping[str, str],
                  annotated: str | None = None) -> None:
    counts = {"error": 0, "warning": 0, "info": 0}
    for r in results:
        for k, v in r.counts().items():
            counts[k] += v
    path = env.get("GITHUB_OUTPUT")
    if not path:
        return
    lines = [f"files={len(results)}", f"errors={counts['error']}", f"warnings={counts['warning']}",
             f"infos={counts['info']}", f"failed={sum(1 for r in results if r.error)}"]
    if opts.sarif and "\n" not in opts.sarif:
        lines.append(f"sarif={opts.sarif}")
    if annotated and "\n" not in annotated:
        lines.append(f"annotated={annotated}")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


STATES = {"created": "已创建", "updated": "已更新", "unchanged": "内容未变，未修改"}


def post_comment(results: list[FileResult], ctx: RunContext, env: Mapping[str, str], echo: Echo) -> None:
    """Comment on the PR; a read-only token (fork PRs) or any API trouble is a notice, never a failure.
    No report to review: an earlier comment of ours is updated to say so (never left stale), and
    none is created."""
    if ctx.pr_number is None:
        return
    if not ctx.token or not ctx.repo:
        warning(echo, "没有 GITHUB_TOKEN 或 GITHUB_REPOSITORY，不发表 PR 评论。")
        return
    body = comment_body(results, Links.from_env(env)) if results else no_reports_body()
    try:
        state, cid = upsert_comment(GitHub(ctx.token, ctx.api_url), ctx.repo, ctx.pr_number, body,
                                    create=bool(results))
        if cid is None:
            return
    except GitHubError as e:
        if e.status == 403:
            notice(echo, "令牌没有写权限（来自复刻仓库的 PR 只有只读令牌），未发表 PR 评论；审核结果见注解和任务摘要。")
        else:
            warning(echo, f"发表 PR 评论失败：{e}")
        return
    echo(f"PR 评论 {cid}：{STATES[state]}")


def run_action(opts: ActionOptions, env: Mapping[str, str] | None = None, echo: Echo = print) -> int:
    from reviewer.output.github import render_github
    from reviewer.output.sarif import render_sarif

    env = os.environ if env is None else env
    if opts.fail_on not in FAIL_LEVELS:
        raise UsageError(f"fail-on 应为 {'、'.join(FAIL_LEVELS)} 之一，而不是 {opts.fail_on!r}")
    ctx = RunContext.from_env(env)
    kept, args_fail_on, ignored = split_args(opts.args)
    fail_on = opts.fail_on
    if ignored:
        notice(echo, f"args 中的 {'、'.join(ignored)} 已忽略：输出由 Action 决定（注解、任务摘要、PR 评论、SARIF）。")
    if args_fail_on is not None:
        if args_fail_on not in FAIL_LEVELS:
            raise UsageError(f"args 中的 --fail-on 应为 {'、'.join(FAIL_LEVELS)} 之一，而不是 {args_fail_on!r}")
        if args_fail_on != fail_on:
            notice(echo, f"采用 args 中的 --fail-on {args_fail_on}（fail-on 输入为 {fail_on}）。")
        fail_on = args_fail_on
    files, automatic = select_files(opts, ctx, echo)
    if not files:
        notice(echo, "没有需要审核的报告文件。")
        if opts.comment:
            post_comment([], ctx, env, echo)
        return 0
    args, child_env = ["--profile", opts.profile, *kept], check_env(opts, echo)
    results = run_check(files, args, child_env)
    if automatic:
        results = drop_non_reports(results, echo)
        if not results:
            notice(echo, "没有需要审核的报告文件。")
    annotated = annotate(results, args, {**env, **child_env}, echo) if opts.annotate else None
    echo(render_github(results).rstrip("\n"))
    if opts.sarif:
        Path(opts.sarif).parent.mkdir(parents=True, exist_ok=True)
        Path(opts.sarif).write_text(render_sarif(results), encoding="utf-8")
    if env.get("GITHUB_STEP_SUMMARY"):
        with open(env["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
            fh.write(render_markdown(results, links=Links.from_env(env), limit=SUMMARY_LIMIT, measure=utf8_len))
    write_outputs(results, opts, env, annotated)
    if opts.comment:
        post_comment(results, ctx, env, echo)
    if any(r.error for r in results):
        return 2
    threshold = FAIL_LEVELS[fail_on]
    return 1 if any(f.severity.rank >= threshold for r in results for f in r.findings) else 0
