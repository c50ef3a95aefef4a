"""The JSON contract: ``{"version": 1, "files": [...]}`` (schemas.output.ReviewOutput)."""

from __future__ import annotations

from reviewer.output.safe import json_text
from schemas.output import FileResult, ReviewOutput


def render_json(results: list[FileResult]) -> str:
    return json_text(ReviewOutput(files=results).model_dump_json(indent=2)) + "\n"
