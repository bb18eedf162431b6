"""Def-use facts over one block of statements, in source order, without types.

The generic half of the data-flow analysis behind MLA702 (``facts.dataflow`` is the ML half). ``DefUse``
walks the statements of one block (a function body, a module's top level, a notebook's cells in order)
once and keeps, for every variable, a set of *facts* about the value it holds and, optionally, an object
it is bound to (a fitted step, a splitter). Subclasses decide what a call produces (``call``) and may add
facts when a name is read (``name``).

How facts flow:

* an assignment gives its targets the facts of its value (a strong update); a tuple target gives every
  element all of them (``X, y = ...``); a subscript or attribute store adds them to the root name
  (a weak update: ``df["a"] = ...`` changes ``df``); ``del`` and imports forget the name;
* an expression's facts are the union of the facts of the names it reads (``pd.concat([a, b])``,
  ``a.values``, ``a.to_numpy()``, ``a[cols]``), attribute names and keyword names excluded;
* a value that derives from no known name gets a fresh ``origin`` fact, so that two expressions derived
  from the same frame share one (``X = df.drop(...)``, ``y = df["y"]``);
* the walk is linear: both branches of an ``if`` run, a loop body runs once, nested ``def`` and
  ``class`` bodies are scopes of their own (only their name is bound).

Pure: it reads libcst nodes and calls the callback it is given.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

IsVariable = Callable[[str], bool]
"""True when a bare name not bound in the block is data (a parameter, a global), not an import or def."""

Fact = tuple[str, int]
Facts = frozenset[Fact]
EMPTY: Facts = frozenset()
ORIGIN = "origin"
ALL = None
"""``args(..., keywords=ALL)``: every keyword argument."""

TOKENS = (
    cst.BaseParenthesizableWhitespace,
    cst.Newline,
    cst.EmptyLine,
    cst.TrailingWhitespace,
    cst.Comma,
    cst.Dot,
    cst.Colon,
    cst.Semicolon,
    cst.AssignEqual,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.BaseBinaryOp,
    cst.BaseBooleanOp,
    cst.BaseCompOp,
    cst.BaseUnaryOp,
    cst.BaseAugOp,
    cst.BaseString,
    cst.Integer,
    cst.Float,
    cst.Imaginary,
)
"""Leaves that hold no name: walks skip them."""
_NO_FACTS = (cst.Lambda, *TOKENS)


@dataclass(slots=True)
class Value:
    facts: Facts = EMPTY
    obj: object | None = None


def kinds(facts: Facts, kind: str) -> Iterator[int]:
    """The ids of the facts of one kind."""
    return (i for k, i in facts if k == kind)


def origins(facts: Facts) -> Facts:
    return frozenset(f for f in facts if f[0] == ORIGIN)


class DefUse:
    def __init__(self, is_variable: IsVariable) -> None:
        self.is_variable = is_variable
        self.env: dict[str, Facts] = {}
        self.objs: dict[str, object] = {}
        self._ids = itertools.count()

    def fresh(self) -> Fact:
        return (ORIGIN, next(self._ids))

    # --- statements ----------------------------------------------------------------------------
    def block(self, body: Sequence[cst.CSTNode]) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.small(small)
        elif isinstance(stmt, cst.FunctionDef | cst.ClassDef):
            self.unbind(stmt.name.value)  # a scope of its own; only its name is bound here
        else:
            self.compound(stmt)

    def compound(self, stmt: cst.CSTNode) -> None:
        """Every block of a compound statement, in order, after the expressions that head it."""
        if isinstance(stmt, cst.For):
            self.bind(stmt.target, self.eval(stmt.iter))
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                value = self.eval(item.item)
                if item.asname is not None:
                    self.bind(item.asname.name, value)
        elif isinstance(stmt, cst.If | cst.While):
            self.eval(stmt.test)
        elif isinstance(stmt, cst.Match):
            self.eval(stmt.subject)
        for part in _blocks(stmt):
            self.suite(part)

    def suite(self, node: cst.CSTNode | None) -> None:
        if node is None:
            return
        if isinstance(node, cst.If):  # `elif`
            self.statement(node)
            return
        body = getattr(node, "body", None)
        if isinstance(body, cst.BaseSuite):
            self.suite(body)
        elif isinstance(body, Sequence):
            self.block(body)

    def small(self, stmt: cst.BaseSmallStatement) -> None:
        if isinstance(stmt, cst.Assign):
            value = self.assigned(stmt.value)
            for target in stmt.targets:
                self.bind(target.target, value)
        elif isinstance(stmt, cst.AnnAssign) and stmt.value is not None:
            self.bind(stmt.target, self.assigned(stmt.value))
        elif isinstance(stmt, cst.AugAssign):
            self.bind(stmt.target, Value(self.eval(stmt.value).facts), weak=True)
        elif isinstance(stmt, cst.Expr | cst.Return) and stmt.value is not None:
            self.eval(stmt.value)
        else:
            for name in _unbound_names(stmt):
                self.unbind(name)

    def assigned(self, expr: cst.BaseExpression) -> Value:
        """The value of an assignment's right-hand side; data from nowhere known gets a fresh origin."""
        value = self.eval(expr)
        if value.obj is None and not origins(value.facts):
            return Value(value.facts | {self.fresh()})
        return value

    def bind(self, target: cst.BaseExpression, value: Value, *, weak: bool = False) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if weak:
                self.env[name] = self.env.get(name, EMPTY) | value.facts
                return
            self.env[name] = value.facts
            if value.obj is not None:
                self.objs[name] = value.obj
            else:
                self.objs.pop(name, None)
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self.bind(element.value, Value(value.facts), weak=weak)
        elif isinstance(target, cst.StarredElement):
            self.bind(target.value, Value(value.facts), weak=weak)
        elif isinstance(target, cst.Subscript | cst.Attribute):
            self.eval(target)  # `df.loc[mask, col] = ...` reads `mask`
            root = root_name(target)
            if root is not None:
                self.env[root] = self.env.get(root, EMPTY) | value.facts

    def unbind(self, name: str) -> None:
        self.env[name] = EMPTY
        self.objs.pop(name, None)

    # --- expressions ---------------------------------------------------------------------------
    def eval(self, node: cst.CSTNode) -> Value:
        if isinstance(node, cst.Name):
            return self.name(node.value)
        if isinstance(node, cst.Attribute):
            return Value(self.eval(node.value).facts)
        if isinstance(node, cst.Call):
            return self.call(node)
        if isinstance(node, _NO_FACTS):
            return Value()
        facts: set[Fact] = set()
        for child in node.children:
            if isinstance(child, TOKENS):
                continue
            if isinstance(child, cst.Arg) and child.keyword is not None:
                facts |= self.eval(child.value).facts
            else:
                facts |= self.eval(child).facts
        return Value(frozenset(facts))

    def name(self, name: str) -> Value:
        if name in self.env:
            value = Value(self.env[name], self.objs.get(name))
        elif self.is_variable(name):
            self.env[name] = frozenset({self.fresh()})
            value = Value(self.env[name])
        else:
            return Value()
        return value

    def args(self, call: cst.Call, skip: int = 0, keywords: frozenset[str] | None = frozenset()) -> Facts:
        """Facts of the positional arguments from ``skip`` on and of the named keywords (all: None)."""
        facts: set[Fact] = set()
        positional = [a for a in call.args if a.keyword is None]
        for arg in positional[skip:]:
            facts |= self.eval(arg.value).facts
        for arg in call.args:
            if arg.keyword is not None and (keywords is None or arg.keyword.value in keywords):
                facts |= self.eval(arg.value).facts
        return frozenset(facts)

    # --- calls: subclasses say what they produce ----------------------------------------------------
    def call(self, call: cst.Call) -> Value:
        return self.everything(call)

    def everything(self, call: cst.Call) -> Value:
        """A call we know nothing about: its value derives from its callee chain and every argument."""
        return Value(self.eval(call.func).facts | self.args(call, 0, ALL))


