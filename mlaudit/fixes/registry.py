"""The fix registry: each row of ``mlaudit.fixes.table`` with the ``propose`` function of its module,
keyed by rule code. A fix's module (and libcst) is imported only when that fix is asked for."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

from mlaudit.fixes.table import FIXES, FixInfo, applicability, availability

if TYPE_CHECKING:
    from mlaudit.fixes.base import FixSpec

__all__ = ["applicability", "availability", "fix_for", "registered"]


@cache
def _spec(info: FixInfo) -> FixSpec:
    from mlaudit.fixes.base import FixSpec

    module = importlib.import_module(f"mlaudit.fixes.{info.module}")
    propose = getattr(module, "propose", None)
    if not callable(propose):
        raise RuntimeError(f"mlaudit.fixes.{info.module} (the fix of {info.code}) defines no `propose`")
    return FixSpec(
        code=info.code,
        availability=info.availability,
        applicability=info.applicability,
        title=info.title,
        propose=propose,
        notebooks=info.notebooks,
    )


def registered() -> dict[str, FixSpec]:
    """Rule code -> its fix (every fix module imported)."""
    return {code: _spec(info) for code, info in FIXES.items()}


def fix_for(code: str) -> FixSpec | None:
    """The fix of ``code`` (its module imported now), or None."""
    info = FIXES.get(code)
    return _spec(info) if info is not None else None
