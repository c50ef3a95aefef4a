"""``review check`` for one report kept with its text: ``--annotate OUT.docx`` and ``--format html``.
Usage problems are a one-line Chinese error and exit 2, like the rest of the CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reviewer.annotate import review_file, write_annotated
from reviewer.errors import InputError, internal_error
from schemas.output import FileResult


def fail(message: str) -> None:
    click.echo(f"review: 错误：{message}", err=True)
    sys.exit(2)


def same_file(a: str, b: str) -> bool:
    pa, pb = Path(a), Path(b)
    if pa.exists() and pb.exists():
        return pa.samefile(pb)
    return pa.resolve() == pb.resolve()


def check_target(source: str, dest: str, output: str | None) -> None:
    """The annotated copy goes to a new .docx: never over the draft, never over the --output file."""
    if Path(dest).suffix.lower() != ".docx":
        fail(f"批注文档 {dest} 应以 .docx 结尾")
    if same_file(source, dest):
        fail(f"批注文档 {dest} 就是被审核的文件：原文件不会被覆盖，请另选输出路径")
    if output and same_file(output, dest):
        fail(f"--output 与 --annotate 不能是同一个文件：{dest}")
    if Path(dest).is_dir() or not Path(dest).resolve().parent.is_dir():
        fail(f"无法写入批注文档 {dest}：目录不存在或该路径是目录")


def review_single(engine, files: list[str], previous, *, html: bool, output: str | None, annotate: str | None,
                  author: str) -> tuple[FileResult, str]:
    """(the result, the HTML page or ""): the annotated .docx is written when asked and the report is readable."""
    if len(files) != 1:
        option = "--annotate" if annotate else "--format html"
        fail(f"{option} 只能审核一个报告（找到 {len(files)} 个报告文件）；批量审核请用 review batch")
    path = files[0]
    if annotate:
        check_target(path, annotate, output)
    try:
        reviewed = review_file(engine, path, previous=previous, locate=bool(annotate))
    except InputError as e:  # (--strict-llm: the model failed)
        return FileResult(path=path, error=str(e)), ""
    except Exception as e:  # noqa: BLE001 - a crash is reported like an input error, never a traceback
        return FileResult(path=path, error=internal_error(e)), ""
    if reviewed.result.error:
        return reviewed.result, ""
    if annotate:
        try:
            write_annotated(reviewed, annotate, author=author)
        except OSError as e:
            fail(f"无法写入批注文档 {annotate}：{e.strerror or e}")
    if not html:
        return reviewed.result, ""
    from reviewer.output.html_page import render_page

    return reviewed.result, render_page(reviewed)
