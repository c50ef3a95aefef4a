"""The GitHub Action as a repository uses it (issue #13, items 6 and 9): the PR comment never goes stale,
the options given in `args` are honoured or said to be ignored, the annotation budget goes to the most
severe findings across files, and the comment found again is only ever the one the action wrote."""

from __future__ import annotations

import pytest

from reviewer.github.action import split_args
from reviewer.github.api import GitHub
from reviewer.github.comment import MARKER, find_comment, upsert_comment
from reviewer.output.github import render_github
from schemas.common import Confidence, Severity
from schemas.findings import Finding
from schemas.output import FileResult
from tests.fake_github import PROXY_VARS, TOKEN, FakeGitHub, actions_env
from tests.test_github_action import git, pr_event, pr_repo, run_action, write  # noqa: F401 - the fixture
from tests.test_output_github import run_log


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)


def test_a_push_that_reverts_the_reports_clears_the_stale_comment(pr_repo, tmp_path) -> None:
    repo, base = pr_repo
    with FakeGitHub() as fake:
        first = run_action(repo, actions_env(tmp_path, fake, event=pr_event(base)), fail_on="never")
        assert first.returncode == 0, first.stderr
        (comment,) = fake.comments.values()
        assert "T102" in comment["body"] and ("❌" in comment["body"] or "⚠️" in comment["body"])
        git(repo, "rm", "-q", "reports/2023年度报告.txt", "reports/archive/旧稿.txt")  # the drafts leave the PR
        git(repo, "commit", "-qm", "move the drafts elsewhere")
        later = run_action(repo, actions_env(tmp_path, fake, event=pr_event(base)))
        assert later.returncode == 0, later.stderr
        assert "没有需要审核的报告文件" in later.stdout
        assert len(fake.comments) == 1 and comment["updated"] == 1
        body = comment["body"]
        assert body.startswith(MARKER) and "T102" not in body and "❌" not in body and "⚠️" not in body
        assert "没有修改需要审核的报告文件" in body
        again = run_action(repo, actions_env(tmp_path, fake, event=pr_event(base)))
        assert again.returncode == 0 and comment["updated"] == 1  # unchanged: not written again


def test_no_comment_is_created_just_to_say_there_is_nothing(pr_repo, tmp_path) -> None:
    repo, base = pr_repo
    with FakeGitHub() as fake:
        out = run_action(repo, actions_env(tmp_path, fake, event=pr_event(base)), files_glob="drafts/**")
        assert out.returncode == 0 and fake.comments == {} and fake.count("POST") == 0


def test_args_fail_on_is_honoured_and_said(pr_repo, tmp_path) -> None:
    repo, base = pr_repo
    env = actions_env(tmp_path, None, event=pr_event(base))
    out = run_action(repo, env, comment="false", args="--fail-on warning")  # fail-on input left at its default
    assert out.returncode == 1, out.stdout + out.stderr  # the sample's warnings fail the check
    assert "--fail-on warning" in out.stdout
    green = run_action(repo, env, comment="false", args="--fail-on never", fail_on="warning")
    assert green.returncode == 0  # args win over the input, and the log says so
    assert "--fail-on never" in green.stdout


def test_args_format_does_not_break_the_action(pr_repo, tmp_path) -> None:
    repo, base = pr_repo
    out = run_action(repo, actions_env(tmp_path, None, event=pr_event(base)), comment="false", fail_on="never",
                     args="--format text --select T1 -o out.txt")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "T102" in out.stdout and "审核失败" not in out.stdout + out.stderr
    assert "--format text" in out.stdout and "忽略" in out.stdout  # said, not silently dropped
    assert not (repo / "out.txt").exists()


def test_split_args() -> None:
    kept, fail_on, ignored = split_args("--select T,S --format=text --fail-on warning -o x --year 2023 --output=y")
    assert kept == ["--select", "T,S", "--year", "2023"]
    assert fail_on == "warning" and ignored == ["--format=text", "-o x", "--output=y"]


def w(line: int, severity: Severity = Severity.WARNING, confidence: Confidence = Confidence.CERTAIN) -> Finding:
    return Finding(code="T102", name="table-label-drift", severity=severity, message=f"问题{line}", line=line,
                   confidence=confidence)


def test_the_annotation_budget_spreads_over_files_most_severe_first() -> None:
    first = FileResult(path="a.txt", findings=[w(i, confidence=Confidence.INFERRED) for i in range(1, 16)])
    later = FileResult(path="b.txt", findings=[w(100 + i) for i in range(3)])
    shown = [c for c in run_log(render_github([first, later])) if c[0] == "warning"]
    assert len(shown) == 10
    assert sum(c[1]["file"] == "b.txt" for c in shown) == 3  # the later file is not starved …
    assert [int(c[1]["line"]) for c in shown if c[1]["file"] == "a.txt"] == list(range(1, 8))  # … in line order
    errors = FileResult(path="c.txt", findings=[w(1, Severity.ERROR)])
    shown = [c for c in run_log(render_github([first, later, errors])) if c[0] in ("error", "warning")]
    assert shown[-1][0] == "error" and shown[-1][1]["file"] == "c.txt"


def test_the_comment_found_again_is_only_the_one_the_action_wrote(tmp_path) -> None:
    with FakeGitHub() as fake:
        planted = fake.add(MARKER + "\n伪造的审核结果", user="mallory")
        ours = fake.add(MARKER + "\n上次的审核结果")
        gh = GitHub(TOKEN, fake.url)
        assert find_comment(gh, "acme/reports", 7)["id"] == ours["id"]
        state, cid = upsert_comment(gh, "acme/reports", 7, MARKER + "\n新的结果")
        assert (state, cid) == ("updated", ours["id"]) and planted["body"].endswith("伪造的审核结果")
    with FakeGitHub(user="report-bot") as fake:  # a personal token: the token's own user wrote it
        fake.add(MARKER + "\n伪造", user="mallory")
        mine = fake.add(MARKER + "\n上次", user="report-bot")
        assert find_comment(GitHub(TOKEN, fake.url), "acme/reports", 7)["id"] == mine["id"]
    with FakeGitHub() as fake:
        fake.add(MARKER + "\n伪造", user="mallory")
        state, _ = upsert_comment(GitHub(TOKEN, fake.url), "acme/reports", 7, MARKER + "\n新的结果")
        assert state == "created" and len(fake.comments) == 2
