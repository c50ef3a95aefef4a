"""The batch writes each report's page (review --format html) under pages/ and the dashboard links to it;
a rerun renders nothing again and leaves every page as it was; pages of reports gone are removed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from reviewer.batch import Batch, EngineSpec
from tests.chromium import Browser
from tests.conftest import BASES, ROOT, SAMPLES
from tests.test_dashboard import batch_out  # noqa: F401 - the dashboard's batch, reused

REAL = ROOT / "evals" / "real" / "reports"


def links(index: Path) -> dict[str, str]:
    """report path -> its page link, from the dashboard's table."""
    html = index.read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r'<td><a href="#r\d+">([^<]*)</a>(?: <a class="page" href="([^"]+)")?', html):
        out[m.group(1)] = m.group(2)
    return out


def test_dashboard_links_every_readable_report_to_its_page(batch_out: Path, tmp_path: Path) -> None:  # noqa: F811
    recs = [json.loads(x) for x in (batch_out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    found = links(batch_out / "index.html")
    assert set(found) == {r["path"] for r in recs}
    browser = Browser(tmp_path / "profile")
    try:
        for rec in recs:
            link = found[rec["path"]]
            if rec["error"]:
                assert link is None
                continue
            assert link and link.startswith("pages/") and (batch_out / link).is_file()
            browser.open((batch_out / link).as_uri())
            n = browser.js("document.querySelectorAll('#findings li').length")
            assert n == len(rec["findings"]), rec["path"]
            shown = browser.js("[...new Set([...document.querySelectorAll('#text [data-f]')].map(e => e.dataset.f))].length")
            assert shown == n, rec["path"]
            codes = browser.js("[...document.querySelectorAll('#findings li b')].map(b => b.textContent)")
            assert sorted(codes) == sorted(f["code"] for f in rec["findings"])  # cross-year (C) findings too
    finally:
        browser.close()
    assert any(f["code"].startswith("C") for r in recs for f in r["findings"])


def test_pages_are_reproduced_and_pruned(tmp_path: Path) -> None:
    src = tmp_path / "reports"
    src.mkdir()
    for f in [*sorted(SAMPLES.glob("*.txt"))[:2], REAL / "hongze-2023.pdf", REAL / "shuyang-fagai-2023.html"]:
        shutil.copy(f, src / f.name)
    out = tmp_path / "audit"
    first = Batch(out, EngineSpec()).run([str(src)])
    assert first.pages == 4
    pages = {p.name: p.read_bytes() for p in (out / "pages").iterdir()}
    assert len(pages) == 4 and set(pages) == {Path(v).name for v in links(out / "index.html").values()}
    again = Batch(out, EngineSpec()).run([str(src)])
    assert again.pages == 0 and {p.name: p.read_bytes() for p in (out / "pages").iterdir()} == pages
    (src / "hongze-2023.pdf").unlink()
    shutil.copy(BASES / "clean_department_2023.txt", src / "clean.txt")
    third = Batch(out, EngineSpec()).run([str(src)])
    assert third.pages == 1
    now = {p.name for p in (out / "pages").iterdir()}
    assert len(now) == 4 and len(now & set(pages)) == 3
    assert set(now) == {Path(v).name for v in links(out / "index.html").values()}
    off = Batch(tmp_path / "plain", EngineSpec(), pages=False).run([str(src)])
    assert off.pages == 0 and not (tmp_path / "plain" / "pages").exists()
    assert not any(links(tmp_path / "plain" / "index.html").values())
