"""Renderers: list[FileResult] -> str. Pure functions, one module per format."""

from __future__ import annotations

from collections.abc import Callable

from schemas.output import FileResult

Renderer = Callable[[list[FileResult]], str]


def renderer(fmt: str) -> Renderer:
    if fmt in ("text", "full"):
        from reviewer.output.text import render_full, render_text

        return render_full if fmt == "full" else render_text
    if fmt == "json":
        from reviewer.output.jsonout import render_json

        return render_json
    if fmt == "github":
        from reviewer.output.github import render_github

        return render_github
    if fmt == "sarif":
        from reviewer.output.sarif import render_sarif

        return render_sarif
    if fmt == "markdown":
        from reviewer.output.markdown import Links, render_markdown

        return lambda results: render_markdown(results, links=Links.from_env())
    raise ValueError(fmt)


FORMATS = ["text", "full", "json", "github", "sarif", "markdown"]
