"""``mlaudit graph``: the first-party import graph as Mermaid or Graphviz DOT text (SVG through Graphviz),
with import cycles and layer violations highlighted.

The picture is built from the same facts and analyses as MLA401/MLA402 (one import graph, Tarjan
components, the layer contract of ``[tool.mlaudit]`` or the default ML layering), so what is red in the
drawing is what ``mlaudit check`` reports. Modules are grouped by package (Mermaid subgraphs, DOT
clusters, nested like the packages); above ``max_nodes`` modules they are collapsed into their packages
at the deepest level that fits, and edges between packages carry how many imports they stand for. A
collapsed edge is red when one of its imports is part of a module-level cycle, orange when one breaks a
layer; an edge between packages that import each other only through acyclic module imports is not a
cycle. ``TYPE_CHECKING`` imports are not drawn; imports inside functions are dashed. Output is sorted, so
the same project always gives the same text (diff-friendly in pull requests).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from mlaudit.config.schema import Settings
from mlaudit.project.import_graph import (
    ImportGraph,
    component_edges,
    format_cycle,
    shortest_cycle,
    strongly_connected_components,
)
from mlaudit.project.index import ProjectIndex
from mlaudit.project.layers import find_layer_violations
from mlaudit.rules.architecture._graph import graph_facts
from mlaudit.rules.architecture.layer_violation import contract_from

Format = Literal["mermaid", "dot", "svg"]
FORMATS: tuple[str, ...] = ("mermaid", "dot", "svg")
DEFAULT_MAX_NODES = 100

_CYCLE = "#d62728"
_LAYER = "#ff7f0e"
_PLAIN = "#7f7f7f"


class GraphError(Exception):
    """A usage problem (bad contract, SVG without Graphviz): the CLI prints it and exits 2."""


@dataclass
class Node:
    id: str
    name: str
    """Dotted module name, or package name when modules were collapsed into it."""
    members: int = 1
    in_cycle: bool = False

    @property
    def package(self) -> str:
        return self.name.rpartition(".")[0]


@dataclass
class Edge:
    source: str
    target: str
    imports: int = 0
    cycle: bool = False
    violation: bool = False
    lazy: bool = True
    """Every import behind the edge is inside a function."""


@dataclass
class Picture:
    nodes: list[Node]
    edges: list[Edge]
    modules: int
    cycles: list[str] = field(default_factory=list)
    """One shortest cycle path per cycle group (``a -> b -> a``)."""
    violations: int = 0
    depth: int | None = None
    """Collapse depth (None: one node per module)."""

    @property
    def has_problems(self) -> bool:
        return bool(self.cycles or self.violations)

    def summary(self) -> str:
        shown = f"{len(self.nodes)} nodes" if self.depth is not None else f"{self.modules} modules"
        collapsed = (
            f" ({self.modules} modules collapsed to depth {self.depth})" if self.depth is not None else ""
        )
        groups = len(self.cycles)
        return (
            f"{shown}{collapsed}, {len(self.edges)} edges, {groups} import cycle group{'s' * (groups != 1)}, "
            f"{self.violations} layer violation{'s' * (self.violations != 1)}"
        )


def build_picture(
    index: ProjectIndex,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    depth: int | None = None,
    include_tests: bool = False,
) -> Picture:
    """The graph to draw: modules (or packages), import edges, cycles and layer violations."""
    graph = ImportGraph.from_facts(graph_facts(index))
    shown = _shown(graph, include_tests)
    components = strongly_connected_components(graph)
    violations = _violations(graph, index.settings)
    depth = _auto_depth(shown, max_nodes) if depth is None else depth
    group = {m: _collapse(m, depth) for m in shown}
    return Picture(
        nodes=_nodes(shown, group, {m for c in components for m in c}),
        edges=_edges(graph, group, _Marks.of(graph, components, violations)),
        modules=len(shown),
        cycles=_cycle_paths(graph, components, set(shown)),
        violations=len([v for v in violations if v[0] in group]),
        depth=depth,
    )


def _shown(graph: ImportGraph, include_tests: bool) -> list[str]:
    return [m for m in graph.modules if include_tests or "test" not in graph.info(m).roles]


def _cycle_paths(graph: ImportGraph, components: list[tuple[str, ...]], shown: set[str]) -> list[str]:
    """One shortest cycle per cycle group that has a drawn module."""
    return [format_cycle(shortest_cycle(graph, c)) for c in components if shown.intersection(c)]


@dataclass(frozen=True)
class _Marks:
    cyclic: set[tuple[str, str]]
    """Module imports inside a cycle group."""
    broken: set[tuple[str, str]]
    """Module imports that break the layer contract."""

    @classmethod
    def of(
        cls, graph: ImportGraph, components: list[tuple[str, ...]], violations: list[tuple[str, str, int]]
    ) -> _Marks:
        return cls(
            cyclic={(e.importer, e.target) for c in components for e in component_edges(graph, c)},
            broken={(importer, imported) for importer, imported, _ in violations},
        )


def _nodes(shown: list[str], group: dict[str, str], in_cycle: set[str]) -> list[Node]:
    nodes: dict[str, Node] = {}
    for module in shown:
        node = nodes.setdefault(group[module], Node("", group[module], members=0))
        node.members += 1
        node.in_cycle = node.in_cycle or module in in_cycle
    ordered = [nodes[name] for name in sorted(nodes)]
    for n, node in enumerate(ordered):
        node.id = f"n{n}"
    return ordered


def _edges(graph: ImportGraph, group: dict[str, str], marks: _Marks) -> list[Edge]:
    """Import edges between drawn nodes (aggregated when modules are collapsed), TYPE_CHECKING left out."""
    edges: dict[tuple[str, str], Edge] = {}
    for e in graph.edges:
        source, target = group.get(e.importer), group.get(e.target)
        if e.type_checking or source is None or target is None or source == target:
            continue
        edge = edges.setdefault((source, target), Edge(source, target))
        pair = (e.importer, e.target)
        edge.imports += 1
        edge.cycle = edge.cycle or pair in marks.cyclic
        edge.violation = edge.violation or pair in marks.broken
        edge.lazy = edge.lazy and e.in_function
    return [edges[key] for key in sorted(edges)]


def _violations(graph: ImportGraph, settings: Settings) -> list[tuple[str, str, int]]:
    """(importer, imported, line) of every import statement MLA402 reports."""
    try:
        contract, ignored = contract_from(settings)
    except ValueError as exc:
        raise GraphError(f"invalid layer contract in [tool.mlaudit]: {exc}") from None
    return [
        (v.importer, v.imported, v.edge.span.line)
        for v in find_layer_violations(graph, contract)
        if not any(rule.matches(v.importer, v.imported) for rule in ignored)
    ]


def _collapse(module: str, depth: int | None) -> str:
    return module if depth is None else ".".join(module.split(".")[:depth])


def _auto_depth(modules: list[str], max_nodes: int) -> int | None:
    """None when every module fits; else the deepest package level with at most ``max_nodes`` nodes
    (level 1 if even that is too many)."""
    if len(modules) <= max_nodes or not modules:
        return None
    deepest = max(m.count(".") + 1 for m in modules)
    for depth in range(deepest - 1, 0, -1):
        if len({_collapse(m, depth) for m in modules}) <= max_nodes:
            return depth
    return 1


# --- package tree ----------------------------------------------------------------------------------


@dataclass
class _Cluster:
    name: str
    nodes: list[Node] = field(default_factory=list)
    children: dict[str, _Cluster] = field(default_factory=dict)


def _tree(nodes: Iterable[Node]) -> _Cluster:
    """Packages as nested clusters; a package's own module (``__init__``) sits inside its cluster."""
    names = {n.name for n in nodes}
    root = _Cluster("")
    for node in nodes:
        home = node.name if any(other.startswith(node.name + ".") for other in names) else node.package
        cluster = root
        parts = home.split(".") if home else []
        for i in range(len(parts)):
            prefix = ".".join(parts[: i + 1])
            cluster = cluster.children.setdefault(prefix, _Cluster(prefix))
        cluster.nodes.append(node)
    return root


