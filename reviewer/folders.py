"""Which files of a folder are reviewed (``review DIR`` and ``review batch DIR``), and the ones that
are left out but must not vanish silently: a .doc or .wps in a folder is most likely a report in a
format the reviewer cannot read, and the user is told so, one line per file and in the summary."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

REPORT_SUFFIXES = {".txt", ".md", ".docx", ".html", ".htm", ".pdf"}
# Word-processor and archive-of-a-page formats a report may come in (reviewer.readers.UNSUPPORTED says
# what to convert them to); pictures, spreadsheets and archives in a folder are not reports.
CONVERTIBLE = {".doc", ".wps", ".rtf", ".odt", ".ofd", ".mht", ".mhtml"}


def walk(folder: Path, skipped: list[str] | None = None) -> Iterator[str]:
    """The report files under ``folder`` (recursively, by name, sorted): a FIFO, a device or a symlink
    leading out of the folder named like a report is listed too, and becomes an error rather than a
    silent gap. Files in a convertible format go to ``skipped``. Office lock files (~$…) are neither."""
    for f in sorted(folder.rglob("*")):
        suffix = f.suffix.lower()
        if f.name.startswith("~$") or suffix not in REPORT_SUFFIXES | CONVERTIBLE or f.is_dir():
            continue
        if suffix in REPORT_SUFFIXES:
            yield str(f)
        elif skipped is not None:
            skipped.append(str(f))


def skipped_line(path: str) -> str:
    """One line for a file left out: its name and what to convert it to."""
    from reviewer.readers import UNSUPPORTED

    return f"跳过 {path}：{UNSUPPORTED.get(Path(path).suffix.lower(), '格式不受支持')}"


def skipped_summary(skipped: list[str]) -> str:
    """The summary's note on the files left out ("" when there are none)."""
    if not skipped:
        return ""
    kinds = "、".join(sorted({Path(p).suffix.lower() for p in skipped}))
    return f"另有 {len(skipped)} 个文件格式不受支持（{kinds}），未审核。"
