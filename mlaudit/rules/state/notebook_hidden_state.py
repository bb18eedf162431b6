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

The analysis reads CPython's ``ast`` of the notebook's virtual module (the libcst tree has no load/store
contexts, and walking it costs several times more): names in load context are reads, in store context
bindings, and positions come with the nodes, so no positions pass is needed.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from mlaudit.engine.rule import EXPERIMENT, FileRule, RawFinding, RelatedSite
from mlaudit.facts.model import Span
from mlaudit.model import Severity

_UPPER_CASE = re.compile(r"^_*[A-Z][A-Z0-9_]*$")
_MAX_RELATED_PER_NAME = 3
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True, slots=True)
class _Binding:
    cell: int
    node: ast.stmt
    assigned: bool
    """True for an assignment-like binding; False for an import, ``def`` or ``class``."""


def parse(text: str) -> ast.Module | None:
    """CPython's tree of the virtual module, or None (libcst accepted it, so this is rare)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _children_in_scope(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below ``node`` in the same scope: not inside nested functions, classes, lambdas or
    comprehensions (Python 3 gives those their own scope)."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, (*_SCOPES, *_COMPREHENSIONS)):
            stack.extend(ast.iter_child_nodes(child))


def module_bindings(stmt: ast.stmt) -> Iterator[tuple[str, bool]]:
    """(name, assigned) for every module-level binding one top-level statement makes."""
    for node in (stmt, *_children_in_scope(stmt)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id, True
        elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            yield node.name, False
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                yield (alias.asname or alias.name.partition(".")[0]), False
        elif isinstance(node, ast.ExceptHandler) and node.name:
            yield node.name, True


def _bound_by(node: ast.AST) -> Iterator[str]:
    """Names one node binds in the scope it belongs to (a nested ``def`` binds its own name)."""
    if isinstance(node, ast.arg):
        yield node.arg
    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
        yield node.id
    elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
        yield node.name
    elif isinstance(node, ast.Import | ast.ImportFrom):
        yield from (alias.asname or alias.name.partition(".")[0] for alias in node.names)
    elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
        yield node.name


def _own_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names a function binds itself, or that anything nested in it binds (over-approximated on purpose:
    a name bound anywhere inside is not reported), minus those it declares ``global``."""
    own: set[str] = set()
    declared: set[str] = set()
    for node in ast.walk(function):
        if node is function:
            continue  # its own name is the module's; its parameters are `ast.arg` nodes below
        if isinstance(node, ast.Global):
            declared.update(node.names)
        own.update(_bound_by(node))
    return own - declared


def free_reads(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Name]:
    """The reads, in source order, of names the function neither receives nor binds itself (its body
    only: decorators and default values run where the ``def`` is)."""
    own = _own_names(function)
    reads = [
        node
        for stmt in function.body
        for node in ast.walk(stmt)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in own
    ]
    return sorted(reads, key=lambda n: (n.lineno, n.col_offset))


def _functions(tree: ast.Module) -> Iterator[tuple[ast.stmt, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Functions defined at the top of a cell, and the methods of classes defined there."""
    for stmt in tree.body:
        if isinstance(stmt, _FUNCTIONS):
            yield stmt, stmt
        elif isinstance(stmt, ast.ClassDef):
            for member in stmt.body:
                if isinstance(member, _FUNCTIONS):
                    yield stmt, member


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
    # Opt-in: an independent review of its corpus findings judged 1 in 8 worth raising (a name bound once,
    # earlier, in a notebook run top to bottom is a constant in all but case). See after.md.
    default_enabled = False

    def visit_Module(self, node: cst.Module) -> None:
        if not self.ctx.is_notebook or not self.ctx.cells or "def " not in self.ctx.text:
            return
        tree = parse(self.ctx.text)
        if tree is None:
            return
        functions = [(stmt, function, free_reads(function)) for stmt, function in _functions(tree)]
        bindings = self._bindings(tree, {read.id for _, _, reads in functions for read in reads})
        for stmt, function, reads in functions:
            self._check(stmt, function, reads, bindings)

    def _bindings(self, tree: ast.Module, wanted: set[str]) -> dict[str, list[_Binding]]:
        """Every module-level binding of the names some function reads, with its cell."""
        bindings: dict[str, list[_Binding]] = {}
        if not wanted:
            return bindings
        for stmt in tree.body:
            for name, assigned in module_bindings(stmt):
                if name in wanted:
                    bindings.setdefault(name, []).append(_Binding(self._cell(stmt), stmt, assigned))
        return bindings

    def _cell(self, node: ast.stmt) -> int:
        return self.ctx.cell_of(node.lineno) or 0

    def _check(
        self,
        stmt: ast.stmt,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        reads: list[ast.Name],
        bindings: dict[str, list[_Binding]],
    ) -> None:
        def_cell = self._cell(stmt)
        hidden: dict[str, tuple[ast.Name, list[_Binding]]] = {}
        for read in reads:
            sites = bindings.get(read.id)
            if sites and read.id not in hidden and _is_hidden(read.id, sites, def_cell, stmt.lineno):
                hidden[read.id] = (read, sites)
        if hidden:
            self._report(function, hidden, def_cell)

    def _span(self, node: ast.expr | ast.stmt) -> Span:
        """A 1-based, character-based span from a node's UTF-8 byte offsets."""
        end_line = node.end_lineno or node.lineno
        end_offset = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return Span(
            node.lineno,
            _chars(self._line(node.lineno), node.col_offset) + 1,
            end_line,
            _chars(self._line(end_line), end_offset) + 1,
        )

    def _line(self, number: int) -> str:
        lines = self.ctx.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def _report(
        self,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        hidden: dict[str, tuple[ast.Name, list[_Binding]]],
        def_cell: int,
    ) -> None:
        parts = []
        related: list[RelatedSite] = []
        for name, (_, sites) in hidden.items():
            cells = sorted({site.cell for site in sites})
            label = "cell" if len(cells) == 1 else "cells"
            parts.append(f"`{name}` ({label} {', '.join(map(str, cells))})")
            for site in sites[:_MAX_RELATED_PER_NAME]:
                span = self._span(site.node)
                first_line = Span(span.line, span.col, span.line, len(self._line(span.line)) + 1)
                related.append(RelatedSite(self.ctx.path, first_line, f"`{name}` bound in cell {site.cell}"))
        names = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
        pronoun, noun = ("them", "parameters") if len(parts) > 1 else ("it", "a parameter")
        message = (
            f"`{function.name}` (cell {def_cell}) reads {names} from the notebook's global state: "
            f"pass {pronoun} in as {noun} so the result does not depend on which cells ran, in which order"
        )
        span = self._span(next(iter(hidden.values()))[0])
        self.findings.append(RawFinding(self.code, self.ctx.path, span, message, self.ctx.snippet(span), related))


def _is_hidden(name: str, sites: list[_Binding], def_cell: int, def_line: int) -> bool:
    if not all(site.assigned for site in sites):
        return False  # an import, function or class (perhaps also assigned): not state
    if _UPPER_CASE.match(name) and len(sites) == 1:
        return False  # a constant
    if all(site.cell == def_cell and site.node.lineno < def_line for site in sites):
        return False  # set up right before the def in the same cell, never rebound
    return any(site.cell != def_cell for site in sites)


def _chars(line: str, byte_offset: int) -> int:
    """Characters in the first ``byte_offset`` UTF-8 bytes of ``line``."""
    if line.isascii():
        return byte_offset
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))