def _label(node: Node, cluster: str) -> str:
    text = node.name
    if node.name == cluster:
        text = "__init__"
    elif cluster:
        text = node.name[len(cluster) + 1 :]
    return f"{text} ({node.members} modules)" if node.members > 1 else text


# --- Mermaid ---------------------------------------------------------------------------------------


def to_mermaid(picture: Picture) -> str:
    lines = ["flowchart LR", f"    %% mlaudit graph: {picture.summary()}"]
    lines += [f"    %% cycle: {cycle}" for cycle in picture.cycles]
    clusters = iter(range(1_000_000))

    def emit(cluster: _Cluster, indent: str) -> None:
        for node in cluster.nodes:
            lines.append(f'{indent}{node.id}["{_mermaid_text(_label(node, cluster.name))}"]')
        for name in sorted(cluster.children):
            lines.append(f'{indent}subgraph c{next(clusters)}["{_mermaid_text(name)}"]')
            emit(cluster.children[name], indent + "    ")
            lines.append(f"{indent}end")

    emit(_tree(picture.nodes), "    ")
    lines += _mermaid_edges(picture)
    cyclic = [n.id for n in picture.nodes if n.in_cycle]
    if cyclic:
        lines.append(f"    classDef cycle fill:#fde2e2,stroke:{_CYCLE},stroke-width:2px")
        lines.append(f"    class {','.join(cyclic)} cycle")
    return "\n".join(lines) + "\n"


