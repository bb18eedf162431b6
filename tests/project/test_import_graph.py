"""ImportGraph and its pure queries, on hand-built facts (no files, no parser)."""

from __future__ import annotations

import random
import time

import pytest

from mlaudit.facts.model import FileFacts, ImportFact, Span
from mlaudit.project.import_graph import (
    ImportEdge,
    ImportGraph,
    ModuleInfo,
    component_edges,
    cycle_edges,
    find_shortest_chain,
    format_cycle,
    shortest_cycle,
    strongly_connected_components,
)


def imp(
    target: str, *names: str, line: int = 1, tc: bool = False, fn: bool = False, snippet: str = ""
) -> ImportFact:
    return ImportFact(
        target=target,
        names=names,
        span=Span(line, 1, line, 20),
        type_checking=tc,
        in_function=fn,
        snippet=snippet,
    )


def mod(
    name: str,
    *imports: ImportFact,
    package: bool = False,
    exports: dict[str, str] | None = None,
    path: str | None = None,
    roles: tuple[str, ...] = (),
    names: tuple[str, ...] = (),
) -> FileFacts:
    default = name.replace(".", "/") + ("/__init__.py" if package else ".py")
    return FileFacts(
        module=name,
        path=path or default,
        roles=roles,
        is_package=package,
        imports=list(imports),
        exports=exports or {},
        top_level_names=sorted({*names, *(exports or {})}),
    )


def targets(graph: ImportGraph, module: str) -> list[str]:
    return [e.target for e in graph.edges_from(module)]


def sccs(facts: list[FileFacts], **kwargs: bool) -> list[tuple[str, ...]]:
    return strongly_connected_components(ImportGraph.from_facts(facts), **kwargs)


# --- cycles ---------------------------------------------------------------------------------------


def test_two_module_cycle() -> None:
    graph = ImportGraph.from_facts([mod("pkg.a", imp("pkg.b")), mod("pkg.b", imp("pkg.a"))])
    assert strongly_connected_components(graph) == [("pkg.a", "pkg.b")]
    cycle = shortest_cycle(graph, ("pkg.b", "pkg.a"))
    assert cycle == ("pkg.a", "pkg.b")
    assert format_cycle(cycle) == "pkg.a -> pkg.b -> pkg.a"


def test_three_module_cycle_with_an_outsider() -> None:
    facts = [
        mod("a", imp("b")),
        mod("b", imp("c")),
        mod("c", imp("a")),
        mod("d", imp("a")),  # reaches the cycle but is not part of it
    ]
    graph = ImportGraph.from_facts(facts)
    assert strongly_connected_components(graph) == [("a", "b", "c")]
    assert format_cycle(shortest_cycle(graph, ("a", "b", "c"))) == "a -> b -> c -> a"


def test_shortest_cycle_prefers_the_short_loop_through_the_first_module() -> None:
    facts = [mod("a", imp("b")), mod("b", imp("c"), imp("a", line=2)), mod("c", imp("a"))]
    graph = ImportGraph.from_facts(facts)
    assert strongly_connected_components(graph) == [("a", "b", "c")]
    assert shortest_cycle(graph, ("a", "b", "c")) == ("a", "b")


def test_shortest_cycle_breaks_ties_by_sort_order() -> None:
    facts = [mod("a", imp("c"), imp("b", line=2)), mod("b", imp("a")), mod("c", imp("a"))]
    graph = ImportGraph.from_facts(facts)
    assert shortest_cycle(graph, ("a", "b", "c")) == ("a", "b")


def test_shortest_cycle_stays_inside_the_component() -> None:
    # the only cycle runs through c, which is not in the component asked about
    facts = [mod("a", imp("b")), mod("b", imp("c")), mod("c", imp("a"))]
    graph = ImportGraph.from_facts(facts)
    with pytest.raises(ValueError):
        shortest_cycle(graph, ("a", "b"))


def test_several_components_are_sorted() -> None:
    facts = [
        mod("z1", imp("z2")),
        mod("z2", imp("z1")),
        mod("a1", imp("a2")),
        mod("a2", imp("a1")),
        mod("m"),
    ]
    assert sccs(facts) == [("a1", "a2"), ("z1", "z2")]


def test_self_import_is_not_a_cycle() -> None:
    graph = ImportGraph.from_facts([mod("a", imp("a")), mod("pkg", imp("pkg", "VERSION"), package=True)])
    assert graph.edges == ()
    assert strongly_connected_components(graph) == []


def test_type_checking_only_cycle_is_ignored() -> None:
    facts = [mod("a", imp("b")), mod("b", imp("a", tc=True))]
    assert sccs(facts) == []
    assert sccs(facts, include_type_checking=True) == [("a", "b")]


