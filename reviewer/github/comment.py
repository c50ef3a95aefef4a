"""One pull-request comment per PR, found again by a hidden marker and updated in place."""

from __future__ import annotations

from reviewer.github.api import GitHub
from reviewer.output.markdown import Links, render_markdown
from schemas.output import FileResult

MARKER = "<!-- report-reviewer:pr-comment -->"
COMMENT_LIMIT = 65536  # GitHub's limit on a comment body, in characters


def comment_body(results: list[FileResult], links: Links | None = None, limit: int = COMMENT_LIMIT) -> str:
    head = MARKER + "\n"
    return head + render_markdown(results, links=links, limit=limit - len(head))


def find_comment(gh: GitHub, repo: str, number: int) -> dict | None:
    """Our earlier comment on the PR: the first whose body starts with the marker (any page)."""
    for c in gh.paginate(f"repos/{repo}/issues/{number}/comments?per_page=100"):
        if isinstance(c, dict) and str(c.get("body") or "").startswith(MARKER):
            return c
    return None


def upsert_comment(gh: GitHub, repo: str, number: int, body: str) -> tuple[str, int]:
    """Create the comment, or update ours in place. Returns (created|updated|unchanged, comment id)."""
    existing = find_comment(gh, repo, number)
    if existing is None:
        created, _ = gh.request("POST", f"repos/{repo}/issues/{number}/comments", {"body": body})
        return "created", int(created["id"])  # type: ignore[index]
    cid = int(existing["id"])
    if existing.get("body") == body:
        return "unchanged", cid
    gh.request("PATCH", f"repos/{repo}/issues/comments/{cid}", {"body": body})
    return "updated", cid
