"""MLA403 experiment-import: production code imports a module from notebooks/, experiments/,
scratch/, sandbox/ (role ``experiment``) or scripts/ (role ``script``).

Production code must not depend on code that is allowed to be throw-away. The importer must be
production code that is not itself a script (a script importing a helper next to it is fine), and tests
are not production. Imports in functions count; ``TYPE_CHECKING`` imports do not.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlaudit.engine.generated import GENERATED
from mlaudit.engine.rule import ProjectRule, RawFinding
from mlaudit.model import Severity
from mlaudit.project.import_graph import ImportGraph
from mlaudit.project.index import ProjectIndex
from mlaudit.rules.architecture._graph import import_graphs

_THROWAWAY = {"experiment": "experiment code", "script": "a script"}


class ExperimentImport(ProjectRule):
    code = "MLA403"
    name = "experiment-import"
    category = "architecture"
    severity = Severity.WARNING
    message = "Production code imports experiment or script code: move what it needs into the package"
    requires_facts = frozenset({"imports"})

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        for graph in import_graphs(index):
            yield from self._check(graph)

    def _check(self, graph: ImportGraph) -> Iterable[RawFinding]:
        for edge in graph.edges:
            if edge.type_checking:
                continue
            if "script" in graph.info(edge.importer).roles:
                continue  # a script importing a helper next to it (the engine keeps production importers only)
            target = graph.info(edge.target).roles
            kind = next((label for role, label in _THROWAWAY.items() if role in target), None)
            if kind is None or GENERATED in target:  # generated code (`_pb2`, `_version.py`): a module to import
                continue
            yield self.finding(
                edge.path,
                edge.span,
                f"Production module `{edge.importer}` imports `{edge.target}`, which is {kind}: move what it "
                "needs into the package (experiments may import production code, not the reverse)",
                snippet=f"{edge.importer} -> {edge.target} {edge.snippet}",
            )
