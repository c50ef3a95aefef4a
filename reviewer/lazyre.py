"""Regular expressions compiled on first use.

Compiling the package's few hundred patterns took about a third of a cold start, and one review
uses only some of them (a rule that does not run, a layout the report does not have). ``lazy``
keeps the source and compiles it the first time a method is asked for; from then on the pattern's
methods are attributes of the object, so a call costs what it costs on a compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any

_ATTRS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner", "flags",
          "groups", "groupindex")


class LazyPattern:
    """A ``re.Pattern`` compiled when first used (``pattern`` is known before)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # only reached before the first compilation
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for attr in _ATTRS:
            self.__dict__[attr] = getattr(compiled, attr)
        self.__dict__["compiled"] = compiled
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: str, flags: int = 0) -> Any:
    """``re.compile(pattern, flags)``, compiled on first use."""
    return LazyPattern(pattern, flags)
