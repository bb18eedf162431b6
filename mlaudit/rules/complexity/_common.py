"""Shared by the complexity rules: how they name a measured block (where they report is their
``applies_to``, which the engine applies: production code and experiments, never tests)."""

from __future__ import annotations

from mlaudit.facts.model import ComplexityFact


def describe(fact: ComplexityFact) -> str:
    """``Function `load` ``, ``Method `Model.fit` `` or ``Cell 3``."""
    if fact.kind == "cell":
        return fact.name.capitalize()
    return f"{fact.kind.capitalize()} `{fact.name}`"
