"""Per-file context shared by every rule and extractor in the one batched pass.

``ScopeEnter`` runs first and ``ScopeLeave`` last in the batch, so while any rule's ``visit_*`` or
``leave_*`` runs, ``FileContext`` describes the enclosing functions, classes, main guard and
``TYPE_CHECKING`` block of the node being visited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import MetadataWrapper

from mlaudit.engine.positions import Positions
from mlaudit.engine.source import CellStart, SourceMap, split_lines
from mlaudit.facts.model import FileFacts, Span
from mlaudit.facts.names import FunctionLocals, ModuleNames, dotted, resolve_chain

if TYPE_CHECKING:
    from mlaudit.config.schema import Settings

_WS = re.compile(r"\s+")
SNIPPET_LIMIT = 200


@dataclass(slots=True)
class FunctionScope:
    node: cst.FunctionDef | cst.Lambda
    name: str
    qualname: str
    is_method: bool
    transform: bool | None = None
    """Whether it is a transform: ``facts.functions.is_transform_scope`` (the one definition) caches its
    answer here; None until asked."""
    _locals: FunctionLocals | None = None
    factory: bool | None = None
    """Builds and returns a transform rather than transforming data (``facts.functions.is_transform_factory``);
    None until asked."""


@dataclass(slots=True)
class FileContext:
    path: str
    module: str
    roles: frozenset[str]
    settings: Settings
    text: str
    wrapper: MetadataWrapper
    names: ModuleNames
    is_package: bool = False
    is_notebook: bool = False
    cells: tuple[CellStart, ...] = ()
    """A notebook's code cells (first virtual line, cell number), in order; empty for ``.py`` files."""
    facts: FileFacts | None = None
    functions: list[FunctionScope] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    main_guard: int = 0
    type_checking: int = 0
    _class_depths: list[int] = field(default_factory=list)
    first_lines: tuple[int, ...] | None = None
    """CPython's first line of each module-level statement (``engine.positions``), when it parsed the file."""
    statement: int | None = None
    """The index of the module-level statement being traversed (None outside the traversal)."""
    _positions: Positions | None = None
    _lines: list[str] | None = None

    # --- roles -------------------------------------------------------------------------------
    @property
    def is_test(self) -> bool:
        return "test" in self.roles

    @property
    def is_experiment(self) -> bool:
        return "experiment" in self.roles

    @property
    def is_production(self) -> bool:
        return not (self.is_test or self.is_experiment)

    @property
    def is_config_module(self) -> bool:
        return "config" in self.roles

    # --- where are we ------------------------------------------------------------------------
    @property
    def at_module_level(self) -> bool:
        """Code that runs at import time: outside functions and class bodies and the main guard."""
        return not self.functions and not self.classes and not self.main_guard

    @property
    def function(self) -> FunctionScope | None:
        return self.functions[-1] if self.functions else None

    def function_locals(self, scope: FunctionScope) -> FunctionLocals:
        if scope._locals is None:
            scope._locals = FunctionLocals(scope.node, self.module, self.is_package)
        return scope._locals

    # --- names -------------------------------------------------------------------------------
    def resolve(self, node: cst.BaseExpression) -> str | None:
        """Absolute dotted name of a name chain (``pd.read_csv`` -> ``pandas.read_csv``), or None
        when it is not a name chain or its root is a local variable."""
        chain = dotted(node)
        if chain is None:
            return None
        scopes = [self.function_locals(s) for s in self.functions]
        return resolve_chain(chain, self.names, scopes)

    def is_local_name(self, name: str) -> bool:
        """True when ``name`` is bound in an enclosing function (parameter, assignment, import)."""
        for scope in reversed(self.functions):
            loc = self.function_locals(scope)
            if name in loc.locals or name in loc.imports:
                return True
            if name in loc.globals:
                return False
        return False

    def cell_of(self, line: int) -> int | None:
        """The notebook cell holding a virtual line (None for ``.py`` files)."""
        return SourceMap(list(self.cells)).locate(line)[0] if self.cells else None

    # --- positions and text ------------------------------------------------------------------
    def position(self, node: cst.CSTNode) -> Span:
        """1-based line, 1-based column, exclusive end. Computed lazily, once per file, and only
        for files that need one (see ``engine.positions`` for why not libcst's PositionProvider)."""
        if self._positions is None:
            self._positions = Positions(self.wrapper.module, self.first_lines, self.text)
        self._positions.statement = self.statement
        return self._positions[node]

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def snippet(self, span: Span) -> str:
        """Whitespace-normalised source of a span: the line-independent part of a fingerprint."""
        lines = self.lines[span.line - 1 : span.end_line]
        if not lines:
            return ""
        if len(lines) == 1:
            text = lines[0][span.col - 1 : span.end_col - 1]
        else:
            text = "\n".join([lines[0][span.col - 1 :], *lines[1:-1], lines[-1][: span.end_col - 1]])
        return _WS.sub(" ", text).strip()[:SNIPPET_LIMIT]


def _is_main_guard(test: cst.BaseExpression) -> bool:
    """``if __name__ == "__main__":`` in either operand order."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comp = test.comparisons[0]
    if not isinstance(comp.operator, cst.Equal):
        return False
    sides = {_main_guard_part(test.left), _main_guard_part(comp.comparator)}
    return sides == {"name", "main"}


def _main_guard_part(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name) and node.value == "__name__":
        return "name"
    if isinstance(node, cst.SimpleString) and node.evaluated_value == "__main__":
        return "main"
    return None


def _is_type_checking(test: cst.BaseExpression) -> bool:
    chain = dotted(test)
    return chain is not None and chain.split(".")[-1] == "TYPE_CHECKING"


class ScopeEnter(cst.BatchableCSTVisitor):
    """First in the batch: pushes scopes before any rule visits the node."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        ctx = self.ctx
        # A method's class is the innermost class opened since the innermost function.
        is_method = bool(ctx.classes) and (not ctx.functions or ctx._class_depths[-1] < len(ctx.classes))
        if ctx.functions and not is_method:
            qualname = f"{ctx.functions[-1].qualname}.<locals>.{node.name.value}"
        elif is_method:
            qualname = f"{ctx.classes[-1]}.{node.name.value}"
        else:
            qualname = node.name.value
        ctx.functions.append(
            FunctionScope(
                node=node,
                name=node.name.value,
                qualname=qualname,
                is_method=is_method,
            )
        )
        ctx._class_depths.append(len(ctx.classes))

    def visit_Lambda(self, node: cst.Lambda) -> None:
        ctx = self.ctx
        prefix = ctx.functions[-1].qualname + ".<locals>." if ctx.functions else ""
        ctx.functions.append(FunctionScope(node, "<lambda>", prefix + "<lambda>", False))
        ctx._class_depths.append(len(ctx.classes))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.ctx.classes.append(node.name.value)

    def visit_If_body(self, node: cst.If) -> None:
        if _is_main_guard(node.test):
            self.ctx.main_guard += 1
        if _is_type_checking(node.test):
            self.ctx.type_checking += 1


class ScopeLeave(cst.BatchableCSTVisitor):
    """Last in the batch: pops scopes after every rule has left the node."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.ctx.functions.pop()
        self.ctx._class_depths.pop()

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.ctx.functions.pop()
        self.ctx._class_depths.pop()

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.ctx.classes.pop()

    def leave_If_body(self, original_node: cst.If) -> None:
        if _is_main_guard(original_node.test):
            self.ctx.main_guard -= 1
        if _is_type_checking(original_node.test):
            self.ctx.type_checking -= 1
