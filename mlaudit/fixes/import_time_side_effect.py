"""MLA103 import-time-side-effect: move a script's module-level work into ``def main()``, called under
``if __name__ == "__main__":``.

What moves: every top-level statement holding a reported call, and every later top-level statement
that reads a name one of them binds (its dependants), in their order, into a new ``def main():``
placed before the main guard (a new guard calling ``main()`` is added at the end, or ``main()``
becomes the first statement of the existing guard). Everything else stays where it is: imports,
definitions, constants, and module-level statements the work does not feed.

Offered only when the move cannot break a reader of those names: no function, class, decorator,
default value or kept statement reads a name the moved statements bind (they become locals of
``main``); no kept statement after the work rebinds a name the work reads; no moved statement reads a
moved name before the work binds it; no other project file imports the module's moved names; the
module has no ``main`` already; the reported call is not in a definition (a default value or a
decorator: those have no mechanical fix). Not in notebooks (never reported there).

Unsafe: running the file as a script does the same work in the same order, but importing it no
longer does (that is the point), so an importer or a ``python -c "import x"`` relying on the side
effect changes behaviour; and the work's top-level names become locals of ``main``.
"""

from __future__ import annotations

import ast

import libcst as cst

from mlaudit.fixes.base import UNSAFE, FixSource, FixSpec, Proposal, Target

_DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _scopes(node: ast.AST) -> bool:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)


def _walk_own(node: ast.AST) -> list[ast.AST]:
    """``node`` and its descendants, not entering nested function, lambda or class bodies."""
    out: list[ast.AST] = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        for child in ast.iter_child_nodes(n):
            if _scopes(child):
                out.append(child)  # its name (a def binds), not its body
                for part in (*getattr(child, "decorator_list", ()), *_defaults(child)):
                    stack.append(part)
                continue
            stack.append(child)
    return out


def _defaults(node: ast.AST) -> list[ast.AST]:
    args = getattr(node, "args", None)
    if not isinstance(args, ast.arguments):
        return list(getattr(node, "bases", ())) + [k.value for k in getattr(node, "keywords", ())]
    return [d for d in (*args.defaults, *args.kw_defaults) if d is not None]


def bound(stmt: ast.AST) -> set[str]:
    names: set[str] = set()
    for n in _walk_own(stmt):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store | ast.Del):
            names.add(n.id)
        elif isinstance(n, ast.alias):
            names.add((n.asname or n.name).partition(".")[0])
        elif isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.ExceptHandler):
            if n is not stmt and n.name:
                names.add(n.name)
        elif isinstance(n, ast.MatchAs | ast.MatchStar) and n.name:
            names.add(n.name)
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        names.add(stmt.name)
    return names


def reads(stmt: ast.AST) -> set[str]:
    """Every name loaded anywhere in ``stmt``, nested bodies included (over-approximates free names)."""
    return {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def free_reads(stmt: ast.AST) -> set[str]:
    """Names a definition reads from the module: loads minus what it binds itself (unless ``global``)."""
    loads = reads(stmt)
    local: set[str] = set()
    declared: set[str] = set()
    for n in ast.walk(stmt):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store | ast.Del):
            local.add(n.id)
        elif isinstance(n, ast.arg):
            local.add(n.arg)
        elif isinstance(n, ast.Global):
            declared.update(n.names)
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        # Decorators, defaults and bases run at module level: their names are module reads.
        outer = (
            set().union(*(reads(d) for d in (*stmt.decorator_list, *_defaults(stmt))))
            if (stmt.decorator_list or _defaults(stmt))
            else set()
        )
        return (loads - local) | declared | outer
    return (loads - local) | declared


def is_main_guard(stmt: ast.AST) -> bool:
    if not isinstance(stmt, ast.If):
        return False
    test = stmt.test
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


