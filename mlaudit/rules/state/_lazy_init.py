"""Lazy initialisation through ``global``: the cache idiom MLA101 accepts.

``global _config; if _config is None: _config = load(); return _config`` computes a value once and
reuses it. The function rebinds the module name only to fill an empty cache, never to change a value
that callers already saw, so it is not the hidden state MLA101 is about. A name is lazily initialised
in a function when every binding of it there sits under a test that it is still unset:

* inside ``if X is None:`` / ``if X == None:`` / ``if not X:`` (its ``else`` branch is not guarded);
* or after an early return ``if X is not None: return X`` / ``if X: return X`` in the same block.

Any other binding (an unguarded assignment, ``X += 1``, ``del X``, ``X := ...``) makes it state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import libcst as cst

from mlaudit.facts.names import _target_names


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _compares_to_none(test: cst.BaseExpression, name: str, operators: tuple[type, ...]) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comp = test.comparisons[0]
    return isinstance(comp.operator, operators) and _is_name(test.left, name) and _is_none(comp.comparator)


def unset_test(test: cst.BaseExpression, name: str) -> bool:
    """``X is None``, ``X == None``, ``not X``."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _is_name(test.expression, name)
    return _compares_to_none(test, name, (cst.Is, cst.Equal))


def set_test(test: cst.BaseExpression, name: str) -> bool:
    """``X is not None``, ``X != None``, ``X``."""
    return _is_name(test, name) or _compares_to_none(test, name, (cst.IsNot, cst.NotEqual))


def _returns(block: cst.BaseSuite) -> bool:
    """The block ends with ``return`` (an early exit)."""
    body = block.body
    last = body[-1] if body else None
    if isinstance(last, cst.SimpleStatementLine):
        return isinstance(last.body[-1], cst.Return)
    return isinstance(last, cst.Return)  # `if X: return X` on one line


class _Sites:
    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self.guarded: dict[str, list[bool]] = {}

    def record(self, names: Iterable[str], guard: frozenset[str], lazy_kind: bool = True) -> None:
        for name in names:
            if name in self.names:
                self.guarded.setdefault(name, []).append(lazy_kind and name in guard)

    def block(self, body: Sequence[cst.CSTNode], guard: frozenset[str]) -> None:
        current = set(guard)
        for stmt in body:
            frozen = frozenset(current)
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self.small(small, frozen)
            elif isinstance(stmt, cst.FunctionDef | cst.ClassDef):
                self.record([stmt.name.value], frozen)
            elif isinstance(stmt, cst.If):
                self.if_(stmt, frozen)
                if stmt.orelse is None and _returns(stmt.body):
                    current |= {n for n in self.names if set_test(stmt.test, n)}
            else:
                self.compound(stmt, frozen)

    def small(self, small: cst.BaseSmallStatement, guard: frozenset[str]) -> None:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                self.record(_target_names(target.target), guard)
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            self.record(_target_names(small.target), guard)
        elif isinstance(small, cst.AugAssign):
            self.record(_target_names(small.target), guard, lazy_kind=False)
        elif isinstance(small, cst.Del):
            self.record(_deleted(small), guard, lazy_kind=False)
        elif isinstance(small, cst.Import | cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            for alias in small.names:
                bound = alias.asname.name if alias.asname else alias.name
                if isinstance(bound, cst.Name):
                    self.record([bound.value], guard)
                elif isinstance(bound, cst.Attribute):
                    root = bound
                    while isinstance(root, cst.Attribute):
                        root = root.value  # type: ignore[assignment]
                    if isinstance(root, cst.Name):
                        self.record([root.value], guard)

    def if_(self, stmt: cst.If, guard: frozenset[str]) -> None:
        inside = guard | {n for n in self.names if unset_test(stmt.test, n)}
        self.block(stmt.body.body, inside)
        orelse = stmt.orelse
        if isinstance(orelse, cst.If):
            self.if_(orelse, guard)
        elif orelse is not None:
            self.block(orelse.body.body, guard)

    def compound(self, stmt: cst.CSTNode, guard: frozenset[str]) -> None:
        if isinstance(stmt, cst.For):
            self.record(_target_names(stmt.target), guard, lazy_kind=False)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                if item.asname is not None:
                    self.record(_target_names(item.asname.name), guard)
        elif isinstance(stmt, cst.Try | cst.TryStar):
            for handler in stmt.handlers:
                if handler.name is not None and isinstance(handler.name.name, cst.Name):
                    self.record([handler.name.name.value], guard, lazy_kind=False)
        for part in _blocks(stmt):
            self.block(part, guard)


def _deleted(node: cst.Del) -> list[str]:
    targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
    out = []
    for element in targets:
        target = element.value if isinstance(element, cst.BaseElement) else element
        if isinstance(target, cst.Name):
            out.append(target.value)
    return out


def _blocks(stmt: cst.CSTNode) -> list[Sequence[cst.CSTNode]]:
    """The statement blocks of a compound statement other than ``if`` (loops, ``with``, ``try``, ``match``)."""
    out: list[Sequence[cst.CSTNode]] = []
    body = getattr(stmt, "body", None)
    if isinstance(body, cst.BaseSuite):
        out.append(body.body)
    for attr in ("orelse", "finalbody"):
        part = getattr(stmt, attr, None)
        if part is not None and isinstance(getattr(part, "body", None), cst.BaseSuite):
            out.append(part.body.body)
    for handler in getattr(stmt, "handlers", ()) or ():
        out.append(handler.body.body)
    for case in getattr(stmt, "cases", ()) or ():
        out.append(case.body.body)
    return out


def lazily_initialised(node: cst.FunctionDef, names: Iterable[str], walrus_or_del: Iterable[str]) -> set[str]:
    """The names (of ``names``) whose every binding in ``node``'s body fills a still-unset value."""
    sites = _Sites(names)
    sites.block(node.body.body, frozenset())
    excluded = set(walrus_or_del)
    return {
        name
        for name, guarded in sites.guarded.items()
        if guarded and all(guarded) and name not in excluded
    }
