"""The batch's files, generated from the state: findings.jsonl, summary.csv (UTF-8 with BOM, for
Excel), optionally summary.xlsx, and index.html. Each is written to a temporary file and renamed
into place, so a reader never sees a half-written output and a rerun reproduces them byte for byte.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.batch.store import Store
from reviewer.output.safe import cell

SEVERITIES = ("error", "warning", "info")
NOT_A_REPORT = "D001"
CSV_HEADER = ["文件", "机关", "层级", "年度", "提取器", "错误", "警告", "提示", "问题代码", "无法审核原因", "上年度报告", "内容哈希"]


def record(row: tuple) -> dict[str, Any]:
    """One line of findings.jsonl: the FileResult JSON of the core, plus ``sha256`` (the content
    hash) and ``previous`` (the previous year's report the C rules compared it with)."""
    path, sha, _status, uncached, agency, result, prev_path, cross = row
    rec = json.loads(result if result is not None else uncached)
    rec["path"] = path
    if agency:
        rec["report"]["agency"] = agency
    extra = json.loads(cross) if cross else []
    if extra:
        rec["findings"] = sorted(rec["findings"] + extra, key=lambda f: (f["line"], f["column"], f["code"]))
    rec["sha256"] = sha
    rec["previous"] = prev_path if cross is not None else None
    return rec


def line(rec: dict[str, Any]) -> bytes:
    return (json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def records(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.rows():
        yield record(row)


def counts(rec: dict[str, Any]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for f in rec["findings"]:
        out[f["severity"]] += 1
    return out


def codes(rec: dict[str, Any]) -> list[str]:
    return sorted({f["code"] for f in rec["findings"]})


def not_report(rec: dict[str, Any]) -> bool:
    """A file that is not an annual report at all (its only finding is D001): listed apart, counted
    in no total and no chart."""
    found = rec.get("findings") or []
    return not rec.get("error") and bool(found) and all(f["code"] == NOT_A_REPORT for f in found)


def not_report_reason(rec: dict[str, Any]) -> str:
    return "非年度报告：" + rec["findings"][0]["message"].split("：", 1)[-1]


def summary_row(rec: dict[str, Any]) -> list[Any]:
    if not_report(rec):  # a row of its own kind: no counts or codes that a column sum would pick up
        return [rec["path"], "", "", "", "", 0, 0, 0, "", not_report_reason(rec), "", rec.get("sha256") or ""]
    c, rep = counts(rec), rec["report"]
    return [
        rec["path"], rep.get("agency") or "", rep.get("level") or "", rep.get("year") or "",
        "" if rec.get("error") else rec.get("extractor") or "", c["error"], c["warning"], c["info"],
        " ".join(codes(rec)), rec.get("error") or "", rec.get("previous") or "", rec.get("sha256") or "",
    ]


@dataclass
class Stats:
    """What the dashboard shows at the top, gathered in one pass (bounded by codes, years, agencies)."""

    reports: int = 0  # annual reports read and reviewed
    failed: int = 0  # files that could not be reviewed
    not_reports: int = 0  # files that are not annual reports (D001): in no other figure
    clean: int = 0
    with_errors: int = 0
    paired: int = 0
    severity: Counter = field(default_factory=Counter)
    code_findings: Counter = field(default_factory=Counter)
    code_reports: Counter = field(default_factory=Counter)
    code_info: dict[str, tuple[str, str]] = field(default_factory=dict)
    # year / agency -> {"reports": n, "error": n, "warning": n, "info": n} (a small dict each: one
    # entry per agency is all that grows with the batch)
    by_year: dict[Any, dict[str, int]] = field(default_factory=dict)
    by_agency: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, rec: dict[str, Any]) -> None:
        if not_report(rec):
            self.not_reports += 1
            return
        if rec.get("error"):
            self.failed += 1
            return
        self.reports += 1
        c = counts(rec)
        self.severity.update(c)
        self.clean += not rec["findings"]
        self.with_errors += c["error"] > 0
        self.paired += rec.get("previous") is not None
        for f in rec["findings"]:
            self.code_findings[f["code"]] += 1
            self.code_info.setdefault(f["code"], (f["name"], f["severity"]))
        self.code_reports.update(codes(rec))
        rep = rec["report"]
        for key, table in ((rep.get("year") or "未知", self.by_year), (rep.get("agency") or "（未识别机关）", self.by_agency)):
            row = table.get(key)
            if row is None:
                row = table[key] = {"reports": 0, "error": 0, "warning": 0, "info": 0}
            row["reports"] += 1
            for sev, n in c.items():
                row[sev] += n


class _Atomic:
    """A file written under a temporary name, fsynced and renamed into place on commit."""

    def __init__(self, path: Path, mode: str = "w", **kw: Any) -> None:
        self.path, self.tmp = path, path.with_name(f".{path.name}.tmp")
        self.f = open(self.tmp, mode, **kw)  # noqa: SIM115 - closed in commit/abort

    def commit(self) -> None:
        self.f.flush()
        os.fsync(self.f.fileno())
        self.f.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.f.close()
        self.tmp.unlink(missing_ok=True)


def write_outputs(store: Store, out: Path, *, xlsx: bool = False,
                  link: Callable[[dict[str, Any]], str | None] | None = None) -> Stats:
    """Regenerate every output from the state. ``link(rec)``: the relative URL of a report's page
    (reviewer.batch.pages), when the dashboard links to them."""
    stats = Stats()
    jsonl = _Atomic(out / "findings.jsonl", "wb")
    summary = _Atomic(out / "summary.csv", "w", encoding="utf-8-sig", newline="")
    book = _xlsx() if xlsx else None
    try:
        writer = csv.writer(summary.f)
        writer.writerow(CSV_HEADER)
        for rec in records(store):
            jsonl.f.write(line(rec))
            row = [cell(v) for v in summary_row(rec)]  # never a formula, no control characters (CSV and xlsx alike)
            writer.writerow(row)
            if book is not None:
                book.add(rec, row)
            stats.add(rec)
    except BaseException:
        jsonl.abort()
        summary.abort()
        raise
    jsonl.commit()
    summary.commit()
    if book is not None:
        tmp = out / ".summary.xlsx.tmp"
        book.save(tmp)
        os.replace(tmp, out / "summary.xlsx")
    from reviewer.batch.dashboard import render

    page = _Atomic(out / "index.html", "w", encoding="utf-8")
    try:
        render(page.f, stats, lambda: records(store), link=link)
    except BaseException:
        page.abort()
        raise
    page.commit()
    _fsync_dir(out)
    return stats


FINDING_HEADER = ["文件", "机关", "年度", "位置", "代码", "规则", "级别", "问题", "原文", "修改建议", "置信度"]
LEVEL_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


class _Book:
    """summary.xlsx: the sheet 报告 (the rows of summary.csv) and the sheet 问题 (one row per finding,
    the files that are not reports left out), each with a frozen header row and a filter on every
    column. Written streaming (openpyxl's write-only mode): memory stays flat."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.wb = Workbook(write_only=True)
        self.reports, self.findings = self.wb.create_sheet("报告"), self.wb.create_sheet("问题")
        self.rows = {"reports": 1, "findings": 1}
        for ws, header in ((self.reports, CSV_HEADER), (self.findings, FINDING_HEADER)):
            ws.freeze_panes = "A2"
            ws.append(header)

    def add(self, rec: dict[str, Any], row: list[Any]) -> None:
        from reviewer.output.where import position
        from reviewer.rules.base import rule_title

        self.reports.append(row)
        self.rows["reports"] += 1
        if not_report(rec):
            return
        rep = rec["report"]
        for f in rec["findings"]:
            self.findings.append([cell(v) for v in (
                rec["path"], rep.get("agency") or "", rep.get("year") or "", position(f), f["code"],
                rule_title(f["code"], f["name"]), LEVEL_LABELS[f["severity"]], f["message"], f.get("evidence") or "",
                f.get("hint") or "", "确定" if f.get("confidence") == "certain" else "推断")])
            self.rows["findings"] += 1

    def save(self, path: Path) -> None:
        from openpyxl.utils import get_column_letter

        for ws, header, key in ((self.reports, CSV_HEADER, "reports"), (self.findings, FINDING_HEADER, "findings")):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{self.rows[key]}"
        self.wb.save(path)


def _xlsx() -> _Book:
    return _Book()


def xlsx_available() -> bool:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
