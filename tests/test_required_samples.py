"""The required-content, structure, year and deadline rules on the five real samples.

The expected findings were decided by reading each report (see the comments), not by copying the
tool's output.
"""

from __future__ import annotations

import pytest

from reviewer.engine import Engine
from tests.conftest import sample

# The rules of this family; other families' findings are not asserted here.
MINE = {"S102", "S103", "S104", "S105", "S106", "S107", "S108", "R501", "R502", "R503", "R601", "R602",
        "R603", "Y101", "P101", "T304"}

# sample -> {code: [lines]} under the national profile.
EXPECTED = {
    # 何官镇 (township, 2022): the title "2022年政府信息公开工作年度报告" names no agency; everything
    # else is there — five aspects, "（一）2021年问题整改情况" with measures, "未收取信息处理费" in 六
    # item 1, 落款 2023年1月17日 (before 1月31日).
    "000": {"S103": [1]},
    # 王府街道 (township, 2022): agency on the line above the title; rectification and fee in 六 item 1;
    # 落款 2023年1月29日.
    "001": {},
    # 韩城镇 (township, 2022): no intro, so no statistical period; section 一 covers 主动公开, 政府信息
    # 管理 and 监督 only; 五 has problems and measures but no rectification; 六 is only "无"; no 落款
    # (S108 is opt-in: see test_opt_in_signature_rule).
    "002": {"S105": [3], "S106": [5], "R502": [71], "R601": [81]},
    # 成武县人民政府 (人民政府, 2022): "（4）" among （一）…（五）; 考核 and 社会评议 but no 责任追究
    # ("压实部门责任" is not it); the rectification is the bare "针对上一年度存在的问题进行了整改";
    # no 落款 (opt-in S108). The fee: "不存在收取信息公开处理费的情况".
    "003": {"S107": [5], "S102": [20], "R503": [423]},
    # 官庄镇 (township, 2023): complete; "无收费情况" in 一 and the fee statement in 六 (一); period
    # stated in 六 (五); 落款 2024年1月23日.
    "004": {},
}

# Shandong template items missing from section 六 (R603), read from each report's 六.
SHANDONG_MISSING = {
    "000": ["工作要点", "数据统计", "其他事项"],  # has 收费, 建议提案, 创新
    "001": ["工作要点", "创新", "数据统计"],  # has 收费, 建议提案, "无需要报告的其他事项"
    "002": ["工作要点", "建议", "创新", "数据统计", "其他事项"],  # 六 is "无"
    "003": [],  # （一）–（七） follow the template
    "004": [],
}


@pytest.fixture(scope="module")
def national() -> Engine:
    return Engine(profile="national")


@pytest.fixture(scope="module")
def shandong() -> Engine:
    return Engine(profile="shandong", select=["R603"])


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_sample_findings(national: Engine, prefix: str) -> None:
    result = national.review_path(sample(prefix))
    got: dict[str, list[int]] = {}
    for f in result.findings:
        if f.code in MINE:
            got.setdefault(f.code, []).append(f.line)
    assert got == EXPECTED[prefix]


def test_issue_done_when(national: Engine) -> None:
    """The issue's own words: 002 gets R502 and R601; 004 neither; 003 R502 or R503; 000/001 neither."""
    codes = {p: {f.code for f in national.review_path(sample(p)).findings} for p in EXPECTED}
    assert {"R502", "R601"} <= codes["002"]
    assert not {"R502", "R601"} & codes["004"]
    assert {"R502", "R503"} & codes["003"]
    for p in ("000", "001"):
        assert not {"R502", "R601"} & codes[p]


@pytest.mark.parametrize("prefix", sorted(SHANDONG_MISSING))
def test_sample_shandong_items(shandong: Engine, prefix: str) -> None:
    findings = [f for f in shandong.review_path(sample(prefix)).findings if f.code == "R603"]
    assert len(findings) == len(SHANDONG_MISSING[prefix])
    for f, word in zip(findings, SHANDONG_MISSING[prefix]):
        assert word in f.message
        assert f.confidence.value == "inferred" and f.extractor == "rules"


@pytest.mark.parametrize(("prefix", "line"), [("002", 83), ("003", 432)])
def test_opt_in_signature_rule(national: Engine, prefix: str, line: int) -> None:
    """No 落款 in 002 and 003: S108 says so under the strict profile, not in a default run."""
    assert "S108" not in {f.code for f in national.review_path(sample(prefix)).findings}
    found = [f.line for f in Engine(profile="strict").review_path(sample(prefix)).findings if f.code == "S108"]
    assert found == [line]


def test_findings_resting_on_prose_are_inferred() -> None:
    result = Engine(profile="strict").review_path(sample("002"))
    for f in result.findings:
        if f.code in {"S106", "R502", "R601"}:
            assert f.confidence.value == "inferred" and f.extractor == "rules"
        if f.code in {"S105", "S108"}:
            assert f.confidence.value == "certain"
