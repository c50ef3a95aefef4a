"""The GitHub side: the token never follows a redirect to another origin, answers that are not JSON
or are unfollowable redirects are clean errors (a warning in the Action), and a hostile event cannot
smuggle options into git."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reviewer.errors import UsageError
from reviewer.github import changed
from reviewer.github.action import post_comment, run_check
from reviewer.github.api import GitHub, GitHubError
from reviewer.github.context import RunContext
from schemas.output import FileResult
from tests.hostile.attacks import ROOT

TOKEN = "ghs_secret_token_value"


class Server:
    """A loopback HTTP server answering every request with ``answer(handler)``; it records the
    Authorization header of each request."""

    def __init__(self, answer) -> None:
        self.seen: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                server.seen.append((self.path, self.headers.get("Authorization", "")))
                status, headers, body = answer(self)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def collector() -> Iterator[Server]:
    s = Server(lambda h: (200, {"Content-Type": "application/json"}, b"[]"))
    yield s
    s.close()


def test_a_redirect_to_another_origin_is_not_followed_with_the_token(collector: Server) -> None:
    api = Server(lambda h: (302, {"Location": f"{collector.url}/steal"}, b""))
    try:
        with pytest.raises(GitHubError, match="重定向"):
            GitHub(TOKEN, api.url).request("GET", "repos/a/b/issues/1/comments")
    finally:
        api.close()
    assert api.seen and not collector.seen  # not even without the token


def test_a_redirect_within_the_api_is_followed() -> None:
    def answer(h):
        if h.path.startswith("/old"):
            return 301, {"Location": "/new/comments"}, b""
        return 200, {"Content-Type": "application/json"}, b'[{"id": 1}]'

    api = Server(answer)
    try:
        items, _ = GitHub(TOKEN, api.url).request("GET", "old/comments")
    finally:
        api.close()
    assert items == [{"id": 1}] and [auth for _, auth in api.seen] == [f"Bearer {TOKEN}"] * 2


@pytest.mark.parametrize(
    "status, headers, body",
    [
        (200, {"Content-Type": "text/html"}, b"<html>proxy login</html>"),
        (200, {"Content-Type": "application/json"}, b"\xff\xfe{not json"),
        (304, {}, b""),
        (307, {}, b""),  # no Location
    ],
    ids=["html", "garbage", "304", "307-nowhere"],
)
def test_answers_that_are_not_json_or_not_followable_are_clean_errors(status, headers, body) -> None:
    api = Server(lambda h: (status, headers, body))
    try:
        with pytest.raises(GitHubError) as err:
            GitHub(TOKEN, api.url).request("GET", "repos/a/b/issues/1/comments")
    finally:
        api.close()
    assert TOKEN not in str(err.value) and "\n" not in str(err.value)


def test_the_action_turns_api_trouble_into_a_warning(tmp_path: Path) -> None:
    api = Server(lambda h: (200, {"Content-Type": "text/html"}, b"<html></html>"))
    lines: list[str] = []
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 3, "base": {"sha": "a" * 40}}}), encoding="utf-8")
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": "a/b", "GITHUB_API_URL": api.url, "GITHUB_EVENT_PATH": str(event)}
    try:
        post_comment([FileResult(path="r.txt")], RunContext.from_env(env), env, lines.append)
    finally:
        api.close()
    assert len(lines) == 1 and lines[0].startswith("::warning::") and TOKEN not in lines[0]


def test_gh_comment_exits_2_on_a_non_json_answer(tmp_path: Path) -> None:
    api = Server(lambda h: (200, {"Content-Type": "text/html"}, b"<html></html>"))
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 3}}), encoding="utf-8")
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"version": 1, "files": []}), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": "a/b", "GITHUB_API_URL": api.url,
           "GITHUB_EVENT_PATH": str(event), "PYTHONPATH": str(ROOT)}
    try:
        out = subprocess.run([sys.executable, "-m", "reviewer", "gh-comment", "--results", str(results)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    finally:
        api.close()
    assert out.returncode == 2 and "不是 JSON" in out.stderr and "Traceback" not in out.stderr
    assert TOKEN not in out.stdout + out.stderr


@pytest.mark.parametrize("sha", ["--upload-pack=touch PWNED", "HEAD~1", "a" * 41, "abc", "ABCDEF1234567", 1234567])
def test_event_shas_must_be_hashes(tmp_path: Path, sha) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 3, "base": {"sha": sha}}}), encoding="utf-8")
    ctx = RunContext.from_env({"GITHUB_EVENT_PATH": str(event)})
    with pytest.raises(UsageError, match="提交哈希"):
        _ = ctx.base_sha
    with pytest.raises(UsageError):
        changed.changed_files(str(sha), str(tmp_path))
    assert not (tmp_path / "PWNED").exists()


def test_a_valid_sha_goes_to_git_after_the_end_of_options(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=tmp_path, capture_output=True, text=True, check=True,
                              env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_AUTHOR_NAME": "t",
                                   "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                                   "GIT_COMMITTER_EMAIL": "t@t"}).stdout.strip()

    git("init", "-q")
    git("commit", "-q", "--allow-empty", "-m", "base")
    base = git("rev-parse", "HEAD")
    (tmp_path / "r.txt").write_text("x", encoding="utf-8")
    git("add", "r.txt")
    git("commit", "-q", "-m", "report")
    assert changed.changed_files(base, str(tmp_path)) == ["r.txt"]
    assert changed.changed_files(base[:7], str(tmp_path)) == ["r.txt"]


def test_the_check_subprocess_has_a_deadline(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="超时"):
        run_check([str(report)], [], timeout=0.01)
