"""``@plain``: the part of ``@dataclass`` the stage classes use, without importing ``dataclasses``.

``dataclasses`` imports ``inspect`` (and with it ast, dis, tokenize, ...), about a tenth of a cold
``review FILE.txt``, and builds each class's methods from source at import. The classes a review
passes between its stages need little of it: fields from the annotations, in order, with defaults
or ``field(default_factory=...)``; an ``__init__`` taking them positionally or by name (then
``__post_init__`` if there is one); equality by fields between instances of the same class; a repr;
``frozen`` (no assignment, hashed by fields) and ``slots``. ``fields(cls)`` gives the names and
``replace(obj, **changes)`` a changed copy. Inheritance between such classes is not supported.
Where pydantic meets one (a record's field of type Location or Cell), schemas/mirror.py gives it a
stdlib dataclass twin, so the JSON and its schema are the dataclass's.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable

_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen instance (as dataclasses.FrozenInstanceError)."""


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], Any]) -> Any:
    """A field whose default is made per instance (``dataclasses.field(default_factory=...)``)."""
    return _Factory(default_factory)


def fields(cls: type) -> tuple[str, ...]:
    """The field names of a ``@plain`` class, in order."""
    return cls.__plain_fields__  # type: ignore[attr-defined]


def replace(obj: Any, **changes: Any) -> Any:
    """A copy of ``obj`` with some fields changed (through ``__init__``, as dataclasses.replace)."""
    values = {name: getattr(obj, name) for name in fields(type(obj))}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__name__}: unknown fields {sorted(unknown)}")
    return type(obj)(**{**values, **changes})


def _is_classvar(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar"))


def plain(cls: type | None = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    """Make ``cls`` a plain data class (``@plain`` or ``@plain(frozen=True, slots=True)``)."""

    def wrap(cls: type) -> type:
        if any(hasattr(b, "__plain_fields__") for b in cls.__mro__[1:]):
            raise TypeError("@plain classes do not inherit fields")
        ns = cls.__dict__
        names = [n for n, a in ns.get("__annotations__", {}).items() if not _is_classvar(a)]
        defaults = {n: ns[n] for n in names if n in ns}
        cls = _slotted(cls, names) if slots else cls
        for n in defaults:
            if not slots and isinstance(defaults[n], _Factory):
                delattr(cls, n)
        _methods(cls, names, defaults, frozen)
        return cls

    return wrap if cls is None else wrap(cls)


def _slotted(cls: type, names: list[str]) -> type:
    ns = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
    ns["__slots__"] = tuple(names)
    return type(cls)(cls.__name__, cls.__bases__, ns)


def _methods(cls: type, names: list[str], defaults: dict[str, Any], frozen: bool) -> None:
    glb: dict[str, Any] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, body = [], []
    for n in names:
        d = defaults.get(n, _MISSING)
        if d is _MISSING:
            params.append(n)
        elif isinstance(d, _Factory):
            glb[f"_f_{n}"] = d.make
            params.append(f"{n}=_MISSING")
            body.append(f" if {n} is _MISSING: {n} = _f_{n}()")
        else:
            glb[f"_d_{n}"] = d
            params.append(f"{n}=_d_{n}")
        body.append(f" _set(self, {n!r}, {n})" if frozen else f" self.{n} = {n}")
    if hasattr(cls, "__post_init__"):
        body.append(" self.__post_init__()")
    src = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or [" pass"])
    exec(src, glb)  # noqa: S102 - the source is made above from the class's own field names
    init = glb["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    values = attrgetter(*names) if names else (lambda self: ())
    if len(names) == 1:
        one = values
        values = lambda self: (one(self),)  # noqa: E731

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    def __repr__(self: Any) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"

    cls.__init__ = init  # type: ignore[misc]
    cls.__eq__ = __eq__  # type: ignore[method-assign,assignment]
    cls.__repr__ = __repr__  # type: ignore[method-assign,assignment]
    cls.__plain_fields__ = tuple(names)  # type: ignore[attr-defined]
    # for schemas/mirror.py's dataclass twin (pydantic knows dataclasses; only scalar defaults here)
    cls.__plain_defaults__ = {n: d for n, d in defaults.items() if not isinstance(d, _Factory)}  # type: ignore[attr-defined]
    cls.__plain_frozen__ = frozen  # type: ignore[attr-defined]
    cls.__plain_slots__ = "__slots__" in cls.__dict__  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(names)  # type: ignore[attr-defined]
    if frozen:

        def __hash__(self: Any) -> int:
            return hash(values(self))

        def __setattr__(self: Any, name: str, value: Any) -> None:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")

        def __delattr__(self: Any, name: str) -> None:
            raise FrozenInstanceError(f"cannot delete field {name!r}")

        def __reduce__(self: Any) -> tuple:
            return type(self), values(self)

        cls.__hash__ = __hash__  # type: ignore[method-assign,assignment]
        cls.__setattr__ = __setattr__  # type: ignore[method-assign,assignment]
        cls.__delattr__ = __delattr__  # type: ignore[method-assign,assignment]
        cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    else:
        cls.__hash__ = None  # type: ignore[assignment]
