"""Layer contracts over hand-built import graphs."""

from __future__ import annotations

import random

import pytest

from mlaudit.facts.model import FileFacts, ImportFact, Span
from mlaudit.project.import_graph import ImportGraph
from mlaudit.project.layers import (
    DEFAULT_ML_LAYERS,
    Layer,
    LayerContract,
    default_ml_contract,
    find_layer_violations,
    match_module_glob,
    place_module,
)


def imp(target: str, *names: str, line: int = 1, tc: bool = False, fn: bool = False) -> ImportFact:
    return ImportFact(target, names, Span(line, 1, line, 10), type_checking=tc, in_function=fn)


def mod(name: str, *imports: ImportFact, roles: tuple[str, ...] = ()) -> FileFacts:
    return FileFacts(module=name, path=name.replace(".", "/") + ".py", roles=roles, imports=list(imports))


def found(graph: ImportGraph, contract: LayerContract) -> list[tuple[str, str, str, str, str]]:
    return [
        (v.importer, v.imported, v.importer_layer, v.imported_layer, v.kind)
        for v in find_layer_violations(graph, contract)
    ]


# --- parsing and matching -------------------------------------------------------------------------


def test_layer_parsing() -> None:
    assert Layer.parse("a.b") == Layer(("a.b",), True)
    assert Layer.parse(" a | b ") == Layer(("a", "b"), True)
    assert Layer.parse("a : b") == Layer(("a", "b"), False)
    assert str(Layer.parse("a|b")) == "a | b"
    with pytest.raises(ValueError):
        Layer.parse("a | b : c")
    with pytest.raises(ValueError):
        Layer.parse("a | ")


@pytest.mark.parametrize(
    ("pattern", "module", "expected"),
    [
        ("pkg.data", "pkg.data", True),
        ("pkg.data", "pkg.data.loaders", True),
        ("pkg.data", "pkg.database", False),
        ("pkg.data", "pkg", False),
        ("pkg.*", "pkg.anything.deeper", True),
        ("pkg.*", "pkg", False),
        ("*.api", "svc.api", True),
        ("*.api", "svc.sub.api", False),
        ("**.api", "svc.sub.api", True),
        ("**.api", "api", True),
        ("pkg.**.views", "pkg.views", True),
        ("pkg.**.views", "pkg.a.b.views.x", True),
        ("pkg.**.views", "pkg.a.b", False),
        ("pkg.*_io", "pkg.file_io", True),
        ("pkg.*_io", "pkg.io", False),
    ],
)
def test_module_glob(pattern: str, module: str, expected: bool) -> None:
    assert match_module_glob(pattern, module) is expected


# --- default ML contract (roles) ------------------------------------------------------------------


def ml_project(*extra: FileFacts) -> ImportGraph:
    return ImportGraph.from_facts(
        [
            mod("proj.config", roles=("config",)),
            mod("proj.data", imp("proj.config"), roles=("data",)),
            mod("proj.features", imp("proj.data"), imp("proj.train", line=2), roles=("features",)),
            mod("proj.model", imp("proj.features"), roles=("model",)),
            mod("proj.train", imp("proj.model"), imp("proj.config", line=2), roles=("train",)),
            mod("proj.serve", imp("proj.model"), imp("proj.features", line=2), roles=("serve",)),
            mod("proj.utils", imp("proj.serve")),
            *extra,
        ]
    )


def test_default_contract_order() -> None:
    assert DEFAULT_ML_LAYERS[::-1] == ("config", "data", "features", "model", "train", "serve")
    contract = default_ml_contract()
    assert contract.by == "role"
    assert contract.exclude_roles == frozenset({"test", "experiment"})


def test_default_contract_flags_only_upward_imports() -> None:
    graph = ml_project()
    assert found(graph, default_ml_contract()) == [
        ("proj.features", "proj.train", "features", "train", "upward"),
    ]
    (violation,) = find_layer_violations(graph, default_ml_contract())
    assert (violation.edge.path, violation.edge.span.line) == ("proj/features.py", 2)


def test_tests_experiments_and_unlayered_modules_stay_quiet() -> None:
    graph = ml_project(
        mod("tests.test_data", imp("proj.serve"), roles=("test", "data")),
        mod("notebooks.explore", imp("proj.serve"), roles=("experiment",)),
        mod("proj.config_loader", imp("notebooks.explore"), roles=("config",)),
    )
    assert found(graph, default_ml_contract()) == [
        ("proj.features", "proj.train", "features", "train", "upward"),
    ]


def test_type_checking_imports_never_count_and_lazy_ones_do_by_default() -> None:
    graph = ImportGraph.from_facts(
        [
            mod("d", imp("s", tc=True), imp("s", line=2, fn=True), roles=("data",)),
            mod("s", roles=("serve",)),
        ]
    )
    assert [v.edge.span.line for v in find_layer_violations(graph, default_ml_contract())] == [2]
    strict_import_time = LayerContract.from_strings(
        DEFAULT_ML_LAYERS, by="role", include_function_level=False
    )
    assert find_layer_violations(graph, strict_import_time) == []


