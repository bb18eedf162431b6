"""Shared by the architecture rules: the import graph of one run, built once from the import facts."""

from __future__ import annotations

from mlaudit.facts.model import FileFacts
from mlaudit.project.import_graph import ImportGraph
from mlaudit.project.index import ProjectIndex


def graph_facts(index: ProjectIndex) -> list[FileFacts]:
    """The files that are importable modules: not notebooks (nothing imports them) and not ``.pyi``
    stubs (their imports never run)."""
    return [f for f in index if not f.is_notebook and not f.path.endswith(".pyi") and f.module]


def import_graph(index: ProjectIndex) -> ImportGraph:
    """The first-party import graph of the run (the three rules share one build)."""
    return index.memo("architecture.import-graph", lambda: ImportGraph.from_facts(graph_facts(index)))


def is_production(roles: tuple[str, ...]) -> bool:
    return "test" not in roles and "experiment" not in roles
