"""What a workflow run tells us through its environment: repository, API URL, token, the event."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from reviewer.errors import UsageError
from reviewer.github.api import DEFAULT_API_URL

SHA = re.compile(r"[0-9a-f]{7,40}")


@dataclass
class RunContext:
    repo: str = ""
    api_url: str = DEFAULT_API_URL
    token: str = ""
    event_name: str = ""
    event: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RunContext:
        env = os.environ if env is None else env
        event: dict = {}
        path = env.get("GITHUB_EVENT_PATH")
        if path:
            try:
                with open(path, encoding="utf-8") as fh:
                    event = json.load(fh)
            except (OSError, ValueError) as e:
                raise UsageError(f"无法读取 GITHUB_EVENT_PATH（{path}）：{e}") from None
            if not isinstance(event, dict):
                raise UsageError(f"GITHUB_EVENT_PATH（{path}）不是 JSON 对象")
        return cls(
            repo=env.get("GITHUB_REPOSITORY", ""),
            api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
            token=env.get("GITHUB_TOKEN", ""),
            event_name=env.get("GITHUB_EVENT_NAME", ""),
            event=event,
        )

    @property
    def pull_request(self) -> dict:
        pr = self.event.get("pull_request")
        return pr if isinstance(pr, dict) else {}

    @property
    def pr_number(self) -> int | None:
        number = self.pull_request.get("number") or (self.event.get("number") if self.pull_request else None)
        return int(number) if isinstance(number, int) or (isinstance(number, str) and number.isdigit()) else None

    @property
    def base_sha(self) -> str | None:
        """What the changed files are measured against: the PR base, or the previous tip of a push."""
        sha = (self.pull_request.get("base") or {}).get("sha")
        if not sha and not self.pull_request:
            sha = self.event.get("before")
        if not sha or set(str(sha)) == {"0"}:  # a new branch's push has before = 000…0
            return None
        if not isinstance(sha, str) or not SHA.fullmatch(sha):  # it goes to git: "--upload-pack=…" must not
            shown = repr(str(sha)[:40])
            raise UsageError(f"事件中的基准提交 {shown} 不是有效的提交哈希（应为7–40位十六进制）")
        return sha

    def require_api(self) -> None:
        missing = [name for name, value in (("GITHUB_TOKEN", self.token), ("GITHUB_REPOSITORY", self.repo)) if not value]
        if missing:
            raise UsageError(f"缺少环境变量 {'、'.join(missing)}（在 GitHub Actions 中运行，或手动设置）")
