"""MLA602 long-function: a function, method or notebook cell longer than a threshold, in logical lines
(statements, as radon's LLOC counts them)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, ProjectRule, RawFinding, RuleOptions
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex
from mlaudit.rules.complexity._common import describe


class LongFunctionOptions(RuleOptions):
    max_lines: int = Field(default=80, ge=1)
    """Most logical lines allowed in a function or notebook cell."""


class LongFunction(ProjectRule[LongFunctionOptions]):
    code = "MLA602"
    name = "long-function"
    category = "complexity"
    severity = Severity.WARNING
    message = "Function or notebook cell too long: split it into smaller, named steps"
    applies_to = frozenset({PRODUCTION, EXPERIMENT})
    requires_facts = frozenset({"complexity"})
    # Off by default (issue 11): on the real-world corpus a hand review judged about a fifth of these findings
    # worth acting on (library internals and configurable model code dominate); opt in with `--select MLA6`
    # or `extend-select = ["MLA6"]`.
    default_enabled = False

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        limit = self.options.max_lines
        for facts in index:
            for fact in facts.complexity:
                if fact.length <= limit:
                    continue
                yield self.finding(
                    facts.path,
                    fact.span,
                    f"{describe(fact)} is {fact.length} logical lines long (limit {limit}): "
                    "split it into smaller, named steps",
                    snippet=f"{fact.kind} {fact.name}",
                )
