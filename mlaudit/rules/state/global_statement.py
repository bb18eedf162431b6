"""MLA101 global-statement: a ``global`` statement inside a function."""

from __future__ import annotations

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FileRule, RuleOptions
from mlaudit.facts.names import statement_bindings
from mlaudit.facts.script_scan import is_bdd_file, lifespan_root, scan_context
from mlaudit.model import Severity


class _Unbinds(cst.CSTVisitor):
    """Plain names a function body deletes or binds with ``:=`` (``statement_bindings`` skips them)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # nested functions are scopes of their own

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Del(self, node: cst.Del) -> None:
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
        for element in targets:
            target = element.value if isinstance(element, cst.BaseElement) else element
            if isinstance(target, cst.Name):
                self.names.add(target.value)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if isinstance(node.target, cst.Name):
            self.names.add(node.target.value)


def assigned_names(node: cst.FunctionDef, module: str, is_package: bool) -> set[str]:
    """Names a function body binds: assignment, loop target, import, ``def``, ``del``, ``:=``."""
    body = list(node.body.body)
    names = {name for name, _, is_decl in statement_bindings(body, module, is_package) if not is_decl}
    unbinds = _Unbinds()
    for stmt in body:
        stmt.visit(unbinds)
    return names | unbinds.names


class GlobalStatement(FileRule):
    """Flags ``global`` in a function: the function rebinds module state instead of returning a value."""

    code = "MLA101"
    name = "global-statement"
    category = "state"
    severity = Severity.WARNING
    message = "`global` statement in a function: pass state in and return it, or keep it in an object"

    def __init__(self, ctx: FileContext, options: RuleOptions) -> None:
        super().__init__(ctx, options)
        self._lifespan: tuple[str, ...] | None = None
        self._bdd = is_bdd_file(ctx.path, ctx.names.imported_packages())

    def _in_lifespan(self, qualname: str) -> bool:
        """FastAPI start-up code fills application state once (rules.md, "Frameworks")."""
        if self._lifespan is None:
            self._lifespan = tuple(scan_context(self.ctx).lifespan)
        return lifespan_root(qualname, self._lifespan)

    def visit_Global(self, node: cst.Global) -> None:
        scope = self.ctx.function
        if scope is None or not isinstance(scope.node, cst.FunctionDef):
            return  # `global` at module level or in a class body rebinds nothing from a function
        if self._bdd or self._in_lifespan(scope.qualname):
            return
        names = [item.name.value for item in node.names]
        listed = ", ".join(names)
        assigned = assigned_names(scope.node, self.ctx.module, self.ctx.is_package)
        unused = [n for n in names if n not in assigned]
        if len(unused) == len(names):
            what = "it is" if len(names) == 1 else "they are"
            message = f"`global {listed}` in `{scope.qualname}` is not needed ({what} never assigned there): remove it"
        else:
            message = f"`global {listed}` in `{scope.qualname}`: pass state in and return it, or keep it in an object"
        self.report(node, message)
