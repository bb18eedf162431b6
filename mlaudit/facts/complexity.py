"""Complexity facts from radon: cyclomatic complexity and logical length of every function, method and
notebook cell ("complexity"), and the maintainability index of every module ("maintainability").

radon works on Python's ``ast``, so each file is parsed once more with ``ast.parse`` (about a third of
a libcst parse, measured); the tree is shared by both extractors. These extractors run only when a
complexity rule is enabled (the engine runs an extractor only for facts an enabled rule requires), and
the maintainability index only for MLA603, through its own fact name. Test files get no facts.

Definitions (documented in the rules' READMEs):

* **complexity**: radon's cyclomatic complexity (``ComplexityVisitor``; a closure's complexity is not
  added to its outer function's, as in ``radon cc``). A notebook cell's is that of its module-level
  code; functions defined in the cell are measured on their own.
* **length**: logical lines - the ``def`` line plus every statement in the body, each ``else:``,
  ``except ...:``, ``finally:`` and ``case ...:`` line counting one (radon's LLOC, without radon's
  quirk of counting a colon inside a dict literal, slice or annotation as an extra line). A cell's
  length is that of its module-level code (a function defined in it counts one line).
* **maintainability index**: radon's formula (``mi_compute``: Halstead volume, total cyclomatic
  complexity, LLOC and the percentage of comment and docstring lines, as ``radon mi`` with its default
  ``multi`` counting). radon's own ``mi_visit`` re-tokenises the file line by line (``radon.raw``),
  which is 1.2 times a libcst parse of scikit-learn and would double mlaudit's run time. Here the
  inputs come from what the run already has: comments are counted by the batched libcst traversal,
  docstring lines and LLOC from the ``ast``. On scikit-learn 1.9.1 (962 files) the result differs from
  ``radon mi`` by 0.33 points on average and classifies every file identically against the default
  threshold of 20.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import libcst as cst
from radon.metrics import halstead_visitor_report, mi_compute
from radon.visitors import Class, ComplexityVisitor, Function, HalsteadVisitor

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.model import ComplexityFact, Span

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(slots=True)
class _Analysis:
    """One file's ``ast`` and module-level radon visitor, shared by the two extractors."""

    text: str
    tree: ast.Module | None
    _module_visitor: ComplexityVisitor | None = None
    _defs: dict[tuple[int, int], ast.AST] = field(default_factory=dict)

    @property
    def module_visitor(self) -> ComplexityVisitor:
        if self._module_visitor is None:
            assert self.tree is not None
            self._module_visitor = ComplexityVisitor.from_ast(self.tree)
        return self._module_visitor

    def node_at(self, line: int, col: int) -> ast.AST | None:
        if not self._defs and self.tree is not None:
            self._defs = {
                (n.lineno, n.col_offset): n
                for n in statements(self.tree.body)
                if isinstance(n, (*_DEFS, ast.ClassDef))
            }
        return self._defs.get((line, col))


def _analysis(ctx: FileContext) -> _Analysis:
    """Parse ``ctx.text`` with ``ast`` once per file, whichever extractor asks first."""
    return _parse(ctx.text)


@lru_cache(maxsize=1)
def _parse(text: str) -> _Analysis:
    """The last file's analysis (extractors run one file at a time in a process)."""
    try:
        tree: ast.Module | None = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None  # libcst accepted it but this Python's ast does not (newer syntax): no radon facts
    return _Analysis(text, tree)


