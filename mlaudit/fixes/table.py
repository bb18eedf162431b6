"""What each fix is, as plain data: the one table of fix metadata (no libcst).

``mlaudit rules``, ``mlaudit rule CODE``, SARIF and JSON reports show whether a rule's findings can be
fixed and how safely; they read this table, so they import no codemod (nor libcst). The codemod itself
(``propose``) lives in the module named by the row and is imported only when fixing
(``mlaudit.fixes.registry.fix_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Availability = Literal["Always", "Sometimes"]
Applicability = Literal["safe", "unsafe"]
SAFE: Applicability = "safe"
UNSAFE: Applicability = "unsafe"


@dataclass(frozen=True)
class FixInfo:
    """A rule code's fix, without its code: what ``mlaudit rules`` and the reports say about it."""

    code: str
    module: str
    """The module of ``mlaudit.fixes`` that defines ``propose(source, target)``."""
    availability: Availability
    """``Always``: every finding of the rule can be fixed; ``Sometimes``: only some (ruff's vocabulary)."""
    applicability: Applicability
    """``safe``: never changes what the code does; ``unsafe``: may (applied only with ``--unsafe-fixes``)."""
    title: str
    """What the fix does, one line (``mlaudit rules``, ``--show-fixes``)."""
    notebooks: bool = True
    """Whether the fix may edit notebook cells."""


FIXES: dict[str, FixInfo] = {
    info.code: info
    for info in (
        FixInfo(
            "MLA002",
            "unused_suppression",
            "Always",
            SAFE,
            "Remove the unused suppression (or only the rules in it that suppressed nothing)",
        ),
        FixInfo(
            "MLA003",
            "invalid_suppression",
            "Sometimes",
            SAFE,
            "Correct a misspelt rule name in a directive (when exactly one rule name is close)",
        ),
        FixInfo(
            "MLA101",
            "global_statement",
            "Sometimes",
            SAFE,
            "Remove a `global` statement whose names the function never assigns",
        ),
        FixInfo(
            "MLA103",
            "import_time_side_effect",
            "Sometimes",
            UNSAFE,
            'Move the module-level work into `def main()` called under `if __name__ == "__main__":`',
            notebooks=False,
        ),
        FixInfo(
            "MLA202",
            "nondeterministic_transform",
            "Sometimes",
            UNSAFE,
            "Add a `now` (or `rng`) parameter; the callers pass the current call instead",
        ),
        FixInfo(
            "MLA203",
            "transform_mutates_input",
            "Sometimes",
            UNSAFE,
            "Insert `df = df.copy()` (`.clone()` for a tensor) before the first in-place change",
        ),
        FixInfo(
            "MLA701",
            "inconsistent_datetime_parsing",
            "Sometimes",
            UNSAFE,
            "Make the minority `to_datetime` sites agree with the majority's `utc` choice (project-wide)",
        ),
        FixInfo(
            "MLA704",
            "unseeded_randomness",
            "Sometimes",
            UNSAFE,
            "Pass `random_state=` from the nearest configured seed (else a literal seed with a comment)",
        ),
    )
}
"""Rule code -> its fix. Adding a fix: a module of ``mlaudit.fixes`` defining ``propose`` and a row here."""


def fix_info(code: str) -> FixInfo | None:
    return FIXES.get(code)


def availability(code: str, default: str = "None") -> str:
    """``Always``, ``Sometimes`` or ``None`` (ruff's vocabulary); ``default`` for a code with no fix here
    (a rule pack's own declaration)."""
    info = FIXES.get(code)
    return info.availability if info is not None else default


def applicability(code: str) -> str | None:
    """``safe``, ``unsafe``, or None when the rule has no fix."""
    info = FIXES.get(code)
    return info.applicability if info is not None else None
