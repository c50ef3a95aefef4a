"""A small GitHub REST client on the standard library (urllib).

Why urllib: the action needs four calls (list comments with pagination, create, update), and the
reviewer should not grow a runtime HTTP dependency for them; httpx only arrives with the optional LLM
stack. The base URL comes from GITHUB_API_URL, so GitHub Enterprise and a local test server work the
same way. The token goes only to that base URL: a pagination link to another host is refused, and
so is a redirect to another origin (urllib would follow it with the Authorization header). An answer
that is not JSON, a redirect that cannot be followed and an oversized body are a GitHubError like
any failed call (the Action turns it into a warning; ``gh-comment`` into exit 2).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from reviewer import __version__

DEFAULT_API_URL = "https://api.github.com"
MAX_PAGES = 100
MAX_BODY = 16 << 20  # bytes of one answer (a page of 100 comments is far less)
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class GitHubError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"GitHub API {status}：{message}" if status else message)
        self.status = status


def next_link(header: str | None) -> str | None:
    """The rel="next" URL of a Link header."""
    for part in (header or "").split(","):
        m = _NEXT.search(part)
        if m:
            return m.group(1)
    return None


def _within(url: str, base: str) -> bool:
    b, t = urlsplit(base), urlsplit(url)
    return (t.scheme, t.netloc) == (b.scheme, b.netloc) and t.path.startswith(b.path)


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the configured API (a renamed repository's 301); anywhere
    else the token would go along, so the call fails instead."""

    def __init__(self, base: str) -> None:
        self.base = base

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urljoin(req.full_url, newurl)
        if not _within(target, self.base):
            t = urlsplit(target)
            raise GitHubError(code, f"API 重定向到其他地址（{t.scheme}://{t.netloc}），为保护令牌未跟随")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class GitHub:
    def __init__(self, token: str, api_url: str = DEFAULT_API_URL, *, timeout: float = 30.0) -> None:
        self.token = token
        self.base = (api_url or DEFAULT_API_URL).rstrip("/") + "/"
        self.timeout = timeout
        self.opener = urllib.request.build_opener(_SameOrigin(self.base))

    def _url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            if not _within(path, self.base):
                target = urlsplit(path)
                raise GitHubError(0, f"拒绝访问 API 之外的地址：{target.scheme}://{target.netloc}")
            return path
        return urljoin(self.base, path.lstrip("/"))

    def request(self, method: str, path: str, body: object | None = None) -> tuple[object, dict[str, str]]:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(self._url(path), data=data, method=method)
        req.add_header("Accept", "application/vnd.github+json")
        req.add_header("X-GitHub-Api-Version", "2022-11-28")
        req.add_header("User-Agent", f"report-reviewer/{__version__}")
        req.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                raw = resp.read(MAX_BODY + 1)
                headers = {k.lower(): v for k, v in resp.headers.items()}
                status = resp.status
        except urllib.error.HTTPError as e:
            if 300 <= e.code < 400:
                raise GitHubError(e.code, "API 返回了无法跟随的重定向") from None
            raise GitHubError(e.code, _error_message(e)) from None
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as e:
            reason = getattr(e, "reason", e)
            raise GitHubError(0, f"无法连接 GitHub API（{reason}）") from None
        if len(raw) > MAX_BODY:
            raise GitHubError(status, "API 返回的内容过大")
        if not raw.strip():
            return None, headers
        try:
            return json.loads(raw), headers
        except ValueError:  # includes UnicodeDecodeError
            raise GitHubError(status, "API 返回的内容不是 JSON（可能是代理或错误页面）") from None

    def paginate(self, path: str) -> Iterator[dict]:
        """Every item of a list endpoint, following Link: rel="next"."""
        url: str | None = path
        for _ in range(MAX_PAGES):
            if url is None:
                return
            items, headers = self.request("GET", url)
            if not isinstance(items, list):
                raise GitHubError(0, "GitHub API 返回了意外的内容（应为列表）")
            yield from items
            url = next_link(headers.get("link"))


def _error_message(e: urllib.error.HTTPError) -> str:
    try:
        payload = json.loads(e.read(64 << 10) or b"{}")
        return str(payload.get("message") or e.reason)[:300]
    except (ValueError, AttributeError, OSError):
        return str(e.reason)[:300]