def statements(nodes: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, nested bodies included, without walking expressions."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        for name in ("body", "orelse", "finalbody"):
            stack.extend(getattr(node, name, ()) or ())
        for part in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            stack.extend(part.body)


def logical_lines(nodes: Iterable[ast.stmt], *, decorators: bool = False) -> int:
    """Logical lines of a statement list, nested bodies included (see the module docstring)."""
    return sum(1 + _header_lines(node, decorators) for node in statements(nodes))


def _header_lines(node: ast.stmt, decorators: bool) -> int:
    """Lines a statement adds besides its own: ``else:``, ``finally:``, ``except``/``case`` clauses
    and, optionally, decorators. An ``elif`` is the nested ``if``'s own line."""
    extra = len(getattr(node, "handlers", ())) + len(getattr(node, "cases", ()))
    if getattr(node, "finalbody", None):
        extra += 1
    orelse = getattr(node, "orelse", None)
    if orelse and not (isinstance(node, ast.If) and isinstance(orelse[0], ast.If)):
        extra += 1
    if decorators and isinstance(node, (*_DEFS, ast.ClassDef)):
        extra += len(node.decorator_list)
    return extra


def _top_level_lines(stmts: Iterable[ast.stmt]) -> int:
    """Logical lines of module-level code: a function or class counts as its ``def``/``class`` line."""
    return sum(1 if isinstance(s, (*_DEFS, ast.ClassDef)) else logical_lines([s]) for s in stmts)


def _walk_blocks(
    functions: Iterable[Function], classes: Iterable[Class], prefix: str = ""
) -> Iterator[tuple[str, Function]]:
    """Every function, method and closure radon measured, with a dotted qualified name."""
    for func in functions:
        qualname = f"{prefix}{func.name}"
        yield qualname, func
        yield from _walk_blocks(func.closures, (), f"{qualname}.")
    for cls in classes:
        yield from _walk_blocks(cls.methods, cls.inner_classes, f"{prefix}{cls.name}.")


class ComplexityExtractor(FactExtractor):
    provides = frozenset({"complexity"})

    def finish(self) -> None:
        ctx, facts = self.ctx, self.ctx.facts
        if facts is None or ctx.is_test:
            return
        analysis = _analysis(ctx)
        if analysis.tree is None:
            return
        if not ctx.is_notebook:
            visitor = analysis.module_visitor
            facts.complexity.extend(self._functions(analysis, visitor.functions, visitor.classes))
            return
        for cell, stmts in _cells(ctx, analysis.tree.body):
            visitor = ComplexityVisitor.from_ast(ast.Module(body=stmts, type_ignores=[]))
            first, last = stmts[0], stmts[-1]
            end_line = last.end_lineno or last.lineno
            end_col = (last.end_col_offset or 0) + 1
            facts.complexity.append(
                ComplexityFact(
                    name=f"cell {cell}",
                    kind="cell",
                    span=Span(first.lineno, first.col_offset + 1, end_line, end_col),
                    complexity=visitor.complexity,
                    length=_top_level_lines(stmts),
                )
            )
            facts.complexity.extend(self._functions(analysis, visitor.functions, visitor.classes))

    def _functions(
        self, analysis: _Analysis, functions: Iterable[Function], classes: Iterable[Class]
    ) -> Iterator[ComplexityFact]:
        for qualname, func in _walk_blocks(functions, classes):
            node = analysis.node_at(func.lineno, func.col_offset)
            if not isinstance(node, _DEFS):
                continue
            keyword = "async def " if isinstance(node, ast.AsyncFunctionDef) else "def "
            start = node.col_offset + 1
            yield ComplexityFact(
                name=qualname,
                kind="method" if func.is_method else "function",
                span=Span(node.lineno, start, node.lineno, start + len(keyword) + len(node.name)),
                complexity=func.complexity,
                length=logical_lines([node]),
            )


def _cells(ctx: FileContext, body: list[ast.stmt]) -> Iterator[tuple[int, list[ast.stmt]]]:
    """A notebook's module-level statements grouped by the cell they start in."""
    current: int | None = None
    stmts: list[ast.stmt] = []
    for stmt in body:
        cell = ctx.cell_of(stmt.lineno)
        if cell != current and stmts and current is not None:
            yield current, stmts
            stmts = []
        current = cell
        stmts.append(stmt)
    if stmts and current is not None:
        yield current, stmts


_DIRECTIVE = re.compile(r"#\s*mlaudit\s*:")


class MaintainabilityExtractor(FactExtractor):
    provides = frozenset({"maintainability"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.comments = 0

    def visit_Comment(self, node: cst.Comment) -> None:
        # A suppression directive documents nothing: counting it would let `--add-ignore` raise the
        # index above the threshold and turn its own MLA603 directive into an unused suppression.
        if not _DIRECTIVE.match(node.value):
            self.comments += 1

    def finish(self) -> None:
        ctx, facts = self.ctx, self.ctx.facts
        if facts is None or ctx.is_test:
            return
        analysis = _analysis(ctx)
        if analysis.tree is None:
            return
        facts.maintainability = round(maintainability_index(analysis, self.comments), 2)


def maintainability_index(analysis: _Analysis, comments: int) -> float:
    """radon's MI (``mi_compute``) from the ast and a comment count (see the module docstring)."""
    tree = analysis.tree
    assert tree is not None
    volume = halstead_visitor_report(HalsteadVisitor.from_ast(tree)).volume
    complexity = analysis.module_visitor.total_complexity
    lloc = logical_lines(tree.body, decorators=True)
    lines = analysis.text.splitlines()
    string_lines, multi = _string_lines(tree, lines)
    code_lines = sum(1 for s in lines if s.strip() and not s.lstrip().startswith("#"))
    sloc = code_lines - string_lines
    percent = (comments + multi) / sloc * 100 if sloc > 0 else 0.0
    return float(mi_compute(volume, complexity, lloc, percent))


def _string_lines(tree: ast.Module, lines: list[str]) -> tuple[int, int]:
    """Non-blank lines of bare-string statements (docstrings), and of those spanning several lines
    (radon's ``multi``, counted as comments)."""
    total = multi = 0
    for node in statements(tree.body):
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            continue
        if not isinstance(node.value.value, str):
            continue
        end = node.end_lineno or node.lineno
        if end == node.lineno:
            total += 1
            continue
        count = sum(1 for s in lines[node.lineno - 1 : end] if s.strip())
        total += count
        multi += count
    return total, multi
