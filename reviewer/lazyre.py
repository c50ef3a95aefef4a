"""Regular expressions compiled on first use, from a cache of compiled patterns kept next to the bytecode.

Compiling the package's few hundred patterns took about a third of a cold start, and one review
uses only some of them (a rule that does not run, a layout the report does not have). ``lazy``
keeps the source and compiles it the first time a method is asked for; from then on the pattern's
methods are attributes of the object, so a call costs what it costs on a compiled pattern.

Compiling is still most of the cost of a pattern: ``re`` parses the source and generates its code
in Python (re._parser, re._compiler) and only the last step, ``_sre.compile``, is C. ``compile``
keeps the arguments of that last step — per pattern and flags, with ``marshal`` — in a file in
this package's ``__pycache__``, as Python keeps bytecode there: keyed by the interpreter (version,
implementation, ``_sre.MAGIC`` and code size) and the package version, read once at the first
compilation, written atomically when a run compiled patterns the file did not have (``save``,
called at exit), never elsewhere: into an existing ``__pycache__`` (where an installer compiled the
bytecode, even under PYTHONDONTWRITEBYTECODE, which is about .pyc files and which some images set
globally), or one made as Python makes it when bytecode is written; not with PYTHONPYCACHEPREFIX. The file is trusted as a
.pyc is. Anything unexpected — no file, another interpreter's, a truncated or corrupt one, a
private ``re`` API that changed — means ``re.compile``, silently.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

_ATTRS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner", "flags",
          "groups", "groupindex")
FORMAT = 1
MAX_ENTRIES = 4096  # patterns from users' profiles are compiled here too: the file stays bounded


class LazyPattern:
    """A ``re.Pattern`` compiled when first used (``pattern`` is known before)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # only reached before the first compilation
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = compile(self.pattern, self._flags)
        for attr in _ATTRS:
            self.__dict__[attr] = getattr(compiled, attr)
        self.__dict__["compiled"] = compiled
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: str, flags: int = 0) -> Any:
    """``re.compile(pattern, flags)``, compiled on first use."""
    return LazyPattern(pattern, flags)


# --- the cache of compiled patterns ------------------------------------------------------------------
_loaded: dict[tuple[str, int], tuple] | None = None  # from the file; None: not read yet
_new: dict[tuple[str, int], tuple] = {}  # compiled in this run, not in the file
_used: set[tuple[str, int]] = set()


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for a str pattern, from the cache when it has it."""
    try:
        key = (pattern, int(flags))
        args = _entries().get(key) or _new.get(key)
        if args is None:
            args = _arguments(pattern, int(flags))
            if not _new:
                import atexit

                atexit.register(save)
            _new[key] = args
        _used.add(key)
        import _sre

        return _sre.compile(pattern, *args)
    except Exception:  # noqa: BLE001 - any surprise: the ordinary way
        return re.compile(pattern, flags)


def _arguments(pattern: str, flags: int) -> tuple:
    """What re._compiler.compile passes to ``_sre.compile`` after the pattern (CPython 3.11–3.13)."""
    from re import _compiler, _parser

    if not isinstance(pattern, str) or flags & re.DEBUG:
        raise ValueError("not cached")
    p = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(p, flags)]  # opcodes are int subclasses: marshal wants ints
    groupindex = p.state.groupdict
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return (flags | p.state.flags, code, p.state.groups - 1, dict(groupindex), tuple(indexgroup))


def _header() -> tuple:
    import _sre

    from reviewer import __version__

    return (FORMAT, sys.implementation.name, sys.implementation.cache_tag, sys.version, _sre.MAGIC, _sre.CODESIZE,
            sys.maxunicode, __version__)


def cache_path() -> str:
    """The file: in this package's ``__pycache__``, named for the interpreter."""
    tag = sys.implementation.cache_tag or sys.implementation.name
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__", f"lazyre.{tag}.patterns")


def _entries() -> dict[tuple[str, int], tuple]:
    global _loaded
    if _loaded is None:
        _loaded = _read(cache_path())
    return _loaded


def _read(path: str) -> dict[tuple[str, int], tuple]:
    import marshal

    try:
        with open(path, "rb") as f:
            header, entries = marshal.loads(f.read())
        if header != _header() or type(entries) is not dict:
            return {}
        return entries
    except Exception:  # noqa: BLE001 - missing, truncated, corrupt or foreign: no cache
        return {}


def save() -> None:
    """Write the cache if this run compiled patterns it did not have (atomically, as a .pyc is
    written; not at all where bytecode is not written). Never raises."""
    if not _new or getattr(sys, "pycache_prefix", None):
        return
    try:
        import marshal

        entries = dict(_entries())
        entries.update(_new)
        if len(entries) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in _used}
        data = marshal.dumps((_header(), entries))
        path = cache_path()
        _write_atomic(path, data)
        _loaded.update(_new)  # type: ignore[union-attr]  # read by _entries() above
        _new.clear()
    except Exception:  # noqa: BLE001 - no cache this time
        return


def _write_atomic(path: str, data: bytes) -> None:
    """importlib's _write_atomic: a new file beside ``path``, then renamed over it."""
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        if sys.dont_write_bytecode:  # no bytecode written here: no __pycache__ made for the patterns either
            raise OSError("no __pycache__")
        os.mkdir(directory)  # as importlib does; fails (and so no cache) where the package is read-only
    tmp = f"{path}.{id(path)}.{os.getpid()}"
    fd = os.open(tmp, os.O_EXCL | os.O_CREAT | os.O_WRONLY, 0o666)
    try:
        with open(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
