"""The one batched traversal of a file: every applicable file rule and fact extractor visited in a single
libcst pass between the scope tracker's enter and leave, each visitor's methods guarded so that a crash
disables that visitor for this file only (recorded as a ``RuleCrash``, the other findings kept)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache, partial
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper

from mlaudit.engine.context import FileContext, ScopeEnter, ScopeLeave
from mlaudit.engine.results import FileResult, RuleCrash
from mlaudit.engine.rule import FactExtractor, FileRule
from mlaudit.engine.walk import walk


@cache
def _visitor_names(cls: type) -> tuple[str, ...]:
    return tuple(
        name
        for name in dir(cls)
        if (name.startswith("visit_") or name.startswith("leave_"))
        and callable(getattr(cls, name))
        and not getattr(getattr(cls, name), "_is_no_op", False)
    )


class Guard:
    """Wraps a rule's visitor methods so an exception disables that rule for this file only."""

    def __init__(self, visitor: cst.BatchableCSTVisitor) -> None:
        self.visitor = visitor
        self.crash: BaseException | None = None
        self.detail = ""

    def methods(self) -> dict[str, Callable[[cst.CSTNode], None]]:
        out = {}
        for name in _visitor_names(type(self.visitor)):
            out[name] = self._wrap(getattr(self.visitor, name))
        return out

    def _wrap(self, method: Callable[[cst.CSTNode], Any]) -> Callable[[cst.CSTNode], None]:
        def guarded(node: cst.CSTNode) -> None:
            if self.crash is not None:
                return
            try:
                method(node)
            except RecursionError as exc:
                self.crash = exc
            except Exception as exc:  # a rule bug must not lose the other rules' findings
                self.crash = exc
                self.detail = traceback.format_exc()

        return guarded


class _Batch(cst.BatchableCSTVisitor):
    """One visitor presenting the guarded methods of many, in batch order."""

    def __init__(self, visitors: Sequence[cst.BatchableCSTVisitor], guards: Sequence[Guard]) -> None:
        super().__init__()
        methods: dict[str, list[Callable[[cst.CSTNode], None]]] = {}
        guard_of = {id(g.visitor): g for g in guards}
        for v in visitors:
            g = guard_of.get(id(v))
            items = g.methods() if g else {n: getattr(v, n) for n in _visitor_names(type(v))}
            for name, fn in items.items():
                methods.setdefault(name, []).append(fn)
        self._dispatch = {n: fns[0] if len(fns) == 1 else _chain(tuple(fns)) for n, fns in methods.items()}

    def get_visitors(self) -> Mapping[str, Callable[[cst.CSTNode], None]]:
        return self._dispatch


def _chain(fns: tuple[Callable[[cst.CSTNode], None], ...]) -> Callable[[cst.CSTNode], None]:
    def call_all(node: cst.CSTNode) -> None:
        for fn in fns:
            fn(node)

    return call_all


def describe(exc: BaseException, limit: int = 300) -> str:
    """``Type: message`` of an internal error, cut short: a ``KeyError`` on a CST node would print the
    node's whole subtree (megabytes for a long function) into the report."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def traverse(ctx: FileContext, visitors: Sequence[cst.BatchableCSTVisitor], guards: Sequence[Guard]) -> None:
    """One batched pass: the scope tracker first and last, every rule and extractor in between."""
    batch = _Batch([ScopeEnter(ctx), *visitors, ScopeLeave(ctx)], guards)
    with _resolve_all(ctx.wrapper, visitors):
        walk(ctx.wrapper.module, batch.get_visitors(), partial(setattr, ctx, "statement"))


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Deeply nested code (500 levels) is valid Python: let the traversal and the extractors' own
    ``ast`` visitors (``finish``) recurse further than the interpreter's default 1000 frames."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def finish(extractor: FactExtractor, guard: Guard) -> None:
    if guard.crash is not None:
        return
    try:
        extractor.finish()
    except Exception as exc:
        guard.crash = exc
        guard.detail = traceback.format_exc()


def _crash(name: str, guard: Guard) -> RuleCrash:
    assert guard.crash is not None
    return RuleCrash(name, describe(guard.crash), guard.detail)


def collect(
    result: FileResult, rules: list[FileRule], extractors: list[FactExtractor], guards: list[Guard]
) -> None:
    """Findings of the rules that did not crash; a crash record for each visitor that did."""
    for visitor, guard in zip([*rules, *extractors], guards, strict=True):
        if guard.crash is not None:
            name = visitor.code if isinstance(visitor, FileRule) else type(visitor).__name__
            result.crashes.append(_crash(name, guard))
        elif isinstance(visitor, FileRule):
            result.findings.extend(visitor.findings)


class _resolve_all:
    """Resolve the metadata each visitor declares (most declare none) for the traversal."""

    def __init__(self, wrapper: MetadataWrapper, visitors: Sequence[cst.BatchableCSTVisitor]) -> None:
        self.wrapper = wrapper
        self.visitors = [v for v in visitors if v.get_inherited_dependencies()]

    def __enter__(self) -> None:
        for v in self.visitors:
            v.metadata = self.wrapper.resolve_many(v.get_inherited_dependencies())

    def __exit__(self, *exc: object) -> None:
        for v in self.visitors:
            v.metadata = {}
