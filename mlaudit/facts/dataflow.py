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

The statement walk and the generic flow of facts are ``facts.defuse``; this module adds what calls of
the ML table (``facts.ml_steps``) produce. It is pure: it reads libcst nodes and calls the two callbacks it is given, and returns plain data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from mlaudit.facts import ml_steps
from mlaudit.facts.defuse import ALL, DefUse, Fact, Facts, IsVariable, Value, kinds, origins, root_name
from mlaudit.facts.names import dotted

Resolver = Callable[[cst.BaseExpression], str | None]
"""Absolute dotted name of a name chain (``pd.concat`` -> ``pandas.concat``), None when unknown."""

FIT, PART = "fit", "part"
_TRAIN_PART: Fact = (PART, -1)
"""A training part of a split this block did not make (a name such as ``X_train``)."""
_TEST_PART: Fact = (PART, -2)
"""Data whose name says it is test data (``X_test``): with a training part, it makes the whole set again."""

_TOKEN = re.compile(r"[a-z]+")
_TEST_TOKENS = frozenset(
    {"test", "tst", "xtest", "ytest", "testx", "testy", "testset", "testdata", "testdf", "dftest"}
)
_TRAIN_TOKENS = frozenset(
    {"train", "trn", "xtrain", "ytrain", "trainx", "trainy", "trainset", "traindata", "traindf"}
)


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
    transductive: bool = False
    """Fitted without labels on a training set and a test set put together (``pd.concat([train, test])``)."""


@dataclass(slots=True)
class Split:
    call: cst.Call
    what: str
    """``train_test_split``, ``KFold.split``, ``cross_val_score``, ``GridSearchCV.fit``, ..."""
    origins: Facts
    of_train: bool = False
    """The split data (its features) is the training set of a train/test pair: a name such as ``train``."""


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


def _last(name: str | None) -> str:
    return (name or "").rpartition(".")[2]


