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
    raise ValueError(fmt)


FORMATS = ["text", "full", "json"]
