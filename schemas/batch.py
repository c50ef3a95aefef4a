"""A line of a batch's findings.jsonl: the core's FileResult plus what a batch adds. Additive: a
reader of the FileResult contract reads these lines unchanged."""

from __future__ import annotations

from schemas.output import FileResult
from schemas.record import field


class BatchRecord(FileResult):
    sha256: str | None = field(default=None, description="SHA-256 of the report file (null when it could not be read).")
    previous: str | None = field(
        default=None, description="The same agency's previous-year report compared by C101–C103, if any."
    )