def _mermaid_edges(picture: Picture) -> list[str]:
    """Links (thick for cycles, dotted for lazy imports), then the ``linkStyle`` colouring them."""
    ids = {n.name: n.id for n in picture.nodes}
    links: list[str] = []
    styles: list[str] = []
    for number, edge in enumerate(picture.edges):
        arrow = "==>" if edge.cycle else "-.->" if edge.lazy else "-->"
        label = _edge_label(edge)
        text = f"|{_mermaid_text(label)}|" if label else ""
        links.append(f"    {ids[edge.source]} {arrow}{text} {ids[edge.target]}")
        if edge.cycle or edge.violation:
            colour = _CYCLE if edge.cycle else _LAYER
            styles.append(f"    linkStyle {number} stroke:{colour},stroke-width:3px")
    return links + styles


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def _edge_label(edge: Edge) -> str:
    parts = []
    if edge.imports > 1:
        parts.append(f"{edge.imports} imports")
    if edge.violation:
        parts.append("layer")
    return ", ".join(parts)


# --- DOT -------------------------------------------------------------------------------------------


def to_dot(picture: Picture) -> str:
    title = _dot_text(f"mlaudit graph: {picture.summary()}")
    lines = [
        "digraph imports {",
        f'    graph [rankdir=LR, fontname="Helvetica", fontsize=10, labelloc=t, label="{title}"];',
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
        f'    edge [color="{_PLAIN}", arrowsize=0.7];',
    ]
    clusters = iter(range(1_000_000))

    def emit(cluster: _Cluster, indent: str) -> None:
        for node in cluster.nodes:
            extra = f', fillcolor="#fde2e2", color="{_CYCLE}", penwidth=2' if node.in_cycle else ""
            label = _dot_text(_label(node, cluster.name))
            lines.append(f'{indent}{node.id} [label="{label}", tooltip="{_dot_text(node.name)}"{extra}];')
        for name in sorted(cluster.children):
            child = cluster.children[name]
            lines.append(f"{indent}subgraph cluster_{next(clusters)} {{")
            lines.append(f'{indent}    label="{_dot_text(name)}"; style="rounded"; color="#bbbbbb";')
            emit(child, indent + "    ")
            lines.append(f"{indent}}}")

    emit(_tree(picture.nodes), "    ")
    ids = {n.name: n.id for n in picture.nodes}
    for edge in picture.edges:
        attrs = []
        if edge.cycle or edge.violation:
            attrs += [f'color="{_CYCLE if edge.cycle else _LAYER}"', "penwidth=2.5"]
        if edge.lazy:
            attrs.append("style=dashed")
        label = _edge_label(edge)
        if label:
            attrs.append(f'label="{_dot_text(label)}"')
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"    {ids[edge.source]} -> {ids[edge.target]}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


# --- SVG -------------------------------------------------------------------------------------------


def to_svg(picture: Picture) -> str:
    """Render the DOT text with Graphviz through pydeps (the optional ``graph`` extra)."""
    try:
        from pydeps.dot import call_graphviz_dot
    except ImportError:
        raise GraphError(
            "SVG output needs pydeps: reinstall mlaudit (pydeps is one of its dependencies), "
            "or use --format mermaid or --format dot"
        ) from None
    if shutil.which("dot") is None:
        raise GraphError(
            "SVG output needs Graphviz's `dot` program on PATH (apt install graphviz, brew install "
            "graphviz, conda install graphviz); or use --format mermaid or --format dot"
        )
    svg = call_graphviz_dot(to_dot(picture), "svg")
    text = svg.decode("utf-8") if isinstance(svg, bytes) else str(svg)
    if "<svg" not in text:
        raise GraphError("Graphviz's `dot` produced no SVG (run `dot -V` to check the installation)")
    return text


def render(picture: Picture, fmt: str) -> str:
    if fmt == "mermaid":
        return to_mermaid(picture)
    if fmt == "dot":
        return to_dot(picture)
    if fmt == "svg":
        return to_svg(picture)
    raise GraphError(f"unknown format `{fmt}`; choose one of {', '.join(FORMATS)}")
