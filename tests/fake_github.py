"""A fake GitHub REST API on 127.0.0.1 for the PR-comment tests: issue comments with pagination
(Link headers), create, update, a read-only mode answering 403, and a path prefix (GitHub Enterprise's
``/api/v3``). It records every request so tests can count them."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "test-token-not-a-secret"
LIST = re.compile(r"^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$")
ONE = re.compile(r"^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$")


@dataclass
class Request:
    method: str
    path: str
    auth: str
    body: dict | None = None


@dataclass
class FakeGitHub:
    prefix: str = ""
    page_size: int = 2
    read_only: bool = False
    user: str | None = None  # GET /user answers this login (a personal token); None: 403, as for GITHUB_TOKEN
    comments: dict[int, dict] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    _next_id: int = 1000

    def __post_init__(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _reply(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                url = urlsplit(self.path)
                body = None
                if self.headers.get("Content-Length"):
                    body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"null")
                fake.requests.append(Request(self.command, self.path, self.headers.get("Authorization", ""), body))
                if not url.path.startswith(fake.prefix):
                    return self._reply(404, {"message": "Not Found"})
                path = url.path[len(fake.prefix):]
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._reply(401, {"message": "Bad credentials"})
                if self.command in ("POST", "PATCH") and fake.read_only:
                    return self._reply(403, {"message": "Resource not accessible by integration"})
                if path == "/user" and self.command == "GET":
                    if fake.user is None:
                        return self._reply(403, {"message": "Resource not accessible by integration"})
                    return self._reply(200, {"login": fake.user})
                m = LIST.match(path)
                if m and self.command == "GET":
                    return self._list(m.group(1), int(m.group(2)), parse_qs(url.query))
                if m and self.command == "POST":
                    return self._reply(201, fake.add(str(body["body"]), repo=m.group(1), pr=int(m.group(2))))
                m = ONE.match(path)
                if m and self.command == "PATCH" and int(m.group(2)) in fake.comments:
                    c = fake.comments[int(m.group(2))]
                    c["body"] = str(body["body"])
                    c["updated"] = c.get("updated", 0) + 1
                    return self._reply(200, c)
                return self._reply(404, {"message": "Not Found"})

            def _list(self, repo: str, pr: int, query: dict[str, list[str]]) -> None:
                items = [c for c in fake.comments.values() if c["repo"] == repo and c["pr"] == pr]
                page = int(query.get("page", ["1"])[0])
                chunk = items[(page - 1) * fake.page_size : page * fake.page_size]
                headers = {}
                if page * fake.page_size < len(items):
                    nxt = f"{fake.url}/repos/{repo}/issues/{pr}/comments?per_page=100&page={page + 1}"
                    headers["Link"] = f'<{nxt}>; rel="next", <{nxt}>; rel="last"'
                self._reply(200, chunk, headers)

            do_GET = do_POST = do_PATCH = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{self.prefix}"

    def add(self, body: str, *, repo: str = "acme/reports", pr: int = 7, user: str = "github-actions[bot]") -> dict:
        self._next_id += 1
        c = {"id": self._next_id, "body": body, "repo": repo, "pr": pr, "user": {"login": user}}
        self.comments[self._next_id] = c
        return c

    def count(self, method: str) -> int:
        return sum(1 for r in self.requests if r.method == method)

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def actions_env(tmp_path, fake: FakeGitHub | None, *, event: dict | None = None, pr: int | None = 7) -> dict[str, str]:
    """A workflow run's environment pointing at the fake API (for subprocesses)."""
    import os
    import sys
    from pathlib import Path

    if event is None:
        event = {"pull_request": {"number": pr, "head": {"sha": "c0ffee" * 6 + "ab"}, "base": {"sha": "0" * 39 + "1"}}}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    root = str(Path(__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and not k.startswith(("GITHUB_", "REVIEW_"))}
    env.update({
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "acme/reports",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(path),
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_SHA": "f" * 40,
        "GITHUB_TOKEN": TOKEN,
        "PYTHONPATH": os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p),
        "PYTHONIOENCODING": "utf-8",
    })
    if fake is not None:
        env["GITHUB_API_URL"] = fake.url
    env["PYTHON"] = sys.executable
    return env
