"""Regular expressions compiled on first use, from a cache of compiled patterns kept next to the bytecode.

Compiling the package's few hundred patterns took about a third of a cold start, and one review
uses only some of them (a rule that does not run, a layout the report does not have). ``lazy``
keeps the source and compiles it the first time a method is asked for; from then on the pattern's
methods are attributes of the object, so a call costs what it costs on a compiled pattern.

Compiling is still most of the cost of a pattern: ``re`` parses the source and generates its code
in Python (re._parser, re._compiler) and only the last step, ``_sre.compile``, is C. ``compile``
keeps the arguments of that last step — per pattern and flags — in reviewer/__pycache__
(reviewer.pycache: keyed by the interpreter, ``_sre.MAGIC`` and code size, and the package
version), read once at the first compilation and written when a run compiled patterns the file
did not have (``save``, at exit). Anything unexpected — no file, another interpreter's, a truncated
or corrupt one, a private ``re`` API that changed — means ``re.compile``, silently.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from reviewer import pycache

_ATTRS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner", "flags",
          "groups", "groupindex")
PATTERNS_FORMAT = 1
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
_compiled: dict[tuple[str, int], re.Pattern[str]] = {}  # this process's, as re keeps its own
MAX_COMPILED = 512


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for a str pattern, from the cache when it has it."""
    try:
        key = (pattern, int(flags))
        compiled = _compiled.get(key)
        if compiled is not None:
            return compiled
        args = _entries().get(key) or _new.get(key)
        if args is None:
            args = _arguments(pattern, int(flags))
            if not _new:
                import atexit

                atexit.register(save)
            _new[key] = args
        _used.add(key)
        import _sre

        compiled = _sre.compile(pattern, *args)
        if len(_compiled) >= MAX_COMPILED:  # as re's own cache: patterns made from data stay bounded
            _compiled.clear()
        _compiled[key] = compiled
        return compiled
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

    return pycache.header("patterns", PATTERNS_FORMAT, _sre.MAGIC, _sre.CODESIZE, sys.maxunicode)


def cache_path() -> str:
    return pycache.path("lazyre.patterns")


def _entries() -> dict[tuple[str, int], tuple]:
    global _loaded
    if _loaded is None:
        entries = pycache.read(cache_path(), _header())
        _loaded = entries if type(entries) is dict else {}
    return _loaded


def save() -> None:
    """Write the cache if this run compiled patterns it did not have. Never raises."""
    if not _new:
        return
    try:
        entries = dict(_entries())
        entries.update(_new)
        if len(entries) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in _used}
        if pycache.write(cache_path(), _header(), entries):
            _loaded.update(_new)  # type: ignore[union-attr]  # read by _entries() above
            _new.clear()
    except Exception:  # noqa: BLE001 - no cache this time
        return
