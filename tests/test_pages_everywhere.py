"""A finding on a paged input (PDF) names its page in every format, not only in text and JSON: a
line:column alone is a paragraph index nobody can find in a PDF (issue #13, item 1)."""

from __future__ import annotations

import json

import pytest

from reviewer.batch import Batch, EngineSpec
from reviewer.engine import Engine
from reviewer.output.github import render_github
from reviewer.output.markdown import render_markdown
from reviewer.output.sarif import sarif_log
from reviewer.output.text import render_text
from schemas.common import Severity
from schemas.findings import Finding
from schemas.output import FileResult
from tests.conftest import DATA
from tests.test_output_github import run_log
from tests.test_output_sarif import validate


def paged() -> FileResult:
    return FileResult(path="reports/2023.pdf", findings=[
        Finding(code="T302", name="application-balance-mismatch", severity=Severity.ERROR, line=58, column=10, page=3,
                message="自然人列：勾稽关系不成立", hint="核对表格。"),
        Finding(code="T102", name="table-label-drift", severity=Severity.WARNING, line=4, column=1,
                message="栏目名称不一致"),
    ])


@pytest.fixture(scope="module")
def pdf_result() -> FileResult:
    result = Engine().review_path(DATA / "szfgs2024.pdf")
    assert any(f.page for f in result.findings)
    return result


def test_github_annotations_name_the_page() -> None:
    anns = [c for c in run_log(render_github([paged()])) if c[0] in ("error", "warning")]
    t302 = next(c for c in anns if "T302" in c[1]["title"])
    assert "第3页" in t302[1]["title"] and "第3页" in t302[2]
    t102 = next(c for c in anns if "T102" in c[1]["title"])
    assert "页" not in t102[1]["title"] + t102[2]  # a text input has no pages


def test_sarif_region_and_message_carry_the_page() -> None:
    log = sarif_log([paged()])
    validate(log)
    t302, t102 = log["runs"][0]["results"]
    region = t302["locations"][0]["physicalLocation"]["region"]
    assert region["properties"]["page"] == 3 and t302["properties"]["page"] == 3
    assert "第3页" in t302["message"]["text"]
    assert "properties" not in t102["locations"][0]["physicalLocation"]["region"] and "page" not in t102["properties"]


def test_markdown_shows_page_line_and_column() -> None:
    md = render_markdown([paged()])
    assert "| 第3页 · 58:10 |" in md and "| 4:1 |" in md


def test_the_real_pdf_in_every_format(pdf_result) -> None:
    f = next(f for f in pdf_result.findings if f.page)
    where = f"第{f.page}页 · {f.line}:{f.column}"
    assert where in render_markdown([pdf_result])
    assert f"（第{f.page}页）" in render_text([pdf_result])
    sarif = sarif_log([pdf_result])["runs"][0]["results"]
    assert any(r["properties"].get("page") == f.page for r in sarif)
    assert f"第{f.page}页" in render_github([pdf_result])


def test_the_dashboard_shows_the_page(tmp_path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "szfgs2024.pdf").write_bytes((DATA / "szfgs2024.pdf").read_bytes())
    out = tmp_path / "out"
    Batch(out, EngineSpec(), pages=False).run([str(src)])
    rec = json.loads((out / "findings.jsonl").read_text(encoding="utf-8").splitlines()[0])
    f = next(f for f in rec["findings"] if f["page"])
    page = (out / "index.html").read_text(encoding="utf-8")
    assert f"第{f['page']}页 · {f['line']}:{f['column']}" in page
