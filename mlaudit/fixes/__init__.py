"""Automatic fixes for ``mlaudit check --fix``: one module per rule code, found by the registry.

Each module defines ``FIX = FixSpec(...)`` (``mlaudit.fixes.base``): the rule code, whether every
finding or only some can be fixed (``Always``/``Sometimes``), whether the fix is ``safe`` or
``unsafe``, and the function proposing the edits. ``mlaudit.autofix`` applies them; rule modules know
nothing of fixes, and rule metadata (``mlaudit rules``, reports) reads availability from here.

Adding a fix (for a new rule such as MLA704 or MLA701) is one module here, named after the rule, with
``FIX = FixSpec(code=..., availability=..., applicability=..., title=..., propose=...)``; ``propose``
receives the file (``base.FixSource``: text, lazily parsed libcst tree and positions, the other findings
of the pass, a read-only view of the project) and one finding (``base.Target``), and returns a
``base.Proposal`` (usually ``source.rewrite_tree(new_tree, message)``) or None where the fix would not
be sound. Then a ``## Fix`` section in the rule's catalogue README and tests in ``tests/test_fix.py``.
"""

from mlaudit.fixes.registry import applicability, availability, fix_for, registered

__all__ = ["applicability", "availability", "fix_for", "registered"]
