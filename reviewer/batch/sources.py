"""What a batch reviews: folders (recursive), globs, files, and manifests (CSV with a path column and
optional agency/year columns), expanded lazily and without duplicates."""

from __future__ import annotations

import csv
import glob
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reviewer.errors import InputError, UsageError
from reviewer.folders import REPORT_SUFFIXES, walk

PATH_COLUMNS = ("path", "file", "文件", "路径", "文件路径")
AGENCY_COLUMNS = ("agency", "机关", "机关名称", "单位")
YEAR_COLUMNS = ("year", "年度", "年份")


@dataclass(frozen=True)
class Source:
    """One report to review; agency and year come from a manifest and win over the detected ones.
    ``root``: the folder the file must stay in once symlinks are resolved (reviewer.ingest.escapes):
    the folder searched, the manifest's folder, a glob's fixed part; None for a file named alone."""

    path: str
    agency: str | None = None
    year: int | None = None
    root: str | None = None


def _is_glob(arg: str) -> bool:
    return glob.has_magic(arg) and not Path(arg).exists()


def _decode(data: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"清单 {name} 的编码无法识别（应为 UTF-8 或 GBK）")


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    for h in header:
        if h.strip().lower() in names:
            return h
    return None


def read_manifest(path: Path) -> Iterator[Source]:
    """A CSV manifest: a path column (relative paths are relative to the manifest), optional
    agency and year columns."""
    from reviewer.ingest import read_bytes

    try:
        text = _decode(read_bytes(path), str(path))
    except InputError as e:
        raise UsageError(f"清单 {path} 无法读取：{e}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    col = _column(header, PATH_COLUMNS)
    if col is None:
        raise UsageError(f"清单 {path} 没有 path（文件路径）列")
    agency_col, year_col = _column(header, AGENCY_COLUMNS), _column(header, YEAR_COLUMNS)
    for n, row in enumerate(reader, start=2):
        raw = (row.get(col) or "").strip()
        if not raw:
            continue
        year_text = (row.get(year_col) or "").strip().rstrip("年度") if year_col else ""
        if year_text and not year_text.isdigit():
            raise UsageError(f"清单 {path} 第{n}行：年度“{year_text}”不是数字")
        agency = (row.get(agency_col) or "").strip() if agency_col else ""
        target = Path(raw) if Path(raw).is_absolute() else path.parent / raw
        yield Source(str(target), agency or None, int(year_text) if year_text else None, _entry_root(path, target))


def _entry_root(manifest: Path, target: Path) -> str:
    """A manifest entry stays in the manifest's folder; one named outside it (an absolute path,
    ``../``) stays in the folder it names."""
    base = os.path.abspath(manifest.parent)
    full = os.path.abspath(target)
    return base if full.startswith(base.rstrip(os.sep) + os.sep) else os.path.dirname(full)


def _glob_root(pattern: str) -> str:
    """The fixed folder a glob starts in ("2023/**/*.txt" -> "2023")."""
    parts = []
    for part in Path(pattern).parts[:-1]:
        if glob.has_magic(part):
            break
        parts.append(part)
    return str(Path(*parts)) if parts else os.curdir


def _expand_one(arg: str, skipped: list[str] | None) -> Iterator[Source]:
    p = Path(arg)
    if p.is_dir():
        yield from (Source(f, root=arg) for f in walk(p, skipped))
    elif p.suffix.lower() == ".csv" and p.is_file():
        yield from read_manifest(p)
    elif _is_glob(arg):
        root = _glob_root(arg)
        for m in sorted(glob.glob(arg, recursive=True)):
            mp = Path(m)
            if mp.is_dir():
                yield from (Source(f, root=root) for f in walk(mp, skipped))
            elif mp.suffix.lower() in REPORT_SUFFIXES or mp.is_file():
                yield Source(m, root=root)
    else:
        yield Source(arg)  # a file, or a missing one (an error row)


def check_args(args: Iterable[str]) -> None:
    """A path given on the command line that does not exist is a typo: a usage error before anything
    is reviewed or written (a manifest's missing entries are error rows instead)."""
    for arg in args:
        if not (os.path.lexists(arg) or _is_glob(arg)):
            raise UsageError(f"路径不存在：{arg}（未审核任何报告，输出未改动）")


def expand(args: Iterable[str], *, exclude: Path | None = None, skipped: list[str] | None = None) -> Iterator[Source]:
    """Every report named by the arguments, once (the first spelling of a path wins); files under
    ``exclude`` (the batch's own output folder) are skipped. Files of folders in a format that cannot
    be read (.doc, .wps …) are appended to ``skipped``."""
    args = list(args)
    check_args(args)
    seen: set[str] = set()
    skip = os.path.realpath(exclude) + os.sep if exclude is not None else None
    for arg in args:
        for src in _expand_one(arg, skipped):
            real = os.path.realpath(src.path)
            if real in seen or (skip and real.startswith(skip)):
                continue
            seen.add(real)
            yield src
