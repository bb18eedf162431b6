"""Shared by the complexity rules: which files they report in and how they name a measured block."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.model import ComplexityFact, FileFacts
from mlaudit.project.index import ProjectIndex


def measured_files(index: ProjectIndex) -> Iterator[FileFacts]:
    """Production code and experiments (notebooks included); never tests."""
    for facts in index:
        if "test" not in facts.roles:
            yield facts


def describe(fact: ComplexityFact) -> str:
    """``Function `load` ``, ``Method `Model.fit` `` or ``Cell 3``."""
    if fact.kind == "cell":
        return fact.name.capitalize()
    return f"{fact.kind.capitalize()} `{fact.name}`"
