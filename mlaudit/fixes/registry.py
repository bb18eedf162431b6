"""The fix registry: every ``FIX`` of the modules of ``mlaudit.fixes``, keyed by rule code."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from mlaudit.fixes.base import FixSpec

_NOT_FIXES = frozenset({"base", "registry"})


@cache
def registered() -> dict[str, FixSpec]:
    """Rule code -> its fix. Adding a fix is adding one module that defines ``FIX``."""
    import mlaudit.fixes as package

    out: dict[str, FixSpec] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name in _NOT_FIXES or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        spec = getattr(module, "FIX", None)
        if not isinstance(spec, FixSpec):
            continue
        if spec.code in out:
            raise RuntimeError(f"two fixes for {spec.code}: {out[spec.code].title!r} and {spec.title!r}")
        out[spec.code] = spec
    return out


def fix_for(code: str) -> FixSpec | None:
    return registered().get(code)


def availability(code: str, default: str = "None") -> str:
    """``Always``, ``Sometimes`` or ``None`` (ruff's vocabulary); ``default`` for a code with no fix here
    (a rule pack's own declaration)."""
    spec = fix_for(code)
    return spec.availability if spec is not None else default


def applicability(code: str) -> str | None:
    """``safe``, ``unsafe``, or None when the rule has no fix."""
    spec = fix_for(code)
    return spec.applicability if spec is not None else None
