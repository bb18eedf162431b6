"""libcst helpers shared by the fixes: removing and inserting statements without losing comments."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

Statement = cst.BaseStatement


def remove_small(body: Sequence[Statement], doomed: cst.BaseSmallStatement) -> list[Statement] | None:
    """``body`` without the small statement ``doomed`` (None if it is not directly in ``body``).

    A line left empty goes, its own comment lines moving to the next statement; a block left empty
    gets ``pass``."""
    out: list[Statement] = list(body)
    for i, stmt in enumerate(out):
        if not isinstance(stmt, cst.SimpleStatementLine) or not any(s is doomed for s in stmt.body):
            continue
        rest = [s for s in stmt.body if s is not doomed]
        if rest:
            last = rest[-1]
            if isinstance(last, cst.BaseSmallStatement) and last.semicolon != cst.MaybeSentinel.DEFAULT:
                rest[-1] = last.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            out[i] = stmt.with_changes(body=rest)
            return out
        comments = [line for line in stmt.leading_lines if line.comment is not None]
        del out[i]
        if i < len(out):
            following = out[i]
            before = getattr(following, "leading_lines", ())
            out[i] = following.with_changes(leading_lines=[*stmt.leading_lines, *before])
        elif comments or not out:
            out.append(cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=stmt.leading_lines))
        return out
    return None


def statement(code: str) -> cst.BaseStatement:
    return cst.parse_statement(code)


def contains(node: cst.CSTNode, target: cst.CSTNode) -> bool:
    found = False

    class _Find(cst.CSTVisitor):
        def on_visit(self, n: cst.CSTNode) -> bool:
            nonlocal found
            if n is target:
                found = True
            return not found

    node.visit(_Find())
    return found


class ReplaceNode(cst.CSTTransformer):
    """Replace one node (by identity) with what ``make`` returns for it."""

    def __init__(self, target: cst.CSTNode, make: Callable[[cst.CSTNode], cst.CSTNode]) -> None:
        super().__init__()
        self.target = target
        self.make = make

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        if original_node is self.target:
            return self.make(updated_node)
        return updated_node