def test_function_level_imports_do_not_form_import_time_cycles() -> None:
    facts = [mod("a", imp("b")), mod("b", imp("a", fn=True))]
    assert sccs(facts) == []
    assert sccs(facts, include_function_level=True) == [("a", "b")]


def test_type_checking_import_inside_function_needs_both_flags() -> None:
    facts = [mod("a", imp("b")), mod("b", imp("a", tc=True, fn=True))]
    assert sccs(facts, include_function_level=True) == []
    assert sccs(facts, include_function_level=True, include_type_checking=True) == [("a", "b")]


def test_cycle_and_component_edges() -> None:
    facts = [
        mod("a", imp("b", line=3, snippet="import b"), imp("b", line=7), imp("c", line=9)),
        mod("b", imp("a", line=2, snippet="import a"), imp("a", line=5, tc=True)),
        mod("c"),
    ]
    graph = ImportGraph.from_facts(facts)
    (component,) = strongly_connected_components(graph)
    steps = cycle_edges(graph, shortest_cycle(graph, component))
    assert [(e.importer, e.target, e.span.line, e.snippet) for e in steps] == [
        ("a", "b", 3, "import b"),
        ("b", "a", 2, "import a"),
    ]
    assert [(e.importer, e.span.line) for e in component_edges(graph, component)] == [
        ("a", 3),
        ("a", 7),
        ("b", 2),
    ]
    with pytest.raises(ValueError):
        cycle_edges(graph, ("a", "c"))


def test_tarjan_on_a_long_chain_has_no_recursion_limit() -> None:
    n = 5000
    names = [f"m{i:05d}" for i in range(n)]
    facts = [mod(name, imp(names[i + 1])) for i, name in enumerate(names[:-1])]
    facts.append(mod(names[-1]))
    graph = ImportGraph.from_facts(facts)
    assert strongly_connected_components(graph) == []
    # close the chain: one component of 5,000 modules, and a 5,000-step shortest cycle
    facts[-1] = mod(names[-1], imp(names[0]))
    started = time.perf_counter()
    graph = ImportGraph.from_facts(facts)
    components = strongly_connected_components(graph)
    assert components == [tuple(names)]
    assert shortest_cycle(graph, components[0]) == tuple(names)
    assert time.perf_counter() - started < 5


def test_tarjan_on_a_deep_tree_of_cycles() -> None:
    # 3,000 two-cycles hanging off one long chain (deep DFS with many components)
    facts = []
    for i in range(3000):
        imports = [imp(f"b{i:04d}")]
        if i + 1 < 3000:
            imports.append(imp(f"a{i + 1:04d}", line=2))
        facts.append(mod(f"a{i:04d}", *imports))
        facts.append(mod(f"b{i:04d}", imp(f"a{i:04d}")))
    components = sccs(facts)
    assert len(components) == 3000
    assert components[0] == ("a0000", "b0000")


# --- resolution -----------------------------------------------------------------------------------


def test_from_pkg_import_submodule_targets_the_submodule() -> None:
    graph = ImportGraph.from_facts(
        [
            mod("pkg", package=True),
            mod("pkg.sub"),
            mod("app", imp("pkg", "sub", "CONSTANT")),
        ]
    )
    assert targets(graph, "app") == ["pkg", "pkg.sub"]


def test_import_dotted_name_targets_the_deepest_known_module() -> None:
    graph = ImportGraph.from_facts(
        [
            mod("a", package=True),
            mod("a.b", package=True),
            mod("a.b.c"),
            mod("x", imp("a.b.c"), imp("a.b.missing", line=2), imp("a", line=3)),
        ]
    )
    assert [(e.target, e.span.line) for e in graph.edges_from("x")] == [("a.b.c", 1), ("a.b", 2), ("a", 3)]


def test_third_party_and_stdlib_imports_are_dropped() -> None:
    graph = ImportGraph.from_facts(
        [mod("app", imp("numpy"), imp("pandas", "DataFrame"), imp("os.path"), imp("lib")), mod("lib")]
    )
    assert targets(graph, "app") == ["lib"]


def test_star_import_targets_the_package() -> None:
    graph = ImportGraph.from_facts([mod("pkg", package=True), mod("app", imp("pkg", "*"))])
    assert targets(graph, "app") == ["pkg"]


def test_namespace_package_has_no_module_but_its_submodules_do() -> None:
    graph = ImportGraph.from_facts(
        [mod("ns.a", imp("ns", "b"), imp("ns", line=2)), mod("ns.b", imp("ns.a", "thing"))]
    )
    assert "ns" not in graph
    assert targets(graph, "ns.a") == ["ns.b"]
    assert strongly_connected_components(graph) == [("ns.a", "ns.b")]


