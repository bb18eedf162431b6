"""MLA103 import-time-side-effect: move a script's module-level work into ``def main()``, called under
``if __name__ == "__main__":``.

What moves: from the first top-level statement holding a reported call on, every top-level statement
but definitions, imports and pure constants (``THRESHOLD = 0.5``), in their order (so the work runs in
the same order), into a new ``def main() -> None:`` placed before the main guard (a new guard calling
``main()`` is added at the end, or ``main()`` becomes the first statement of the existing guard).
Statements before the first reported one stay at module level.

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
from collections.abc import Iterable, Sequence
from functools import lru_cache

import libcst as cst

from mlaudit.fixes._names import binding
from mlaudit.fixes.base import FixSource, Proposal, Target

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


@lru_cache(maxsize=16384)
def bound(stmt: ast.AST) -> set[str]:
    """Names a top-level statement binds in the module (nested bodies excluded, a ``def`` its name)."""
    names = {name for n in _walk_own(stmt) if (name := binding(n, stmt))}
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        names.add(stmt.name)
    return names


@lru_cache(maxsize=16384)
def reads(stmt: ast.AST) -> set[str]:
    """Every name loaded anywhere in ``stmt``, nested bodies included (over-approximates free names)."""
    return {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


@lru_cache(maxsize=16384)
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


def _pure_constant(stmt: ast.stmt) -> bool:
    """``THRESHOLD = 0.5``, ``COLS = ["a", "b"]``: an assignment that reads and calls nothing."""
    if not isinstance(stmt, ast.Assign | ast.AnnAssign) or stmt.value is None:
        return False
    return not any(
        isinstance(n, ast.Name | ast.Call | ast.Attribute | ast.Await) for n in ast.walk(stmt.value)
    )


def _stays(stmt: ast.stmt, index: int) -> bool:
    """Statements that define rather than do: they stay at module level."""
    return (
        isinstance(stmt, _DEFINITIONS)
        or is_main_guard(stmt)
        or _is_docstring(stmt, index)
        or _pure_constant(stmt)
    )


def _union(sets: Iterable[set[str]]) -> set[str]:
    out: set[str] = set()
    for s in sets:
        out |= s
    return out


def _reads_moved(body: list[ast.stmt], kept: list[int], names: set[str]) -> str | None:
    if any(free_reads(body[i]) & names for i in kept):
        return "a kept statement reads a moved name"
    return None


def _rebinds_read(body: list[ast.stmt], kept: list[int], moved: list[int]) -> str | None:
    """A kept statement that binds a name an earlier moved statement reads: the work would now see the
    later binding (kept statements run at import, before ``main``)."""
    for k in kept:
        names = bound(body[k])
        if any(m < k and reads(body[m]) & names for m in moved):
            return "a later module-level statement rebinds a name the work reads"
    return None


def _read_before_bound(body: list[ast.stmt], moved: list[int], names: set[str]) -> str | None:
    seen: set[str] = set()
    for i in moved:
        if (reads(body[i]) - seen) & names:
            return "the work reads a module name it also rebinds"
        seen |= bound(body[i])
    return None


_FUNCTION_ONLY = (ast.Global, ast.Nonlocal, ast.Return, ast.Yield, ast.YieldFrom, ast.Await)


@lru_cache(maxsize=16384)
def _meaning_problem(stmt: ast.stmt) -> str | None:
    own = _walk_own(stmt)
    if any(isinstance(n, _FUNCTION_ONLY) for n in own):
        return "the work has statements that mean something else inside a function"
    if any(isinstance(n, ast.alias) and n.name == "*" for n in own):
        return "a star import cannot move into a function"
    return None


def _changes_meaning(body: list[ast.stmt], moved: list[int]) -> str | None:
    return next((p for i in moved if (p := _meaning_problem(body[i])) is not None), None)


class _Plan:
    """Which top-level statements move, decided on the ``ast`` of the module: from the first reported
    statement on, everything but definitions, imports and pure constants (so the order of the work is
    kept), and nothing before it."""

    def __init__(self, tree: ast.Module, lines: set[int]) -> None:
        self.body = tree.body
        guards = [i for i, s in enumerate(self.body) if is_main_guard(s)]
        self.guard: int | None = guards[-1] if guards else None
        self.moved: list[int] = []
        self.names: set[str] = set()
        self.problem = self._decide(lines)

    def _decide(self, lines: set[int]) -> str | None:
        body = self.body
        seeds = _seeds(body, lines)
        if not seeds or any(_stays(body[i], i) for i in seeds):
            return "no reported statement, or a reported call in a definition"
        self.moved = [i for i in range(min(seeds), len(body)) if not _stays(body[i], i)]
        self.names = _union(bound(body[i]) for i in self.moved)
        return _problem(body, self.moved, self.names)


def _problem(body: list[ast.stmt], moved: list[int], names: set[str]) -> str | None:
    """Why moving ``moved`` (binding ``names``) could change what the module does, if it could."""
    if "main" in _union(bound(s) for s in body):
        return "the module already has a `main`"
    kept = [i for i in range(len(body)) if i not in moved]
    problems = (
        _reads_moved(body, kept, names),
        _rebinds_read(body, kept, moved),
        _read_before_bound(body, moved, names),
        _changes_meaning(body, moved),
    )
    return next((p for p in problems if p is not None), None)


def _seeds(body: list[ast.stmt], lines: set[int]) -> set[int]:
    """Top-level statements holding one of ``lines``."""
    return {i for i, s in enumerate(body) for n in lines if s.lineno <= n <= (s.end_lineno or s.lineno)}


def _unindented_blanks(stmt: cst.BaseStatement) -> cst.BaseStatement:
    """Blank lines moved into a block: at most one in a row, without the block's indentation."""
    lines: list[cst.EmptyLine] = []
    for line in getattr(stmt, "leading_lines", ()):
        if line.comment is not None:
            lines.append(line)
        elif not lines or lines[-1].comment is not None:
            lines.append(line.with_changes(indent=False))
    return stmt.with_changes(leading_lines=lines)


