"""The first-party import graph and pure graph queries over it (cycles, chains).

Built once from every file's ``ImportFact`` list; tested on hand-built facts (import-linter/grimp
style). Everything here is deterministic: the input order of the facts never changes a result.

Resolution of one ``ImportFact`` (relative imports are already absolute in the facts):

* ``import a.b.c`` -> the deepest known first-party module among ``a.b.c``, ``a.b``, ``a``. Importing
  ``a.b.c`` also runs the ``a`` and ``a.b`` package inits, but those are parent-before-child
  executions, not dependencies of the importer's code, so only the named module gets an edge.
* ``from p import x`` -> ``p.x`` when that is a known module (``from pkg import submodule``), else
  ``p`` (resolved like ``import p``): ``x`` is then a name bound by ``p``'s ``__init__``.
* Package re-exports (``FileFacts.exports``): an importer *outside* ``p`` gets the edge to ``p``,
  because importing it executes ``p/__init__`` - which imports the origin module itself, so every real
  cycle through the origin is still found via ``p -> origin``, with the true path in the message.
  An importer *inside* ``p`` (``p.a`` doing ``from p import helper``) gets the edge to the origin
  module (``p.util``) instead: Python initialises a package before any of its submodules, so ``p`` is
  already running when ``p.a`` executes and the import only waits for ``p.util``. Sending that edge to
  ``p`` would put every such submodule in a ``p <-> p.a`` cycle (the most common false positive of
  graph-based cycle checkers on real packages). Names defined in ``p/__init__`` itself keep the edge
  to ``p``: reading them while ``p`` is half-initialised is a real cycle.
* Namespace packages (no ``__init__``) are not modules; their submodules are. Targets that resolve to
  no first-party module (third-party, standard library) are dropped, as are self-imports.
* When several files claim one module name (e.g. two top-level scripts), the node takes the first path
  in sort order and keeps the edges of all of them; each edge carries its own file.

Which edges count:

* ``if TYPE_CHECKING:`` imports never run, so they are excluded from cycles and layers by default
  (``include_type_checking=True`` brings them back).
* Function-level (lazy) imports run when the function is called, after every module involved has
  finished initialising, so they cannot form an *import-time* cycle: cycle queries exclude them by
  default (``include_function_level=True`` includes them). They are still dependencies, so chain
  queries and layer contracts count them by default.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from mlaudit.facts.model import FileFacts, ImportFact, Span


@dataclass(frozen=True, slots=True)
class ModuleInfo:
    name: str
    path: str
    roles: tuple[str, ...] = ()
    is_package: bool = False
    is_notebook: bool = False


@dataclass(frozen=True, slots=True)
class ImportEdge:
    """One import statement's dependency of ``importer`` on ``target`` (both first-party modules)."""

    importer: str
    target: str
    path: str
    span: Span
    type_checking: bool = False
    in_function: bool = False
    snippet: str = ""
    via: str = ""
    """The module named in the statement when the edge was redirected (re-export), else empty."""

    @property
    def sort_key(self) -> tuple[str, str, int, int, str, bool, bool]:
        return (
            self.importer,
            self.path,
            self.span.line,
            self.span.col,
            self.target,
            self.type_checking,
            self.in_function,
        )

    def counts(self, *, include_type_checking: bool, include_function_level: bool) -> bool:
        if self.type_checking and not include_type_checking:
            return False
        return include_function_level or not self.in_function


