"""MLA501 duplicated-preprocessing: the same data-transformation block in two or more places.

Copies are type-2 clones (equal up to identifier names and literal values) of at least
``min-statements`` statements, found across ``.py`` files and notebook cells by the clone index
(``mlaudit.project.clones``: hashing, linear in the code). One finding per group, at its first copy in
(path, line) order, every other copy in ``related``. Test files are left out.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, ProjectRule, RawFinding, RuleOptions
from mlaudit.model import Severity
from mlaudit.project.clones import DEFAULT_MIN_STATEMENTS
from mlaudit.project.index import ProjectIndex
from mlaudit.rules.duplication._groups import clone_groups, fingerprint, places, related_sites


class DuplicatedPreprocessingOptions(RuleOptions):
    min_statements: int = Field(DEFAULT_MIN_STATEMENTS, alias="min-statements", ge=2)
    """Smallest duplicated block reported, in statements (a compound statement's header counts as one)."""


class DuplicatedPreprocessing(ProjectRule):
    code = "MLA501"
    name = "duplicated-preprocessing"
    category = "duplication"
    severity = Severity.WARNING
    message = "Data preprocessing duplicated across files or notebooks: move it into one shared function"
    applies_to = frozenset({PRODUCTION, EXPERIMENT})
    Options = DuplicatedPreprocessingOptions
    requires_facts = frozenset({"clones"})

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        assert isinstance(self.options, DuplicatedPreprocessingOptions)
        for group in clone_groups(index, self.options.min_statements):
            primary, others = group.copies[0], group.copies[1:]
            copies = len(group.copies)
            yield self.finding(
                primary.path,
                primary.span,
                f"{group.statements} statements of data preprocessing are duplicated in {copies} places "
                f"({places(group.copies)}): move them into one shared, tested function",
                snippet=fingerprint(index.files, primary),
                related=[
                    *related_sites(primary, f"copy 1 of {copies}")[1:],
                    *(
                        site
                        for n, copy in enumerate(others, start=2)
                        for site in related_sites(copy, f"copy {n} of {copies} ({copy.length} statements)")
                    ),
                ],
            )
