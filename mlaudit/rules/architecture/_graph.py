"""Shared by the architecture rules: the import graphs of one run, built once from the import facts."""

from __future__ import annotations

from mlaudit.facts.model import FileFacts
from mlaudit.project.import_graph import ImportGraph
from mlaudit.project.index import ProjectIndex


def graph_facts(index: ProjectIndex) -> list[FileFacts]:
    """The files that are importable modules: not notebooks (nothing imports them) and not ``.pyi``
    stubs (their imports never run)."""
    return [f for f in index if not f.is_notebook and not f.path.endswith(".pyi") and f.module]


def import_graph(index: ProjectIndex) -> ImportGraph:
    """The first-party import graph of the whole run."""
    return index.memo("architecture.import-graph", lambda: ImportGraph.from_facts(graph_facts(index)))


def import_graphs(index: ProjectIndex) -> list[ImportGraph]:
    """One import graph per group of programs linked by imports (``project.programs``): independent
    programs (lessons of a course, example projects) are never one graph, so two lessons that both have
    a ``train.py`` and a ``model.py`` are not one module and cannot form a cycle or a layer violation
    together. A project that is one program has one graph, the whole run's."""

    def compute() -> list[ImportGraph]:
        components = index.programs.components()
        if len(components) < 2:
            return [import_graph(index)]
        facts = graph_facts(index)
        programs = index.programs
        return [ImportGraph.from_facts([f for f in facts if programs.of(f.path) in c]) for c in components]

    return index.memo("architecture.import-graphs", compute)
