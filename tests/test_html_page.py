"""``review report --format html``: the page in headless Chromium (driven over DevTools, tests/chromium.py):
every finding highlighted where it stands, the list's links jump to them, the severity filter hides
and shows, nothing is loaded from anywhere, and report text never runs as script.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.annotate import review_file
from reviewer.engine import Engine
from reviewer.output.html_page import render_page
from reviewer.output.spans import WINDOW, TextMap
from tests.chromium import Browser
from tests.conftest import ROOT, base_text

REAL = sorted((ROOT / "evals" / "real" / "reports").iterdir())


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)


def quote_near(raw: str, f) -> bool:
    """The finding's quote stands in its line near where it points (a one-line page quotes far away)."""
    tm = TextMap(raw)
    at, (lo, hi) = tm.offset(f.line, f.column), tm.line_bounds(tm.offset(f.line, f.column))
    quote = f.evidence.strip().rstrip("…")
    return bool(quote) and raw.find(quote, max(lo, at - WINDOW), min(hi, at + WINDOW)) != -1


HIGHLIGHTS = """(() => {
  const out = {};
  for (const li of document.querySelectorAll('#findings li')) {
    const i = li.dataset.f;
    const shown = [...document.querySelectorAll(`#text [data-f="${i}"]`)].filter(el => {
      const r = el.getBoundingClientRect(), st = getComputedStyle(el);
      const coloured = el.tagName === 'MARK' ? st.backgroundColor !== 'rgba(0, 0, 0, 0)' : st.borderLeftWidth !== '0px';
      return r.width + r.height > 0 && coloured;
    });
    out[i] = {shown: shown.length, text: shown.map(el => el.textContent).join(''),
              anchor: !!document.getElementById('f' + i), note: !!document.getElementById('n' + i)};
  }
  return out;
})()"""


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_report_page_highlights_every_finding(path: Path, browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    reviewed = review_file(Engine(), str(path))  # what `review --format html` renders (tested through the CLI below)
    html = render_page(reviewed)
    page.write_text(html, encoding="utf-8")
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:|//|javascript:)""", html, re.I)
    assert "<script" not in html and "Content-Security-Policy" in html
    browser.open(page.as_uri())
    assert browser.js("document.querySelectorAll('#findings li').length") == len(reviewed.result.findings)
    assert browser.js("performance.getEntriesByType('resource').length") == 0  # nothing loaded from anywhere
    got = browser.js(HIGHLIGHTS)
    for i, f in enumerate(reviewed.result.findings):
        h = got[str(i)]
        assert h["shown"] >= 1 and h["anchor"] and h["note"], (f.code, f.line, h)
        quote = f.evidence.strip().rstrip("…")
        if quote_near(reviewed.raw, f):
            assert h["text"] == quote, (f.code, h["text"], quote)
    if reviewed.pages:  # page markers for a PDF
        pages = {p for _, _, p in reviewed.pages}
        assert browser.js("[...document.querySelectorAll('.pg')].map(e => e.id)") == [f"p{p}" for p in sorted(pages)]


def test_jump_links_land_on_their_finding(browser: Browser, tmp_path: Path) -> None:
    path = ROOT / "evals" / "real" / "reports" / "shuyang-fagai-2023.html"
    page = tmp_path / "page.html"
    assert cli("check", str(path), "--format", "html", "-o", str(page)).returncode in (0, 1)
    browser.open(page.as_uri())
    n = browser.js("document.querySelectorAll('#findings li a').length")
    assert n >= 3
    for k in (n - 1, n // 2, 0):
        result = browser.js(f"""(async () => {{
          scrollTo(0, 0);
          const link = document.querySelectorAll('#findings li a')[{k}];
          link.click();
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          const target = document.getElementById(link.getAttribute('href').slice(1));
          const r = target.getBoundingClientRect();
          return {{hash: location.hash, href: link.getAttribute('href'), top: r.top, vh: innerHeight,
                   scrolled: scrollY, targeted: target.matches(':target')}};
        }})()""")
        assert result["hash"] == result["href"] and result["targeted"], result
        assert 0 <= result["top"] <= result["vh"], result
        if k == n - 1:
            assert result["scrolled"] > 0, result


def test_severity_filter_hides_and_shows(browser: Browser, tmp_path: Path) -> None:
    path = ROOT / "evals" / "real" / "reports" / "hongze-2023.pdf"
    page = tmp_path / "page.html"
    assert cli("check", str(path), "--format", "html", "-o", str(page)).returncode in (0, 1)
    browser.open(page.as_uri())
    state = """(() => ({
      notes: [...document.querySelectorAll('.note.sev-error')].filter(e => getComputedStyle(e).display !== 'none').length,
      items: [...document.querySelectorAll('#findings li.sev-error')].filter(e => getComputedStyle(e).display !== 'none').length,
      marks: [...document.querySelectorAll('mark.sev-error')].filter(e => getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)').length,
      warnings: [...document.querySelectorAll('.note.sev-warning')].filter(e => getComputedStyle(e).display !== 'none').length,
    }))()"""
    before = browser.js(state)
    assert before["notes"] > 0 and before["items"] > 0 and before["marks"] > 0 and before["warnings"] > 0
    browser.js("document.getElementById('show-error').click()")
    hidden = browser.js(state)
    assert hidden == {"notes": 0, "items": 0, "marks": 0, "warnings": before["warnings"]}
    browser.js("document.getElementById('show-error').click()")
    assert browser.js(state) == before


PAYLOADS = [
    '<script>document.title="pwned";window.pwned=1</script>',
    '</textarea><img src=x onerror="window.pwned=2">',
    '"><svg onload="window.pwned=3">',
    "</style><script>window.pwned=4</script>",
    "'><iframe src=javascript:window.pwned=5>",
    "{{ 7*7 }}{% raw %}<u>",
]


def test_report_text_never_runs_as_script(browser: Browser, tmp_path: Path) -> None:
    """Payloads in the title (quoted by findings: messages, notes, tooltips), in prose and in a table
    cell: they appear as text, and no element, attribute or script comes from them."""
    text = base_text("clean_department_2023")
    lines = text.split("\n")
    lines[0] = PAYLOADS[0] + lines[0]
    lines.insert(3, "".join(PAYLOADS))
    text = "\n".join(lines).replace("行政强制\t2", "行政强制\t" + PAYLOADS[1])
    src = tmp_path / "hostile.txt"
    src.write_text(text, encoding="utf-8")
    page = tmp_path / "page.html"
    r = cli("check", str(src), "--format", "html", "-o", str(page))
    assert r.returncode in (0, 1), r.stderr
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "<svg" not in html and "<iframe" not in html
    browser.open(page.as_uri())
    assert browser.js("window.pwned === undefined && !document.title.includes('pwned')")
    assert browser.js("document.querySelectorAll('script, img, svg, iframe, textarea, u').length") == 0
    body = browser.js("document.getElementById('text').textContent")
    for p in PAYLOADS:
        assert p in body, p
    attrs = browser.js("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))")
    assert not [a for a in attrs if a.startswith("on")]


def test_findings_notices_and_names_quoting_report_text_stay_text(browser: Browser, tmp_path: Path) -> None:
    """Messages, hints, evidence, notices, the agency and the file name all come from report text."""
    src = tmp_path / ("x" + PAYLOADS[2].replace("/", "") + ".txt")
    src.write_text(base_text("clean_department_2023").replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号"),
                   encoding="utf-8")
    reviewed = review_file(Engine(), str(src))
    assert reviewed.result.findings
    payload = "".join(PAYLOADS)
    for f in reviewed.result.findings:
        f.message += payload
        f.hint += payload
        f.evidence += payload
    reviewed.result.notices.append(payload)
    reviewed.result.report.agency = PAYLOADS[0]
    page = tmp_path / "page.html"
    page.write_text(render_page(reviewed), encoding="utf-8")
    browser.open(page.as_uri())
    assert browser.js("window.pwned === undefined")
    assert browser.js("document.title").startswith("x" + PAYLOADS[2].replace("/", ""))  # the name, as text
    assert browser.js("document.querySelectorAll('script, img, svg, iframe, textarea, u').length") == 0
    for where in ("findings", "notices", "text"):
        assert payload in browser.js(f"document.getElementById('{where}').textContent"), where
    titles = browser.js("[...document.querySelectorAll('mark[title]')].map(m => m.title)")
    assert titles and all(payload in t for t in titles)
    attrs = browser.js("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))")
    assert not [a for a in attrs if a.startswith("on")]


def test_html_format_takes_one_report_and_renders_in_process(tmp_path: Path) -> None:
    r = cli("check", str(REAL[0]), str(REAL[1]), "--format", "html")
    assert r.returncode == 2 and "只能审核一个报告" in r.stderr and r.stderr.count("\n") == 1
    r = cli("check", str(tmp_path / "missing.txt"), "--format", "html")
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stdout == ""
    reviewed = review_file(Engine(), str(REAL[0]))
    assert render_page(reviewed).startswith("<!DOCTYPE html>")


def test_tables_show_their_numbers_with_the_failing_cells_marked(browser: Browser, tmp_path: Path) -> None:
    text = base_text("clean_department_2023").replace("\t（七）总计\t20\t4\t0\t0\t1\t0\t25",
                                                      "\t（七）总计\t19\t4\t0\t0\t1\t0\t25")
    src = tmp_path / "report.txt"
    src.write_text(text, encoding="utf-8")
    page = tmp_path / "page.html"
    assert cli("check", str(src), "--format", "html", "-o", str(page)).returncode == 1
    reviewed = review_file(Engine(), str(src))
    t3 = {f.code for f in reviewed.result.findings if f.code.startswith("T3")}
    assert t3
    browser.open(page.as_uri())
    table = browser.js("""[...document.querySelectorAll('#table3 tbody tr')].map(tr =>
        [tr.querySelector('th').textContent, ...[...tr.querySelectorAll('td')].map(td =>
            [td.querySelector('a').textContent, td.classList.contains('bad'),
             [...td.querySelectorAll('a.ref')].map(a => a.textContent)])])""")
    assert len(table) == 25 and browser.js("document.querySelectorAll('#table4 tbody tr').length") == 3
    total = next(r for r in table if r[0] == "（七）总计")
    assert total[1] == ["19", True, total[1][2]] and set(total[1][2]) <= t3 and total[1][2]
    assert all(not c[1] for r in table if r[0] != "（七）总计" for c in r[1:])
    refs = {code for r in table for c in r[1:] for code in c[2]}
    assert refs == t3  # every table finding of 三 marks a cell of it
