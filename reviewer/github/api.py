"""A small GitHub REST client on the standard library (urllib).

Why urllib: the action needs four calls (list comments with pagination, create, update), and the
reviewer should not grow a runtime HTTP dependency for them; httpx only arrives with the optional LLM
stack. The base URL comes from GITHUB_API_URL, so GitHub Enterprise and a local test server work the
same way. The token goes only to that base URL: a pagination link to another host is refused.
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


class GitHub:
    def __init__(self, token: str, api_url: str = DEFAULT_API_URL, *, timeout: float = 30.0) -> None:
        self.token = token
        self.base = (api_url or DEFAULT_API_URL).rstrip("/") + "/"
        self.timeout = timeout

    def _url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            base, target = urlsplit(self.base), urlsplit(path)
            if (target.scheme, target.netloc) != (base.scheme, base.netloc) or not target.path.startswith(base.path):
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
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - https/http API URL
                raw = resp.read()
                headers = {k.lower(): v for k, v in resp.headers.items()}
        except urllib.error.HTTPError as e:
            raise GitHubError(e.code, _error_message(e)) from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise GitHubError(0, f"无法连接 GitHub API（{reason}）") from None
        return (json.loads(raw) if raw.strip() else None), headers

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
        payload = json.loads(e.read() or b"{}")
        return str(payload.get("message") or e.reason)
    except (ValueError, AttributeError, OSError):
        return str(e.reason)
