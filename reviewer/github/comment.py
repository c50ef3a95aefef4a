"""One pull-request comment per PR, found again by a hidden marker and updated in place."""

from __future__ import annotations

from reviewer import __version__
from reviewer.github.api import GitHub, GitHubError
from reviewer.output.markdown import TITLE, Links, render_markdown
from schemas.output import FileResult

MARKER = "<!-- report-reviewer:pr-comment -->"
COMMENT_LIMIT = 65536  # GitHub's limit on a comment body, in characters


def comment_body(results: list[FileResult], links: Links | None = None, limit: int = COMMENT_LIMIT) -> str:
    head = MARKER + "\n"
    return head + render_markdown(results, links=links, limit=limit - len(head))


ACTIONS_BOT = "github-actions[bot]"  # the author of what GITHUB_TOKEN writes


def no_reports_body() -> str:
    """What the comment says once a push leaves no report changed in the PR (the last findings no
    longer apply: a stale ❌ must not stay)."""
    return (f"{MARKER}\n## {TITLE}\n\n✅ 本 PR 目前没有修改需要审核的报告文件，之前的审核结果已不再适用。\n\n"
            f"<sub>report-reviewer {__version__}</sub>\n")


class _Authors:
    """Who may have written our comment: github-actions[bot] (GITHUB_TOKEN), and the token's own user
    (a personal token), asked of the API only when a marked comment by someone else turns up."""

    def __init__(self, gh: GitHub) -> None:
        self.gh, self.known = gh, {ACTIONS_BOT}
        self.asked = False

    def __contains__(self, login: str) -> bool:
        if login in self.known:
            return True
        if not self.asked:
            self.asked = True
            try:
                me, _ = self.gh.request("GET", "user")
            except GitHubError:  # GITHUB_TOKEN cannot read /user: only the bot then
                me = None
            if isinstance(me, dict) and me.get("login"):
                self.known.add(str(me["login"]))
        return login in self.known


def find_comment(gh: GitHub, repo: str, number: int) -> dict | None:
    """Our earlier comment on the PR: the first whose body starts with the marker (any page) and
    whose author is the action's (anyone can paste the marker into a comment of their own)."""
    authors = _Authors(gh)
    for c in gh.paginate(f"repos/{repo}/issues/{number}/comments?per_page=100"):
        if not isinstance(c, dict) or not str(c.get("body") or "").startswith(MARKER):
            continue
        user = c.get("user") if isinstance(c.get("user"), dict) else {}
        if str(user.get("login") or "") in authors:
            return c
    return None


def upsert_comment(gh: GitHub, repo: str, number: int, body: str, *, create: bool = True) -> tuple[str, int | None]:
    """Create the comment, or update ours in place. Returns (created|updated|unchanged, comment id);
    with ``create=False`` a PR without our comment gets none: ("absent", None)."""
    existing = find_comment(gh, repo, number)
    if existing is None:
        if not create:
            return "absent", None
        created, _ = gh.request("POST", f"repos/{repo}/issues/{number}/comments", {"body": body})
        return "created", int(created["id"])  # type: ignore[index]
    cid = int(existing["id"])
    if existing.get("body") == body:
        return "unchanged", cid
    gh.request("PATCH", f"repos/{repo}/issues/comments/{cid}", {"body": body})
    return "updated", cid
