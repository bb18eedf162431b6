"""Automatic fixes for ``mlaudit check --fix``: one module per rule code, found by the registry.

Each module defines ``FIX = FixSpec(...)`` (``mlaudit.fixes.base``): the rule code, whether every
finding or only some can be fixed (``Always``/``Sometimes``), whether the fix is ``safe`` or
``unsafe``, and the function proposing the edits. ``mlaudit.autofix`` applies them; rule modules know
nothing of fixes, and rule metadata (``mlaudit rules``, reports) reads availability from here.
"""

from mlaudit.fixes.registry import applicability, availability, fix_for, registered

__all__ = ["applicability", "availability", "fix_for", "registered"]
