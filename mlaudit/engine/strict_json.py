"""Decode parsed JSON into (nested) dataclasses without building a pydantic schema, strictly.

A warm run reads the cache's pack (``engine.cache``): building pydantic's ``TypeAdapter`` for its
dataclasses took ~15 ms, more than decoding the pack itself. ``decoder(cls)`` compiles, once per
type, a plain decoder for the shapes the cache writes (dataclasses, ``str``/``int``/``bool``,
``list``/``tuple``/``set``/``frozenset``/``dict[str, ...]``, ``X | None``, ``Any``) and accepts only
exactly what pydantic itself dumped: the JSON type each field declares, every required field, no
unknown key. Whatever it accepts, pydantic's lax validation accepts too and turns into the same
objects; anything else (another shape, a type it does not know) raises ``Unsupported``, and the
caller validates with pydantic as before, so a value pydantic would coerce or refuse gets pydantic's
answer.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any


def parse(data: bytes) -> Any:
    """The JSON ``data`` parsed by pydantic's own parser (what ``validate_json`` reads; twice as fast
    as ``json.loads`` on a pack's long strings), or ``json.loads`` for a pydantic-core without it."""
    try:
        from pydantic_core import from_json
    except ImportError:  # pragma: no cover - pydantic-core < 2.14
        return json.loads(data)
    return from_json(data)


class Unsupported(Exception):
    """The data (or the type) is not one this decoder reads exactly like pydantic: use pydantic."""


Decode = Callable[[Any], Any]


@cache
def decoder(tp: Any) -> Decode:
    """The strict decoder of ``tp``; raises ``Unsupported`` (now, or when decoding) when it cannot."""
    return _build(tp, {})


def _build(tp: Any, building: dict[Any, Decode]) -> Decode:
    if tp is Any:
        return _identity
    if tp in (str, int, bool):
        return _scalar(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass(tp, building)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        kept = [a for a in args if a is not type(None)]
        if len(kept) != 1 or len(args) != 2:
            raise Unsupported(f"union {tp!r}")
        return _optional(_build(kept[0], building))
    if origin in (list, set, frozenset) and len(args) == 1:
        return _sequence(origin, _build(args[0], building))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(tuple, _build(args[0], building))
    if origin is dict and len(args) == 2 and args[0] is str:
        return _mapping(_build(args[1], building))
    raise Unsupported(f"type {tp!r}")


def _identity(value: Any) -> Any:
    return value


def _scalar(tp: type) -> Decode:
    def decode(value: Any) -> Any:
        if type(value) is not tp:  # bool is not an int here, nor an int a bool: pydantic's business
            raise Unsupported(f"{type(value).__name__} for {tp.__name__}")
        return value

    return decode


def _optional(inner: Decode) -> Decode:
    def decode(value: Any) -> Any:
        return None if value is None else inner(value)

    return decode


def _sequence(kind: type, item: Decode) -> Decode:
    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise Unsupported(f"{type(value).__name__} for a {kind.__name__}")
        return kind(item(v) for v in value) if kind is not list else [item(v) for v in value]

    return decode


def _mapping(item: Decode) -> Decode:
    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise Unsupported(f"{type(value).__name__} for a dict")
        return {k: item(v) for k, v in value.items()}

    return decode


def _dataclass(cls: type, building: dict[Any, Decode]) -> Decode:
    if cls in building:  # a recursive type: decode through the one being built
        return lambda value: building[cls](value)
    if hasattr(cls, "__post_init__") or hasattr(cls, "__pydantic_validator__"):
        raise Unsupported(f"{cls.__qualname__} validates itself")
    try:
        hints = typing.get_type_hints(cls)
    except Exception as exc:  # a name only type checkers see: pydantic resolves it, or refuses
        raise Unsupported(f"hints of {cls.__qualname__}: {exc}") from None
    building[cls] = _identity  # placeholder while the fields are built
    fields = [f for f in dataclasses.fields(cls) if f.init]
    if any(f.kw_only for f in fields):
        raise Unsupported(f"{cls.__qualname__} has keyword-only fields")
    decoders = {f.name: _build(hints[f.name], building) for f in fields}
    required = frozenset(
        f.name for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )

    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise Unsupported(f"{type(value).__name__} for {cls.__qualname__}")
        if not required <= value.keys() or not value.keys() <= decoders.keys():
            raise Unsupported(f"the fields of {cls.__qualname__}")
        return cls(**{name: decoders[name](v) for name, v in value.items()})

    building[cls] = decode
    return decode
