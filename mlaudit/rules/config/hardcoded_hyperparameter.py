"""MLA301 hardcoded-hyperparameter: a literal hyperparameter in production code outside configuration."""

from __future__ import annotations

from collections.abc import Iterable

from mlaudit.engine.rule import ProjectRule, RawFinding
from mlaudit.facts.hyperparams import is_degenerate
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex

# Contexts that hardcode a value where it is used. Parameter defaults and config-model fields are
# configuration already; the facts mark them exempt anyway.
_HARDCODED = frozenset({"keyword", "layer", "constant", "dict"})


class HardcodedHyperparameter(ProjectRule):
    code = "MLA301"
    name = "hardcoded-hyperparameter"
    category = "config"
    severity = Severity.WARNING
    message = "Hardcoded hyperparameter: read it from configuration (a config module or config model)"
    requires_facts = frozenset({"hyperparams"})

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        for facts in index:
            if not ProjectIndex.is_production(facts):
                continue
            for hp in facts.hyperparams:
                if hp.exempt or hp.context not in _HARDCODED or is_degenerate(hp.value):
                    continue
                if hp.context == "constant":
                    what = f"module constant for hyperparameter `{hp.name}`"
                else:
                    what = f"hyperparameter `{hp.name}`"
                yield self.finding(
                    facts.path,
                    hp.span,
                    f"{what} is hardcoded as {hp.value}: move it to configuration (a config module or "
                    "config model) and pass it in",
                    snippet=hp.snippet,
                )
