"""MLA402 layer-violation: a module imports a module of a higher layer (or an independent sibling).

Without configuration the contract is the ML layering by module role, low to high: config < data <
features < model < train < serve (roles come from paths: ``data.py``, ``features/``, ``train.py``...;
tests and experiments have no layer). A ``layers`` list in ``[tool.mlaudit]`` replaces it: module
globs, high to low, import-linter style (``"a | b"`` independent siblings, ``"a : b"`` one shared
layer), optionally relative to ``containers``; ``ignore-imports = ["a.x -> a.y"]`` exempts known
imports. ``TYPE_CHECKING`` imports never count; imports inside functions do (a layer contract is about
dependencies, not import time). One finding per offending import statement.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlaudit.config.schema import Settings
from mlaudit.engine.rule import ProjectRule, RawFinding
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex
from mlaudit.project.layers import (
    NON_LAYERED_ROLES,
    allowed_by_default,
    IgnoredImport,
    LayerContract,
    LayerViolation,
    default_ml_contract,
    find_layer_violations,
)
from mlaudit.rules.architecture._graph import import_graphs


def contract_from(settings: Settings) -> tuple[LayerContract, list[IgnoredImport]]:
    """The configured contract (or the default ML one) and the ignored imports. Raises ``ValueError``
    with a message naming the bad entry."""
    ignored = [IgnoredImport.parse(entry) for entry in settings.ignore_imports]
    if settings.layers is None:
        return default_ml_contract(), ignored
    contract = LayerContract.from_strings(
        settings.layers, containers=settings.containers, exclude_roles=sorted(NON_LAYERED_ROLES)
    )
    return contract, ignored


def describe(violation: LayerViolation) -> str:
    if violation.kind == "sibling":
        return (
            f"`{violation.importer}` imports `{violation.imported}`, but layers `{violation.importer_layer}` and "
            f"`{violation.imported_layer}` are independent: move what both need into a lower layer"
        )
    return (
        f"`{violation.importer}` (layer `{violation.importer_layer}`) imports `{violation.imported}` from the "
        f"higher layer `{violation.imported_layer}`: depend only downward; move the shared code into a lower "
        "layer or pass it in"
    )


class LayerViolationRule(ProjectRule):
    code = "MLA402"
    name = "layer-violation"
    category = "architecture"
    severity = Severity.WARNING
    message = "Import from a higher layer: depend only downward; move the shared code into a lower layer"
    requires_facts = frozenset({"imports"})

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        try:
            contract, ignored = contract_from(index.settings)
        except ValueError as exc:
            raise ValueError(f"invalid layer contract in [tool.mlaudit]: {exc}") from None
        violations = [v for graph in import_graphs(index) for v in find_layer_violations(graph, contract)]
        default = index.settings.layers is None
        for violation in violations:
            if default and allowed_by_default(violation):
                continue
            if any(rule.matches(violation.importer, violation.imported) for rule in ignored):
                continue
            edge = violation.edge
            yield self.finding(
                edge.path,
                edge.span,
                describe(violation),
                snippet=f"{violation.importer} -> {violation.imported} {edge.snippet}",
            )