class ImportGraph:
    """Immutable graph of first-party modules; nodes and edges are kept sorted."""

    def __init__(self, modules: Iterable[ModuleInfo], edges: Iterable[ImportEdge]) -> None:
        infos: dict[str, ModuleInfo] = {}
        for info in sorted(modules, key=lambda m: (m.name, m.path)):
            infos.setdefault(info.name, info)
        self._info = infos
        self.modules: tuple[str, ...] = tuple(sorted(infos))
        unique: dict[tuple[str, str, int, int, str, bool, bool], ImportEdge] = {}
        for edge in sorted(edges, key=lambda e: (e.sort_key, e.via, e.snippet)):
            if edge.importer not in infos or edge.target not in infos:
                raise ValueError(f"edge {edge.importer} -> {edge.target} names an unknown module")
            if edge.importer != edge.target:
                unique.setdefault(edge.sort_key, edge)
        self.edges: tuple[ImportEdge, ...] = tuple(unique.values())
        out: dict[str, list[ImportEdge]] = {name: [] for name in self.modules}
        for edge in self.edges:
            out[edge.importer].append(edge)
        self._out = {name: tuple(edges_) for name, edges_ in out.items()}
        self._adjacency: dict[tuple[bool, bool], dict[str, tuple[str, ...]]] = {}

    @classmethod
    def from_facts(cls, facts: Iterable[FileFacts]) -> ImportGraph:
        files = sorted(facts, key=lambda f: (f.path, f.module))
        modules = [ModuleInfo(f.module, f.path, tuple(f.roles), f.is_package, f.is_notebook) for f in files]
        known = frozenset(f.module for f in files)
        exports, defined = _exports_and_defined(files)
        packages = frozenset(f.module for f in files if f.is_package)
        edges = [
            ImportEdge(
                importer=f.module,
                target=target,
                path=f.path,
                span=fact.span,
                type_checking=fact.type_checking,
                in_function=fact.in_function,
                snippet=fact.snippet,
                via=via,
            )
            for f in files
            for fact in f.imports
            for target, via in resolve_import(
                f.module, _from_script_folder(f, fact, known, packages), known, exports, defined
            )
        ]
        return cls(modules, edges)

    def __contains__(self, module: object) -> bool:
        return module in self._info

    def __len__(self) -> int:
        return len(self.modules)

    def info(self, module: str) -> ModuleInfo:
        return self._info[module]

    def edges_from(self, module: str) -> tuple[ImportEdge, ...]:
        return self._out.get(module, ())

    def edges_between(self, importer: str, target: str) -> tuple[ImportEdge, ...]:
        return tuple(e for e in self.edges_from(importer) if e.target == target)

    def adjacency(
        self, *, include_type_checking: bool, include_function_level: bool
    ) -> Mapping[str, tuple[str, ...]]:
        """Sorted successors of every module, counting only the requested kinds of edge (cached)."""
        key = (include_type_checking, include_function_level)
        if key not in self._adjacency:
            self._adjacency[key] = {
                name: tuple(
                    sorted(
                        {
                            e.target
                            for e in self._out[name]
                            if e.counts(
                                include_type_checking=include_type_checking,
                                include_function_level=include_function_level,
                            )
                        }
                    )
                )
                for name in self.modules
            }
        return self._adjacency[key]


def _exports_and_defined(
    files: Iterable[FileFacts],
) -> tuple[dict[str, dict[str, str]], dict[str, frozenset[str]]]:
    """Each module's re-exported names (name -> origin, the first one kept), and each package's
    top-level names: what resolving ``from pkg import name`` needs."""
    exports: dict[str, dict[str, str]] = {}
    defined: dict[str, frozenset[str]] = {}
    for f in files:
        for name, origin in f.exports.items():
            exports.setdefault(f.module, {}).setdefault(name, origin)
        if f.is_package:
            defined[f.module] = defined.get(f.module, frozenset()) | frozenset(f.top_level_names)
    return exports, defined


def notebook_import_targets(
    modules: Sequence[FileFacts], notebooks: Iterable[FileFacts]
) -> dict[str, frozenset[str]]:
    """First-party module -> paths of the notebooks that import it (resolved as for ``.py`` importers,
    a notebook's own folder first on ``sys.path``). ``modules``: the project's ``.py`` modules."""
    known = frozenset(f.module for f in modules)
    packages = frozenset(f.module for f in modules if f.is_package)
    exports, defined = _exports_and_defined(modules)
    out: dict[str, set[str]] = {}
    for nb in notebooks:
        for fact in nb.imports:
            resolved = _from_script_folder(nb, fact, known, packages)
            for target, _ in resolve_import(nb.module, resolved, known, exports, defined):
                out.setdefault(target, set()).add(nb.path)
    return {module: frozenset(paths) for module, paths in out.items()}


