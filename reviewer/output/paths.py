"""Paths as a repository sees them: relative to the workspace (GITHUB_WORKSPACE, else the working
directory), with forward slashes, so annotations, SARIF and comment links point at the right file on
any machine."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote


def workspace_root() -> str:
    return os.path.abspath(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())


def repo_relative(path: str, root: str | None = None) -> str:
    """``path`` relative to the workspace root when it lies inside it; otherwise absolute. POSIX slashes."""
    root = os.path.abspath(root or workspace_root())
    full = os.path.abspath(path)
    try:
        rel = os.path.relpath(full, root)
    except ValueError:  # pragma: no cover - another drive on Windows
        return Path(full).as_posix()
    if rel == os.curdir or rel.startswith(os.pardir + os.sep) or rel == os.pardir:
        return Path(full).as_posix()
    return PurePosixPath(*Path(rel).parts).as_posix()


def path_uri(rel: str) -> str:
    """A URI reference for a repository path: percent-encoded relative path, or file:// for absolute ones."""
    if rel.startswith("/"):
        return Path(rel).as_uri()
    return quote(rel, safe="/")
