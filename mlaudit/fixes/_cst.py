"""libcst helpers shared by the fixes: removing and inserting statements without losing comments."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

Statement = cst.BaseStatement


def _small_index(body: Sequence[Statement], doomed: cst.BaseSmallStatement) -> tuple[int, int] | None:
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine):
            for j, small in enumerate(stmt.body):
                if small is doomed:
                    return i, j
    return None


def _without(small: Sequence[cst.BaseSmallStatement], j: int) -> list[cst.BaseSmallStatement]:
    rest = [s for k, s in enumerate(small) if k != j]
    if rest and rest[-1].semicolon != cst.MaybeSentinel.DEFAULT:
        rest[-1] = rest[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return rest


def remove_small(
    original: Sequence[Statement], updated: Sequence[Statement], doomed: cst.BaseSmallStatement
) -> list[Statement] | None:
    """``updated`` (the transformed copy of ``original``) without the small statement that is
    ``doomed`` in ``original`` (None if it is not directly there).

    A line left empty goes, its own comment lines moving to the next statement; a block left empty
    gets ``pass``."""
    where = _small_index(original, doomed)
    if where is None:
        return None
    i, j = where
    out: list[Statement] = list(updated)
    stmt = out[i]
    assert isinstance(stmt, cst.SimpleStatementLine)
    rest = _without(stmt.body, j)
    if rest:
        out[i] = stmt.with_changes(body=rest)
        return out
    del out[i]
    if i < len(out):
        following = out[i]
        before = getattr(following, "leading_lines", ())
        out[i] = following.with_changes(leading_lines=[*stmt.leading_lines, *before])
    elif not out or any(line.comment is not None for line in stmt.leading_lines):
        out.append(cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=stmt.leading_lines))
    return out


def remove_from_suite(
    original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite, doomed: cst.BaseSmallStatement
) -> cst.SimpleStatementSuite | None:
    """``if x: a; b`` without ``doomed`` (``pass`` if nothing is left)."""
    j = next((k for k, s in enumerate(original.body) if s is doomed), None)
    if j is None:
        return None
    return updated.with_changes(body=_without(updated.body, j) or [cst.Pass()])


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