def _is_docstring(stmt: ast.AST, index: int) -> bool:
    return (
        index == 0
        and isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


class _Plan:
    """Which top-level statements move, decided on the ``ast`` of the module."""

    def __init__(self, tree: ast.Module, lines: set[int]) -> None:
        self.body = tree.body
        self.moved: list[int] = []
        self.guard: int | None = None
        self.problem: str | None = None
        self._decide(lines)

    def _decide(self, lines: set[int]) -> None:
        body = self.body
        guards = [i for i, s in enumerate(body) if is_main_guard(s)]
        self.guard = guards[-1] if guards else None
        seeds = {
            i
            for i, s in enumerate(body)
            if any(s.lineno <= line <= (s.end_lineno or s.lineno) for line in lines)
        }
        if not seeds:
            self.problem = "no reported statement"
            return
        if any(isinstance(body[i], _DEFINITIONS) or is_main_guard(body[i]) for i in seeds):
            self.problem = "a reported call in a definition"
            return
        moved: list[int] = []
        names: set[str] = set()
        for i, stmt in enumerate(body):
            if i in seeds or (moved and i > moved[0] and reads(stmt) & names and not self._fixed(i)):
                moved.append(i)
                names |= bound(stmt)
        self.moved = moved
        self.names = names
        self.problem = self._check(moved, names)

    def _fixed(self, i: int) -> bool:
        stmt = self.body[i]
        return isinstance(stmt, _DEFINITIONS) or is_main_guard(stmt) or _is_docstring(stmt, i)

    def _check(self, moved: list[int], names: set[str]) -> str | None:
        body = self.body
        kept = [i for i in range(len(body)) if i not in moved]
        if "main" in set().union(*(bound(body[i]) for i in range(len(body)))):
            return "the module already has a `main`"
        for i in kept:
            if free_reads(body[i]) & names:
                return "a kept statement reads a moved name"
        first = moved[0]
        read_by_work = set().union(*(reads(body[i]) for i in moved))
        for i in kept:
            if i > first and bound(body[i]) & read_by_work:
                return "a later module-level statement rebinds a name the work reads"
        seen: set[str] = set()
        for i in moved:
            if (reads(body[i]) - seen) & names:
                return "the work reads a module name it also rebinds"
            seen |= bound(body[i])
        changes_meaning = ast.Global | ast.Nonlocal | ast.Return | ast.Yield | ast.YieldFrom | ast.Await
        for i in moved:
            if any(isinstance(n, changes_meaning) for n in _walk_own(body[i])):
                return "the work has statements that mean something else inside a function"
            if any(
                isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)
                for n in _walk_own(body[i])
            ):
                return "a star import cannot move into a function"
        return None


class _Rewrite(cst.CSTTransformer):
    def __init__(self, moved: list[int], guard: int | None) -> None:
        super().__init__()
        self.moved = set(moved)
        self.guard = guard

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = list(updated_node.body)
        work = [body[i] for i in sorted(self.moved)]
        first = work[0]
        work[0] = first.with_changes(
            leading_lines=[line for line in first.leading_lines if line.comment is not None]
        )
        main = cst.FunctionDef(
            name=cst.Name("main"),
            params=cst.Parameters(),
            body=cst.IndentedBlock(body=work),
            returns=cst.Annotation(cst.Name("None")),
            leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
        )
        call = cst.parse_statement("main()\n")
        out: list[cst.BaseStatement] = []
        for i, stmt in enumerate(body):
            if i in self.moved:
                continue
            if i == self.guard and isinstance(stmt, cst.If) and isinstance(stmt.body, cst.IndentedBlock):
                out.append(main)
                inner = list(stmt.body.body)
                out.append(
                    stmt.with_changes(
                        leading_lines=[
                            cst.EmptyLine(),
                            cst.EmptyLine(),
                            *[x for x in stmt.leading_lines if x.comment],
                        ],
                        body=stmt.body.with_changes(body=[call, *inner]),
                    )
                )
                continue
            out.append(stmt)
        if self.guard is None:
            out.append(main)
            guard = cst.parse_statement('if __name__ == "__main__":\n    main()\n')
            out.append(guard.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()]))
        return updated_node.with_changes(body=out)


def _top_level_map(source: FixSource, tree: ast.Module) -> list[int] | None:
    """For each libcst top-level statement, the index of its first ``ast`` statement (None: mismatch)."""
    starts = {s.lineno: i for i, s in enumerate(tree.body)}
    out = []
    for stmt in source.tree.body:
        span = source.span(stmt)
        index = next((starts[line] for line in range(span.line, span.end_line + 1) if line in starts), None)
        if index is None:
            return None
        out.append(index)
    return out


def propose(source: FixSource, target: Target) -> Proposal | None:
    if source.is_notebook:
        return None
    tree = source.ast_tree
    lines = {t.span.line for t in source.siblings if t.code == target.code} | {target.span.line}
    plan = _Plan(tree, lines)
    if plan.problem is not None or not plan.moved:
        return None
    if not any(
        s.lineno <= target.span.line <= (s.end_lineno or s.lineno) for s in (tree.body[i] for i in plan.moved)
    ):
        return None
    stem = source.module.rpartition(".")[2]
    imported = bool(stem) and source.project.mentions(stem, besides=source.rel)
    if imported and any(source.project.mentions(name, besides=source.rel) for name in plan.names):
        return None
    mapping = _top_level_map(source, tree)
    if mapping is None or len(mapping) != len(set(mapping)) or len(mapping) != len(tree.body):
        return None  # `a; b` on one line: keep it simple
    moved_cst = [mapping.index(i) for i in plan.moved]
    guard_cst = mapping.index(plan.guard) if plan.guard is not None else None
    new_tree = source.tree.visit(_Rewrite(moved_cst, guard_cst))
    n = len(plan.moved)
    return source.rewrite_tree(
        new_tree,
        f'Move {n} module-level statement{"s" if n != 1 else ""} into `main()`, run under `if __name__ == "__main__":`',
    )


FIX = FixSpec(
    code="MLA103",
    availability="Sometimes",
    applicability=UNSAFE,
    title='Move the module-level work into `def main()` called under `if __name__ == "__main__":`',
    propose=propose,
    notebooks=False,
)
