"""Data derived from the package's own files, kept next to its bytecode (``reviewer/__pycache__``).

What a cold start would otherwise recompute every time — compiled regular expressions (lazyre),
the parsed built-in profiles (profile) — is kept as ``marshal`` data, with a header that says what
it was made from (interpreter, package version, the source file's mtime and size, as a .pyc says).
A file is written atomically, as importlib writes a .pyc, and only into the package's
``__pycache__``: into an existing one (an installer compiled the bytecode there, even under
PYTHONDONTWRITEBYTECODE, which is about .pyc files and which some images set globally), or into one
made as Python makes it when bytecode is written; never with PYTHONPYCACHEPREFIX. The files are
trusted as a .pyc is. Anything unexpected on reading or writing is no cache, silently.
"""

from __future__ import annotations

import os
import sys
from typing import Any

FORMAT = 1


def path(name: str) -> str:
    """The file for ``name`` in reviewer/__pycache__, named for the interpreter."""
    tag = sys.implementation.cache_tag or sys.implementation.name
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__", f"{name}.{tag}.marshal")


def header(*made_from: Any) -> tuple:
    from reviewer import __version__

    return (FORMAT, sys.implementation.name, sys.implementation.cache_tag, sys.version, __version__, *made_from)


def read(file: str, expected: tuple) -> Any:
    """The value stored in ``file`` under ``expected``; None when there is none (missing, truncated,
    corrupt, or made from something else)."""
    import marshal

    try:
        with open(file, "rb") as f:
            stored, value = marshal.loads(f.read())
        return value if stored == expected else None
    except Exception:  # noqa: BLE001 - no cache
        return None


def write(file: str, stored: tuple, value: Any) -> bool:
    """Store ``value`` under ``stored`` (atomically); False when it cannot be. Never raises."""
    if getattr(sys, "pycache_prefix", None):
        return False
    try:
        import marshal

        directory = os.path.dirname(file)
        if not os.path.isdir(directory):
            if sys.dont_write_bytecode:  # no bytecode written here: no __pycache__ made for this either
                return False
            os.mkdir(directory)  # as importlib does; fails where the package is read-only
        elif not os.access(directory, os.W_OK):  # (a system-wide install): not even the marshalling
            return False
        data = marshal.dumps((stored, value))
        tmp = f"{file}.{id(data)}.{os.getpid()}"
        fd = os.open(tmp, os.O_EXCL | os.O_CREAT | os.O_WRONLY, 0o666)
        try:
            with open(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, file)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return True
    except Exception:  # noqa: BLE001 - no cache this time
        return False
