"""Pydantic mirrors of the records (schemas/record.py), built on first use.

A record's mirror is a pydantic model of the same name, module, docstring and fields (types with
records replaced by their mirrors, defaults, descriptions, ``SkipJsonSchema`` for fields set by the
engine, a record's ``__checks__`` as field validators): the JSON output, the JSON schema given to
the model and the validation of the model's answers are what they were when the stage objects were
pydantic models. Only the boundaries import this module: ``--format json`` and other serialisation,
the LLM extractor (instructor's ``response_model``), caches, profiles from users' files, tests.
"""

from __future__ import annotations

import functools
import operator
import threading
import types
import typing
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, create_model, field_validator
from pydantic.json_schema import SkipJsonSchema

from schemas.record import MISSING, Record

_MIRRORS: dict[type, type[BaseModel]] = {}
_RECORDS: dict[type, type[Record]] = {}
_LOCK = threading.RLock()  # one mirror per record, whatever thread asks first (the batch's LLM threads)


def mirror(cls: type[Record]) -> type[BaseModel]:
    """The pydantic model mirroring a record class."""
    model = _MIRRORS.get(cls)
    if model is None:
        with _LOCK:
            model = _MIRRORS.get(cls)
            if model is None:
                model = _build(cls)
                _RECORDS[model] = cls
                _MIRRORS[cls] = model
    return model


def _build(cls: type[Record]) -> type[BaseModel]:
    base = cls.__bases__[0]
    parent = mirror(base) if base is not Record else BaseModel
    hints = typing.get_type_hints(cls)
    inherited = getattr(base, "model_fields", {})
    fields: dict[str, Any] = {}
    for name, spec in cls.model_fields.items():
        if name in inherited:
            continue
        tp = _mirrored(hints[name])
        if not spec.in_schema:
            tp = SkipJsonSchema[tp]
        kw = {"description": spec.description} if spec.description is not None else {}
        if spec.default is not MISSING:
            info = Field(spec.default, **kw)
        elif spec.default_factory is not None:
            info = Field(default_factory=_mirrored(spec.default_factory), **kw)
        else:
            info = Field(**kw)
        fields[name] = (tp, info)
    validators = {f"_check_{name}": _validator(name, check) for name, check in cls.__dict__.get("__checks__", {}).items()}
    return create_model(cls.__name__, __base__=parent, __doc__=cls.__doc__, __module__=cls.__module__,
                        __validators__=validators, **fields)


def _mirrored(tp: Any) -> Any:
    """A type with every record class in it replaced by its mirror (and every ``@plain`` class by
    its dataclass twin)."""
    if isinstance(tp, type) and issubclass(tp, Record):
        return mirror(tp)
    if isinstance(tp, type) and hasattr(tp, "__plain_fields__"):
        return twin(tp)
    origin = typing.get_origin(tp)
    if origin is None:
        return tp
    args = tuple(_mirrored(a) for a in typing.get_args(tp))
    if origin in (types.UnionType, typing.Union):
        return functools.reduce(operator.or_, args)
    return origin[args]


def twin(cls: type) -> type:
    """The stdlib dataclass of a ``@plain`` class (schemas/plain.py): same name, module, docstring,
    fields and defaults, so pydantic validates, dumps and describes it as it did the dataclass."""
    model = _MIRRORS.get(cls)
    if model is None:
        with _LOCK:
            model = _MIRRORS.get(cls)
            if model is None:
                import dataclasses

                hints = typing.get_type_hints(cls)
                specs = []
                for name in cls.__plain_fields__:
                    default = cls.__plain_defaults__.get(name, dataclasses.MISSING)
                    specs.append((name, _mirrored(hints[name]), dataclasses.field(default=default)))
                model = dataclasses.make_dataclass(
                    cls.__name__, specs, frozen=cls.__plain_frozen__, slots=cls.__plain_slots__,
                    namespace={"__doc__": cls.__doc__, "__module__": cls.__module__, "__qualname__": cls.__qualname__})
                _RECORDS[model] = cls
                _MIRRORS[cls] = model
    return model


def _validator(name: str, check: Any) -> Any:
    """A record's check ``(value, context) -> problem or None`` as a field validator."""

    def run(cls: type, value: Any, info: ValidationInfo) -> Any:
        problem = check(value, info.context if isinstance(info.context, dict) else {})
        if problem:
            raise ValueError(problem)
        return value

    return field_validator(name)(classmethod(run))


# --- records <-> mirrors -----------------------------------------------------------------------------
def data(value: Any) -> Any:
    """Records as plain dicts (recursively), ready for a mirror's validation."""
    if isinstance(value, Record):
        return {n: data(getattr(value, n)) for n in value.model_fields}
    if hasattr(type(value), "__plain_fields__"):
        return {n: data(getattr(value, n)) for n in type(value).__plain_fields__}
    if isinstance(value, list):
        return [data(v) for v in value]
    if isinstance(value, dict):
        return {k: data(v) for k, v in value.items()}
    return value


def to_record(value: Any) -> Any:
    """Mirror instances as records (recursively)."""
    if isinstance(value, BaseModel):
        cls = _RECORDS.get(type(value))
        if cls is None:
            return value
        return cls(**{n: to_record(getattr(value, n)) for n in cls.model_fields})
    cls = _RECORDS.get(type(value))
    if cls is not None and hasattr(cls, "__plain_fields__"):  # a twin dataclass instance
        return cls(**{n: to_record(getattr(value, n)) for n in cls.__plain_fields__})
    if isinstance(value, list):
        return [to_record(v) for v in value]
    if isinstance(value, dict):
        return {k: to_record(v) for k, v in value.items()}
    return value


def to_mirror(record: Record) -> BaseModel:
    return mirror(type(record)).model_validate(data(record))


def validate(cls: type[Record], value: Any, **kw: Any) -> Any:
    """Validate data (dicts, records, mirror instances) as ``cls``: a record, or pydantic's ValidationError."""
    return to_record(mirror(cls).model_validate(data(value), **kw))
