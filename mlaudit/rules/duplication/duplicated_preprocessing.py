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
from mlaudit.rules.duplication._groups import clone_clusters, fingerprint, places, related_sites


class DuplicatedPreprocessingOptions(RuleOptions):
    min_statements: int = Field(default=DEFAULT_MIN_STATEMENTS, ge=2)
    """Smallest duplicated block reported, in statements (a compound statement's header counts as one)."""


class DuplicatedPreprocessing(ProjectRule[DuplicatedPreprocessingOptions]):
    code = "MLA501"
    name = "duplicated-preprocessing"
    category = "duplication"
    severity = Severity.WARNING
    # Opt-in: independent reviews of real ML repositories found it right on 6 of 12 after the fixes (7 of 15 before): script boilerplate repeated on purpose;
    # below the 90% bar of the default selection (rules.md, "Precision bar"). See after.md.
    default_enabled = False
    message = "Data preprocessing duplicated across files or notebooks: move it into one shared function"
    applies_to = frozenset({PRODUCTION, EXPERIMENT})
    requires_facts = frozenset({"clones", "imports"})  # imports: which programs are linked

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        for cluster in clone_clusters(index, self.options.min_statements):
            first = cluster.groups[0]
            primary, others = first.copies[0], first.copies[1:]
            copies = len(first.copies)
            related = [
                *related_sites(primary, f"copy 1 of {copies}")[1:],
                *(
                    site
                    for n, copy in enumerate(others, start=2)
                    for site in related_sites(copy, f"copy {n} of {copies} ({copy.length} statements)")
                ),
            ]
            more = ""
            if len(cluster.groups) > 1:
                extra = cluster.groups[1:]
                lengths = sum(g.primary.length for g in extra)
                more = (
                    f", and {len(extra)} more duplicated block{'s' if len(extra) > 1 else ''} "
                    f"({lengths} statements) shared by the same files"
                )
                for k, group in enumerate(extra, start=2):
                    for n, copy in enumerate(group.copies, start=1):
                        label = f"block {k}, copy {n} of {len(group.copies)} ({copy.length} statements)"
                        related += related_sites(copy, label)
            yield self.finding(
                primary.path,
                primary.span,
                f"{primary.length} statements of data preprocessing are duplicated in {copies} places "
                f"({places(first.copies)}){more}: move them into one shared, tested function",
                snippet=fingerprint(index.files, primary),
                related=related,
            )
