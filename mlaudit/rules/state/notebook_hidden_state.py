"""MLA104 notebook-hidden-state: a notebook function reads a global that other cells bind.

In a notebook, ``def add_features(frame): ... frame["x"] / df["x"].max() ...`` in cell 5 silently uses
whichever ``df`` the last executed cell left behind: the function's result depends on which cells ran,
and in which order. The rule looks at every function (and method) defined at the top of a notebook cell,
collects the names it reads but does not bind itself, and reports those that the notebook binds at module
level by assignment in another cell.

Quiet on purpose (the contract's "must stay quiet on"):

* parameters and anything the function binds itself (assignments, loop and comprehension targets, nested
  functions' names and parameters, local imports);
* imports, functions and classes: a name bound by ``import``, ``def`` or ``class`` anywhere in the notebook;
* UPPER_CASE constants bound once;
* a name bound only in the function's own cell, before the ``def``, and never rebound anywhere.

One finding per function, at its first read of the first such name; the message names every such name
with the cells that bind it, and ``related`` points at those bindings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from mlaudit.engine.rule import EXPERIMENT, FileRule, RawFinding, RelatedSite
from mlaudit.facts.names import LOCAL, parameter_names, statement_bindings
from mlaudit.model import Severity

_UPPER_CASE = re.compile(r"^_*[A-Z][A-Z0-9_]*$")
_MAX_RELATED_PER_NAME = 3


@dataclass(frozen=True, slots=True)
class _Binding:
    cell: int
    line: int
    node: cst.CSTNode
    assigned: bool
    """True for an assignment-like binding; False for an import, ``def`` or ``class``."""


class _Reads(cst.CSTVisitor):
    """Names a function reads and names it (or anything nested in it) binds."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[cst.Name] = []
        self.bound: set[str] = set()
        self.declared_global: set[str] = set()
        self._skip: set[int] = set()

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._skip:
            self.reads.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.bound.add(node.name.value)
        self._skip.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bound.add(node.name.value)
        self._skip.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.bound.add(node.name.value)
        self._skip.add(id(node.name))

    def visit_Global(self, node: cst.Global) -> bool:
        self.declared_global.update(item.name.value for item in node.names)
        return False

    def visit_Nonlocal(self, node: cst.Nonlocal) -> bool:
        return False

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        name: cst.BaseExpression = node.asname.name if node.asname is not None else node.name
        while isinstance(name, cst.Attribute):
            name = name.value
        if isinstance(name, cst.Name):
            self.bound.add(name.value)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None:
            self._skip_all(node.module)

    def _skip_all(self, node: cst.CSTNode) -> None:
        for child in _walk(node):
            if isinstance(child, cst.Name):
                self._skip.add(id(child))

    def _bind_target(self, target: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.bound.add(target.value)
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._bind_target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._bind_target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_target(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.bound.add(node.name.value)


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def free_reads(node: cst.FunctionDef) -> list[cst.Name]:
    """The reads, in source order, of names the function neither receives nor binds itself."""
    visitor = _Reads()
    visitor.bound.update(parameter_names(node.params))
    node.body.visit(visitor)
    local = visitor.bound - visitor.declared_global
    return [name for name in visitor.reads if name.value not in local]


class NotebookHiddenState(FileRule):
    code = "MLA104"
    name = "notebook-hidden-state"
    category = "state"
    severity = Severity.WARNING
    message = (
        "Notebook function reads a global that other cells bind: pass it in as a parameter "
        "so the result does not depend on which cells ran"
    )
    applies_to = frozenset({EXPERIMENT})

    def visit_Module(self, node: cst.Module) -> None:
        if not self.ctx.is_notebook or not self.ctx.cells:
            return
        bindings = self._bindings(node)
        for stmt, function in self._functions(node):
            self._check(stmt, function, bindings)

    # --- module-level facts -----------------------------------------------------------------------
    def _cell(self, node: cst.CSTNode) -> tuple[int, int]:
        line = self.ctx.position(node).line
        return self.ctx.cell_of(line) or 0, line

    def _bindings(self, module: cst.Module) -> dict[str, list[_Binding]]:
        out: dict[str, list[_Binding]] = {}
        for stmt in module.body:
            cell, line = self._cell(stmt)
            for name, origin, _ in statement_bindings([stmt], self.ctx.module, self.ctx.is_package):
                out.setdefault(name, []).append(_Binding(cell, line, stmt, origin == LOCAL))
        return out

    def _functions(self, module: cst.Module) -> Iterator[tuple[cst.CSTNode, cst.FunctionDef]]:
        """Functions defined at the top of a cell, and the methods of classes defined there."""
        for stmt in module.body:
            if isinstance(stmt, cst.FunctionDef):
                yield stmt, stmt
            elif isinstance(stmt, cst.ClassDef) and isinstance(stmt.body, cst.IndentedBlock):
                for member in stmt.body.body:
                    if isinstance(member, cst.FunctionDef):
                        yield stmt, member

    # --- one function -----------------------------------------------------------------------------
    def _check(
        self, stmt: cst.CSTNode, function: cst.FunctionDef, bindings: dict[str, list[_Binding]]
    ) -> None:
        def_cell, def_line = self._cell(stmt)
        hidden: dict[str, tuple[cst.Name, list[_Binding]]] = {}
        for read in free_reads(function):
            name = read.value
            if name in hidden:
                continue
            sites = bindings.get(name)
            if sites and self._is_hidden(name, sites, def_cell, def_line):
                hidden[name] = (read, sites)
        if hidden:
            self._report(function, hidden, def_cell)

    @staticmethod
    def _is_hidden(name: str, sites: list[_Binding], def_cell: int, def_line: int) -> bool:
        if not all(site.assigned for site in sites):
            return False  # an import, function or class (perhaps also assigned): not state
        if _UPPER_CASE.match(name) and len(sites) == 1:
            return False  # a constant
        if all(site.cell == def_cell and site.line < def_line for site in sites):
            return False  # set up right before the def in the same cell, never rebound
        return any(site.cell != def_cell for site in sites)

    def _report(
        self, function: cst.FunctionDef, hidden: dict[str, tuple[cst.Name, list[_Binding]]], def_cell: int
    ) -> None:
        parts = []
        related: list[RelatedSite] = []
        for name, (_, sites) in hidden.items():
            cells = sorted({site.cell for site in sites})
            label = "cell" if len(cells) == 1 else "cells"
            parts.append(f"`{name}` ({label} {', '.join(map(str, cells))})")
            for site in sites[:_MAX_RELATED_PER_NAME]:
                related.append(
                    RelatedSite(
                        self.ctx.path, self.ctx.position(site.node), f"`{name}` bound in cell {site.cell}"
                    )
                )
        first_read = next(iter(hidden.values()))[0]
        names = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
        pronoun = "them" if len(parts) > 1 else "it"
        message = (
            f"`{function.name.value}` (cell {def_cell}) reads {names} from the notebook's global state: "
            f"pass {pronoun} in as {'parameters' if len(parts) > 1 else 'a parameter'} so the result does "
            "not depend on which cells ran, in which order"
        )
        span = self.ctx.position(first_read)
        self.findings.append(
            RawFinding(self.code, self.ctx.path, span, message, self.ctx.snippet(span), related)
        )
