"""Def-use data flow over one block of statements, without types: where does a fitted step's output go?

The analysis behind MLA702 (preprocessing-before-split). It walks the statements of one function body, a
script's top level, or a notebook's code cells in order (the order a reader runs them), once, and tracks
for every variable a set of *facts* about the data it holds:

* ``origin``: which data it was derived from (a parameter, a value read from a file, ...), so that two
  expressions derived from the same frame can be recognised (``X = df.drop(...)``, ``y = df["y"]``);
* ``fit``: it carries the output of a preprocessing step fitted on data that had not been split (a
  ``fit_transform``, or a ``transform`` by a step fitted that way);
* ``part``: it is (derived from) a part made by a split (``X_train`` from ``train_test_split``, the
  indices of a CV splitter), so a step fitted on it is fitted after the split.

Facts flow through assignments, tuple unpacking, subscript and attribute stores (a weak update of the
frame: ``df["a"] = scaler.fit_transform(df[["a"]])``), and through every expression by union of the names
it reads: ``pd.concat([a, b])``, ``a.values``, ``a.to_numpy()``, ``a[cols]``, ``np.log1p(a)``. A split
(``train_test_split``, a CV splitter's ``split``) or a cross-validation (``cross_val_score`` and its
siblings, a search such as ``GridSearchCV(...).fit``) on data carrying a ``fit`` fact is a leak; so is a
step fitted on unsplit data, which then transforms a part of a later split of that same data (the scaler
saw the test rows), and a step fitted on data whose name says it is test data (``X_test``, ``test_df``).

Limits, by design (documented in the MLA702 catalogue entry): the walk is linear (both branches of an
``if`` run, a loop body runs once), each function is analysed alone (a helper that fits and returns
is not followed), facts do not flow through containers' items or object attributes beyond a weak update
of the root name, and aliases of a step object are followed only through plain assignment.

The module is pure: it reads libcst nodes and calls the two callbacks it is given, and returns plain data.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from mlaudit.facts import ml_steps
from mlaudit.facts.names import dotted

Resolver = Callable[[cst.BaseExpression], str | None]
"""Absolute dotted name of a name chain (``pd.concat`` -> ``pandas.concat``), None when unknown."""
IsVariable = Callable[[str], bool]
"""True when a bare name not bound in the block is data (a parameter, a global), not an import or def."""

Fact = tuple[str, int]
Facts = frozenset[Fact]
_EMPTY: Facts = frozenset()
_ALL = None
ORIGIN, FIT, PART = "origin", "fit", "part"
_TRAIN_PART: Fact = (PART, -1)
"""A part of a split this block did not make (a name such as ``X_train``)."""

_TOKEN = re.compile(r"[a-z]+")
_TEST_TOKENS = frozenset({"test", "tst", "xtest", "ytest", "testx", "testy", "testset", "testdata", "testdf", "dftest"})
_TRAIN_TOKENS = frozenset({"train", "trn", "xtrain", "ytrain", "trainx", "trainy", "trainset", "traindata", "traindf"})


def is_test_name(name: str) -> bool:
    """``X_test``, ``test_df``, ``df_test``, ``Xtest``, ``test``: a name that says it holds test data."""
    return any(token in _TEST_TOKENS for token in _TOKEN.findall(name.lower()))


def is_train_name(name: str) -> bool:
    """``X_train``, ``train_df``, ``text_train``, ``train_features``: the training part of a split made
    elsewhere (another file, another function, the dataset's own train/test files)."""
    return any(token in _TRAIN_TOKENS for token in _TOKEN.findall(name.lower()))


@dataclass(slots=True)
class Fit:
    """One ``fit``/``fit_transform``/``fit_resample`` of a step on data that had not been split."""

    call: cst.Call
    index: int
    """Order of the fit in the block."""
    step: str
    """The step's constructor as written (``StandardScaler``, ``Pipeline``)."""
    kind: str
    origins: Facts
    test_name: str | None = None
    """The test-looking name of the fitted data, when there is one."""


@dataclass(slots=True)
class Split:
    call: cst.Call
    what: str
    """``train_test_split``, ``KFold.split``, ``cross_val_score``, ``GridSearchCV.fit``, ..."""
    origins: Facts


@dataclass(slots=True)
class Leak:
    fit: Fit
    splits: list[Split] = field(default_factory=list)


@dataclass(slots=True)
class _Step:
    name: str
    kind: str
    fit: Fit | None = None
    fitted_on_part: bool = False


@dataclass(slots=True)
class _Splitter:
    name: str


@dataclass(slots=True)
class _Search:
    name: str


_Obj = _Step | _Splitter | _Search


@dataclass(slots=True)
class _Val:
    facts: Facts = _EMPTY
    obj: _Obj | None = None


def _kinds(facts: Facts, kind: str) -> Iterator[int]:
    return (i for k, i in facts if k == kind)


def _origins(facts: Facts) -> Facts:
    return frozenset(f for f in facts if f[0] == ORIGIN)


def _root_name(node: cst.BaseExpression) -> str | None:
    """``df`` for ``df``, ``df["a"]``, ``df.loc[:, c]``, ``df.values``; None otherwise."""
    while isinstance(node, cst.Subscript | cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _last(name: str | None) -> str:
    return (name or "").rpartition(".")[2]


class _Flow:
    def __init__(self, resolve: Resolver, is_variable: IsVariable) -> None:
        self.resolve = resolve
        self.is_variable = is_variable
        self.env: dict[str, Facts] = {}
        self.objs: dict[str, _Obj] = {}
        self.fits: list[Fit] = []
        self.splits: list[Split] = []
        self.leaks: dict[int, Leak] = {}
        self.split_fit_counts: dict[int, int] = {}
        """Split call -> how many fits came before it."""
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
        elif isinstance(stmt, cst.For):
            value = self.eval(stmt.iter)
            self.bind(stmt.target, value)
            self.suite(stmt.body)
            self.suite(stmt.orelse)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                value = self.eval(item.item)
                if item.asname is not None:
                    self.bind(item.asname.name, value)
            self.suite(stmt.body)
        elif isinstance(stmt, cst.If | cst.While):
            self.eval(stmt.test)
            self.suite(stmt.body)
            self.suite(stmt.orelse)
        elif isinstance(stmt, cst.Try | cst.TryStar):
            self.suite(stmt.body)
            for handler in stmt.handlers:
                self.suite(handler.body)
            self.suite(stmt.orelse)
            self.suite(stmt.finalbody)
        elif isinstance(stmt, cst.Match):
            self.eval(stmt.subject)
            for case in stmt.cases:
                self.suite(case.body)

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
        elif isinstance(stmt, cst.AnnAssign):
            if stmt.value is not None:
                self.bind(stmt.target, self.assigned(stmt.value))
        elif isinstance(stmt, cst.AugAssign):
            value = self.eval(stmt.value)
            self.bind(stmt.target, _Val(value.facts), weak=True)
        elif isinstance(stmt, cst.Expr):
            self.eval(stmt.value)
        elif isinstance(stmt, cst.Return) and stmt.value is not None:
            self.eval(stmt.value)
        elif isinstance(stmt, cst.Del):
            for name in _target_names(stmt.target):
                self.unbind(name)
        elif isinstance(stmt, cst.Import | cst.ImportFrom):
            for alias in stmt.names if isinstance(stmt.names, Sequence) else ():
                bound = alias.asname.name if alias.asname is not None else alias.name
                root = _root_name(bound) if isinstance(bound, cst.BaseExpression) else None
                if root:
                    self.unbind(root)

    def assigned(self, expr: cst.BaseExpression) -> _Val:
        """The value of an assignment's right-hand side; data from nowhere known gets a fresh origin."""
        value = self.eval(expr)
        if value.obj is None and not _origins(value.facts):
            return _Val(value.facts | {self.fresh()})
        return value

    def bind(self, target: cst.BaseExpression, value: _Val, *, weak: bool = False) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if weak:
                self.env[name] = self.env.get(name, _EMPTY) | value.facts
                return
            self.env[name] = value.facts
            if value.obj is not None:
                self.objs[name] = value.obj
            else:
                self.objs.pop(name, None)
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self.bind(element.value, _Val(value.facts), weak=weak)
        elif isinstance(target, cst.StarredElement):
            self.bind(target.value, _Val(value.facts), weak=weak)
        elif isinstance(target, cst.Subscript | cst.Attribute):
            self.eval(target)  # `df.loc[mask, col] = ...` reads `mask`
            root = _root_name(target)
            if root is not None:
                self.env[root] = self.env.get(root, _EMPTY) | value.facts

    def unbind(self, name: str) -> None:
        self.env[name] = _EMPTY
        self.objs.pop(name, None)

    # --- expressions ---------------------------------------------------------------------------
    def eval(self, node: cst.CSTNode) -> _Val:
        if isinstance(node, cst.Name):
            return self.name(node.value)
        if isinstance(node, cst.Attribute):
            return _Val(self.eval(node.value).facts)
        if isinstance(node, cst.Call):
            return self.call(node)
        if isinstance(node, cst.Lambda | cst.BaseString | cst.Integer | cst.Float | cst.Imaginary):
            return _Val()
        facts: set[Fact] = set()
        for child in node.children:
            if isinstance(child, cst.Arg) and child.keyword is not None:
                facts |= self.eval(child.value).facts
            elif isinstance(child, cst.CSTNode):
                facts |= self.eval(child).facts
        return _Val(frozenset(facts))

    def name(self, name: str) -> _Val:
        if name in self.env:
            value = _Val(self.env[name], self.objs.get(name))
        elif self.is_variable(name):
            self.env[name] = frozenset({self.fresh()})
            value = _Val(self.env[name])
        else:
            return _Val()
        if is_train_name(name):  # the training part of a split made elsewhere
            return _Val(value.facts | {_TRAIN_PART}, value.obj)
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

    def call(self, call: cst.Call) -> _Val:
        func = call.func
        name = self.resolve(func) if dotted(func) is not None else None
        if isinstance(func, cst.Attribute) and not ml_steps.is_known(name):
            receiver = self.eval(func.value)  # a method of a value: evaluated once
            if receiver.obj is not None:
                handled = self.method(call, func.attr.value, receiver)
                if handled is not None:
                    return handled
            return _Val(receiver.facts | self.args(call, 0, _ALL))
        return self.function(call, name)

    def function(self, call: cst.Call, name: str | None) -> _Val:
        last = _last(name)
        kind = ml_steps.step_kind(name, frozenset(a.keyword.value for a in call.args if a.keyword is not None))
        if kind is not None:
            self.everything(call)
            return _Val(obj=_Step(last, kind))
        if ml_steps.is_composite(name):
            return _Val(obj=_Step(last, "pipeline")) if self.holds_step(call) else _Val()
        if ml_steps.is_splitter_class(name):
            self.everything(call)
            return _Val(obj=_Splitter(last))
        if ml_steps.is_search_class(name):
            self.everything(call)
            return _Val(obj=_Search(last))
        if ml_steps.is_split_function(name):
            data = self.args(call, 0, frozenset({"arrays"}))
            return _Val(data | {self.split(call, last, data)})
        if ml_steps.is_cv_function(name):
            data = self.args(call, 1, frozenset({"X", "y"}))
            self.split(call, last, data)
            return _Val(data)
        return self.everything(call)

    def everything(self, call: cst.Call) -> _Val:
        """A call we know nothing about: its value derives from its callee chain and every argument."""
        return _Val(self.eval(call.func).facts | self.args(call, 0, _ALL))

    def holds_step(self, call: cst.Call) -> bool:
        """A composite (``make_pipeline``, ``ColumnTransformer``) with a fitted step among its parts."""
        for node in _walk(call):
            if isinstance(node, cst.Call) and node is not call and dotted(node.func) is not None:
                keywords = frozenset(a.keyword.value for a in node.args if a.keyword is not None)
                if ml_steps.step_kind(self.resolve(node.func), keywords) is not None:
                    return True
            elif isinstance(node, cst.Name) and isinstance(self.objs.get(node.value), _Step):
                return True
        return False

    def method(self, call: cst.Call, method: str, receiver: _Val) -> _Val | None:
        obj = receiver.obj
        if isinstance(obj, _Step) and method in ml_steps.FIT_METHODS:
            return self.fit(call, method, obj)
        if isinstance(obj, _Step) and method in ml_steps.TRANSFORM_METHODS:
            data = self.args(call, 0, frozenset({"X"}))
            self.transformed(obj, data)
            if obj.fit is not None and not obj.fitted_on_part:
                return _Val(data | {(FIT, obj.fit.index)})
            return _Val(data)
        if isinstance(obj, _Splitter) and method == "split":
            data = self.args(call, 0, frozenset({"X", "y", "groups"}))
            return _Val(data | {self.split(call, f"{obj.name}.split", data)})
        if isinstance(obj, _Search) and method == "fit":
            data = self.args(call, 0, frozenset({"X", "y"}))
            self.split(call, f"{obj.name}.fit", data)
            return _Val(receiver.facts, obj)
        return None

    def fit(self, call: cst.Call, method: str, step: _Step) -> _Val:
        data = self.args(call, 0, frozenset({"X", "y"}))
        first = next((a.value for a in call.args if a.keyword is None or a.keyword.value == "X"), None)
        root = _root_name(first) if first is not None else None
        test_name = root if root is not None and is_test_name(root) else None
        # Fitted on a part: after the split, whether this block made it or it came from elsewhere (`X_train`).
        on_part = any(True for _ in _kinds(data, PART))
        fit = Fit(call, len(self.fits), step.name, step.kind, _origins(data), test_name)
        step.fit, step.fitted_on_part = fit, on_part
        self.fits.append(fit)
        if test_name is not None:
            self.leaks.setdefault(id(call), Leak(fit))
        if method not in ml_steps.FIT_OUTPUT_METHODS:
            return _Val(obj=step)  # `fit` returns the fitted step itself
        if on_part:
            return _Val(data)
        return _Val(data | {(FIT, fit.index)})

    def transformed(self, step: _Step, data: Facts) -> None:
        """A step fitted on unsplit data transforms a part of a later split of that data: it saw the test rows."""
        fit = step.fit
        if fit is None or step.fitted_on_part or not fit.origins:
            return
        for split_id in _kinds(data, PART):
            if split_id < 0:
                continue
            split = self.splits[split_id]
            if split.origins & fit.origins and self.split_fit_counts[id(split.call)] > fit.index:
                self.leak(fit, split)

    def split(self, call: cst.Call, what: str, data: Facts) -> Fact:
        split = Split(call, what, _origins(data))
        self.splits.append(split)
        self.split_fit_counts[id(call)] = len(self.fits)
        for fit_id in sorted(set(_kinds(data, FIT))):
            self.leak(self.fits[fit_id], split)
        return (PART, len(self.splits) - 1)

    def leak(self, fit: Fit, split: Split) -> None:
        leak = self.leaks.setdefault(id(fit.call), Leak(fit))
        if all(s.call is not split.call for s in leak.splits):
            leak.splits.append(split)


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _target_names(node: cst.BaseExpression) -> Iterator[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, cst.Tuple | cst.List):
        for element in node.elements:
            yield from _target_names(element.value)


def find_leaks(body: Sequence[cst.CSTNode], resolve: Resolver, is_variable: IsVariable) -> list[Leak]:
    """Fitted steps whose data reaches a later split or cross-validation in ``body``, in source order,
    and steps fitted on test data. ``body`` is a function's statements, a module's, or a notebook's."""
    flow = _Flow(resolve, is_variable)
    flow.block(body)
    return list(flow.leaks.values())
