"""Shared by the family-7 project rules: which files of a run belong to one program.

Built on the first-party import graph that the architecture rules build (one build per run).
"""

from __future__ import annotations

from collections.abc import Mapping

from mlaudit.project.index import ProjectIndex
from mlaudit.rules.architecture._graph import import_graph


def _closure(start: str, successors: Mapping[str, tuple[str, ...]]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for nxt in successors.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


class Reach:
    """Modules a module imports (transitively) and modules that import it (transitively)."""

    def __init__(self, index: ProjectIndex) -> None:
        graph = import_graph(index)
        self._down = graph.adjacency(include_type_checking=False, include_function_level=True)
        up: dict[str, list[str]] = {}
        for importer, targets in self._down.items():
            for target in targets:
                up.setdefault(target, []).append(importer)
        self._up = {k: tuple(sorted(v)) for k, v in up.items()}
        self._memo: dict[str, frozenset[str]] = {}
        self._imports: dict[str, frozenset[str]] = {}
        self._packages = frozenset(m for m in graph.modules if graph.info(m).is_package)

    def related(self, module: str) -> frozenset[str]:
        """``module``, everything it imports and everything that imports it (all transitively)."""
        if not module:
            return frozenset()
        if module not in self._memo:
            self._memo[module] = frozenset(_closure(module, self._down) | _closure(module, self._up))
        return self._memo[module]

    def package_importers(self, module: str) -> frozenset[str]:
        """Modules that import any module of ``module``'s top-level package (a trainer that loads its data
        module by name, ``import_class(f"{DATA_MODULE}.{name}")``, still imports the package)."""
        top = module.partition(".")[0]
        if not module or top == module or top not in self._packages:
            return frozenset()  # a plain folder (`PatchTST_supervised/`) holds separate scripts, not one package
        prefix = top + "."
        return frozenset(
            importer
            for target, importers in self._up.items()
            if target == top or target.startswith(prefix)
            for importer in importers
        )

    def imports(self, module: str) -> frozenset[str]:
        """Everything ``module`` imports, transitively (memoised: the rules ask pair by pair)."""
        if not module:
            return frozenset()
        if module not in self._imports:
            self._imports[module] = frozenset(_closure(module, self._down))
        return self._imports[module]


def reach(index: ProjectIndex) -> Reach:
    return index.memo("reproducibility.reach", lambda: Reach(index))
