"""Memo caches: a module-level dict filled, key by key, with what a function computes for that key.

``if key not in CACHE: CACHE[key] = compute(key)`` / ``if key in CACHE: return CACHE[key]`` ...
``CACHE[key] = value`` memoises a computation keyed by its inputs (``functools.lru_cache`` written by
hand: OMNIGLOT's per-class images, xformers' attention masks keyed by shapes, a ``get_logger`` that
remembers which loggers it configured). Filling such a cache changes no value a caller already saw: it is
not the hidden, order-dependent module state MLA102 is about, as lazy initialisation through ``global`` is
not for MLA101 (``rules/state/_lazy_init.py``).

A store ``C[k] = v`` (one plain index on a name) is a memo store where ``k`` (the same expression) is known
absent from ``C``: under ``if k not in C:`` / ``if C.get(k) is None:`` / ``if not C.get(k):``, in the
``else`` of ``if k in C:``, or after ``if k in C: return ...`` in the same block; and ``v`` does not read
``C`` (``C[k] = C[k] + 1`` counts, it does not memoise). Updating a present key (``if k in C: C[k] = v``),
augmented stores (``C[k] += 1``), nested stores (``C[a][b] = v``), ``setdefault(...).append`` and every
other mutation stay state. Pure functions of the CST.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

_EMPTY = cst.Module(body=[])


def code(node: cst.CSTNode) -> str:
    """The node's source text, whitespace-normalised (``d['class']`` and ``d[ 'class' ]`` are one key)."""
    return "".join(_EMPTY.code_for_node(node).split())


def _container(node: cst.BaseExpression) -> str | None:
    """``C`` or ``C.keys()`` -> ``C``."""
    if isinstance(node, cst.Name):
        return node.value
    if (
        isinstance(node, cst.Call)
        and not node.args
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "keys"
        and isinstance(node.func.value, cst.Name)
    ):
        return node.func.value.value
    return None


Guard = tuple[str, str]
"""(container name, normalised key)."""


def _get_call(node: cst.BaseExpression) -> Guard | None:
    """``C.get(k)`` -> (``C``, ``k``)."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    func = node.func
    if func.attr.value != "get" or not isinstance(func.value, cst.Name) or not node.args:
        return None
    first = node.args[0]
    if first.keyword is not None or first.star:
        return None
    return func.value.value, code(first.value)


def _tests(test: cst.BaseExpression) -> tuple[set[Guard], set[Guard]]:
    """(keys known absent, keys known present) when ``test`` is true."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        absent, present = _tests(test.expression)
        return present, absent
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        a1, p1 = _tests(test.left)
        a2, p2 = _tests(test.right)
        return a1 | a2, p1 | p2
    got = _get_call(test)
    if got is not None:
        return set(), {got}  # `if C.get(k):` - present (or falsy) when true
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        comp = test.comparisons[0]
        op = comp.operator
        if isinstance(op, cst.In | cst.NotIn):
            name = _container(comp.comparator)
            if name is None:
                return set(), set()
            guard = {(name, code(test.left))}
            return (guard, set()) if isinstance(op, cst.NotIn) else (set(), guard)
        got = _get_call(test.left)
        if got is not None and isinstance(comp.comparator, cst.Name) and comp.comparator.value == "None":
            if isinstance(op, cst.Is | cst.Equal):
                return {got}, set()
            if isinstance(op, cst.IsNot | cst.NotEqual):
                return set(), {got}
    return set(), set()


def _false_tests(test: cst.BaseExpression) -> tuple[set[Guard], set[Guard]]:
    """(absent, present) when ``test`` is false: ``not (A or B)`` is ``not A and not B``."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        a1, p1 = _false_tests(test.left)
        a2, p2 = _false_tests(test.right)
        return a1 | a2, p1 | p2
    if isinstance(test, cst.BooleanOperation):
        return set(), set()
    absent, present = _tests(test)
    return present, absent


def _exits(block: cst.BaseSuite) -> bool:
    """The block ends with ``return``, ``raise``, ``continue`` or ``break``."""
    body = block.body
    last = body[-1] if body else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1]
    return isinstance(last, cst.Return | cst.Raise | cst.Continue | cst.Break)


def _reads(node: cst.CSTNode, name: str) -> bool:
    reads = _Reads(name)
    node.visit(reads)
    return reads.found


class _Guarded:
    """Walks a function's blocks, tracking which (container, key) pairs are known absent."""

    def __init__(self) -> None:
        self.stores: set[int] = set()

    def block(
        self, body: Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement], absent: frozenset[Guard]
    ) -> None:
        active = set(absent)
        for stmt in body:
            if isinstance(stmt, cst.If):
                self._if(stmt, frozenset(active))
                if _exits(stmt.body):
                    active |= _false_tests(stmt.test)[0]  # `if k in C: return C[k]` ... `C[k] = v`
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self._small(small, active)
            elif isinstance(stmt, cst.BaseSmallStatement):
                self._small(stmt, active)  # `if k not in C: C[k] = v` on one line
            elif isinstance(stmt, cst.FunctionDef | cst.ClassDef):
                continue  # another scope
            else:
                for child in stmt.children:
                    if isinstance(child, cst.BaseSuite):
                        self.block(child.body, frozenset(active))
                    elif isinstance(child, cst.ExceptHandler | cst.Else | cst.Finally):
                        self.block(child.body.body, frozenset(active))

    def _if(self, node: cst.If, active: frozenset[Guard]) -> None:
        absent, _ = _tests(node.test)
        self.block(node.body.body, active | absent)
        orelse = node.orelse
        if orelse is None:
            return
        otherwise, _ = _false_tests(node.test)
        if isinstance(orelse, cst.If):
            self._if(orelse, active | otherwise)
        else:
            self.block(orelse.body.body, active | otherwise)

    def _small(self, small: cst.BaseSmallStatement, active: set[Guard]) -> None:
        if not isinstance(small, cst.Assign):
            return
        for target in small.targets:
            found = memo_key(target.target)
            if found is not None and found in active and not _reads(small.value, found[0]):
                self.stores.add(id(small))


def memo_stores(function: cst.FunctionDef | cst.Lambda) -> frozenset[int]:
    """``id`` of every ``Assign`` in the function body (not in nested functions) that stores ``C[k] = v``
    where ``k`` is known absent from ``C``: under ``if k not in C:`` (or ``C.get(k) is None``), in the
    ``else`` of ``if k in C:``, or after ``if k in C: return ...`` in the same block; ``v`` not reading ``C``."""
    if not isinstance(function, cst.FunctionDef) or not isinstance(function.body, cst.IndentedBlock):
        return frozenset()
    walker = _Guarded()
    walker.block(function.body.body, frozenset())
    return frozenset(walker.stores)


class _Reads(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        self.found = self.found or node.value == self.name


def memo_key(target: cst.BaseExpression) -> tuple[str, str] | None:
    """``C[k]`` (one plain index on a name) -> (``C``, normalised ``k``); anything else -> None."""
    if not isinstance(target, cst.Subscript) or not isinstance(target.value, cst.Name):
        return None
    if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
        return None
    index = target.slice[0].slice
    if index.star is not None:
        return None
    return target.value.value, code(index.value)
