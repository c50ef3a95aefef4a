"""review batch as an auditor uses it day to day (issue #13): a mistyped folder never touches the
outputs, files in formats it cannot read are named, summary.xlsx is a working spreadsheet."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.batch import Batch, EngineSpec
from tests.conftest import BASES, ROOT, SAMPLES

OUTPUTS = ("findings.jsonl", "summary.csv", "index.html")


def review(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "reports"
    src.mkdir()
    for f in list(SAMPLES.glob("*.txt"))[:2]:
        shutil.copy(f, src / f.name)
    shutil.copy(BASES / "clean_department_2023.txt", src / "clean.txt")
    return src


@pytest.mark.parametrize("typo", ["nonexist", "nonexist/", "{src}/missing.txt"])
def test_a_mistyped_folder_is_exit_2_and_leaves_the_outputs(folder: Path, tmp_path: Path, typo: str) -> None:
    out = tmp_path / "audit"
    assert review("batch", str(folder), "--out", str(out), "--no-progress").returncode == 0
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    stamps = {name: (out / name).stat().st_mtime_ns for name in OUTPUTS}
    for args in ([typo.format(src=folder)], [str(folder), typo.format(src=folder)]):
        r = review("batch", *args, "--out", str(out), "--no-progress")
        assert r.returncode == 2, r.stdout
        assert "不存在" in r.stderr and len(r.stderr.strip().splitlines()) == 1 and r.stdout == ""
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert {name: (out / name).stat().st_mtime_ns for name in OUTPUTS} == stamps


def test_a_missing_manifest_entry_is_still_an_error_row(tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text("path\nmissing.txt\n", encoding="utf-8")
    report = Batch(tmp_path / "out", EngineSpec(), pages=False).run([str(tmp_path / "list.csv")])
    assert (report.reports, report.failed) == (0, 1)


def test_unsupported_formats_in_a_folder_are_named(folder: Path, tmp_path: Path) -> None:
    (folder / "2022年报.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    (folder / "sub").mkdir()
    (folder / "sub" / "2021年报.wps").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    r = review("batch", str(folder), "--out", str(tmp_path / "out"), "--no-progress", "--no-pages")
    assert r.returncode == 0, r.stderr
    skipped = [line for line in r.stderr.splitlines() if "跳过" in line]
    assert len(skipped) == 2 and any("2022年报.doc" in x and ".docx" in x for x in skipped)
    assert any("2021年报.wps" in x for x in skipped) and not any("photo.jpg" in x for x in skipped)
    assert "另有 2 个文件格式不受支持（.doc、.wps），未审核" in r.stdout
    check = review(str(folder))
    assert [x for x in check.stderr.splitlines() if "跳过" in x] == skipped
    assert "另有 2 个文件格式不受支持" in check.stdout.strip().splitlines()[-1]


def test_review_of_a_folder_skips_its_non_reports_with_a_note(folder: Path) -> None:
    (folder / "README.md").write_text("本目录存放各部门的政府信息公开工作年度报告草稿。\n", encoding="utf-8")
    r = review(str(folder), "--format", "json")
    import json

    paths = [Path(f["path"]).name for f in json.loads(r.stdout)["files"]]
    assert "README.md" not in paths and len(paths) == 3
    assert "跳过" in r.stderr and "README.md" in r.stderr and "不是政府信息公开工作年度报告" in r.stderr
    named = review(str(folder / "README.md"))  # named on its own: reviewed, and D001 says why
    assert named.returncode == 1 and "D001" in named.stdout


def test_summary_xlsx_has_a_finding_sheet_a_filter_and_a_frozen_header(folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    Batch(out, EngineSpec(), xlsx=True, pages=False).run([str(folder)])
    book = load_workbook(out / "summary.xlsx")
    assert book.sheetnames == ["报告", "问题"]
    reports, findings = book["报告"], book["问题"]
    for ws in (reports, findings):
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in findings[1]]
    assert header[:7] == ["文件", "机关", "年度", "位置", "代码", "规则", "级别"]
    rows = list(findings.iter_rows(min_row=2, values_only=True))
    lines = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    import json

    assert len(rows) == sum(len(json.loads(x)["findings"]) for x in lines) > 0
    assert all(r[6] in ("错误", "警告", "提示") for r in rows)


def test_the_xlsx_hint_names_the_install_command(folder: Path, tmp_path: Path) -> None:
    from reviewer.batch import command

    assert 'pip install "report-reviewer[xlsx]"' in command.XLSX_HINT
