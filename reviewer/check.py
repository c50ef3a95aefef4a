"""``review check``: review report files and print the findings, without click.

The click command (reviewer.cli) parses the options and calls ``run``; ``review FILE...`` with no
option at all calls it directly (reviewer.entry), so the common case never imports click. The
keyword defaults of ``run`` are the click options' defaults (tests/test_cli_fast.py checks it).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from reviewer.budget import DEFAULT_TIMEOUT
from reviewer.errors import InputError, UsageError, internal_error

FAIL_LEVELS = {"error": 3, "warning": 2, "info": 1, "never": 99}
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")  # what click.echo drops when the stream is not a terminal


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """click.echo for text: a line to stdout (or stderr), ANSI sequences dropped unless a terminal."""
    stream = sys.stderr if err else sys.stdout
    if nl:
        text += "\n"
    if text:
        isatty = getattr(stream, "isatty", None)
        if not (isatty is not None and isatty()):
            text = _ANSI.sub("", text)
        stream.write(text)
    stream.flush()


def codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def run(paths: tuple[str, ...], *, fmt: str = "text", output: str | None = None, annotate: str | None = None,
        annotate_author: str = "报告审核", select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
        fail_on: str = "error", profile: str = "national", year: int | None = None, previous: str | None = None,
        timeout: float = DEFAULT_TIMEOUT, limit_specs: tuple[str, ...] = (), llm: dict[str, Any] | None = None) -> None:
    """Review the reports and print the findings; exits 1 on findings at or above ``fail_on``, 2 on
    an error. ``llm``: the LLM options (reviewer.llm.options); None: the rules extractor."""
    from reviewer.engine import Engine
    from reviewer.folders import skipped_line, skipped_summary
    from reviewer.output import renderer
    from reviewer.output.safe import terminal

    try:
        apply_limits(limit_specs)
        extractor = None
        if llm is not None:
            from reviewer.llm.options import build_extractor

            extractor = build_extractor(llm, profile)
        engine = Engine(profile=profile, select=codes(select), ignore=codes(ignore), year=year, extractor=extractor)
    except UsageError as e:
        fail(str(e))
    skipped: list[str] = []
    files = expand_paths(paths, skipped)
    for path in skipped:
        echo(terminal(f"review: {skipped_line(path)}", one_line=True), err=True)
    if not files:
        fail("没有找到要审核的报告文件")
    prev_ctx = previous_context(engine, previous, files, timeout) if previous else None
    page = ""
    if annotate or fmt == "html":  # one report, kept with its text (reviewer.annotate)
        if any(path == "-" for path, _ in files):
            fail("--annotate 和 --format html 需要报告文件，不能读标准输入")
        result, page = review_single(engine, files, prev_ctx, timeout, html=fmt == "html", output=output,
                                     annotate=annotate, author=annotate_author)
        results = [result]
    else:
        results = skip_non_reports([review_file(engine, path, root, timeout, previous=prev_ctx)
                                    for path, root in files], files)
    if fmt in ("text", "full"):  # a file's error goes to stderr (below), the summary counts it
        emit(renderer(fmt)(results, errors=False) + (skipped_summary(skipped) + "\n" if skipped else ""), output)
    elif fmt != "html":
        emit(renderer(fmt)(results), output)
    elif page:
        emit(page, output)
    for r in results:
        if r.error:
            echo(terminal(f"{r.path}: 错误：{r.error}", one_line=True), err=True)
    if any(r.error for r in results):  # (with --strict-llm, a model failure is the file's error)
        sys.exit(2)
    threshold = FAIL_LEVELS[fail_on]
    if any(f.severity.rank >= threshold for r in results for f in r.findings):
        sys.exit(1)


def utf8_streams() -> None:
    """Standard output and error in UTF-8 whatever the locale says (reports are Chinese)."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if enc != "utf8" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):  # pragma: no cover - detached or unusual streams
                pass


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


def skip_non_reports(results: list, files: list[tuple[str, str | None]]) -> list:
    """A file found in a folder that is not an annual report at all (a README) is left out with a
    note; one named on its own is reviewed, and D001 says why it is no report."""
    from reviewer.output.safe import terminal

    kept = []
    for r, (_, root) in zip(results, files):
        if root is not None and r.not_a_report():
            echo(terminal(f"review: 跳过 {r.path}：不是政府信息公开工作年度报告", one_line=True), err=True)
        else:
            kept.append(r)
    return kept


def apply_limits(specs: tuple[str, ...]):
    """Parse and install the --limit settings (a usage error is exit 2)."""
    from reviewer import limits

    parsed = limits.parse(specs)
    limits.configure(parsed)
    return parsed


def fail(message: str) -> None:
    """A usage or input error: one line on stderr (controls escaped), exit 2."""
    from reviewer.output.safe import terminal

    echo(terminal(f"review: 错误：{message}"), err=True)
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


def emit(text: str, output: str | None) -> None:
    """The output to stdout, or to the --output file."""
    if not output:
        echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"无法写入输出文件 {output}：{e.strerror or e}")


def review_single(engine, files: list[tuple[str, str | None]], previous, timeout: float, **kw):
    """``--annotate`` / ``--format html``: one report kept with its text (reviewer.annotate), under
    the same file rules and time budget as every review."""
    from reviewer.annotate.command import review_single as review_kept
    from reviewer.budget import ReviewTimeout, deadline, message
    from reviewer.ingest import escapes
    from schemas.output import FileResult

    if len(files) == 1 and (why := escapes(*files[0])):
        return FileResult(path=files[0][0], error=why), ""
    try:
        with deadline(timeout):
            return review_kept(engine, [p for p, _ in files], previous, **kw)
    except ReviewTimeout:
        return FileResult(path=files[0][0], error=message(timeout)), ""


def previous_context(engine, previous: str, files: list[tuple[str, str | None]], timeout: float):
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
