"""MLA101 global-statement: a ``global`` statement inside a function.

Quiet where the function's module state is not what the rule is about (rules.md v2, "Scripts",
"Frameworks"): a notebook saved as ``.py`` (an experiment), a file run by a tool (``setup.py``,
``noxfile.py``, Sphinx's ``docs/conf.py``), FastAPI start-up code, behave step files, and a ``global``
whose names are only lazily initialised there (``if _model is None: _model = load()``: a cache).

Also quiet on a function the file's own run hands to an imported API as a callback (``InputStream(callback=f)``,
``FuncAnimation(fig, f)``, ``signal.signal(sig, f)``, ``atexit.register(f)``, ``Thread(target=f)``) at module
level or under the main guard: the library fixes its signature (no state in, no value out) and the state lives
for the script's one run.

One finding per function and cause (rules.md, "One finding per cause"): several ``global`` statements of one
function that rebind module state are one finding at the first, the others in ``related``; a ``global`` that
is simply not needed stays a finding of its own (a different cause, with a safe fix).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FileRule, RawFinding, RelatedSite, RuleOptions
from mlaudit.facts import frameworks as fw
from mlaudit.facts.names import statement_bindings
from mlaudit.facts.notebook_export import is_notebook_export
from mlaudit.facts.script_scan import is_bdd_file, lifespan_root, scan_context
from mlaudit.model import Severity
from mlaudit.project.scripts import matches_path
from mlaudit.rules.state._lazy_init import lazily_initialised


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


def unbound_names(node: cst.FunctionDef) -> set[str]:
    """Names a function body deletes or binds with ``:=``."""
    unbinds = _Unbinds()
    for stmt in node.body.body:
        stmt.visit(unbinds)
    return unbinds.names


def assigned_names(node: cst.FunctionDef, module: str, is_package: bool) -> set[str]:
    """Names a function body binds: assignment, loop target, import, ``def``, ``del``, ``:=``."""
    body = list(node.body.body)
    names = {name for name, _, is_decl in statement_bindings(body, module, is_package) if not is_decl}
    return names | unbound_names(node)


def quiet_file(path: str, text: str) -> bool:
    """A notebook saved as ``.py`` (an experiment, like the notebook) or a file a tool runs."""
    return matches_path(path, fw.TOOL_RUN_FILES + fw.TOOL_RUN_CONFIGS) or is_notebook_export(text)


_NOT_CALLBACK_ROOTS = frozenset({"builtins", "functools", "itertools", "operator"})
"""Calls that take a function without registering it as a callback (``map``, ``sorted``, ``partial``)."""


@dataclass(slots=True)
class _Pending:
    """The ``global`` statements of one function that rebind module state, in source order."""

    function: str
    top: str
    """The function's top-level name (the one a callback registration passes)."""
    nodes: list[cst.Global] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


class GlobalStatement(FileRule):
    """Flags ``global`` in a function: the function rebinds module state instead of returning a value."""

    code = "MLA101"
    name = "global-statement"
    category = "state"
    severity = Severity.WARNING
    # Opt-in: independent reviews of real ML repositories found it right on 10 of 16 after the fixes (12 of 25 before): run timers, pool initialisers and callbacks need their global;
    # below the 90% bar of the default selection (rules.md, "Precision bar"). See after.md.
    default_enabled = False
    message = "`global` statement in a function: pass state in and return it, or keep it in an object"

    def __init__(self, ctx: FileContext, options: RuleOptions) -> None:
        super().__init__(ctx, options)
        self._lifespan: tuple[str, ...] | None = None
        self._quiet: bool | None = None
        self._pending: dict[str, _Pending] = {}
        self._callbacks: set[str] = set()

    def _in_lifespan(self, qualname: str) -> bool:
        """FastAPI start-up code fills application state once (rules.md, "Frameworks")."""
        if self._lifespan is None:
            self._lifespan = tuple(scan_context(self.ctx).lifespan)
        return lifespan_root(qualname, self._lifespan)

    def visit_Global(self, node: cst.Global) -> None:
        scope = self.ctx.function
        if scope is None or not isinstance(scope.node, cst.FunctionDef):
            return  # `global` at module level or in a class body rebinds nothing from a function
        if self._quiet is None:  # decided at the first `global`: most files have none
            ctx = self.ctx
            self._quiet = is_bdd_file(ctx.path, ctx.names.imported_packages()) or quiet_file(ctx.path, ctx.text)
        if self._quiet or self._in_lifespan(scope.qualname):
            return
        names = [item.name.value for item in node.names]
        listed = ", ".join(names)
        assigned = assigned_names(scope.node, self.ctx.module, self.ctx.is_package)
        if set(names) <= lazily_initialised(scope.node, names, unbound_names(scope.node)):
            return  # `if _config is None: _config = load()`: a lazily filled cache
        unused = [n for n in names if n not in assigned]
        if len(unused) == len(names):
            what = "it is" if len(names) == 1 else "they are"
            message = f"`global {listed}` in `{scope.qualname}` is not needed ({what} never assigned there): remove it"
            self.report(node, message)
            return
        top = scope.qualname.split(".")[0]
        pending = self._pending.setdefault(scope.qualname, _Pending(scope.qualname, top))
        pending.nodes.append(node)
        for name in names:
            if name not in pending.names:
                pending.names.append(name)

    # --- callbacks the script's own run registers ---------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.functions or self.ctx.classes:
            return  # module level or the main guard: the file's own run
        resolved = self.ctx.resolve(node.func)
        if resolved is None or resolved.partition(".")[0] in _NOT_CALLBACK_ROOTS:
            return
        if resolved.split(".")[0] == (self.ctx.module.split(".")[0] if self.ctx.module else ""):
            return  # a function of this file, called with another: not a library's callback
        for arg in node.args:
            if isinstance(arg.value, cst.Name) and arg.value.value in self.ctx.names.defs:
                self._callbacks.add(arg.value.value)

    def leave_Module(self, original_node: cst.Module) -> None:
        for pending in self._pending.values():
            if pending.top in self._callbacks:
                continue  # a library callback: its signature is fixed, the state lives for one run
            self.findings.append(self._finding(pending))
        self.findings.sort(key=lambda f: (f.span.line, f.span.col))

    def _finding(self, pending: _Pending) -> RawFinding:
        first, *rest = pending.nodes
        span = self.ctx.position(first)
        listed = ", ".join(pending.names)
        if rest:
            head = f"{len(pending.nodes)} `global` statements ({listed}) in `{pending.function}`"
        else:
            head = f"`global {listed}` in `{pending.function}`"
        related = [RelatedSite(self.ctx.path, self.ctx.position(n), "another `global` in the same function") for n in rest]
        message = f"{head}: pass state in and return it, or keep it in an object"
        return RawFinding(self.code, self.ctx.path, span, message, self.ctx.snippet(span), related)
