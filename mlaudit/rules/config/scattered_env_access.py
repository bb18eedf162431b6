"""MLA302 scattered-env-access: environment variables read outside configuration."""

from __future__ import annotations

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FileRule, RuleOptions
from mlaudit.facts.hyperparams import ConfigScope
from mlaudit.facts.ml_apis import ENV, lookup
from mlaudit.model import Severity

_ENV_OBJECTS = frozenset({"os.environ", "os.environb"})
_ENV_CALL_NAMES = frozenset({"getenv", "getenvb", "get", "setdefault"})


class ScatteredEnvAccess(FileRule):
    code = "MLA302"
    name = "scattered-env-access"
    category = "config"
    severity = Severity.WARNING
    message = "Environment read outside configuration: read it once in a config module and pass the value in"

    def __init__(self, ctx: FileContext, options: RuleOptions) -> None:
        super().__init__(ctx, options)
        self.config = ConfigScope(ctx)
        self._quiet = ctx.is_config_module

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.config.enter(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.config.leave()

    def _flag(self, node: cst.CSTNode, what: str) -> None:
        if self._quiet or self.config.inside:
            return
        self.report(
            node,
            f"environment read outside configuration (`{what}`): read it once in a config module or "
            "settings model and pass the value in",
        )

    def visit_Subscript(self, node: cst.Subscript) -> None:
        value = node.value
        if isinstance(value, cst.Attribute):
            last = value.attr.value
        elif isinstance(value, cst.Name):
            last = value.value
        else:
            return
        if last not in ("environ", "environb"):
            return
        resolved = self.ctx.resolve(value)
        if resolved in _ENV_OBJECTS:
            self._flag(node, f"{resolved}[...]")

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            last = func.attr.value
        elif isinstance(func, cst.Name):
            last = func.value
        else:
            return
        if last not in _ENV_CALL_NAMES:
            return
        resolved = self.ctx.resolve(func)
        api = lookup(resolved)
        if api is not None and api.kind == ENV and api.name not in _ENV_OBJECTS:
            self._flag(node, f"{api.name}(...)")
