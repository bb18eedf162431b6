"""Whether the value of one call reaches a result of its scope (MLA704).

A random draw only matters when what it drew reaches something the program keeps or shows. Two real
shapes never do:

* the call's value is dropped on the spot: ``df.sample(n=5)`` written as a statement (a no-op bug; a seed
  would not change anything), ``RandomForestClassifier().fit(X, y)`` whose fitted model nobody holds;
* the value only feeds a throwaway: ``Xs, Ys = shuffle(Xt, Yt)`` cut to ten dummy rows that a sanity check
  fits a freshly built classifier on, to see whether its parameters are valid (the fitted model is
  dropped; only "did it raise" is used).

``reaches_result(call, scope)`` follows the names the value is assigned to through the statements of the
function (or module) that holds it, without regard to order (a loop may run a statement again):

* an assignment whose value mentions a followed name follows its targets when they are plain names; any
  other target (``self.model = ...``, ``results["acc"] = ...``) keeps the value: it is a result;
* a statement-call ``local.append(score)`` (a method that adds to a container held in a name of this scope)
  follows the receiver; ``Factory(...).fit(Xs)`` on a temporary keeps nothing, ``model.fit(Xs)`` on a named
  model keeps the value (a trained model is a result);
* anything else that mentions a followed name keeps it: a return or yield, a call that is not an in-place
  update (``print``, ``logger.info``, ``joblib.dump``, ``df.to_csv``), a condition, a nested function or
  class that could read it, a ``global`` declaration.

At a module's top level a value bound to a name is kept: module names are what a script leaves for its
importers and for interactive use (``embedding = TSNE(...).fit_transform(X)`` as a script's last line).
The answer errs towards "reaches": any shape not listed above counts as a result.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

_IN_PLACE = frozenset({"append", "extend", "update", "add", "insert", "setdefault"})
"""Methods that only add to their receiver (a list of scores): what they are given matters only if the
receiver does. Fitting a model held in a name is not one of them: a trained model is a result (its fit may
print its search, and a script that ends with ``search.fit(X, y)`` is about that fit)."""
_ON_TEMPORARY = frozenset({"fit", "partial_fit", "fit_transform", "fit_predict", "score", "predict", "transform"})
"""Learning calls on an object nobody holds (``globals()[name](**params).fit(Xs, Ys)``): their value is
dropped with the statement."""


@dataclass(frozen=True, slots=True)
class _Unit:
    """One statement of the scope, or one header of a compound statement."""

    kind: str
    """``assign``, ``expr``, ``bind`` (a ``for`` or ``with`` target), ``other`` or ``nested``."""
    node: cst.CSTNode
    targets: tuple[cst.BaseExpression, ...] = ()


class _Names(cst.CSTVisitor):
    """Names read in an expression (not attribute or keyword names), and whether it holds one node."""

    def __init__(self, needle: cst.CSTNode | None) -> None:
        self.names: set[str] = set()
        self.needle = needle
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node is self.needle:
            self.found = True
        return super().on_visit(node)

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False


def _scan(node: cst.CSTNode, needle: cst.CSTNode | None = None) -> _Names:
    names = _Names(needle)
    node.visit(names)
    return names


def _units(body: cst.BaseSuite | cst.Module | list[cst.BaseStatement]) -> Iterator[_Unit]:
    statements = body if isinstance(body, list) else list(_statements(body))
    for stmt in statements:
        yield from _statement_units(stmt)


def _statements(body: cst.BaseSuite | cst.Module) -> Iterator[cst.BaseStatement | cst.BaseSmallStatement]:
    if isinstance(body, cst.Module | cst.IndentedBlock | cst.SimpleStatementSuite):
        yield from body.body


def _statement_units(stmt: cst.CSTNode) -> Iterator[_Unit]:
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            yield _small_unit(small)
    elif isinstance(stmt, cst.BaseSmallStatement):
        yield _small_unit(stmt)
    elif isinstance(stmt, cst.FunctionDef | cst.ClassDef):
        yield _Unit("nested", stmt)
    elif isinstance(stmt, cst.For):
        yield _Unit("bind", stmt.iter, (stmt.target,))
        yield from _block(stmt.body, stmt.orelse)
    elif isinstance(stmt, cst.With):
        for item in stmt.items:
            target = (item.asname.name,) if item.asname is not None else ()
            yield _Unit("bind", item.item, target)
        yield from _block(stmt.body)
    elif isinstance(stmt, cst.If | cst.While):
        yield _Unit("other", stmt.test)
        yield from _block(stmt.body, stmt.orelse)
    elif isinstance(stmt, cst.Try | cst.TryStar):
        yield from _block(stmt.body, stmt.orelse, stmt.finalbody)
        for handler in stmt.handlers:
            if handler.type is not None:
                yield _Unit("other", handler.type)
            yield from _block(handler.body)
    else:
        yield _Unit("other", stmt)  # match, anything new: a result if it mentions the value


def _block(*parts: cst.CSTNode | None) -> Iterator[_Unit]:
    for part in parts:
        if part is None:
            continue
        if isinstance(part, cst.Else | cst.Finally):
            yield from _units(part.body)
        elif isinstance(part, cst.If):  # elif
            yield from _statement_units(part)
        elif isinstance(part, cst.BaseSuite):
            yield from _units(part)


def _small_unit(small: cst.BaseSmallStatement) -> _Unit:
    if isinstance(small, cst.Assign):
        return _Unit("assign", small.value, tuple(t.target for t in small.targets))
    if isinstance(small, cst.AnnAssign) and small.value is not None:
        return _Unit("assign", small.value, (small.target,))
    if isinstance(small, cst.AugAssign):
        return _Unit("assign", small, (small.target,))
    if isinstance(small, cst.Expr):
        return _Unit("expr", small.value)
    return _Unit("other", small)


def _plain_names(target: cst.BaseExpression) -> list[str] | None:
    """``a``, ``a, b``, ``[a, *rest]``: the names; ``None`` for an attribute or subscript target."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, cst.Tuple | cst.List):
        found: list[str] = []
        for element in target.elements:
            value = element.value
            names = _plain_names(value.value if isinstance(value, cst.StarredElement) else value)
            if names is None:
                return None
            found += names
        return found
    return None


