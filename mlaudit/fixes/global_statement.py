"""MLA101 global-statement: remove a ``global`` none of whose names the function ever binds.

Safe: a name the function never binds is looked up in the module's globals with or without the
declaration, so removing it changes nothing. "Binds" is read conservatively, anywhere in the function
including nested functions and classes: assignment (``=``, ``+=``, annotated, ``:=``), ``del``, loop,
``with``/``except``/``match`` targets, imports, ``def`` and ``class``. A ``global`` that declares a
name the function does assign is the real smell and has no mechanical fix.
"""

from __future__ import annotations

import ast

import libcst as cst

from mlaudit.fixes._cst import remove_from_suite, remove_small
from mlaudit.fixes._names import binding
from mlaudit.fixes.base import FixSource, Proposal, Target


def bound_names(function: ast.AST) -> set[str]:
    return {name for node in ast.walk(function) if (name := binding(node, function))}


def enclosing_function(tree: ast.Module, line: int, names: list[str]) -> tuple[ast.AST, ast.Global] | None:
    """The innermost function holding the ``global names`` statement on ``line``."""
    best: tuple[ast.AST, ast.Global] | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for stmt in ast.walk(node):
            found = isinstance(stmt, ast.Global) and stmt.lineno == line and stmt.names == names
            if found and (best is None or node.lineno >= best[0].lineno):  # type: ignore[attr-defined]
                best = (node, stmt)  # type: ignore[assignment]
    return best


class _Remove(cst.CSTTransformer):
    def __init__(self, doomed: cst.Global) -> None:
        super().__init__()
        self.doomed = doomed
        self.done = False

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body = None if self.done else remove_small(original_node.body, updated_node.body, self.doomed)
        if body is None:
            return updated_node
        self.done = True
        return updated_node.with_changes(body=body)

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        suite = None if self.done else remove_from_suite(original_node, updated_node, self.doomed)
        if suite is None:
            return updated_node
        self.done = True
        return suite


def propose(source: FixSource, target: Target) -> Proposal | None:
    node = source.node_at(target.span, (cst.Global,))
    if not isinstance(node, cst.Global):
        return None
    names = [item.name.value for item in node.names]
    found = enclosing_function(source.ast_tree, target.span.line, names)
    if found is None:
        return None
    function, _ = found
    if set(names) & bound_names(function):
        return None
    remover = _Remove(node)
    new_tree = source.tree.visit(remover)
    if not remover.done:
        return None
    return source.rewrite_tree(
        new_tree, f"Remove `global {', '.join(names)}` (never assigned in the function)"
    )

