"""Name analysis on ``ast`` shared by the fixes (conservative: when unsure, a name counts as bound)."""

from __future__ import annotations

import ast


def binding(node: ast.AST, function: ast.AST) -> str | None:
    """The name ``node`` binds in the scope of ``function`` (None: it binds none)."""
    if isinstance(node, ast.Name):
        return node.id if isinstance(node.ctx, ast.Store | ast.Del) else None
    if isinstance(node, ast.alias):
        return (node.asname or node.name).partition(".")[0]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.ExceptHandler):
        return node.name if node is not function else None
    if isinstance(node, ast.MatchAs | ast.MatchStar):
        return node.name
    if isinstance(node, ast.MatchMapping):
        return node.rest
    return None
