"""Probe rules for the CI-gate tests, independent of the built-in rule families (which evolve).

``legacy-call`` (XCI001) flags every call to ``legacy_call``; ``shared-import`` (XCI002) is a project
rule reporting a module imported by several files, at the first import, with the others as related
locations (the shape of cycle and clone findings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import libcst as cst

from mlaudit import api
from mlaudit.engine.registry import Registry
from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, TEST, FileRule, ProjectRule, RawFinding, RelatedSite
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex

ALL_ROLES = frozenset({PRODUCTION, TEST, EXPERIMENT})


class LegacyCall(FileRule):
    code = "XCI001"
    name = "legacy-call"
    category = "purity"
    severity = Severity.WARNING
    message = "Call to legacy_call: use new_call"
    applies_to = ALL_ROLES

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "legacy_call":
            self.report(node)


class SharedImport(ProjectRule):
    code = "XCI002"
    name = "shared-import"
    category = "architecture"
    severity = Severity.ERROR
    message = "Module imported by several files"
    applies_to = ALL_ROLES
    requires_facts = frozenset({"imports"})

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        sites: dict[str, list[RelatedSite]] = defaultdict(list)
        for facts in index:
            for imp in facts.imports:
                if imp.target == "shared_dep":
                    sites[imp.target].append(
                        RelatedSite(facts.path, imp.span, f"also imported in {facts.path}")
                    )
        for target, found in sites.items():
            if len(found) > 1:
                first, *rest = found
                yield self.finding(
                    first.path,
                    first.span,
                    f"`{target}` is imported by {len(found)} files",
                    snippet=target,
                    related=rest,
                )


def probe_registry() -> Registry:
    base = api.registry(plugins=False)
    return Registry(rules=[*base.rules, LegacyCall, SharedImport], extractors=list(base.extractors))
