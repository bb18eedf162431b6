"""I/O reachability over hand-built facts: chains across modules, cycles, shortest and deterministic chains."""

from __future__ import annotations

import itertools

from mlaudit.facts.model import CallFact, FileFacts, FunctionFact, IoSiteFact, Span
from mlaudit.project.callgraph import CallGraph, io_reachability


def span(line: int, col: int = 5) -> Span:
    return Span(line, col, line, col + 10)


def fn(
    qualname: str, line: int, *, calls: tuple[tuple[str, int], ...] = (), io: tuple[tuple[str, int], ...] = ()
) -> FunctionFact:
    return FunctionFact(
        qualname=qualname,
        span=span(line, 1),
        calls=[CallFact(target, span(at), f"{target}()") for target, at in calls],
        io_sites=[IoSiteFact(api, "read", span(at), f"{api}()") for api, at in io],
    )


def module(name: str, *functions: FunctionFact, exports: dict[str, str] | None = None) -> FileFacts:
    path = name.replace(".", "/") + ".py"
    return FileFacts(module=name, path=path, functions=list(functions), exports=dict(exports or {}))


def names(chain_hops: object) -> list[str]:
    return [h.callee for h in chain_hops]  # type: ignore[attr-defined]


def test_chain_across_three_modules() -> None:
    files = [
        module("pkg.features", fn("build_features", 1, calls=(("pkg.lookups.load_table", 3),))),
        module("pkg.lookups", fn("load_table", 1, calls=(("pkg.io.read", 2),))),
        module("pkg.io", fn("read", 1, io=(("pandas.read_csv", 2),))),
    ]
    chains = io_reachability(files)
    chain = chains["pkg.features.build_features"]
    assert chain.names() == [
        "pkg.features.build_features",
        "pkg.lookups.load_table",
        "pkg.io.read",
        "pandas.read_csv",
    ]
    assert [h.path for h in chain.hops] == ["pkg/features.py", "pkg/lookups.py", "pkg/io.py"]
    assert chain.api == "pandas.read_csv"
    assert chain.kind == "read"
    assert chain.hops[0].span == span(3)


def test_functions_without_io_are_absent() -> None:
    files = [module("m", fn("pure", 1, calls=(("m.other", 2),)), fn("other", 5))]
    assert io_reachability(files) == {}


def test_cycles_terminate_and_still_reach_io() -> None:
    files = [
        module("a", fn("f", 1, calls=(("b.g", 2),))),
        module("b", fn("g", 1, calls=(("a.f", 2), ("c.h", 3)))),
        module("c", fn("h", 1, calls=(("c.h", 2),), io=(("builtins.open", 3),))),
        module("d", fn("loop1", 1, calls=(("d.loop2", 2),)), fn("loop2", 5, calls=(("d.loop1", 6),))),
    ]
    chains = io_reachability(files)
    assert chains["a.f"].names() == ["a.f", "b.g", "c.h", "builtins.open"]
    assert chains["b.g"].names() == ["b.g", "c.h", "builtins.open"]
    assert "d.loop1" not in chains and "d.loop2" not in chains


def test_shortest_chain_wins_then_source_order() -> None:
    files = [
        module(
            "m",
            # long path first in source order, short path later: the short one wins
            fn("t", 1, calls=(("m.long1", 2), ("m.short_b", 4), ("m.short_a", 3))),
            fn("long1", 10, calls=(("m.long2", 11),)),
            fn("long2", 20, calls=(("m.leaf", 21),)),
            fn("short_a", 30, calls=(("m.leaf", 31),)),
            fn("short_b", 40, calls=(("m.leaf", 41),)),
            fn("leaf", 50, io=(("requests.get", 52), ("builtins.open", 51))),
        )
    ]
    chain = io_reachability(files)["m.t"]
    # equal length via short_a (line 3) and short_b (line 4): the earlier call site wins
    assert chain.names() == ["m.t", "m.short_a", "m.leaf", "builtins.open"]
    assert chain.io.span == span(51)


def test_result_does_not_depend_on_file_order() -> None:
    files = [
        module("p.a", fn("t", 1, calls=(("p.b.x", 2), ("p.c.y", 2)))),
        module("p.b", fn("x", 1, io=(("pickle.load", 3),))),
        module("p.c", fn("y", 1, io=(("json.load", 3),))),
    ]
    results = {
        tuple(tuple(c.names()) for _, c in sorted(io_reachability(list(order)).items()))
        for order in itertools.permutations(files)
    }
    assert len(results) == 1


def test_reexports_classes_and_methods_resolve() -> None:
    files = [
        module("pkg", exports={"helper": "pkg.util.helper", "Loader": "pkg.util.Loader"}),
        module(
            "pkg.util",
            fn("helper", 1, io=(("numpy.load", 2),)),
            fn("Loader.__init__", 5, calls=(("pkg.util.Loader._read", 6),)),
            fn("Loader._read", 8, io=(("builtins.open", 9),)),
        ),
        module("pkg.features", fn("build", 1, calls=(("pkg.helper", 2), ("pkg.Loader", 3)))),
    ]
    graph = CallGraph.build(files)
    assert graph.resolve("pkg.helper") == "pkg.util.helper"
    assert graph.resolve("pkg.Loader") == "pkg.util.Loader.__init__"
    assert graph.resolve("pandas.read_csv") is None
    chains = graph.io_chains()
    assert chains["pkg.features.build"].names() == ["pkg.features.build", "pkg.util.helper", "numpy.load"]
    assert chains["pkg.util.Loader.__init__"].names()[-2:] == ["pkg.util.Loader._read", "builtins.open"]


def test_reexport_cycles_terminate() -> None:
    files = [
        module("a", exports={"x": "b.x"}),
        module("b", exports={"x": "a.x"}),
        module("c", fn("t", 1, calls=(("a.x", 2),))),
    ]
    graph = CallGraph.build(files)
    assert graph.resolve("a.x") is None
    assert graph.io_chains() == {}


def test_self_recursion_is_not_an_edge() -> None:
    files = [module("m", fn("f", 1, calls=(("m.f", 2),), io=(("builtins.open", 3),)))]
    chain = io_reachability(files)["m.f"]
    assert chain.names() == ["m.f", "builtins.open"]