def _blank_prefix(stmt: cst.BaseStatement) -> list[cst.EmptyLine]:
    lines = list(getattr(stmt, "leading_lines", ()))
    n = 0
    while n < len(lines) and lines[n].comment is None:
        n += 1
    return lines[:n]


def _kept(body: Sequence[cst.BaseStatement], moved: set[int], guard: int | None) -> list[cst.BaseStatement]:
    """The statements that stay; the blank lines above a moved statement stay too, above the next
    kept statement (when it has none of its own)."""
    out: list[cst.BaseStatement] = []
    spacing: list[cst.EmptyLine] = []
    for i, stmt in enumerate(body):
        if i in moved:
            spacing = spacing or _blank_prefix(stmt)
            continue
        if i == guard:
            continue
        if spacing and not _blank_prefix(stmt):
            stmt = stmt.with_changes(leading_lines=[*spacing, *getattr(stmt, "leading_lines", ())])
        spacing = []
        out.append(stmt)
    return out


def _main_function(work: list[cst.BaseStatement]) -> cst.FunctionDef:
    first = work[0]
    comments = [line for line in getattr(first, "leading_lines", ()) if line.comment is not None]
    work = [first.with_changes(leading_lines=comments), *(_unindented_blanks(s) for s in work[1:])]
    return cst.FunctionDef(
        name=cst.Name("main"),
        params=cst.Parameters(),
        body=cst.IndentedBlock(body=work),
        returns=cst.Annotation(cst.Name("None")),
        leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
    )


def _guard_calling_main(existing: cst.BaseStatement | None) -> cst.BaseStatement:
    """The existing guard with ``main()`` first, or a new one."""
    two = [cst.EmptyLine(), cst.EmptyLine()]
    if not isinstance(existing, cst.If) or not isinstance(existing.body, cst.IndentedBlock):
        return cst.parse_statement('if __name__ == "__main__":\n    main()\n').with_changes(leading_lines=two)
    call = cst.parse_statement("main()\n")
    comments = [x for x in existing.leading_lines if x.comment]
    return existing.with_changes(
        leading_lines=[*two, *comments], body=existing.body.with_changes(body=[call, *existing.body.body])
    )


class _Rewrite(cst.CSTTransformer):
    def __init__(self, moved: list[int], guard: int | None) -> None:
        super().__init__()
        self.moved = set(moved)
        self.guard = guard

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = list(updated_node.body)
        main = _main_function([body[i] for i in sorted(self.moved)])
        out = _kept(body, self.moved, self.guard)
        guard = _guard_calling_main(body[self.guard] if self.guard is not None else None)
        if self.guard is None:
            out += [main, guard]
        else:
            at = sum(1 for i in range(self.guard) if i not in self.moved)
            out[at:at] = [main, guard]
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


def _exported(source: FixSource, names: set[str]) -> bool:
    """Another project file may import one of ``names`` from this module."""
    stem = source.module.rpartition(".")[2]
    if not stem or not source.project.mentions(stem, besides=source.rel):
        return False
    return any(source.project.mentions(name, besides=source.rel) for name in names)


def _memo_plan(source: FixSource, tree: ast.Module, lines: set[int]) -> _Plan:
    """Every MLA103 finding of a file gets the same plan: compute it once per pass."""
    key = ("MLA103", frozenset(lines))
    plan = source.memo.get(key)
    if not isinstance(plan, _Plan):
        plan = source.memo[key] = _Plan(tree, lines)
    return plan


def _plan(source: FixSource, target: Target) -> _Plan | None:
    tree = source.ast_tree
    lines = {t.span.line for t in source.siblings if t.code == target.code} | {target.span.line}
    plan = _memo_plan(source, tree, lines)
    if plan.problem is not None or not plan.moved or _exported(source, plan.names):
        return None
    moved = (tree.body[i] for i in plan.moved)
    if not any(s.lineno <= target.span.line <= (s.end_lineno or s.lineno) for s in moved):
        return None
    return plan


def propose(source: FixSource, target: Target) -> Proposal | None:
    plan = None if source.is_notebook else _plan(source, target)
    mapping = _top_level_map(source, source.ast_tree) if plan is not None else None
    if plan is None or mapping is None or sorted(mapping) != list(range(len(source.ast_tree.body))):
        return None  # `a; b` on one line: keep it simple
    moved_cst = [mapping.index(i) for i in plan.moved]
    guard_cst = mapping.index(plan.guard) if plan.guard is not None else None
    new_tree = source.tree.visit(_Rewrite(moved_cst, guard_cst))
    n = len(plan.moved)
    return source.rewrite_tree(
        new_tree,
        f'Move {n} module-level statement{"s" if n != 1 else ""} into `main()`, run under `if __name__ == "__main__":`',
    )

