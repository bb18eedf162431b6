"""The rule contract checks itself when the registry is built: a trap that used to disable a rule
silently is now an error naming the rule."""

from __future__ import annotations

from typing import ClassVar

import pytest

from mlaudit import api
from mlaudit.engine.registry import Registry, RegistryError
from mlaudit.engine.rule import ProjectRule
from mlaudit.model import Severity


class _TypoFacts(ProjectRule):
    code = "XRC001"
    name = "typo-facts"
    category = "config"
    severity = Severity.WARNING
    message = "never runs"
    requires_facts: ClassVar[frozenset[str]] = frozenset({"hyperparam"})

    def check(self, index):  # type: ignore[no-untyped-def]
        return []


def test_unknown_fact_in_requires_facts_is_an_error_naming_the_rule() -> None:
    base = api.registry(plugins=False)
    with pytest.raises(RegistryError) as caught:
        Registry(rules=[*base.rules, _TypoFacts], extractors=list(base.extractors))
    message = str(caught.value)
    assert "XRC001" in message and "`hyperparam`" in message and "did you mean `hyperparams`" in message


def test_every_built_in_rule_requires_known_facts() -> None:
    base = api.registry(plugins=False)
    Registry(rules=list(base.rules), extractors=list(base.extractors))  # does not raise
