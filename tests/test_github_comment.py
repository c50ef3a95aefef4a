"""`review gh-comment` against a fake GitHub API on 127.0.0.1: one comment, found by its marker and
updated in place; pagination; a read-only token; a PR without findings; GitHub Enterprise's prefix."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reviewer.github.api import GitHub, GitHubError, next_link
from reviewer.github.comment import MARKER, comment_body, find_comment, upsert_comment
from schemas.common import Severity
from schemas.findings import Finding
from schemas.output import FileResult
from tests.conftest import ROOT, base_text, sample
from tests.fake_github import PROXY_VARS, TOKEN, FakeGitHub, actions_env


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)


def gh_comment(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reviewer", "gh-comment", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def finding(msg: str = "自然人列：3 + 0 ≠ 2 + 0") -> Finding:
    return Finding(code="T302", name="application-balance-mismatch", severity=Severity.ERROR, message=msg, line=3)


def test_running_twice_creates_one_comment_and_updates_it(tmp_path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(sample("002").read_text(encoding="utf-8"), encoding="utf-8")
    with FakeGitHub() as fake:
        env = actions_env(tmp_path, fake)
        first = gh_comment(env, str(report))
        assert first.returncode == 0, first.stderr
        assert fake.count("POST") == 1 and len(fake.comments) == 1
        (comment,) = fake.comments.values()
        assert comment["body"].startswith(MARKER) and "T102" in comment["body"]

        report.write_text(base_text("clean_department_2023"), encoding="utf-8")  # the draft gets fixed
        second = gh_comment(env, str(report))
        assert second.returncode == 0, second.stderr
        assert fake.count("POST") == 1 and fake.count("PATCH") == 1
        assert len(fake.comments) == 1 and comment["updated"] == 1
        assert "T102" not in comment["body"] and "未发现问题" in comment["body"]

        third = gh_comment(env, str(report))  # nothing changed: no write at all
        assert third.returncode == 0 and fake.count("PATCH") == 1 and len(fake.comments) == 1
    assert all(r.auth == f"Bearer {TOKEN}" for r in fake.requests)
    for out in (first, second, third):
        assert TOKEN not in out.stdout + out.stderr


def test_marker_found_on_a_later_page(tmp_path) -> None:
    with FakeGitHub(page_size=2) as fake:
        for i in range(3):
            fake.add(f"人工评论 {i}")
        ours = fake.add(MARKER + "\n旧的审核结果")
        fake.add("又一条人工评论")
        gh = GitHub(TOKEN, fake.url)
        assert find_comment(gh, "acme/reports", 7)["id"] == ours["id"]
        fake.requests.clear()
        state, cid = upsert_comment(gh, "acme/reports", 7, comment_body([FileResult(path="a.txt")]))
        assert (state, cid) == ("updated", ours["id"])
        assert fake.count("POST") == 0 and len(fake.comments) == 5
        pages = [r.path for r in fake.requests if r.method == "GET"]
        assert len(pages) == 2 and pages[1].endswith("page=2")  # found on page 2 of 3: page 3 never read


def test_no_marker_anywhere_creates_after_reading_every_page(tmp_path) -> None:
    with FakeGitHub(page_size=2) as fake:
        for i in range(5):
            fake.add(f"人工评论 {i}，提到 report-reviewer 但不是它发的")
        state, _ = upsert_comment(GitHub(TOKEN, fake.url), "acme/reports", 7, comment_body([]))
        assert state == "created" and fake.count("GET") == 3 and len(fake.comments) == 6


def test_read_only_token_gives_a_notice_and_exit_0(tmp_path) -> None:
    with FakeGitHub(read_only=True) as fake:
        out = gh_comment(actions_env(tmp_path, fake), str(sample("002")))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("::notice::") and "只读" in out.stdout
    assert fake.comments == {}


def test_pr_without_findings_says_so(tmp_path) -> None:
    report = tmp_path / "clean.txt"
    report.write_text(base_text("clean_department_2023"), encoding="utf-8")
    with FakeGitHub() as fake:
        out = gh_comment(actions_env(tmp_path, fake), str(report))
        assert out.returncode == 0, out.stderr
        (comment,) = fake.comments.values()
    assert "✅" in comment["body"] and "未发现问题" in comment["body"] and "| 位置 |" not in comment["body"]


def test_enterprise_api_prefix_and_results_file(tmp_path) -> None:
    results = tmp_path / "results.json"
    results.write_text('{"version": 1, "files": [{"path": "r.txt", "findings": []}]}', encoding="utf-8")
    with FakeGitHub(prefix="/api/v3") as fake:
        out = gh_comment(actions_env(tmp_path, fake), "--results", str(results))
        assert out.returncode == 0, out.stderr
        assert all(r.path.startswith("/api/v3/repos/acme/reports/") for r in fake.requests)
        assert len(fake.comments) == 1


def test_not_a_pull_request_and_missing_environment(tmp_path) -> None:
    with FakeGitHub() as fake:
        out = gh_comment(actions_env(tmp_path, fake, event={"ref": "refs/heads/main"}), str(sample("002")))
        assert out.returncode == 0 and "不是 pull request" in out.stdout and fake.requests == []
    env = actions_env(tmp_path, None)
    del env["GITHUB_TOKEN"]
    out = gh_comment(env, str(sample("002")))
    assert out.returncode == 2 and "GITHUB_TOKEN" in out.stderr and "Traceback" not in out.stderr
    out = gh_comment(actions_env(tmp_path, None))
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_other_api_errors_are_one_line_errors(tmp_path) -> None:
    env = actions_env(tmp_path, None)
    env["GITHUB_API_URL"] = "http://127.0.0.1:9/"  # nothing listens on the discard port
    out = gh_comment(env, str(sample("002")))
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "无法连接" in out.stderr


def test_pagination_never_sends_the_token_elsewhere() -> None:
    gh = GitHub(TOKEN, "http://127.0.0.1:1/api/v3")
    with pytest.raises(GitHubError, match="拒绝"):
        gh.request("GET", "http://evil.example/api/v3/repos/x/y/issues/1/comments")
    with pytest.raises(GitHubError, match="拒绝"):
        gh.request("GET", "http://127.0.0.1:1/other/repos")
    assert next_link('<https://a/x?page=2>; rel="next", <https://a/x?page=5>; rel="last"') == "https://a/x?page=2"
    assert next_link('<https://a/x?page=1>; rel="prev"') is None


def test_comment_stays_under_githubs_limit() -> None:
    many = [finding(f"第{i}个问题：" + "数字不符" * 40) for i in range(2000)]
    body = comment_body([FileResult(path="big.txt", findings=many)])
    assert len(body) <= 65536 and body.startswith(MARKER)
    assert "已截断" in body and body == comment_body([FileResult(path="big.txt", findings=many)])
