"""Which files the action reviews: those given, or the report files a pull request changes.

Changed files come from ``git diff`` between the PR base (``pull_request.base.sha`` in the event) and
HEAD, filtered by glob patterns. Patterns use wcmatch with globstar, braces and negation
(``reports/**/*.{txt,docx}``, ``!reports/archive/**``) — the syntax people know from GitHub's own
``paths:`` filters, without writing a glob engine here.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

from wcmatch import glob as wglob

from reviewer.errors import UsageError
from reviewer.github.context import SHA

DEFAULT_GLOB = "**/*.{txt,docx,html,htm,pdf}"  # not .md: a repository's .md files are its documentation
GLOB_FLAGS = wglob.GLOBSTAR | wglob.BRACE | wglob.NEGATE | wglob.DOTGLOB | wglob.FORCEUNIX


def patterns(spec: str) -> list[str]:
    """Patterns from an input: one per line or comma-separated (commas inside braces belong to the
    pattern); empty means the default."""
    out = [p.strip() for line in (spec or "").splitlines() for p in re.split(r",(?![^{}]*\})", line) if p.strip()]
    return out or [DEFAULT_GLOB]


def matching(paths: list[str], spec: str) -> list[str]:
    pats = patterns(spec)
    return [p for p in paths if wglob.globmatch(p, pats, flags=GLOB_FLAGS)]


GIT_TIMEOUT = 120  # seconds for one git command (a fetch of one commit, a diff)


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=GIT_TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {args[0]} 超过 {GIT_TIMEOUT} 秒未完成") from None
    except OSError as e:
        raise UsageError(f"无法运行 git：{e.strerror or e}") from None


def _commit(sha: str) -> str:
    """A commit named by the event goes to git only as a hash (an option like "--upload-pack=…"
    would otherwise run a command)."""
    if not SHA.fullmatch(sha):
        raise UsageError(f"{sha[:40]!r} 不是有效的提交哈希")
    return sha


def _has_commit(sha: str, cwd: str) -> bool:
    return _git(["cat-file", "-e", "--end-of-options", f"{_commit(sha)}^{{commit}}"], cwd).returncode == 0


def changed_files(base: str, cwd: str = ".", head: str = "HEAD") -> list[str]:
    """Files added, copied, modified or renamed between ``base`` and ``head`` (repository-relative).
    A shallow checkout that lacks the base commit gets it fetched (depth 1) first. ``base`` must be
    a hash; it is passed after ``--`` / ``--end-of-options``."""
    if not _has_commit(base, cwd):
        _git(["fetch", "--no-tags", "--quiet", "--depth=1", "--", "origin", _commit(base)], cwd)
        if not _has_commit(base, cwd):
            raise UsageError(f"找不到 PR 的基准提交 {base[:12]}：请在 actions/checkout 中设置 fetch-depth: 0")
    proc = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMR", "--end-of-options", base, head, "--"], cwd)
    if proc.returncode != 0:
        raise UsageError(f"git diff 失败：{proc.stderr.decode('utf-8', 'replace').strip()}")
    return sorted(p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p)


def tracked_files(cwd: str = ".") -> list[str]:
    proc = _git(["ls-files", "-z"], cwd)
    if proc.returncode != 0:
        raise UsageError(f"git ls-files 失败：{proc.stderr.decode('utf-8', 'replace').strip()}")
    return sorted(p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p)


def explicit_files(spec: str, cwd: str = ".") -> list[str]:
    """Files named in an input (shell-style words): globs are expanded, files and folders kept as given."""
    out: list[str] = []
    for word in shlex.split(spec or ""):
        if wglob.is_magic(word, flags=GLOB_FLAGS):
            found = wglob.glob(word, flags=GLOB_FLAGS, root_dir=cwd)
            out.extend(sorted(f for f in found if (Path(cwd) / f).is_file()))
        else:
            out.append(word)
    return out
