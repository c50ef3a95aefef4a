"""`--format sarif`: valid against the official SARIF 2.1.0 schema (tests/data), stable rule ids and
fingerprints, help text from the rule docs, repository-relative paths."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from reviewer.output.sarif import FINGERPRINT_KEY, sarif_log
from reviewer.rules.base import all_rules
from schemas.common import Severity
from schemas.findings import Finding
from schemas.output import FileResult
from tests.conftest import DATA, ROOT, SAMPLES

SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def validate(log: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def t302(line: int, msg: str = "自然人列：第一项3 + 第二项0 = 3，第三项（七）总计2 + 第四项0 = 2，勾稽关系不成立") -> Finding:
    return Finding(code="T302", name="application-balance-mismatch", severity=Severity.ERROR, message=msg,
                   line=line, column=4, evidence="3 0 2", hint="核对表格。")


def test_the_schema_is_the_official_one_and_rejects_bad_logs() -> None:
    assert SCHEMA["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert not VALIDATOR.is_valid({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})  # driver needs a name
    assert not VALIDATOR.is_valid({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]})


def test_samples_give_a_valid_log_with_relative_paths() -> None:
    out = subprocess.run([sys.executable, "-m", "reviewer", "--format", "sarif", "evals/samples"], cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert out.returncode in (0, 1), out.stderr
    log = json.loads(out.stdout)
    validate(log)
    run = log["runs"][0]
    assert run["results"], "the samples have findings"
    for res in run["results"]:
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("evals/samples/") and (SAMPLES.parent.parent / uri).is_file()
        rule = run["tool"]["driver"]["rules"][res["ruleIndex"]]
        assert rule["id"] == res["ruleId"]


def test_rules_carry_their_docs() -> None:
    rules = sarif_log([])["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [cls.code for cls in all_rules()]
    for cls, r in zip(all_rules(), rules):
        assert r["shortDescription"]["text"] == cls.summary()
        assert "检查内容" in r["help"]["text"] and "**依据**" in r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_fingerprints_survive_moved_lines_and_tell_repeats_apart() -> None:
    before = sarif_log([FileResult(path="r.txt", findings=[t302(10)])])["runs"][0]["results"][0]
    after = sarif_log([FileResult(path="r.txt", findings=[t302(14)])])["runs"][0]["results"][0]
    assert before["fingerprints"] == after["fingerprints"] and before["ruleId"] == "T302"
    other = sarif_log([FileResult(path="r.txt", findings=[t302(10, "法人列：1 ≠ 2")])])["runs"][0]["results"][0]
    assert other["fingerprints"] != before["fingerprints"]
    twice = sarif_log([FileResult(path="r.txt", findings=[t302(10), t302(20)])])["runs"][0]["results"]
    assert len({r["fingerprints"][FINGERPRINT_KEY] for r in twice}) == 2


def test_errors_notices_and_paths(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    inside = tmp_path / "报告 草稿" / "2023年度报告.txt"
    log = sarif_log([
        FileResult(path=str(inside), notices=["模型不可用，已改用规则提取器"], findings=[t302(3)]),
        FileResult(path=str(tmp_path / "坏.docx"), error="无法读取"),
    ])
    validate(log)
    run = log["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "%E6%8A%A5%E5%91%8A%20%E8%8D%89%E7%A8%BF/2023%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.txt"
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert [n["level"] for n in inv["toolExecutionNotifications"]] == ["note", "error"]
    outside = sarif_log([FileResult(path="/elsewhere/r.txt", findings=[t302(1)])])
    validate(outside)
    assert outside["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "file:///elsewhere/r.txt"
