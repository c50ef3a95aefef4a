"""The JSON output document: a public contract read by the GitHub Action, batch audits and other
tools. Extend it, never break it (``version`` stays 1 while changes are additive)."""

from __future__ import annotations

from schemas.findings import Finding
from schemas.record import Record, field


class ReportMeta(Record):
    agency: str | None = None
    year: int | None = None
    level: str | None = field(default=None, description="人民政府 | 部门 | 乡镇街道 | 其他")


class Usage(Record):
    """LLM usage for one file (all zero for the rules extractor)."""

    model: str | None = None
    prompt_version: str | None = None
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False


class FileResult(Record):
    path: str
    error: str | None = None
    extractor: str = "rules"
    notices: list[str] = field(default_factory=list)
    report: ReportMeta = field(default_factory=ReportMeta)
    findings: list[Finding] = field(default_factory=list)
    usage: Usage | None = None

    def not_a_report(self) -> bool:
        """The file is not an annual report at all: its only finding is D001 (nothing else was checked)."""
        return self.error is None and bool(self.findings) and all(f.code == "D001" for f in self.findings)

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity.value] += 1
        return out


class ReviewOutput(Record):
    version: int = 1
    files: list[FileResult] = field(default_factory=list)
