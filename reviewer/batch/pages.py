"""Each report's own page (``review --format html``) next to the dashboard: ``pages/<name>.html``,
linked from index.html.

A page shows the report's text, which the state does not keep: it is rendered from the file itself
(read again, by the workers) with the findings of its record, cross-year ones included. Its name is a
hash of the record and the tool, so a rerun renders only what changed and reproduces the others as
they are; pages no record names any more are removed. A file that changed since it was reviewed gets
no page (the dashboard then shows no link) until the next run reviews it again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reviewer.batch.outputs import not_report

PAGES = "pages"


def page_name(rec: dict[str, Any], tool: str) -> str | None:
    """The page's file name for a findings.jsonl record (None: no page, the report was not read, or
    it is not a report at all — nothing of such a file is quoted back)."""
    if rec.get("error") or not rec.get("sha256") or not_report(rec):
        return None
    blob = json.dumps([tool, rec], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:20] + ".html"


class Pages:
    """The pages of one batch run: each record's page name, computed once (a record is hashed whole)."""

    def __init__(self, out: Path, tool: str) -> None:
        self.folder, self.tool = out / PAGES, tool
        self.names: dict[str, str | None] = {}  # path -> page name

    def name(self, rec: dict[str, Any]) -> str | None:
        if rec["path"] not in self.names:
            self.names[rec["path"]] = page_name(rec, self.tool)
        return self.names[rec["path"]]

    def index(self, records: Iterator[dict[str, Any]]) -> int:
        """Name every record's page; remove the pages no record names; return how many are missing."""
        self.names = {rec["path"]: page_name(rec, self.tool) for rec in records}
        keep = set(self.names.values())
        if self.folder.is_dir():
            for f in self.folder.iterdir():
                if f.name not in keep and (f.suffix == ".html" or f.name.endswith(".tmp")):
                    f.unlink(missing_ok=True)
        return sum(1 for n in keep if n and not (self.folder / n).exists())

    def tasks(self, records: Iterator[dict[str, Any]]) -> Iterator[tuple]:
        """("page", path, record JSON, destination) for every record whose page is not there yet."""
        for rec in records:
            name = self.name(rec)
            if name and not (self.folder / name).exists():
                yield ("page", rec["path"], json.dumps(rec, ensure_ascii=False), str(self.folder / name))

    def link(self, rec: dict[str, Any]) -> str | None:
        """The dashboard's link to a record's page, when the page is there."""
        name = self.name(rec)
        return f"{PAGES}/{name}" if name and (self.folder / name).exists() else None


def render_one(path: str, rec_json: str, dest: str) -> dict[str, Any]:
    """A worker's task: read the report again and write its page. Never raises."""
    from reviewer.annotate import Reviewed
    from reviewer.document import build_document
    from reviewer.engine import merge_tables
    from reviewer.output.html_page import render_page
    from reviewer.readers import read
    from schemas.output import FileResult

    rec = json.loads(rec_json)
    try:
        from reviewer.ingest import read_bytes

        data = read_bytes(path)  # a regular file within the size limit (reviewer.limits)
        if hashlib.sha256(data).hexdigest() != rec["sha256"]:
            return {"kind": "page", "path": path, "ok": False}  # changed since it was reviewed
        res = read(path)
        doc = build_document(res.raw, path, encoding=res.encoding, fmt=res.format)
        reviewed = Reviewed(path=path, result=FileResult.model_validate(rec), raw=res.raw, pages=res.pages,
                            tables=merge_tables(res.tables, doc))
        html = render_page(reviewed)
        target = Path(dest)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, target)
    except Exception:  # noqa: BLE001 - a page that cannot be made is no link, never a failed batch
        return {"kind": "page", "path": path, "ok": False}
    return {"kind": "page", "path": path, "ok": True}