def test_module_with_two_layer_roles_spans_both() -> None:
    graph = ImportGraph.from_facts(
        [
            mod("serving.model", imp("train"), roles=("serve", "model")),
            mod("train", imp("serving.model", line=2), roles=("train",)),
            mod("data", imp("serving.model"), roles=("data",)),
        ]
    )
    placement = place_module(graph, "serving.model", default_ml_contract())
    assert placement is not None
    assert (placement.low, placement.high, placement.label, placement.sibling) == (3, 5, "model/serve", None)
    # neither train <-> serving.model direction is certain: quiet; data -> it is upward for sure
    assert found(graph, default_ml_contract()) == [("data", "serving.model", "data", "model/serve", "upward")]


def test_role_contract_with_independent_siblings() -> None:
    contract = LayerContract.from_strings(["serve | train", "model", "data"], by="role")
    graph = ImportGraph.from_facts(
        [
            mod("serve", imp("train"), imp("model", line=2), roles=("serve",)),
            mod("train", imp("model"), roles=("train",)),
            mod("model", imp("data"), roles=("model",)),
            mod("data", roles=("data",)),
        ]
    )
    assert found(graph, contract) == [("serve", "train", "serve", "train", "sibling")]


# --- user contract (module globs) -----------------------------------------------------------------

MLAUDIT_LAYERS = [
    "mlaudit.cli",
    "mlaudit.api",
    "mlaudit.reporters | mlaudit.rules",
    "mlaudit.engine",
    "mlaudit.project",
    "mlaudit.facts",
]


def mlaudit_like(*extra: FileFacts) -> ImportGraph:
    return ImportGraph.from_facts(
        [
            mod("mlaudit.cli", imp("mlaudit.api"), imp("mlaudit.engine.runner", line=2)),
            mod("mlaudit.api", imp("mlaudit.reporters.json"), imp("mlaudit.rules.cycles", line=2)),
            mod("mlaudit.reporters.json", imp("mlaudit.engine.runner")),
            mod("mlaudit.rules.cycles", imp("mlaudit.rules.base"), imp("mlaudit.project.graph", line=2)),
            mod("mlaudit.rules.base", imp("mlaudit.engine.runner")),
            mod("mlaudit.engine.runner", imp("mlaudit.facts.model")),
            mod("mlaudit.project.graph", imp("mlaudit.facts.model")),
            mod("mlaudit.facts.model"),
            mod("mlaudit.version"),
            *extra,
        ]
    )


def test_clean_module_contract() -> None:
    assert find_layer_violations(mlaudit_like(), LayerContract.from_strings(MLAUDIT_LAYERS)) == []


def test_module_contract_upward_and_sibling_violations() -> None:
    graph = mlaudit_like(
        mod("mlaudit.engine.cache", imp("mlaudit.api"), imp("mlaudit.version", line=2)),
        mod("mlaudit.reporters.text", imp("mlaudit.rules.base")),
        mod("mlaudit.facts.extract", imp("mlaudit.cli", tc=True)),
    )
    assert found(graph, LayerContract.from_strings(MLAUDIT_LAYERS)) == [
        ("mlaudit.engine.cache", "mlaudit.api", "mlaudit.engine", "mlaudit.api", "upward"),
        ("mlaudit.reporters.text", "mlaudit.rules.base", "mlaudit.reporters", "mlaudit.rules", "sibling"),
    ]


def test_shared_layer_members_may_import_each_other() -> None:
    contract = LayerContract.from_strings(["app.web : app.cli", "app.core"])
    graph = ImportGraph.from_facts([mod("app.web", imp("app.cli")), mod("app.cli"), mod("app.core")])
    assert find_layer_violations(graph, contract) == []


def test_most_specific_member_wins() -> None:
    contract = LayerContract.from_strings(["app.*", "app.db"])
    graph = ImportGraph.from_facts(
        [mod("app.db.session", imp("app.web")), mod("app.web", imp("app.db.session", line=2))]
    )
    assert found(graph, contract) == [("app.db.session", "app.web", "app.db", "app.*", "upward")]


def test_containers_scope_the_contract() -> None:
    contract = LayerContract.from_strings(["api", "core"], containers=["svc_a", "svc_b"])
    graph = ImportGraph.from_facts(
        [
            mod("svc_a.core", imp("svc_a.api"), imp("svc_b.api", line=2)),
            mod("svc_a.api"),
            mod("svc_b.core.x", imp("svc_b.api")),
            mod("svc_b.api"),
            mod("other.core", imp("other.api")),
            mod("other.api"),
        ]
    )
    assert found(graph, contract) == [
        ("svc_a.core", "svc_a.api", "core", "api", "upward"),
        ("svc_b.core.x", "svc_b.api", "core", "api", "upward"),
    ]


def test_violations_do_not_depend_on_file_order() -> None:
    facts = [
        mod(f"p.l{i}.m{j}", *(imp(f"p.l{(i + k) % 5}.m{k}", line=k + 1) for k in range(4)))
        for i in range(5)
        for j in range(4)
    ]
    contract = LayerContract.from_strings([f"p.l{i}" for i in range(4, -1, -1)])
    expected = find_layer_violations(ImportGraph.from_facts(facts), contract)
    assert expected
    for seed in range(5):
        shuffled = list(facts)
        random.Random(seed).shuffle(shuffled)
        assert find_layer_violations(ImportGraph.from_facts(shuffled), contract) == expected