def _blocks(stmt: cst.CSTNode) -> Iterator[cst.CSTNode | None]:
    """The blocks of a compound statement in source order (``elif`` is an ``If`` in ``orelse``)."""
    yield getattr(stmt, "body", None)
    for handler in getattr(stmt, "handlers", ()) or ():
        yield handler.body
    for case in getattr(stmt, "cases", ()) or ():
        yield case.body
    yield getattr(stmt, "orelse", None)
    yield getattr(stmt, "finalbody", None)


def _unbound_names(stmt: cst.BaseSmallStatement) -> Iterator[str]:
    """Names a ``del`` or an import rebinds: whatever they held is gone."""
    if isinstance(stmt, cst.Del):
        yield from target_names(stmt.target)
    elif isinstance(stmt, cst.Import | cst.ImportFrom) and isinstance(stmt.names, Sequence):
        for alias in stmt.names:
            bound = alias.asname.name if alias.asname is not None else alias.name
            root = root_name(bound) if isinstance(bound, cst.BaseExpression) else None
            if root:
                yield root


def target_names(node: cst.BaseExpression) -> Iterator[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, cst.Tuple | cst.List):
        for element in node.elements:
            yield from target_names(element.value)


def root_name(node: cst.BaseExpression) -> str | None:
    """``df`` for ``df``, ``df["a"]``, ``df.loc[:, c]``, ``df.values``; None otherwise."""
    while isinstance(node, cst.Subscript | cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None
