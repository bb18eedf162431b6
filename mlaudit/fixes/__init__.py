"""Automatic fixes for ``mlaudit check --fix``: one module per rule code, listed in ``table``.

Each fix is one row of ``mlaudit.fixes.table.FIXES`` (``FixInfo``: the rule code, its module, whether
every finding or only some can be fixed (``Always``/``Sometimes``), whether the fix is ``safe`` or
``unsafe``, a title) and one module here defining ``propose``. The table is plain data: rule metadata
(``mlaudit rules``, reports) reads it without importing any codemod or libcst; ``mlaudit.fixes.registry``
imports a fix's module only when fixing. ``mlaudit.autofix`` applies them; rule modules know nothing
of fixes.

Adding a fix (for a new rule such as MLA704 or MLA701) is one module here, named after the rule,
defining ``propose(source, target)``, and a row in ``table.FIXES``. ``propose`` receives the file
(``base.FixSource``: text, lazily parsed libcst tree and positions, the other findings of the pass, a
read-only view of the project) and one finding (``base.Target``), and returns a ``base.Proposal``
(usually ``source.rewrite_tree(new_tree, message)``) or None where the fix would not be sound. Then a
``## Fix`` section in the rule's catalogue README and tests in ``tests/test_fix.py``.
"""

from mlaudit.fixes.registry import fix_for, registered
from mlaudit.fixes.table import applicability, availability, fix_info

__all__ = ["applicability", "availability", "fix_for", "fix_info", "registered"]
