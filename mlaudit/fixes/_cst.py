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


def _comment_line(comment: str) -> cst.TrailingWhitespace:
    return cst.TrailingWhitespace(
        whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(comment), newline=cst.Newline()
    )


def _separator(call: cst.Call) -> cst.ParenthesizedWhitespace | None:
    """The line break and indentation between the arguments of a call written one per line."""
    for arg in call.args[:-1]:
        if isinstance(arg.comma, cst.Comma) and isinstance(
            arg.comma.whitespace_after, cst.ParenthesizedWhitespace
        ):
            return arg.comma.whitespace_after
    ws = call.whitespace_before_args
    return ws if isinstance(ws, cst.ParenthesizedWhitespace) else None


def append_keyword(
    call: cst.Call, keyword: str, value: str, comment: str | None = None
) -> tuple[cst.Call, bool]:
    """``call`` with ``keyword=value`` appended, keeping the layout (one argument per line stays so, the
    last argument keeping its comment); whether ``comment`` went on the new argument's line (a call
    written on one line leaves it to the caller)."""
    new = cst.Arg(
        value=cst.parse_expression(value),
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new]), False
    last = args[-1]
    sep = _separator(call)
    trailing = last.comma.whitespace_after if isinstance(last.comma, cst.Comma) else last.whitespace_after_arg
    per_line = sep is not None and all(
        isinstance(a.comma, cst.Comma) and isinstance(a.comma.whitespace_after, cst.ParenthesizedWhitespace)
        for a in args[:-1]
    )
    if per_line and sep is not None and isinstance(trailing, cst.ParenthesizedWhitespace):
        # one argument per line: the new one gets its own line, the last one keeps its comment
        kept = trailing.with_changes(indent=sep.indent, last_line=sep.last_line)
        closing = trailing.with_changes(
            first_line=_comment_line(comment) if comment else cst.TrailingWhitespace(), empty_lines=[]
        )
        if isinstance(last.comma, cst.Comma):
            args[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=kept))
            new = new.with_changes(comma=cst.Comma(whitespace_after=closing))
        else:
            args[-1] = last.with_changes(
                comma=cst.Comma(whitespace_after=kept), whitespace_after_arg=cst.SimpleWhitespace("")
            )
            new = new.with_changes(whitespace_after_arg=closing)
        return call.with_changes(args=[*args, new]), comment is not None
    placed = False
    if isinstance(trailing, cst.ParenthesizedWhitespace) and comment and trailing.first_line.comment is None:
        # the arguments end a line before the closing parenthesis: the comment ends that line
        trailing = trailing.with_changes(first_line=_comment_line(comment))
        placed = True
    if isinstance(last.comma, cst.Comma) and isinstance(
        last.comma.whitespace_after, cst.ParenthesizedWhitespace
    ):
        args[-1] = last.with_changes(
            comma=last.comma.with_changes(whitespace_after=cst.SimpleWhitespace(" "))
        )
        new = new.with_changes(comma=cst.Comma(whitespace_after=trailing))
        return call.with_changes(args=[*args, new]), placed
    args[-1] = last.with_changes(
        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        whitespace_after_arg=cst.SimpleWhitespace(""),
    )
    new = new.with_changes(whitespace_after_arg=trailing)
    return call.with_changes(args=[*args, new]), placed


def remove_keyword(call: cst.Call, keyword: str) -> cst.Call:
    """``call`` without its ``keyword=`` argument (the previous argument takes over its comma and the
    whitespace before the closing parenthesis)."""
    args = list(call.args)
    i = next((k for k, a in enumerate(args) if a.keyword is not None and a.keyword.value == keyword), None)
    if i is None:
        return call
    gone = args.pop(i)
    if i == len(args) and args:
        args[-1] = args[-1].with_changes(comma=gone.comma, whitespace_after_arg=gone.whitespace_after_arg)
    return call.with_changes(args=args)