def test_edge_keeps_file_position_and_kind() -> None:
    graph = ImportGraph.from_facts(
        [mod("a", imp("b", line=4, tc=True, fn=True, snippet="import b")), mod("b")]
    )
    (edge,) = graph.edges
    assert edge == ImportEdge(
        importer="a",
        target="b",
        path="a.py",
        span=Span(4, 1, 4, 20),
        type_checking=True,
        in_function=True,
        snippet="import b",
    )


def test_duplicate_module_names_keep_the_first_path_and_all_edges() -> None:
    graph = ImportGraph.from_facts(
        [
            mod("run", imp("lib"), path="scripts/run.py"),
            mod("run", imp("other"), path="notebooks/run.ipynb"),
            mod("lib"),
            mod("other"),
        ]
    )
    assert graph.info("run").path == "notebooks/run.ipynb"
    assert [(e.target, e.path) for e in graph.edges_from("run")] == [
        ("other", "notebooks/run.ipynb"),
        ("lib", "scripts/run.py"),
    ]


def test_modules_keep_roles_and_flags() -> None:
    graph = ImportGraph.from_facts([mod("pkg", package=True, roles=("model",))])
    assert graph.info("pkg") == ModuleInfo("pkg", "pkg/__init__.py", ("model",), True, False)


def test_hand_built_graph_rejects_unknown_modules() -> None:
    with pytest.raises(ValueError):
        ImportGraph([ModuleInfo("a", "a.py")], [ImportEdge("a", "b", "a.py", Span(1, 1, 1, 1))])


# --- package re-exports ---------------------------------------------------------------------------


def reexporting_package(*extra: FileFacts) -> list[FileFacts]:
    """``pkg/__init__.py``: ``from .util import helper`` then ``from .a import A``."""
    return [
        mod(
            "pkg",
            imp("pkg.util", "helper"),
            imp("pkg.a", "A", line=2),
            package=True,
            exports={"helper": "pkg.util.helper", "A": "pkg.a.A"},
        ),
        mod("pkg.util"),
        *extra,
    ]


def test_submodule_importing_a_reexport_from_its_package_depends_on_the_origin() -> None:
    graph = ImportGraph.from_facts(reexporting_package(mod("pkg.a", imp("pkg", "helper"))))
    (edge,) = graph.edges_from("pkg.a")
    assert (edge.target, edge.via) == ("pkg.util", "pkg")
    # the classic false positive pkg <-> pkg.a is not reported
    assert strongly_connected_components(graph) == []


def test_reexport_resolution_still_finds_the_real_cycle() -> None:
    facts = reexporting_package(mod("pkg.a", imp("pkg", "helper")))
    facts[1] = mod("pkg.util", imp("pkg.a", "A"))
    assert sccs(facts) == [("pkg.a", "pkg.util")]


def test_outside_importer_of_a_reexport_depends_on_the_package_init() -> None:
    facts = reexporting_package(mod("pkg.a"), mod("app", imp("pkg", "helper")))
    graph = ImportGraph.from_facts(facts)
    assert targets(graph, "app") == ["pkg"]
    # importing pkg runs its init, which imports pkg.util, which imports app: a real cycle
    facts[1] = mod("pkg.util", imp("app"))
    graph = ImportGraph.from_facts(facts)
    (component,) = strongly_connected_components(graph)
    assert format_cycle(shortest_cycle(graph, component)) == "app -> pkg -> pkg.util -> app"


def test_name_defined_in_the_package_init_is_a_real_cycle() -> None:
    facts = [
        mod("pkg", imp("pkg.a", "A"), package=True, names=("A", "VERSION")),
        mod("pkg.a", imp("pkg", "VERSION")),
    ]
    assert sccs(facts) == [("pkg", "pkg.a")]


def test_submodule_with_no_source_is_not_the_package() -> None:
    """``from . import _fast`` inside a package, ``_fast`` a compiled extension (no .py): Python imports
    the submodule without waiting for the half-initialised package, so no edge to it (scikit-learn)."""
    facts = [
        mod("pkg", imp("pkg.a", "A"), package=True, names=("A",)),
        mod("pkg.a", imp("pkg", "_fast"), imp("pkg", "A", line=2)),
    ]
    graph = ImportGraph.from_facts(facts)
    assert [(e.target, e.span.line) for e in graph.edges_from("pkg.a")] == [("pkg", 2)]
    facts[0] = mod("pkg", imp("pkg.a", "A"), package=True, names=("A",))
    facts[1] = mod("pkg.a", imp("pkg", "_fast"))
    assert sccs(facts) == []
    # a package with a module-level __getattr__ (PEP 562) may bind any name lazily: still an edge
    facts[0] = mod("pkg", imp("pkg.a", "A"), package=True, names=("A", "__getattr__"))
    assert sccs(facts) == [("pkg", "pkg.a")]
    # an importer outside the package runs the whole __init__ first: always an edge
    facts += [mod("app", imp("pkg", "_fast"))]
    assert targets(ImportGraph.from_facts(facts), "app") == ["pkg"]