class _Flow(DefUse):
    def __init__(self, resolve: Resolver, is_variable: IsVariable) -> None:
        super().__init__(is_variable)
        self.resolve = resolve
        self.fits: list[Fit] = []
        self.splits: list[Split] = []
        self.leaks: dict[int, Leak] = {}
        self.split_fit_counts: dict[int, int] = {}
        """Split call -> how many fits came before it."""

    def name(self, name: str) -> Value:
        value = super().name(name)
        if value.facts and is_train_name(name):  # the training part of a split made elsewhere
            return Value(value.facts | {_TRAIN_PART}, value.obj)
        if value.facts and is_test_name(name):
            return Value(value.facts | {_TEST_PART}, value.obj)
        return value

    def call(self, call: cst.Call) -> Value:
        func = call.func
        name = self.resolve(func) if dotted(func) is not None else None
        if isinstance(func, cst.Attribute) and not ml_steps.is_known(name):
            receiver = self.eval(func.value)  # a method of a value: evaluated once
            if receiver.obj is not None:
                handled = self.method(call, func.attr.value, receiver)
                if handled is not None:
                    return handled
            return Value(receiver.facts | self.args(call, 0, ALL))
        return self.function(call, name)

    def function(self, call: cst.Call, name: str | None) -> Value:
        last = _last(name)
        kind = ml_steps.step_kind(
            name, frozenset(a.keyword.value for a in call.args if a.keyword is not None)
        )
        if kind is not None:
            self.everything(call)
            return Value(obj=_Step(last, kind))
        if ml_steps.is_composite(name):
            return Value(obj=_Step(last, "pipeline")) if self.holds_step(call) else Value()
        if ml_steps.is_splitter_class(name):
            self.everything(call)
            return Value(obj=_Splitter(last))
        if ml_steps.is_search_class(name):
            self.everything(call)
            return Value(obj=_Search(last))
        if ml_steps.is_split_function(name):
            data = self.args(call, 0, frozenset({"arrays"}))
            return Value(data | {self.split(call, last, data, self.features(call, 0))})
        if ml_steps.is_cv_function(name):
            data = self.args(call, 1, frozenset({"X", "y"}))
            self.split(call, last, data, self.features(call, 1))
            return Value(data)
        return self.everything(call)

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

    def method(self, call: cst.Call, method: str, receiver: Value) -> Value | None:
        obj = receiver.obj
        if isinstance(obj, _Step):
            return self.step_method(call, method, obj)
        if isinstance(obj, _Splitter) and method == "split":
            data = self.args(call, 0, frozenset({"X", "y", "groups"}))
            return Value(data | {self.split(call, f"{obj.name}.split", data, self.features(call, 0))})
        if isinstance(obj, _Search) and method == "fit":
            data = self.args(call, 0, frozenset({"X", "y"}))
            self.split(call, f"{obj.name}.fit", data, self.features(call, 0))
            return Value(receiver.facts, obj)
        return None

    def step_method(self, call: cst.Call, method: str, step: _Step) -> Value | None:
        if method in ml_steps.FIT_METHODS:
            return self.fit(call, method, step)
        if method not in ml_steps.TRANSFORM_METHODS:
            return None
        data = self.args(call, 0, frozenset({"X"}))
        self.transformed(step, data)
        if step.fit is not None and not step.fitted_on_part:
            return Value(data | {(FIT, step.fit.index)})
        return Value(data)

    def fit(self, call: cst.Call, method: str, step: _Step) -> Value:
        data = self.args(call, 0, frozenset({"X", "y"}))
        test_name = is_test_data(call)
        # Fitted on a part: after the split, whether this block made it or it came from elsewhere (`X_train`).
        # ... but not when it holds the training and the test parts together (`pd.concat([train, test])`).
        parts = set(kinds(data, PART))
        together = {_TRAIN_PART[1], _TEST_PART[1]} <= parts
        on_part = bool(parts) and not together
        # The training set and a test set whose rows come from elsewhere (no split of this block), fitted
        # without labels: transductive preprocessing, the test rows' features are there at prediction time.
        transductive = together and max(parts) < 0 and not _supervised(call, method, step)
        fit = Fit(call, len(self.fits), step.name, step.kind, origins(data), test_name, transductive)
        step.fit, step.fitted_on_part = fit, on_part
        self.fits.append(fit)
        if test_name is not None:
            self.leaks.setdefault(id(call), Leak(fit))
        if method not in ml_steps.FIT_OUTPUT_METHODS:
            return Value(obj=step)  # `fit` returns the fitted step itself
        if on_part:
            return Value(data)
        if transductive:  # the output is both sets again: its slices are named by what they are
            data = data - {_TRAIN_PART, _TEST_PART}
        return Value(data | {(FIT, fit.index)})

    def transformed(self, step: _Step, data: Facts) -> None:
        """A step fitted on unsplit data transforms a part of a later split of that data: it saw the test rows."""
        fit = step.fit
        if fit is None or step.fitted_on_part or not fit.origins:
            return
        for split_id in kinds(data, PART):
            if split_id < 0:
                continue
            split = self.splits[split_id]
            if split.origins & fit.origins and self.split_fit_counts[id(split.call)] > fit.index:
                self.leak(fit, split)

    def features(self, call: cst.Call, index: int) -> Facts:
        """The facts of the variables a split's features argument reads (positional ``index`` or ``X=``),
        not of its labels. A lookup: the argument was evaluated with the call already."""
        positional = [a for a in call.args if a.keyword is None]
        named = [a for a in call.args if a.keyword is not None and a.keyword.value == "X"]
        chosen = positional[index : index + 1] or named
        facts: set[Fact] = set()
        for node in _walk(chosen[0].value) if chosen else ():
            if isinstance(node, cst.Name) and self.env.get(node.value):
                facts |= self.env[node.value]
                if is_train_name(node.value):
                    facts.add(_TRAIN_PART)
        return frozenset(facts)

    def split(self, call: cst.Call, what: str, data: Facts, features: Facts) -> Fact:
        split = Split(call, what, origins(data), of_train=_TRAIN_PART in features)
        self.splits.append(split)
        self.split_fit_counts[id(call)] = len(self.fits)
        for fit_id in sorted(set(kinds(data, FIT))):
            self.leak(self.fits[fit_id], split)
        return (PART, len(self.splits) - 1)

    def leak(self, fit: Fit, split: Split) -> None:
        if fit.transductive and split.of_train:
            # Fitted without labels on the training set and a test set together, then the training set
            # is split: the validation rows were treated exactly like the test rows, as they are meant to.
            return
        leak = self.leaks.setdefault(id(fit.call), Leak(fit))
        if all(s.call is not split.call for s in leak.splits):
            leak.splits.append(split)


def _supervised(call: cst.Call, method: str, step: _Step) -> bool:
    """A fit that learns from labels: given ``y`` (second positional argument or ``y=``), or a resampler."""
    positional = [a for a in call.args if a.keyword is None and a.star == ""]
    labelled = len(positional) > 1 or any(a.keyword is not None and a.keyword.value == "y" for a in call.args)
    return labelled or any(a.star for a in call.args) or method == "fit_resample" or step.kind == "resampler"


def is_test_data(call: cst.Call) -> str | None:
    """The name of the fitted data (``X_test`` in ``fit(X_test[cols])``) when it says test data."""
    first = next((a.value for a in call.args if a.keyword is None or a.keyword.value == "X"), None)
    root = root_name(first) if first is not None else None
    return root if root is not None and is_test_name(root) else None


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def find_leaks(body: Sequence[cst.CSTNode], resolve: Resolver, is_variable: IsVariable) -> list[Leak]:
    """Fitted steps whose data reaches a later split or cross-validation in ``body``, in source order,
    and steps fitted on test data. ``body`` is a function's statements, a module's, or a notebook's."""
    flow = _Flow(resolve, is_variable)
    flow.block(body)
    return list(flow.leaks.values())