def _local_names(units: list[_Unit]) -> set[str]:
    found: set[str] = set()
    for unit in units:
        for target in unit.targets:
            found |= set(_plain_names(target) or ())
    return found


def _update(
    expr: cst.BaseExpression, call: cst.Call, locals_: set[str], followed: set[str]
) -> tuple[bool, str | None]:
    """For a statement-call that mentions the value: (keeps it, receiver name to follow)."""
    if expr is call:
        return False, None  # the value itself dropped: ``df.sample(n=5)``
    if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Attribute):
        return True, None
    method = expr.func.attr.value
    receiver = expr.func.value
    if isinstance(receiver, cst.Name) and receiver.value in locals_ and method in _IN_PLACE:
        return False, receiver.value
    if isinstance(receiver, cst.Call) and method in _ON_TEMPORARY:
        scan = _scan(receiver, call)
        return (not scan.found and bool(scan.names & followed)), None
    return True, None


def reaches_result(call: cst.Call, scope: cst.FunctionDef | cst.Module) -> bool:
    """Whether the value of ``call`` (a node inside ``scope``'s own statements) may reach a result."""
    units = list(_units(scope.body if isinstance(scope, cst.FunctionDef) else scope))
    scans = [_scan(u.node, call) for u in units]
    if not any(s.found for s in scans):
        return True  # a decorator, a default value: not followed
    if any(isinstance(u.node, cst.Global | cst.Nonlocal) for u in units):
        return True
    locals_ = _local_names(units)
    followed: set[str] = set()
    changed = True
    while changed:
        changed = False
        for unit, scan in zip(units, scans, strict=True):
            if not (scan.found or scan.names & followed):
                continue
            keeps, more = _unit_effect(unit, call, locals_, followed)
            keeps = keeps or (bool(more) and isinstance(scope, cst.Module))  # a module's names are its results
            if keeps:
                return True
            if not more <= followed:
                followed |= more
                changed = True
    return False


def _unit_effect(unit: _Unit, call: cst.Call, locals_: set[str], followed: set[str]) -> tuple[bool, set[str]]:
    if unit.kind in ("assign", "bind"):
        names: set[str] = set()
        for target in unit.targets:
            plain = _plain_names(target)
            if plain is None:
                return True, set()
            names |= set(plain)
        return (not unit.targets), names
    if unit.kind == "expr":
        assert isinstance(unit.node, cst.BaseExpression)
        keeps, receiver = _update(unit.node, call, locals_, followed)
        return keeps, {receiver} if receiver else set()
    return True, set()


_DRAWING = frozenset(
    {
        "scatter", "scatter3D", "plot", "plot3D", "imshow", "annotate", "text", "legend", "colorbar", "savefig",
        "show", "hist", "hexbin", "contour", "contourf", "quiver", "title", "set_title", "scatterplot",
        "lineplot", "kdeplot", "jointplot", "relplot", "histplot", "displot", "pairplot", "add_trace",
    }
)  # fmt: skip
"""Calls that draw on a figure (``plt.scatter``, ``ax.scatter``, ``sns.scatterplot``, ``fig.savefig``)."""


def _draws(expr: cst.BaseExpression) -> bool:
    func = expr.func if isinstance(expr, cst.Call) else None
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    return name in _DRAWING


def _in_loop(scope: cst.FunctionDef | cst.Module, call: cst.Call) -> bool:
    """The call sits in a loop of its scope: a later statement may run before it again."""

    class _Loops(cst.CSTVisitor):
        found = False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is scope

        def visit_For(self, node: cst.For) -> None:
            self.found = self.found or _scan(node, call).found

        def visit_While(self, node: cst.While) -> None:
            self.found = self.found or _scan(node, call).found

    loops = _Loops()
    scope.visit(loops)
    return loops.found


def only_drawn(call: cst.Call, scope: cst.FunctionDef | cst.Module) -> bool:
    """Whether the value of ``call`` (a t-SNE built in a function) only reaches drawing calls: followed
    through plain-name assignments in the statements after it, every other use (a return, a condition, a
    call that is not drawing, an attribute target) counts as a result. A call in a loop, or at a module's
    top level (module names are results), is not decided here."""
    if isinstance(scope, cst.Module) or _in_loop(scope, call):
        return False
    units = list(_units(scope.body))
    scans = [_scan(u.node, call) for u in units]
    start = next((i for i, s in enumerate(scans) if s.found), None)
    if start is None:
        return False
    followed: set[str] = set()
    drawn = False
    for unit, scan in zip(units[start:], scans[start:], strict=True):
        if not (scan.found or scan.names & followed):
            continue
        if unit.kind in ("assign", "bind") and unit.targets:
            plain = [_plain_names(t) for t in unit.targets]
            if any(p is None for p in plain):
                return False
            followed |= {n for p in plain for n in p or ()}
        elif unit.kind == "expr" and isinstance(unit.node, cst.BaseExpression) and _draws(unit.node):
            drawn = True
        else:
            return False
    return drawn
