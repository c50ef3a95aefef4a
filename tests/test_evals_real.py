"""The real-report eval set: every gold file is valid, matches its stored bytes and quotes its report
verbatim (as the reviewer reads it); strict scoring (unwanted findings are false, ``may`` is neutral,
``at`` pins a finding near the quoted words); the gate's real-set section; the oracle extractor."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from evals import baseline as bl
from evals import cli as evals_cli
from evals.cases import Case, Label, label
from evals.extractors import factory
from evals.oracle import factory as oracle_factory
from evals.realgold import RealGold, check, load_real, occurrences, reader_text, real_case, regions
from evals.realreport import batch_rows
from evals.realscore import figures
from evals.runner import RunResult, run
from evals.score import score_case
from schemas.common import Severity
from schemas.findings import Finding

SHARED = {
    "pingtan-2020", "pingtan-2022", "pingtan-2024", "kewei-2024", "shanghai-office-2025", "shuyang-county-2025",
    "shuyang-fagai-2023", "szfgs-2024", "hongze-2023", "hongze-2024",
}  # fmt: skip
REQUIRED_FACTS = {"agency", "level", "report_year", "rectification", "fee", "problems", "measures"}
BASE = Path(__file__).resolve().parent.parent / "evals" / "bases" / "clean_department_2023.txt"
FEE = "本年度未收取信息处理费。"


# --- every gold file --------------------------------------------------------------------------------
def test_every_real_gold_file_is_valid_matches_its_bytes_and_quotes_its_report() -> None:
    golds = load_real()
    assert SHARED <= {g.id for g in golds}
    for g in golds:
        assert check(g) == [], g.id
        assert g.facts is not None, g.id
        assert REQUIRED_FACTS <= g.facts.scored(), f"{g.id}: facts lack {REQUIRED_FACTS - g.facts.scored()}"
        case = real_case(g)
        pinned = [lab for lab in case.expect + case.may if lab.regions is not None]
        assert all(lab.regions for lab in pinned), g.id  # every ``at`` resolves to a place in the report


def test_the_shared_reports_gold_covers_the_expert_verdicts() -> None:
    """Every TP verdict of reviews.json on the ten shared reports is expected (or its code moved, with
    the reason in the note); every miss is expected or explained."""
    gold = {g.id: g for g in load_real() if g.id in SHARED}
    assert {e.code for e in gold["pingtan-2020"].expect} >= {"R502", "T303"}
    assert {e.code for e in gold["kewei-2024"].expect} >= {"S102", "Q102", "R502", "F102"}
    assert {e.code for e in gold["hongze-2023"].expect} >= {"S107", "T102", "T401", "R502", "F102"}
    assert [e.code for e in gold["hongze-2023"].expect].count("T401") == 2
    assert {e.code for e in gold["shuyang-fagai-2023"].expect} == {"F102", "T103", "R502"}
    # RULES.md X101: 收到/受理 N件 = 新收 + 上年结转 is consistent, whatever the old verdict said
    for rid in ("pingtan-2022", "shuyang-county-2025"):
        assert "X101" not in {e.code for e in gold[rid].expect}
        assert any(a.code == "X101" and "RULES.md" in a.note for a in gold[rid].absent)


# --- the loader on made-up gold files ---------------------------------------------------------------
def _gold(tmp_path: Path, text: str, suffix: str = ".txt", **over) -> RealGold:
    report = tmp_path / f"r{suffix}"
    report.write_bytes(text.encode("utf-8"))
    data = {
        "id": "t-2023",
        "source": str(report),
        "provenance": {"repo": "o/r", "path": f"r{suffix}", "commit": "0" * 40, "form": "test",
                       "sha256": hashlib.sha256(report.read_bytes()).hexdigest()},  # fmt: skip
        "facts": {"fee": {"charged": False, "quote": "本年度未收取信息处理费"}},
    } | over
    return RealGold.model_validate(data)


REPORT = "某局2023年政府信息公开工作年度报告\n五、存在的主要问题及改进情况\n一是培训不够。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n"


def test_check_finds_a_wrong_sha256_a_quote_not_in_the_report_and_a_misplaced_anchor(tmp_path: Path) -> None:
    g = _gold(tmp_path, REPORT)
    assert check(g) == []
    g.provenance.sha256 = "f" * 64
    assert any("sha256" in p for p in check(g))
    bad = _gold(tmp_path, REPORT, facts={"fee": {"charged": False, "quote": "本年度未收取任何费用"}})
    assert any("facts.fee.quote" in p for p in check(bad))
    moved = _gold(tmp_path, REPORT, expect=[{"code": "R502", "line": 1, "at": ["五、存在的主要问题及改进情况"]}])
    assert any("not on lines" in p for p in check(moved))
    no_quote = _gold(tmp_path, REPORT, facts={"fee": {"charged": False}})
    assert "facts.fee: no quote" in check(no_quote)


def test_quotes_may_differ_from_the_report_only_in_spaces_and_line_breaks(tmp_path: Path) -> None:
    text = "五、存在的主要问题及改进情况\n一是政策解读形\n式单一。全年收到申请 34 件。\n"
    assert occurrences(text, "政策解读形式单一") == [(text.index("政策"), text.index("单一") + 2)]
    assert occurrences(text, "收到申请34件") and occurrences(text, "收到申请 34 件")
    assert occurrences(text, "收到申请３４件")  # full-width digits fold as the reviewer folds them
    assert not occurrences(text, "政策解读方式单一")


def test_html_quotes_are_checked_against_the_text_the_reader_produces(tmp_path: Path) -> None:
    html = ("<html><body><h1>某局2023年政府信息公开工作年度报告</h1><p>六、其他需要报告的事项</p>"
            "<p>本年度未收取<b>信息处理费</b>。</p></body></html>")  # fmt: skip
    g = _gold(tmp_path, html, suffix=".html")
    assert check(g) == []  # the quote spans the <b>: it is in the text as read, not in the markup
    markup = _gold(tmp_path, html, suffix=".html", facts={"fee": {"charged": False, "quote": "<b>信息处理费</b>"}})
    assert any("facts.fee.quote" in p for p in check(markup))


def test_at_anchors_resolve_to_line_and_columns_and_line_narrows_them(tmp_path: Path) -> None:
    text = "甲乙丙收到申请75件\n前文，收到申请75件。后文收到申请75件\n"
    assert regions(text, ["收到申请75件"]) == {(1, 4, 10), (2, 4, 10), (2, 14, 20)}
    g = _gold(tmp_path, text + "本年度未收取信息处理费\n", expect=[{"code": "X101", "line": 2, "at": "收到申请75件"}],
              absent=[{"code": "X104", "at": ["甲乙丙"]}])  # fmt: skip
    case = real_case(g)
    x101, x104 = case.expect[0], case.absent[0]
    assert {r[0] for r in x101.regions} == {2}  # ``line: 2`` keeps the occurrences on line 2
    assert x101.accepts(2, 14) and not x101.accepts(1, 4)
    # a finding near the quote counts, also at the start of the next line (a table under its heading)
    assert x104.accepts(1, 1) and x104.accepts(2, 1) and not x104.accepts(3, 30)
    long_line = "甲" * 200 + "收到申请75件" + "乙" * 200
    spots = regions(long_line, ["收到申请75件"], near=40)
    assert spots == {(1, 161, 247)}
    assert case.group == "real" and case.path == g.path


# --- strict scoring -----------------------------------------------------------------------------------
def _f(code: str, line: int, column: int = 1, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(code=code, name="x", severity=severity, message=f"{code}@{line}:{column}", line=line, column=column)


def test_strict_scoring_counts_repeats_and_unwanted_findings_as_false() -> None:
    case = Case(id="r", group="real", text="", expect=[label("T103", set(range(46, 71)))])
    found = [_f("T103", 46), _f("T103", 47), _f("S108", 80)]
    lenient, strict = score_case(case, found), score_case(case, found, strict=True)
    assert (lenient.per_rule["T103"].tp, lenient.per_rule["T103"].fp) == (1, 0)  # the synthetic set absorbs it
    assert (strict.per_rule["T103"].tp, strict.per_rule["T103"].fp) == (1, 1)  # one problem, one finding
    assert strict.per_rule["S108"].fp == 1  # true but unwanted: false all the same


def test_may_takes_one_finding_and_is_neither_true_nor_false() -> None:
    case = Case(id="r", group="real", text="", may=[label("X101", {26})])
    one = score_case(case, [_f("X101", 26)], strict=True)
    assert one.per_rule["X101"].tp == 0 and one.per_rule["X101"].fp == 0 and one.per_rule["X101"].fn == 0
    two = score_case(case, [_f("X101", 26), _f("X101", 26, 9)], strict=True)
    assert two.per_rule["X101"].fp == 1


def test_an_at_anchor_pins_a_finding_on_a_long_line_to_the_quoted_words() -> None:
    lab = Label("X101", None, "", frozenset({(10, 1113, 1126)}))
    trap = Label("R601", None, "", frozenset({(10, 5902, 5910)}))
    case = Case(id="r", group="real", text="", expect=[lab], absent=[trap])
    near, far = _f("X101", 10, 1120), _f("X101", 10, 3306)
    assert score_case(case, [near], strict=True).per_rule["X101"].tp == 1
    s = score_case(case, [far, _f("R601", 10, 5902)], strict=True)
    assert (s.per_rule["X101"].tp, s.per_rule["X101"].fp, s.per_rule["X101"].fn) == (0, 1, 1)
    assert [f.code for f in s.traps] == ["R601"]


# --- the gate ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_runs():
    cases = [real_case(g) for g in load_real() if g.id in ("pingtan-2020", "pingtan-2022")]
    gold = {c.id: c.facts for c in cases}
    return run(cases, "rules", factory("rules")), run(cases, "oracle", oracle_factory(gold))


def test_the_gate_fails_when_real_precision_recall_or_error_false_positives_get_worse(real_runs) -> None:
    figs = [figures(r) for r in real_runs]
    base = {"real": {"fingerprint": "x", "extractors": {f.extractor: bl.real_metrics(f) for f in figs}}}
    failures, notes = bl.compare_real(base, figs, "x")
    assert failures == [] and notes == []
    worse = json.loads(json.dumps(base))
    rules = worse["real"]["extractors"]["rules"]
    rules["precision"] = 1.0
    rules["groups"]["R502"] = 1.0
    rules["error_fp"] = {}
    rules["fields"]["claims"] = 1.0
    worse["real"]["extractors"]["llm-replay"] = rules
    # An error-severity false positive the baseline does not have (the two reports may have none left),
    # counted in the overall precision too (which may be 1.0 on these two reports).
    figs[0].error_fp.append(("pingtan-2022", _f("S101", 10, 3306, Severity.ERROR)))
    figs[0].overall.fp += 1
    failures, notes = bl.compare_real(worse, figs[:1], "y")
    text = "\n".join(failures)
    assert "总精确率下降" in text and "新的错误级误报" in text and "字段 claims" in text
    assert "[真实报告 oracle] 基线中有该抽取器" in text and "[真实报告 llm-replay]" in text
    assert notes and "真实报告评测集与基线不同" in notes[0]
    assert bl.compare_real({}, figs, "x")[1]  # no real section yet: a note, not a failure


def test_error_false_positives_are_listed_per_report_and_rule(real_runs) -> None:
    rules = figures(real_runs[0])
    assert all(f.severity == Severity.ERROR for _, f in rules.error_fp)
    counts = rules.error_fp_counts()
    assert sum(counts.values()) == len(rules.error_fp) and all(":" in k for k in counts)


def test_figures_are_given_per_gold_batch_and_add_up_to_the_whole_set(real_runs) -> None:
    first, second = real_runs[0].results
    moved = replace(second, case=replace(second.case, batch=2))  # a gold file with ``batch: 2``
    f = figures(RunResult(extractor="rules", results=[first, moved]))
    assert sorted(f.batches) == [1, 2] and [b.cases for b in f.batches.values()] == [1, 1]
    for m in ("tp", "fp", "fn"):
        assert sum(getattr(b.overall, m) for b in f.batches.values()) == getattr(f.overall, m)
    assert len(f.batches[1].error_fp) + len(f.batches[2].error_fp) == len(f.error_fp)
    assert [row[:3] for row in batch_rows([f])] == [["rules", "第1批（调校用）", "1"], ["rules", "第2批（新验证）", "1"]]
    assert bl.real_metrics(f)["batches"]["2"]["cases"] == 1


# --- the oracle ----------------------------------------------------------------------------------------
def test_the_oracle_supplies_a_fact_the_rules_extractor_misses(tmp_path: Path) -> None:
    """A rectification worded so the rules extractor does not see it: with the rules, R502 is a false
    positive; with the gold facts in place of an extractor, it is gone and the fact is located."""
    text = BASE.read_text(encoding="utf-8").replace(
        "（一）2022年度问题整改情况\n\n针对2022年度报告指出的政策解读形式单一的问题", "（一）回头看\n\n去年年报指出政策解读形式单一"
    )
    quote = "去年年报指出政策解读形式单一，本年度制作图解、视频解读12期"
    facts = yaml.safe_load((BASE.with_suffix(".yml")).read_text(encoding="utf-8"))["facts"]
    facts = {k: v for k, v in facts.items() if k not in ("claims", "statements", "vague")}  # no quotes there
    facts["rectification"] = {"year": 2022, "bare_claim": False, "has_measures": True, "quote": quote}
    facts["fee"] = {"charged": False, "quote": FEE}
    facts |= {"problems": ["一是政策解读的针对性有待加强", "二是基层工作人员业务能力有待提升"],
              "measures": ["一是围绕群众关切开展多形式解读", "二是每季度组织一次业务培训"]}  # fmt: skip
    g = _gold(tmp_path, text, facts=facts)
    assert check(g) == []
    case = real_case(g)
    rules = run([case], "rules", factory("rules")).results[0]
    oracle = run([case], "oracle", oracle_factory({case.id: case.facts})).results[0]
    assert "R502" in {f.code for f in rules.score.false}
    assert "R502" not in {f.code for f in oracle.findings} and not oracle.score.false
    assert rules.fields["rectification"].correct == 0 and oracle.fields["rectification"].correct == 1
    rect = oracle.facts.rectification
    assert rect.extractor == "oracle" and text[rect.span.start : rect.span.end] == quote
    assert oracle.fields["rectification.quote"].correct == 1


def test_the_oracle_finds_a_real_defect_the_rules_extractor_cannot_read(real_runs) -> None:
    """pingtan-2020: 2602条 with parts summing to 2603 — only the gold claim brings N101."""
    rules, oracle = (next(r for r in run_.results if r.case.id == "pingtan-2020") for run_ in real_runs)
    assert "N101" in {lab.code for lab in rules.score.missed}
    assert oracle.score.per_rule["N101"].tp == 1


def test_cli_prints_the_real_set_first_and_writes_it_to_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        evals_cli.main,
        ["--only", "pingtan-2024", "--extractor", "oracle", "--extractor", "rules", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("真实报告评测集（1 份真实报告）")
    assert "oracle" in result.output.split("按规则")[0]
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    runs = {r["extractor"]: r for r in data["real"]["runs"]}
    r502 = runs["rules"]["groups"]["R502"]
    assert set(runs) == {"oracle", "rules"} and r502["tp"] + r502["fn"] == 1
    assert runs["rules"]["batches"]["1"]["cases"] == 1 and "第1批（调校用）" in result.output  # batch 1: no key
    assert "真实报告评测集" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_a_line_of_an_html_source_holding_the_quote_is_read_as_such(tmp_path: Path) -> None:
    """GOLD.md first said lines are the stored file's: for an .html report whose article sits on one
    source line, ``line`` may name that line; the label is then pinned by its quotes alone."""
    html = ("<html>\n<head><title>x</title></head>\n<body><h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
            "<p>略。</p><p>五、存在的主要问题及改进情况</p><p>一是培训不够。</p><p>六、其他需要报告的事项</p>"
            "<p>本年度未收取信息处理费。</p></body>\n</html>\n")  # fmt: skip
    at = "五、存在的主要问题及改进情况"
    g = _gold(tmp_path, html, suffix=".html", expect=[{"code": "R502", "line": 3, "at": [at]}])
    assert check(g) == []
    pinned = real_case(g).expect[0]
    spot = next(i for i, line in enumerate(reader_text(g.path).split("\n"), 1) if at in line)
    assert spot != 3 and pinned.accepts(spot, 1)
    wrong = _gold(tmp_path, html, suffix=".html", expect=[{"code": "R502", "line": 2, "at": [at]}])
    assert any("not on lines" in p for p in check(wrong))
