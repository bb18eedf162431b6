"""MLA603 unmaintainable-module: a module (or notebook) whose radon maintainability index is below a
threshold."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field
from radon.metrics import mi_rank

from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, ProjectRule, RawFinding, RuleOptions
from mlaudit.facts.model import Span
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex


class UnmaintainableModuleOptions(RuleOptions):
    min_index: float = Field(default=20.0, ge=0, le=100)
    """Lowest maintainability index allowed (0-100; radon ranks above 19 as A)."""


class UnmaintainableModule(ProjectRule[UnmaintainableModuleOptions]):
    code = "MLA603"
    name = "unmaintainable-module"
    category = "complexity"
    severity = Severity.WARNING
    message = (
        "Module hard to maintain (low maintainability index): split it and simplify its largest functions"
    )
    applies_to = frozenset({PRODUCTION, EXPERIMENT})
    requires_facts = frozenset({"maintainability"})
    # Off by default (issue 11): on the real-world corpus a hand review judged about a fifth of these findings
    # worth acting on (library internals and configurable model code dominate); opt in with `--select MLA6`
    # or `extend-select = ["MLA6"]`.
    default_enabled = False

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        limit = self.options.min_index
        for facts in index:
            score = facts.maintainability
            if score is None or score >= limit:
                continue
            kind = "Notebook" if facts.is_notebook else "Module"
            yield self.finding(
                facts.path,
                Span(1, 1, 1, 1),
                f"{kind} has maintainability index {score:.1f} (radon rank {mi_rank(score)}, limit {limit:g}): "
                "split it into cohesive modules and simplify its largest functions",
                snippet=f"module {facts.module}",
            )
