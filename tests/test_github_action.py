"""`review gh-action` (what action.yml runs): changed-file detection in a temporary git repository,
then one review giving annotations, the job summary, SARIF, step outputs and the PR comment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import pytest

from reviewer.engine import Engine
from reviewer.errors import UsageError
from reviewer.github.changed import DEFAULT_GLOB, changed_files, explicit_files, matching
from tests.conftest import DATA, base_text, sample
from tests.fake_github import FakeGitHub, actions_env
from tests.test_output_github import run_log

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(repo, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    out = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", *args], cwd=repo,
                         env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def write(repo, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def pr_repo(tmp_path):
    """A repository whose PR adds a report, touches README.md and code, and archives a draft."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, "README.md", "# 年报草稿\n")
    write(repo, "reports/2022年度报告.txt", sample("001").read_text(encoding="utf-8"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD")
    write(repo, "reports/2023年度报告.txt", sample("002").read_text(encoding="utf-8"))
    write(repo, "reports/archive/旧稿.txt", base_text("clean_department_2023"))
    write(repo, "README.md", "# 年报草稿\n\n更新说明。\n")
    write(repo, "tools/x.py", "print(1)\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "draft 2023")
    return repo, base


def run_action(repo, env: dict[str, str], **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {**env, "GITHUB_WORKSPACE": str(repo), **{f"REVIEW_{k.upper()}": v for k, v in inputs.items()}}
    return subprocess.run([sys.executable, "-m", "reviewer", "gh-action"], cwd=repo, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def pr_event(base: str, number: int = 7) -> dict:
    return {"pull_request": {"number": number, "base": {"sha": base}, "head": {"sha": "headsha"}}}


def test_changed_files_and_globs(pr_repo) -> None:
    repo, base = pr_repo
    files = changed_files(base, cwd=str(repo))
    assert files == ["README.md", "reports/2023年度报告.txt", "reports/archive/旧稿.txt", "tools/x.py"]
    assert matching(files, "") == ["reports/2023年度报告.txt", "reports/archive/旧稿.txt"]  # not README.md
    assert matching(files, "**/*.{txt,md}") == ["README.md", "reports/2023年度报告.txt", "reports/archive/旧稿.txt"]
    assert matching(files, DEFAULT_GLOB) == matching(files, "")
    assert matching(files, "reports/**/*.txt\n!reports/archive/**") == ["reports/2023年度报告.txt"]
    assert matching(files, "reports/*.{docx,txt}, tools/*.py") == ["reports/2023年度报告.txt", "tools/x.py"]
    assert explicit_files("'reports/**/*.txt' README.md", cwd=str(repo)) == [
        "reports/2022年度报告.txt", "reports/2023年度报告.txt", "reports/archive/旧稿.txt", "README.md"]


def test_shallow_checkout_fetches_the_base(pr_repo, tmp_path) -> None:
    repo, base = pr_repo
    git(repo, "config", "uploadpack.allowAnySHA1InWant", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{repo}", str(clone))
    with pytest.raises(subprocess.CalledProcessError):
        git(clone, "cat-file", "-e", f"{base}^{{commit}}")
    assert "reports/2023年度报告.txt" in changed_files(base, cwd=str(clone))
    with pytest.raises(UsageError, match="fetch-depth"):
        changed_files("1" * 40, cwd=str(clone))


def test_action_on_a_pull_request(pr_repo, tmp_path) -> None:
    repo, base = pr_repo
    summary, outputs = tmp_path / "summary.md", tmp_path / "output.txt"
    with FakeGitHub() as fake:
        env = actions_env(tmp_path, fake, event=pr_event(base))
        env.update(GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(outputs))
        out = run_action(repo, env, sarif="out/review.sarif", input_api_key="sk-test-not-real", fail_on="never",
                         files_glob="**/*.{txt,md,docx}")  # .md widened in: README.md is skipped as no report
        assert out.returncode == 0, out.stdout + out.stderr
        (comment,) = fake.comments.values()
    assert out.stdout.splitlines()[0] == "::add-mask::sk-test-not-real"
    executed = run_log(out.stdout)
    files = {c[1].get("file") for c in executed if c[0] == "warning"}
    assert files == {"reports/2023年度报告.txt"}  # the archived draft is clean, README.md is not a report
    assert any(c[0] == "notice" and "跳过 README.md" in c[2] for c in executed)
    assert "2022年度报告" not in out.stdout  # unchanged files are not reviewed
    md = summary.read_text(encoding="utf-8")
    assert "reports/2023年度报告.txt" in md and "T102" in md and "blob/headsha/reports/" in md
    assert "T102" in comment["body"] and "sk-test" not in comment["body"]
    counts = Engine().review_path(repo / "reports/2023年度报告.txt").counts()  # as many as the rules find
    assert dict(line.split("=", 1) for line in outputs.read_text().splitlines()) == {
        "files": "2", "errors": str(counts["error"]), "warnings": str(counts["warning"]),
        "infos": str(counts["info"]), "failed": "0", "sarif": "out/review.sarif"}
    log = json.loads((repo / "out/review.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))).validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"reports/2023%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.txt"}


def test_fail_on_and_a_read_only_token(pr_repo, tmp_path) -> None:
    repo, base = pr_repo
    with FakeGitHub(read_only=True) as fake:
        out = run_action(repo, actions_env(tmp_path, fake, event=pr_event(base)), fail_on="warning")
        assert out.returncode == 1, out.stderr  # warnings fail the check at fail-on warning …
        assert fake.comments == {} and "只读令牌" in out.stdout  # … and the 403 is only a notice
        green = run_action(repo, actions_env(tmp_path, fake, event=pr_event(base)), fail_on="never")
        assert green.returncode == 0 and "::notice::" in green.stdout


def test_nothing_to_review(pr_repo, tmp_path) -> None:
    repo, base = pr_repo
    with FakeGitHub() as fake:
        out = run_action(repo, actions_env(tmp_path, fake, event=pr_event(base)), files_glob="drafts/**")
        assert out.returncode == 0 and "没有需要审核的报告文件" in out.stdout
        assert fake.count("POST") == fake.count("PATCH") == 0  # (only looked for a comment to clear)
        fake.requests.clear()
        quiet = run_action(repo, actions_env(tmp_path, fake, event=pr_event(base)), comment="false", fail_on="never")
        assert quiet.returncode == 0 and "T102" in quiet.stdout and fake.requests == []
        bad = run_action(repo, actions_env(tmp_path, fake, event=pr_event(base)), fail_on="sometimes")
        assert bad.returncode == 2 and "fail-on" in bad.stderr and "Traceback" not in bad.stderr


def test_explicit_files_and_push_events(pr_repo, tmp_path) -> None:
    repo, _ = pr_repo
    out = run_action(repo, actions_env(tmp_path, None, event={"ref": "refs/heads/main"}), files="reports/2022年度报告.txt",
                     comment="false")
    assert out.returncode == 0, out.stderr
    assert {c[1].get("file") for c in run_log(out.stdout) if c[0] == "warning"} == {"reports/2022年度报告.txt"}
    everything = run_action(repo, actions_env(tmp_path, None, event={"ref": "refs/heads/main"}), comment="false")
    assert "所有匹配的报告文件" in everything.stdout and "reports/2022年度报告.txt" in everything.stdout
    missing = run_action(repo, actions_env(tmp_path, None, event={}), files="nope.txt", comment="false")
    assert missing.returncode == 2 and "::error file=nope.txt" in missing.stdout


def test_annotated_drafts_for_the_artifact(pr_repo, tmp_path) -> None:
    """annotate: true writes each reviewed report's annotated .docx under $RUNNER_TEMP for action.yml to
    upload (and says where in the step outputs); off by default."""
    import docx

    repo, base = pr_repo
    outputs, temp = tmp_path / "output.txt", tmp_path / "runner-temp"
    temp.mkdir()
    env = actions_env(tmp_path, None, event=pr_event(base))
    env.update(GITHUB_OUTPUT=str(outputs), RUNNER_TEMP=str(temp))
    plain = run_action(repo, env, comment="false", fail_on="never")
    assert plain.returncode == 0 and not any(temp.iterdir())
    assert "annotated=" not in outputs.read_text()
    out = run_action(repo, env, comment="false", fail_on="never", annotate="true")
    assert out.returncode == 0, out.stdout + out.stderr
    folder = temp / "report-review-annotated"
    assert f"annotated={folder}" in outputs.read_text().splitlines()
    written = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.docx"))
    assert written == ["reports/2023年度报告.txt.docx", "reports/archive/旧稿.txt.docx"]  # not README.md
    findings = Engine().review_path(repo / "reports/2023年度报告.txt").findings
    comments = list(docx.Document(str(folder / written[0])).comments)
    assert len(comments) == len(findings) and findings
