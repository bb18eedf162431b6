"""How the CLI's parameters are coerced without typer's pydantic adapters when they need none.

typer >= 0.22 coerces every parameter through a pydantic ``TypeAdapter`` built on first use; building
the first one imports ``typer._adapters`` (pydantic's types and plugin loader, ``importlib.metadata``):
~0.05 s of a warm ``mlaudit check`` that takes a few tenths. The values a run actually carries are
plain: the paths (``str`` for a ``Path`` / ``list[Path]``), ``--jobs`` (a decimal ``str``), an enum's
default member or one of its values, a ``str`` or a ``bool`` already of the right type. Those are
coerced here with typer's own pydantic-free helpers (``coerce_cli_path``, ``coerce_cli_choice``), so
the result and the checks a path gets (readable, ...) are typer's; anything else (a bad value, a
constrained path, a ranged number, a custom parser, a file) goes through typer's adapter, built then,
so its errors are typer's word for word.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

try:  # typer's pydantic-free coercion helpers (typer >= 0.22); without them everything takes the adapter
    from typer._param_types import coerce_cli_choice, coerce_cli_path

    AVAILABLE = True
except ImportError:  # pragma: no cover - another typer
    AVAILABLE = False

UNHANDLED: Any = object()
"""``native`` could not coerce the value: typer's adapter must."""

_DECIMAL = re.compile(r"[+-]?[0-9]+")


class DeferredCoercion:
    """Stands in for typer's runtime coercion of one parameter (``_TyperParameter._runtime_param``).

    An unset value (None) coerces to None, or to ``()`` for a repeatable one, as typer's own ``coerce``
    does before it looks at the value; a plain value is coerced by ``native``; any other goes through
    typer's adapter (``build()``), built on first need."""

    __slots__ = ("build", "descriptor", "real")

    def __init__(self, descriptor: Any, build: Any) -> None:
        self.descriptor = descriptor
        self.build = build
        self.real: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multiple = param.multiple or param.nargs == -1
        if value is None:
            return () if multiple else None
        if not (multiple and isinstance(value, str)):  # typer refuses that one: its message
            coerced = native(self.descriptor, value, param, ctx)
            if coerced is not UNHANDLED:
                return coerced
        if self.real is None:
            self.real = self.build()
        return self.real.coerce(value, param=param, ctx=ctx)


def native(descriptor: Any, value: Any, param: Any, ctx: Any) -> Any:
    """``value`` coerced to the parameter's type as typer's adapter would, or ``UNHANDLED``."""
    info = descriptor.parameter_info
    if not AVAILABLE or descriptor.file_annotation is not None or info.parser is not None:
        return UNHANDLED
    annotation = descriptor.annotation
    origin = get_origin(annotation)
    if origin is list:
        args = get_args(annotation)
        if len(args) != 1:
            return UNHANDLED
        items = value if isinstance(value, (list, tuple)) else [value]
        out = [_leaf(args[0], info, item, param, ctx) for item in items]
        return UNHANDLED if any(item is UNHANDLED for item in out) else out
    return UNHANDLED if origin is not None else _leaf(annotation, info, value, param, ctx)


def _leaf(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    if not isinstance(annotation, type):
        return UNHANDLED
    if issubclass(annotation, Enum):
        return _choice(annotation, info, value, ctx)
    if annotation is bool or annotation is str:
        return value if type(value) is annotation else UNHANDLED
    if annotation is int:
        return _integer(info, value)
    if issubclass(annotation, Path):
        return _path(annotation, info, value, param, ctx)
    return UNHANDLED


def _choice(annotation: type[Enum], info: Any, value: Any, ctx: Any) -> Any:
    """An enum member, or the member a string names (typer's matching: case, ``token_normalize_func``)."""
    if isinstance(value, annotation):
        return value
    if not isinstance(value, str):
        return UNHANDLED
    try:
        return coerce_cli_choice(value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
    except ValueError:  # not one of them: the adapter words the error
        return UNHANDLED


def _integer(info: Any, value: Any) -> Any:
    """An ``int``, or a plain decimal string (what pydantic's lax mode reads the same way)."""
    if info.min is not None or info.max is not None or info.clamp:
        return UNHANDLED
    if type(value) is int:
        return value
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return int(value)
    return UNHANDLED


def _path(annotation: type[Path], info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """A path without constraints (existence, resolution, file or folder only, ``-``, another type):
    typer's own checks (``coerce_cli_path``) of the ``Path`` pydantic would have made of the string."""
    constrained = (
        info.exists
        or info.resolve_path
        or info.allow_dash
        or info.writable
        or not info.file_okay
        or not info.dir_okay
        or info.path_type is not None
    )
    if constrained:
        return UNHANDLED
    if isinstance(value, str):
        value = annotation(value)
    elif not isinstance(value, annotation):
        return UNHANDLED
    return coerce_cli_path(value, info, path_type=annotation, param=param, ctx=ctx)
