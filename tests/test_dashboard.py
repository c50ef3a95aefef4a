"""The batch dashboard (index.html) in headless Chromium: it loads without network and without
script errors, shows the right counts, sorts and filters, and never runs report text as markup.

Chromium is required, not optional: .ci/run installs Debian's chromium package before pytest.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reviewer.batch import Batch, EngineSpec
from tests.conftest import BASES, SAMPLES

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
XSS = '<script>document.title="pwned"</script><img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("reports")
    for f in SAMPLES.glob("*.txt"):
        shutil.copy(f, src / f.name)
    base = (BASES / "clean_department_2023.txt").read_text(encoding="utf-8")
    (src / "clean_2023.txt").write_text(base, encoding="utf-8")
    (src / "clean_2022.txt").write_text(
        base.replace("2022", "2021").replace("2023", "2022").replace("2024", "2023"), encoding="utf-8"
    )
    (src / "hostile.txt").write_text(f"{XSS}2023年政府信息公开工作年度报告\n一、总体情况\n{XSS}\n", encoding="utf-8")
    (src / "broken.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path_factory.mktemp("out")
    Batch(out, EngineSpec()).run([str(src)])
    return out


def dom(page: Path, fragment: str, tmp_path: Path) -> str:
    assert CHROMIUM, "headless Chromium is needed for this test: apt-get install chromium (.ci/run does)"
    r = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri() + fragment],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 0 and "</html>" in r.stdout, r.stderr[-2000:]
    return r.stdout


def records(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def html_attr(page: str, name: str) -> str | None:
    m = re.search(rf'<html[^>]*\s{name}="([^"]*)"', page)
    return m.group(1) if m else None


def text_of(page: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', page)
    assert m, element_id
    return m.group(1)


def test_dashboard_loads_with_the_right_counts(batch_out: Path, tmp_path: Path) -> None:
    recs = records(batch_out)
    page = dom(batch_out / "index.html", "", tmp_path)
    assert html_attr(page, "data-ready") == "1", "the page's script did not finish"
    assert html_attr(page, "data-js-errors") is None, html_attr(page, "data-js-error")
    failed = sum(1 for r in recs if r["error"])
    assert html_attr(page, "data-rows") == str(len(recs))  # the table lists the unreadable too …
    assert text_of(page, "n-reports") == str(len(recs) - failed)  # … the count is of the reports reviewed
    for sev in ("error", "warning", "info"):
        total = sum(1 for r in recs for f in r["findings"] if f["severity"] == sev)
        assert text_of(page, f"n-{sev}") == str(total)
    assert text_of(page, "n-failed") == str(sum(1 for r in recs if r["error"])) == "1"
    assert text_of(page, "n-paired") == "1"
    assert text_of(page, "n-clean") == str(sum(1 for r in recs if not r["error"] and not r["findings"]))
    codes = {f["code"] for r in recs for f in r["findings"]}
    chart = re.search(r'<svg class="chart" id="chart-codes".*?</svg>', page, re.S).group(0)
    assert chart.count("<g ") == len(codes) and all(c in chart for c in codes)
    assert page.count("<details") == len(recs)
    for r in recs:  # every finding is shown with its evidence
        for f in r["findings"]:
            assert f["code"] in page
    raw = (batch_out / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', raw), "the page must not load anything"


def test_dashboard_sorts_and_filters(batch_out: Path, tmp_path: Path) -> None:
    recs = records(batch_out)
    worst = max(recs, key=lambda r: sum(f["severity"] == "error" for f in r["findings"]))
    page = dom(batch_out / "index.html", "#sort=errors-desc", tmp_path)
    body = re.search(r'<table id="reports">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    first = re.search(r'<a href="#r\d+">([^<]*)</a>', body).group(1)
    assert first == worst["path"]
    assert 'aria-sort="descending"' in page
    with_t101 = sum(1 for r in recs if any(f["code"] == "T101" for f in r["findings"]))
    page = dom(batch_out / "index.html", "#filter=T101", tmp_path)
    assert with_t101 > 0 and html_attr(page, "data-visible") == str(with_t101)


def test_report_text_is_never_markup(batch_out: Path, tmp_path: Path) -> None:
    page = dom(batch_out / "index.html", "", tmp_path)
    assert "pwned" not in re.search(r"<title>(.*?)</title>", page).group(1)
    assert page.count("<script") == 2  # the page's own two scripts, nothing from the reports
    assert "<img" not in page and "&lt;script&gt;document.title" in page
    assert html_attr(page, "data-js-errors") is None


def test_the_filter_also_filters_each_reports_findings(batch_out: Path, tmp_path: Path) -> None:
    recs = records(batch_out)
    with_t101 = sum(1 for r in recs if any(f["code"] == "T101" for f in r["findings"]))
    page = dom(batch_out / "index.html", "#filter=T101", tmp_path)
    details = re.findall(r"<details ([^>]*)>", page)
    shown = [d for d in details if not re.search(r"\bhidden\b", d)]
    assert 0 < len(shown) == with_t101 < len(details)
