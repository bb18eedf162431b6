"""Tiny rules used to test the engine independently of the built-in families."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from mlaudit import api
from mlaudit.engine.registry import Registry
from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, TEST, FileRule
from mlaudit.model import Report, Severity
from tests.conftest import check


class PrintCall(FileRule):
    code = "XTS001"
    name = "print-call"
    category = "meta"
    severity = Severity.WARNING
    message = "Call to print: use logging"
    applies_to = frozenset({PRODUCTION, TEST, EXPERIMENT})

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.resolve(node.func) == "builtins.print":
            self.report(node)


class Crashing(FileRule):
    code = "XTS002"
    name = "crashing-rule"
    category = "meta"
    severity = Severity.ERROR
    message = "Always crashes"
    applies_to = frozenset({PRODUCTION, TEST, EXPERIMENT})

    def visit_Call(self, node: cst.Call) -> None:
        raise ZeroDivisionError("boom")


def probe_registry() -> Registry:
    base = api.registry(plugins=False)
    return Registry(rules=[*base.rules, PrintCall, Crashing], extractors=list(base.extractors))


def run(root: Path, *select: str, paths: list[Path] | None = None, **overrides: object) -> Report:
    """``conftest.check`` with the probes registered (the probe and the meta rules unless selected)."""
    return check(root, *(select or ("XTS001", "MLA0")), paths=paths, registry=probe_registry(), **overrides)
