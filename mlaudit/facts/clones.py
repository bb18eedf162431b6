"""Clone facts: every statement sequence of a file, normalised for type-2 clone detection.

A *block* is a statement sequence: a module body, a function or class body, the body of the
``if __name__ == "__main__":`` guard. A notebook's module-level code is one block across its cells, in
order: code pasted from a script into a notebook is usually split over several cells, and a copy may
span them (the report still places each end in its cell). Nested
``if``/``for``/``while``/``with``/``try``/``match`` bodies are flattened into their block: a compound
statement contributes its header (``for v0 in v1:``) and its body follows, every statement carrying its
nesting depth relative to the block, so ``if c: a; b`` and ``if c: a`` + ``b`` stay different. A nested
``def``/``class`` ends the current block (its body is a block of its own). The main guard is a block
root so that a script's ``main`` code and the same code pasted in a notebook align.

Each statement becomes a ``CloneStmt``:

* ``digest`` hashes the statement's syntax with identifiers renamed by first occurrence *within the
  statement* (``df = df.dropna()`` and ``frame = frame.dropna()`` are both ``v0 = v0.dropna()``, while
  ``a = b.dropna()`` is ``v0 = v1.dropna()``) and every literal replaced by a placeholder. Renaming per
  statement rather than per window keeps a statement's digest independent of where a copy starts, which
  is what lets the clone index hash windows in linear time. Names bound by imports are *not* renamed but
  resolved (``pd.read_csv`` and ``pandas.read_csv`` are the same call; ``np.mean`` is not ``np.max``);
  nor are builtins, attribute names, keyword-argument names or the file's own module-level functions
  and classes (calling ``scale_rows`` in one copy and ``scale_columns`` in the other is a dispatch, not
  a copy).
* ``literals`` keeps the literal values in source order (for MLA502): strings and numbers by value
  (``'a'`` == ``"a"``), ``True``/``False``/``None``, negative numbers as one literal.
* ``data`` says the statement calls a data-transformation API (``ml_apis.is_data_transform``): a
  resolved pandas/numpy/scikit-learn preprocessing/torch tensor function, or a DataFrame-style method
  (``.fillna(``, ``.dropna(``, ``.merge(``, ``.groupby(``, ...) on any receiver; generic method names
  (``.apply(``, ``.drop(``, ``.clip(``...) count only in files that import a data package.

Left out: docstrings and other bare strings, ``pass``/``...``, expression statements that only display
a value (``df.shape``, ``search.best_params_`` at the end of a notebook cell), imports, ``__all__``
assignments and ``if TYPE_CHECKING:`` blocks. Test files get no blocks (MLA501 never reports them).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts import data_code, ml_apis
from mlaudit.facts.clone_normalise import Normaliser, digest, literal_value
from mlaudit.facts.model import CloneBlock, CloneStmt, Span
from mlaudit.facts.names import FunctionLocals, dotted

_MIN_BLOCK = 2
"""Blocks shorter than this cannot hold a clone of the smallest allowed size (``min-statements`` >= 2)."""


def _is_type_checking(test: cst.BaseExpression) -> bool:
    chain = dotted(test)
    return chain is not None and chain.split(".")[-1] == "TYPE_CHECKING"


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    sides = (test.left, test.comparisons[0].comparator)
    return any(isinstance(s, cst.Name) and s.value == "__name__" for s in sides) and any(
        isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__" for s in sides
    )


_NO_EFFECT = (
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
    cst.Ellipsis,
    cst.Name,
    cst.Attribute,
    cst.Subscript,
    cst.Integer,
    cst.Float,
)


def _is_skipped(small: cst.BaseSmallStatement) -> bool:
    if isinstance(small, (cst.Pass, cst.Import, cst.ImportFrom)):
        return True
    if isinstance(small, cst.Expr):
        # docstrings and bare strings, ``...``, and expressions that only display a value (a
        # notebook's ``df.head`` / ``model.best_params_`` / ``X.shape`` / ``df["a"]``): no effect
        return isinstance(small.value, _NO_EFFECT)
    if isinstance(small, cst.Assign):
        return any(isinstance(t.target, cst.Name) and t.target.value == "__all__" for t in small.targets)
    if isinstance(small, (cst.AugAssign, cst.AnnAssign)):
        return isinstance(small.target, cst.Name) and small.target.value == "__all__"
    return False


def _is_constant_assignment(stmt: cst.CSTNode | str) -> bool:
    """``name = literal`` (``batch_size = 12``, ``dataset = 'shakespeare'``, ``lr = -1e-3``)."""
    if isinstance(stmt, cst.Assign):
        targets_ok = all(isinstance(t.target, cst.Name) for t in stmt.targets)
        value = stmt.value
    elif isinstance(stmt, cst.AnnAssign) and stmt.value is not None:
        targets_ok = isinstance(stmt.target, cst.Name)
        value = stmt.value
    else:
        return False
    return targets_ok and literal_value(value) is not None


def _body(node: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return node.body


def _header_parts(
    node: cst.For | cst.While | cst.With | cst.Try | cst.TryStar,
) -> tuple[str, tuple[cst.CSTNode, ...]]:
    """The keyword of a compound statement and the expressions of its header."""
    if isinstance(node, cst.For):
        return ("AsyncFor" if node.asynchronous else "For"), (node.target, node.iter)
    if isinstance(node, cst.While):
        return "While", (node.test,)
    if isinstance(node, cst.With):
        return ("AsyncWith" if node.asynchronous else "With"), tuple(node.items)
    return type(node).__name__, ()


class ClonesExtractor(FactExtractor):
    provides = frozenset({"clones"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.enabled = not self.ctx.is_test and self.ctx.facts is not None
        self.imports_data = bool(self.ctx.names.imported_packages() & ml_apis.DATA_PACKAGES)
        self.scopes: list[FunctionLocals] = []
        self._current: CloneBlock | None = None

    # --- block roots ---------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        if self.enabled:
            self._root(node.body, cell=None, module_level=True)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.enabled:
            self._root(_body(node.body), cell=self._cell(node), module_level=False)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.enabled:
            self._root(_body(node.body), cell=self._cell(node), module_level=False)

    def _cell(self, node: cst.CSTNode) -> int | None:
        return self.ctx.cell_of(self.ctx.position(node).line) if self.ctx.is_notebook else None

    def _root(self, stmts: Sequence[cst.CSTNode], *, cell: int | None, module_level: bool) -> None:
        self.scopes = [self.ctx.function_locals(s) for s in self.ctx.functions]
        self._split(cell)
        for stmt in stmts:
            if module_level and self.ctx.is_notebook:
                stmt_cell = self._cell(stmt)
                if self._current is not None and stmt_cell != self._current.cell:
                    self._split(stmt_cell, continues=True)
            self._statement(stmt, 0, module_level)
        self._split(cell)

    def _split(self, cell: int | None, *, continues: bool = False) -> None:
        """Close the current block and open a new one; ``continues``: the new block goes on from the
        current one (the next cell of a notebook's module-level code)."""
        current, facts = self._current, self.ctx.facts
        if current is not None and facts is not None:
            size = len(current.statements)
            if size >= _MIN_BLOCK or (size and (current.continues or continues)):
                facts.clone_blocks.append(current)  # a short cell still links its neighbours
            elif not size:
                continues = continues and current.continues  # an empty cell (imports only) is skipped
            else:
                continues = False
        self._current = CloneBlock([], cell, continues)

    # --- statements ----------------------------------------------------------------------------
    def _statement(self, stmt: cst.CSTNode, depth: int, module_level: bool) -> None:
        if isinstance(stmt, cst.SimpleStatementLine):
            self._smalls(stmt.body, depth)
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            self._split(self._current.cell if self._current else None)
        elif isinstance(stmt, cst.If):
            self._if(stmt, depth, module_level, "If")
        elif isinstance(stmt, (cst.For, cst.While, cst.With, cst.Try, cst.TryStar)):
            self._compound(stmt, depth, module_level)
        elif isinstance(stmt, cst.Match):
            self._match(stmt, depth, module_level)

    def _smalls(self, smalls: Sequence[cst.BaseSmallStatement], depth: int) -> None:
        for small in smalls:
            if not _is_skipped(small):
                self._emit(small, depth, (), self.ctx.position(small))

    def _suite(self, suite: cst.BaseSuite, depth: int, module_level: bool) -> None:
        if isinstance(suite, cst.SimpleStatementSuite):
            self._smalls(suite.body, depth)
        else:
            for stmt in suite.body:
                self._statement(stmt, depth, module_level)

    def _if(self, node: cst.If, depth: int, module_level: bool, keyword: str) -> None:
        if _is_type_checking(node.test):
            return
        if module_level and depth == 0 and keyword == "If" and _is_main_guard(node.test):
            cell = self._current.cell if self._current else None
            self._split(cell)  # the main guard's body is a block root, like a function body
            self._suite(node.body, 0, False)
            self._split(cell)
            return
        self._emit(keyword, depth, (node.test,), self._header(node, node.test))
        self._suite(node.body, depth + 1, module_level)
        orelse = node.orelse
        if isinstance(orelse, cst.If):
            self._if(orelse, depth, module_level, "Elif")
        elif isinstance(orelse, cst.Else):
            self._clause("Else", orelse, depth, module_level)

    def _compound(
        self, node: cst.For | cst.While | cst.With | cst.Try | cst.TryStar, depth: int, module_level: bool
    ) -> None:
        keyword, parts = _header_parts(node)
        last = parts[-1] if parts else None
        self._emit(keyword, depth, parts, self._header(node, last, len("try")))
        self._suite(node.body, depth + 1, module_level)
        for handler in getattr(node, "handlers", ()):
            handler_parts = tuple(p for p in (handler.type, handler.name) if p is not None)
            span = self._header(handler, handler_parts[-1] if handler_parts else None, len("except"))
            self._emit("Except", depth, handler_parts, span)
            self._suite(handler.body, depth + 1, module_level)
        orelse = getattr(node, "orelse", None)
        if orelse is not None:
            self._clause("Else", orelse, depth, module_level)
        final = getattr(node, "finalbody", None)
        if final is not None:
            self._clause("Finally", final, depth, module_level)

    def _clause(self, keyword: str, node: cst.Else | cst.Finally, depth: int, module_level: bool) -> None:
        """``else:`` / ``finally:``: a header statement and its body."""
        self._emit(keyword, depth, (), self._header(node, None, len(keyword)))
        self._suite(node.body, depth + 1, module_level)

    def _match(self, node: cst.Match, depth: int, module_level: bool) -> None:
        self._emit("Match", depth, (node.subject,), self._header(node, node.subject))
        for case in node.cases:
            guard = (case.guard,) if case.guard is not None else ()
            self._emit("Case", depth + 1, (case.pattern, *guard), self._header(case, case.pattern))
            self._suite(case.body, depth + 2, module_level)

    def _header(self, node: cst.CSTNode, last: cst.CSTNode | None, keyword_length: int = 0) -> Span:
        """The span of a compound statement's header line(s), up to and including the colon."""
        start = self.ctx.position(node)
        if last is None:
            return Span(start.line, start.col, start.line, start.col + keyword_length + 1)
        end = self.ctx.position(last)
        return Span(start.line, start.col, end.end_line, end.end_col + 1)

    def _emit(self, kind: cst.CSTNode | str, depth: int, parts: Sequence[cst.CSTNode], span: Span) -> None:
        """Append one normalised statement (``kind`` a small statement, or a header keyword and the
        header's expressions) to the current block."""
        norm = Normaliser(
            self.ctx.names,
            self.ctx.module,
            self.scopes,
            imports_data=self.imports_data,
            position=self.ctx.position,
        )
        norm.tokens.append(f"d{depth}")
        if isinstance(kind, str):
            norm.tokens.append(kind)
            for part in parts:
                norm.tokens.append("|")
                norm.visit(part)
        else:
            norm.visit(kind)
        role = data_code.combine(norm.kinds)
        if not role and _is_constant_assignment(kind):
            role = data_code.CONST
        assert self._current is not None
        self._current.statements.append(
            CloneStmt(
                digest(norm.tokens),
                tuple(norm.literals),
                span,
                norm.data,
                tuple(norm.literal_spans),
                tuple(norm.quiet_literals),
                role,
            )
        )

    def finish(self) -> None:
        self._current = None
