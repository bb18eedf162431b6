"""MLA601 complex-function: a function, method or notebook cell whose cyclomatic complexity (radon)
exceeds a threshold."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field
from radon.complexity import cc_rank

from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, ProjectRule, RawFinding, RuleOptions
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex
from mlaudit.rules.complexity._common import describe


class ComplexFunctionOptions(RuleOptions):
    max_complexity: int = Field(default=10, ge=1)
    """Highest cyclomatic complexity allowed (10 = radon rank B; 11 and above is rank C or worse)."""


class ComplexFunction(ProjectRule[ComplexFunctionOptions]):
    code = "MLA601"
    name = "complex-function"
    category = "complexity"
    severity = Severity.WARNING
    message = "Function too complex (cyclomatic complexity above the limit): split it into smaller functions"
    applies_to = frozenset({PRODUCTION, EXPERIMENT})
    requires_facts = frozenset({"complexity"})
    # Off by default (issue 11): on the real-world corpus a hand review judged about a fifth of these findings
    # worth acting on (library internals and configurable model code dominate); opt in with `--select MLA6`
    # or `extend-select = ["MLA6"]`.
    default_enabled = False

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        limit = self.options.max_complexity
        for facts in index:
            for fact in facts.complexity:
                if fact.complexity <= limit:
                    continue
                advice = (
                    "move its logic into functions"
                    if fact.kind == "cell"
                    else "split it into smaller functions"
                )
                yield self.finding(
                    facts.path,
                    fact.span,
                    f"{describe(fact)} has cyclomatic complexity {fact.complexity} (radon rank "
                    f"{cc_rank(fact.complexity)}, limit {limit}): {advice}",
                    snippet=f"{fact.kind} {fact.name}",
                )
