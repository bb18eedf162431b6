"""Node positions at a fraction of libcst's PositionProvider cost.

PositionProvider is about two parses per file (measured: 19 s against a 1.5 s plain codegen on 150
scikit-learn modules); nearly all of it is bookkeeping (a ``CodePosition`` per node, a generator-based
context manager per syntactic node, a regex split per token). ``Positions`` runs the same codegen
with the same syntactic-position semantics but records plain tuples and, given CPython's statement
lines, generates only the module-level statements whose positions are asked for: on scikit-learn a
cold check went from 2.9x to 1.4x libcst's parse-only time with this and ``engine.walk``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst._nodes.internal import CodegenState

from mlaudit.engine.source import line_starts
from mlaudit.facts.model import Span

_Range = tuple[int, int, int, int]  # line, 0-based column, end line, end column


class _Syntactic:
    """A context manager object: libcst nodes call ``with state.record_syntactic_position(...)``."""

    __slots__ = ("end_node", "node", "start", "start_node", "state")

    def __init__(self, state: _LeanState, node: cst.CSTNode, start_node: Any, end_node: Any) -> None:
        self.state = state
        self.node = node
        self.start_node = start_node
        self.end_node = end_node

    def __enter__(self) -> None:
        self.start = (self.state.line, self.state.column)

    def __exit__(self, *exc: object) -> None:
        computed = self.state.computed
        line, col = self.start
        if self.start_node is not None:
            line, col = computed[self.start_node][:2]
        end_line, end_col = self.state.line, self.state.column
        if self.end_node is not None:
            end_line, end_col = computed[self.end_node][2:]
        computed[self.node] = (line, col, end_line, end_col)


@dataclass
class _LeanState(CodegenState):
    line: int = 1
    column: int = 0
    computed: dict[cst.CSTNode, _Range] = field(default_factory=dict)
    _stack: list[tuple[int, int]] = field(default_factory=list)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            self.line += len(lines) - 1
            self.column = len(lines[-1])
        else:
            self.column += len(value)

    def pop_trailing_newline(self) -> None:
        pass

    def before_codegen(self, node: cst.CSTNode) -> None:
        self._stack.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, col = self._stack.pop()
        if node not in self.computed:
            self.computed[node] = (line, col, self.line, self.column)

    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> _Syntactic:
        return _Syntactic(self, node, start_node, end_node)


class _Recording(_LeanState):
    """Also keeps the generated text, to compare with the source."""

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        super().add_token(value)


class Positions:
    """Syntactic positions of every node of one module, as 1-based ``Span``s with exclusive ends.

    With ``first_lines`` (the first line of each module-level statement, from CPython's ``ast``, which
    ``engine.parsing`` runs anyway) and the module's ``text``, a module-level statement is generated
    alone, on first request for one of its nodes: most files only need the positions of their imports
    and of a few findings, so most of the module is never generated. The codegen of a statement starts
    at the line CPython gives it (less its leading comment and blank lines), and the text it generates
    must be the source's text there, character for character: then every position in it is the one the
    whole module's codegen gives. On any disagreement, and for a node outside every statement (the
    module itself, its header and footer), the whole module is generated, as without ``first_lines``.
    ``statement`` names the module-level statement being traversed: the first place to look."""

    def __init__(
        self, module: cst.Module, first_lines: tuple[int, ...] | None = None, text: str = ""
    ) -> None:
        self.module = module
        self.statement: int | None = None
        self._text = text
        self._offsets: list[int] | None = None
        self._computed: dict[cst.CSTNode, _Range] = {}
        self._starts = None if first_lines is None or not text else _statement_starts(module, first_lines)
        self._done: set[int] = set()
        if self._starts is None:
            self._whole()

    def __getitem__(self, node: cst.CSTNode) -> Span:
        found = self._computed.get(node)
        if found is None:
            found = self._find(node)
        line, col, end_line, end_col = found
        return Span(line, col + 1, end_line, end_col + 1)

    def _find(self, node: cst.CSTNode) -> _Range:
        starts = self._starts
        if starts is not None:
            count = len(starts)
            first = self.statement if self.statement is not None and 0 <= self.statement < count else 0
            for index in (*range(first, count), *range(first)):
                if index in self._done:
                    continue
                if not self._statement(index):
                    break
                found = self._computed.get(node)
                if found is not None:
                    return found
            self._whole()
        return self._computed[node]

    def _statement(self, index: int) -> bool:
        """Generate one module-level statement; False when its text is not the source's there."""
        assert self._starts is not None
        module = self.module
        state = _Recording(default_indent=module.default_indent, default_newline=module.default_newline)
        start = state.line = self._starts[index]
        module.body[index]._codegen(state)
        if not self._matches(start, "".join(state.tokens)):
            return False
        self._done.add(index)
        for key, value in state.computed.items():
            self._computed.setdefault(key, value)
        return True

    def _matches(self, line: int, code: str) -> bool:
        if self._offsets is None:
            self._offsets = line_starts(self._text)
        if not 1 <= line <= len(self._offsets):
            return False
        offset = self._offsets[line - 1]
        if self._text.startswith(code, offset):
            return True
        newline = self.module.default_newline  # the last statement of a file with no final newline
        return code.endswith(newline) and self._text[offset:] == code[: -len(newline)]

    def _whole(self) -> None:
        state = _LeanState(
            default_indent=self.module.default_indent, default_newline=self.module.default_newline
        )
        self.module._codegen(state)
        self._computed = state.computed
        self._starts = None


def _statement_starts(module: cst.Module, first_lines: tuple[int, ...]) -> tuple[int, ...] | None:
    """The line where the codegen of each of ``module.body`` starts, from CPython's first line of each
    module-level statement; None when the two parsers' statements do not pair up (a ``;``-joined line
    is one libcst statement and several of CPython's)."""
    out: list[int] = []
    position = 0
    for statement in module.body:
        if position >= len(first_lines):
            return None
        line = first_lines[position]
        position += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        before = len(statement.leading_lines)
        decorators = getattr(statement, "decorators", ())
        if decorators:
            before += len(decorators[0].leading_lines)
        out.append(line - before)
    return tuple(out) if position == len(first_lines) else None


def first_lines(tree: ast.Module) -> tuple[int, ...]:
    """The line of the first token of each module-level statement of CPython's tree."""
    out = []
    for statement in tree.body:
        decorators = getattr(statement, "decorator_list", None)
        out.append(decorators[0].lineno if decorators else statement.lineno)
    return tuple(out)