def deepest_known(dotted: str, known: frozenset[str] | set[str]) -> str | None:
    """The longest dotted prefix of ``dotted`` (itself included) that is a known module."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return None


def is_ancestor(package: str, module: str) -> bool:
    """``package`` strictly contains ``module`` (``a`` contains ``a.b`` and ``a.b.c``)."""
    return module.startswith(package + ".")


def _from_script_folder(
    f: FileFacts, fact: ImportFact, known: frozenset[str], packages: frozenset[str]
) -> ImportFact:
    """The import as Python resolves it for a file in a plain folder (no ``__init__.py``) below the root:
    the folder of a script run directly is first on ``sys.path``, so ``from exp.exp_main import Exp_Main``
    in ``PatchTST_supervised/run_longExp.py`` is ``PatchTST_supervised.exp.exp_main``, even where the
    root has an ``exp/`` of its own (LTSF-Linear's `FEDformer/run.py`)."""
    folder = "" if f.is_package else f.module.rpartition(".")[0]
    if not folder or folder in packages:
        return fact
    prefixed = f"{folder}.{fact.target}"
    first = f"{folder}.{fact.target.partition('.')[0]}"
    base = deepest_known(prefixed, known)
    if base is None or not (base == first or base.startswith(first + ".")):
        return fact
    return replace(fact, target=prefixed)


def resolve_import(
    importer: str,
    fact: ImportFact,
    known: frozenset[str],
    exports: Mapping[str, Mapping[str, str]],
    defined: Mapping[str, frozenset[str]] | None = None,
) -> list[tuple[str, str]]:
    """First-party ``(target, via)`` pairs of one import statement, deduplicated, in a stable order.
    ``defined``: the names each package's ``__init__`` binds (when known)."""
    targets: list[tuple[str, str]] = []
    base = deepest_known(fact.target, known)
    if base is not None and base != fact.target and _within(base, importer):
        # ``from pkg._fast import x`` inside ``pkg``, ``pkg._fast`` a compiled extension or generated
        # module with no source here: its package is already initialising, nothing to wait for.
        return []
    if not fact.names and base is not None:
        targets.append((base, ""))
    for name in fact.names:
        target = _resolve_name(importer, fact.target, name, base, known, exports, defined)
        if target is not None:
            targets.append(target)
    unique = dict.fromkeys(t for t in targets if t[0] != importer)
    return list(unique)


def _resolve_name(
    importer: str,
    module: str,
    name: str,
    base: str | None,
    known: frozenset[str],
    exports: Mapping[str, Mapping[str, str]],
    defined: Mapping[str, frozenset[str]] | None = None,
) -> tuple[str, str] | None:
    """The ``(target, via)`` of ``from module import name`` (``base``: the deepest known module of
    ``module``), or None when it is not first-party."""
    submodule = f"{module}.{name}"
    if name != "*" and submodule in known:
        return (submodule, "")
    if base is None:
        return None
    if base == module and _within(base, importer):
        origin = _reexport_origin(base, name, importer, known, exports, defined)
        if origin is None:
            return None
        return (origin, base if origin != base else "")
    return (base, "")


def _reexport_origin(
    package: str,
    name: str,
    importer: str,
    known: frozenset[str],
    exports: Mapping[str, Mapping[str, str]],
    defined: Mapping[str, frozenset[str]] | None = None,
) -> str | None:
    """Where ``name`` really comes from when a submodule takes it from its (already running) ancestor
    ``package``; follows chains of re-exports while they stay in ancestors of the importer. None when
    the package does not bind the name at all (and has no module ``__getattr__``): Python then imports
    the submodule ``package.name``, a compiled extension or generated module with no source here, which
    does not wait for the package's ``__init__`` (``from . import _fast`` in scikit-learn)."""
    current, attr = package, name
    seen: set[tuple[str, str]] = set()
    while (current, attr) not in seen:
        seen.add((current, attr))
        origin = exports.get(current, {}).get(attr)
        if origin is None:
            return None if _unbound(defined, current, attr) else current
        current, next_attr = _follow(origin, current, importer, known)
        if next_attr is None:
            return current
        attr = next_attr
    return current


def _within(package: str, importer: str) -> bool:
    """``importer`` is ``package`` or inside it: the package is already initialising when it runs."""
    return package == importer or is_ancestor(package, importer)


def _unbound(defined: Mapping[str, frozenset[str]] | None, package: str, name: str) -> bool:
    """The package's ``__init__`` is known not to bind ``name`` (and has no module ``__getattr__``)."""
    bound = defined.get(package) if defined is not None else None
    return bound is not None and name not in bound and "__getattr__" not in bound


def _follow(origin: str, current: str, importer: str, known: frozenset[str]) -> tuple[str, str | None]:
    """One step along a re-export: ``(module, None)`` when the name's module is found, or
    ``(ancestor package, name)`` to continue in a package that is already initialising."""
    if origin in known:  # a re-exported submodule: ``from . import util``
        return origin, None
    module, _, attr = origin.rpartition(".")
    resolved = deepest_known(module, known) if module else None
    if resolved is None:  # re-export of a third-party name: the package binds it
        return current, None
    if resolved == module and _within(resolved, importer):
        return resolved, attr
    return resolved, None


def _tarjan(nodes: Sequence[str], successors: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with an explicit stack (no recursion limit)."""
    return _Tarjan(successors).run(nodes)


class _Tarjan:
    def __init__(self, successors: Mapping[str, Sequence[str]]) -> None:
        self.successors = successors
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.on_stack: set[str] = set()
        self.stack: list[str] = []
        self.components: list[list[str]] = []

    def run(self, nodes: Sequence[str]) -> list[list[str]]:
        for root in nodes:
            if root not in self.index:
                self._search(root)
        return self.components

    def _enter(self, node: str) -> tuple[str, Iterator[str]]:
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        return node, iter(self.successors.get(node, ()))

    def _search(self, root: str) -> None:
        work = [self._enter(root)]
        while work:
            node, children = work[-1]
            child = self._next_unvisited(node, children)
            if child is not None:
                work.append(self._enter(child))
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                self.low[parent] = min(self.low[parent], self.low[node])
            if self.low[node] == self.index[node]:
                self._pop_component(node)

    def _next_unvisited(self, node: str, children: Iterator[str]) -> str | None:
        """The next child not yet visited, updating ``low`` with the visited ones on the stack."""
        for child in children:
            if child not in self.index:
                return child
            if child in self.on_stack:
                self.low[node] = min(self.low[node], self.index[child])
        return None

    def _pop_component(self, node: str) -> None:
        component: list[str] = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            component.append(member)
            if member == node:
                break
        self.components.append(component)


def strongly_connected_components(
    graph: ImportGraph,
    *,
    include_type_checking: bool = False,
    include_function_level: bool = False,
    min_size: int = 2,
) -> list[tuple[str, ...]]:
    """Components of at least ``min_size`` modules (default: the import cycles), each sorted, the list
    sorted by first module. Self-imports are not edges, so a single module is never a cycle."""
    adjacency = graph.adjacency(
        include_type_checking=include_type_checking, include_function_level=include_function_level
    )
    components = _tarjan(graph.modules, adjacency)
    return sorted(tuple(sorted(c)) for c in components if len(c) >= min_size)


def _bfs_path(
    adjacency: Mapping[str, Sequence[str]],
    start: str,
    goal: str,
    allowed: frozenset[str] | None,
) -> tuple[str, ...] | None:
    """Shortest path ``start -> ... -> goal`` (at least one edge); ties go to the sorted-first module
    because successors are sorted and BFS keeps discovery order."""
    parent: dict[str, str] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for child in adjacency.get(node, ()):
            if allowed is not None and child not in allowed:
                continue
            if child == goal:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                path.reverse()
                return (*path, goal) if goal != start else tuple(path)
            if child not in seen:
                seen.add(child)
                parent[child] = node
                queue.append(child)
    return None


def shortest_cycle(
    graph: ImportGraph,
    component: Iterable[str],
    *,
    include_type_checking: bool = False,
    include_function_level: bool = False,
) -> tuple[str, ...]:
    """A shortest cycle through the first module (in sort order) of a strongly connected component,
    staying inside it: ``("a", "b", "c")`` means ``a -> b -> c -> a``. Use the same edge kinds as for
    ``strongly_connected_components``."""
    members = frozenset(component)
    if not members:
        raise ValueError("empty component")
    start = min(members)
    adjacency = graph.adjacency(
        include_type_checking=include_type_checking, include_function_level=include_function_level
    )
    cycle = _bfs_path(adjacency, start, start, members)
    if cycle is None:
        raise ValueError(f"no cycle through {start} inside the component")
    return cycle


def find_shortest_chain(
    graph: ImportGraph,
    importer: str,
    imported: str,
    *,
    include_type_checking: bool = False,
    include_function_level: bool = True,
) -> tuple[str, ...] | None:
    """Shortest import chain ``importer -> ... -> imported`` (grimp's ``find_shortest_chain``), or
    None. Counts lazy imports by default: a chain is a dependency, not an import-time event."""
    if importer not in graph or imported not in graph or importer == imported:
        return None
    adjacency = graph.adjacency(
        include_type_checking=include_type_checking, include_function_level=include_function_level
    )
    return _bfs_path(adjacency, importer, imported, None)


def cycle_edges(
    graph: ImportGraph,
    cycle: Sequence[str],
    *,
    include_type_checking: bool = False,
    include_function_level: bool = False,
) -> tuple[ImportEdge, ...]:
    """The first counting import (by file and line) behind each step of a cycle, closing step included."""
    steps = zip(cycle, [*cycle[1:], cycle[0]], strict=True)
    found = []
    for importer, target in steps:
        edges = [
            e
            for e in graph.edges_between(importer, target)
            if e.counts(
                include_type_checking=include_type_checking, include_function_level=include_function_level
            )
        ]
        if not edges:
            raise ValueError(f"no import {importer} -> {target}")
        found.append(edges[0])
    return tuple(found)


def component_edges(
    graph: ImportGraph,
    component: Iterable[str],
    *,
    include_type_checking: bool = False,
    include_function_level: bool = False,
) -> tuple[ImportEdge, ...]:
    """Every counting import between two modules of the component, sorted (the ``related`` sites)."""
    members = frozenset(component)
    return tuple(
        e
        for name in sorted(members)
        for e in graph.edges_from(name)
        if e.target in members
        and e.counts(
            include_type_checking=include_type_checking, include_function_level=include_function_level
        )
    )


def format_cycle(cycle: Sequence[str]) -> str:
    """``a -> b -> c -> a``."""
    return " -> ".join([*cycle, cycle[0]]) if cycle else ""