def test_importing_a_sourceless_submodule_of_an_ancestor_waits_for_nothing() -> None:
    facts = [
        mod("pkg", imp("pkg.sub.a", "A"), package=True, names=("A",)),
        mod("pkg.sub", package=True),
        mod("pkg.sub.a", imp("pkg._common", "x"), imp("pkg.sub._fast"), imp("pkg.sub._k", "y", line=3)),
        mod("pkg.other", imp("pkg.sub._fast")),
        mod("app", imp("pkg._common", "x")),
    ]
    graph = ImportGraph.from_facts(facts)
    assert targets(graph, "pkg.sub.a") == []
    assert sccs(facts) == []
    # outside the package that contains it, the import runs that package's __init__
    assert targets(graph, "pkg.other") == ["pkg.sub"]
    assert targets(graph, "app") == ["pkg"]


def test_reexport_chains_are_followed_through_ancestors() -> None:
    facts = [
        mod("pkg", package=True, exports={"helper": "pkg.sub.helper"}),
        mod("pkg.sub", package=True, exports={"helper": "pkg.sub.impl.helper"}),
        mod("pkg.sub.impl"),
        mod("pkg.sub.x", imp("pkg", "helper")),
        mod("pkg.other", imp("pkg", "helper")),  # pkg.sub is not its ancestor: stop there
    ]
    graph = ImportGraph.from_facts(facts)
    assert targets(graph, "pkg.sub.x") == ["pkg.sub.impl"]
    assert targets(graph, "pkg.other") == ["pkg.sub"]


def test_reexported_submodule_alias_and_third_party_reexport() -> None:
    facts = [
        mod("pkg", package=True, exports={"u": "pkg.util", "np": "numpy", "arr": "numpy.array"}),
        mod("pkg.util"),
        mod("pkg.a", imp("pkg", "u", "np", "arr")),
    ]
    graph = ImportGraph.from_facts(facts)
    assert targets(graph, "pkg.a") == ["pkg", "pkg.util"]


def test_cyclic_reexports_terminate() -> None:
    facts = [
        mod("pkg", package=True, exports={"x": "pkg.sub.x"}),
        mod("pkg.sub", package=True, exports={"x": "pkg.x"}),
        mod("pkg.sub.m", imp("pkg", "x")),
    ]
    graph = ImportGraph.from_facts(facts)
    assert targets(graph, "pkg.sub.m") == ["pkg"]


# --- chains and determinism -----------------------------------------------------------------------


def test_find_shortest_chain() -> None:
    facts = [
        mod("a", imp("c"), imp("b", line=2)),
        mod("b", imp("d")),
        mod("c", imp("d")),
        mod("d", imp("e", fn=True)),
        mod("e"),
        mod("f", imp("a", tc=True)),
    ]
    graph = ImportGraph.from_facts(facts)
    assert find_shortest_chain(graph, "a", "d") == ("a", "b", "d")
    assert find_shortest_chain(graph, "a", "e") == ("a", "b", "d", "e")
    assert find_shortest_chain(graph, "a", "e", include_function_level=False) is None
    assert find_shortest_chain(graph, "f", "a") is None
    assert find_shortest_chain(graph, "f", "a", include_type_checking=True) == ("f", "a")
    assert find_shortest_chain(graph, "d", "a") is None
    assert find_shortest_chain(graph, "a", "a") is None
    assert find_shortest_chain(graph, "a", "missing") is None


def random_project(seed: int, n: int = 120) -> list[FileFacts]:
    rng = random.Random(seed)
    names = [f"p{i // 10}.m{i}" for i in range(n)]
    facts = [mod(f"p{i}", package=True) for i in range(n // 10)]
    for name in names:
        imports = [
            imp(rng.choice(names), line=line, tc=rng.random() < 0.1, fn=rng.random() < 0.1)
            for line in range(1, rng.randint(1, 4) + 1)
        ]
        facts.append(mod(name, *imports))
    return facts


def summary(facts: list[FileFacts]) -> tuple[object, ...]:
    graph = ImportGraph.from_facts(facts)
    components = strongly_connected_components(graph)
    return (
        graph.modules,
        graph.edges,
        components,
        [shortest_cycle(graph, c) for c in components],
        [component_edges(graph, c) for c in components],
        find_shortest_chain(graph, graph.modules[-1], graph.modules[0]),
    )


@pytest.mark.parametrize("seed", range(5))
def test_results_do_not_depend_on_file_order(seed: int) -> None:
    facts = random_project(seed)
    expected = summary(facts)
    assert expected[2], "the random project should contain cycles"
    for attempt in range(5):
        shuffled = list(facts)
        random.Random(attempt).shuffle(shuffled)
        for f in shuffled:
            random.Random(attempt).shuffle(f.imports)
        assert summary(shuffled) == expected
