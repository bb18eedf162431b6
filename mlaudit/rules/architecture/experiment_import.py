"""MLA403 experiment-import: production code imports a module from notebooks/, experiments/,
scratch/, sandbox/ (role ``experiment``) or scripts/ (role ``script``).

Production code must not depend on code that is allowed to be throw-away. The importer must be
production code that is not itself a script (a script importing a helper next to it is fine), and tests
are not production. Imports in functions count; ``TYPE_CHECKING`` imports do not.

One finding per cause (rules.md): the imports of one production module from one experiment or script
folder (a ``run.py`` choosing among five modules of ``experiments/``) are one finding at the first import,
with the count in the message and the other imports in ``related``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field

from mlaudit.engine.generated import GENERATED
from mlaudit.engine.rule import ProjectRule, RawFinding, RelatedSite
from mlaudit.model import Severity
from mlaudit.project.import_graph import ImportEdge, ImportGraph
from mlaudit.project.index import ProjectIndex
from mlaudit.rules.architecture._graph import import_graphs

_THROWAWAY = {"experiment": "experiment code", "script": "a script"}


class ExperimentImport(ProjectRule):
    code = "MLA403"
    name = "experiment-import"
    category = "architecture"
    severity = Severity.WARNING
    # Opt-in: the blind reviews of the two latest held-out sets (heldout4/5, review/) found it right on 0 of 2 (runner folders named exp/);
    # below the 90% bar of the default selection (rules.md, "Precision bar"). See after.md.
    default_enabled = False
    message = "Production code imports experiment or script code: move what it needs into the package"
    requires_facts = frozenset({"imports"})

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        for graph in import_graphs(index):
            yield from self._check(graph)

    def _check(self, graph: ImportGraph) -> Iterable[RawFinding]:
        causes: dict[tuple[str, str], _Cause] = {}
        for edge in graph.edges:
            kind = self._throwaway(graph, edge)
            if kind is not None:
                folder = _folder(graph.info(edge.target).path)
                causes.setdefault((edge.importer, folder), _Cause(folder, kind)).edges.append(edge)
        for cause in causes.values():
            yield self._finding(cause)

    @staticmethod
    def _throwaway(graph: ImportGraph, edge: ImportEdge) -> str | None:
        """What the edge's target is ("experiment code", "a script"), if it is throwaway code."""
        if edge.type_checking:
            return None
        if "script" in graph.info(edge.importer).roles:
            return None  # a script importing a helper next to it (the engine keeps production importers only)
        target = graph.info(edge.target).roles
        kind = next((label for role, label in _THROWAWAY.items() if role in target), None)
        if kind is None or GENERATED in target:  # generated code (`_pb2`, `_version.py`): a module to import
            return None
        return kind

    def _finding(self, cause: _Cause) -> RawFinding:
        first, *rest = cause.edges
        targets = list(dict.fromkeys(e.target for e in cause.edges))
        if len(cause.edges) == 1:
            what = f"`{first.target}`, which is {cause.kind}"
        else:
            more = ", ..." if len(targets) > _MAX_LISTED else ""
            listed = ", ".join(f"`{t}`" for t in targets[:_MAX_LISTED]) + more
            where = "the project root" if cause.folder == "." else f"`{cause.folder}/`"
            what = f"{where} {len(cause.edges)} times ({listed}), which is {cause.kind}"
        return self.finding(
            first.path,
            first.span,
            f"Production module `{first.importer}` imports {what}: move what it needs into the package "
            "(experiments may import production code, not the reverse)",
            snippet=f"{first.importer} -> {first.target} {first.snippet}",
            related=[RelatedSite(e.path, e.span, f"`{e.importer}` also imports `{e.target}`") for e in rest],
        )


_MAX_LISTED = 4


@dataclass
class _Cause:
    """The imports of one production module from one experiment or script folder."""

    folder: str
    kind: str
    edges: list[ImportEdge] = field(default_factory=list)


def _folder(path: str) -> str:
    """The folder of a module's file (a package's ``__init__.py``: the package's folder)."""
    return posixpath.dirname(path) or "."
