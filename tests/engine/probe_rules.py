"""Tiny rules used to test the engine independently of the built-in families."""

from __future__ import annotations

import libcst as cst

from mlaudit import api
from mlaudit.engine.registry import Registry
from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, TEST, FileRule
from mlaudit.model import Severity


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


def run(root, *select: str, paths=None, **overrides):  # type: ignore[no-untyped-def]
    opts = {k.replace("_", "-"): v for k, v in overrides.items()}
    opts["select"] = select or ("XTS001", "MLA0")
    return api.check(
        paths or [root],
        api.CheckOptions(isolated=True, overrides=opts, jobs=1, no_cache=True, registry=probe_registry()),
    )
