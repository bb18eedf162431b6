"""Input-mutation facts for MLA203 transform-mutates-input: a transform changes one of its parameters in place.

Tracked per transform, in source order: its parameters (not ``self``/``cls``, not ``*args``/``**kwargs``,
which are fresh containers). A parameter stops being tracked as soon as its name is rebound anywhere in the
function (``df = df.copy()``, ``df = df.assign(...)``, ``X = check_array(X)``, a ``for``/``with`` target,
even in one branch of an ``if``): from then on the name may hold a copy, and precision comes first.
Reported once per parameter, at its first in-place change:

* subscript or attribute store through the parameter: ``df[col] = ...``, ``df.loc[m, c] = ...``,
  ``df.iloc[...]``/``.at``/``.iat``, ``df.columns = ...``, ``df[c] += 1``, ``del df[c]`` (but not fitted
  attributes such as ``estimator.n_features_in_ = ...``: scikit-learn state, like ``self.x_``);
* a method call on it (or on a part of it) with ``inplace=True``: ``df.fillna(0, inplace=True)``.

The sample protocol of a transform object is not a mutation to report: a ``__call__``/``forward`` method that
edits the sample dict it is given by subscript and returns that same parameter
(``def __call__(self, data): data["image"] = f(data["image"]); return data``) does what a composed pipeline
(``Compose([...])``) expects of it, like a ``Dataset.map`` function; so does any other method of a transform
object whose returned parameter is annotated as a dict (gluonts' ``def transform(self, data: DataEntry)``).
Other changes to that parameter
(``data.fillna(0, inplace=True)``, ``data.loc[...] = ...``) and parameters annotated as data frames are still
recorded.

Special methods other than ``__call__`` (``__deepcopy__``, ``__setstate__``, ...) are protocol hooks, not
transforms, and functions whose name starts with a verb that declares the change (``update_*``, ``set_*``,
``merge_*``, ``register_*``, ``initialize_*``, ...) mutate by contract. Nested functions are checked with their own parameters; a closure changing the outer transform's
parameter is not tracked. ``X += 1`` on a bare name is not reported: it rebinds an int and mutates an
array, and the type is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from mlaudit.engine.context import FileContext, FunctionScope
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.functions import is_transform_scope
from mlaudit.facts.model import InputMutationFact
from mlaudit.facts.names import dotted


@dataclass(slots=True)
class _Tracked:
    scope: FunctionScope
    params: set[str] = field(default_factory=set)
    tensors: set[str] = field(default_factory=set)
    """Parameters that hold torch tensors (annotated ``Tensor``, or untyped in a torch-only module)."""
    positions: dict[str, int] = field(default_factory=dict)
    """Where a call passes each parameter positionally (after a method's receiver)."""
    samples: set[str] = field(default_factory=set)
    """Parameters of a transform object's ``__call__``/``forward`` that it returns: sample dicts, whose
    subscript edits are the protocol (see the module docstring)."""


def _root_name(node: cst.BaseExpression) -> str | None:
    """The variable a store target goes through: ``df.loc[m, "a"]`` -> ``df``; ``df`` itself -> None."""
    if not isinstance(node, cst.Subscript | cst.Attribute):
        return None
    while isinstance(node, cst.Subscript | cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _bound_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, cst.Tuple | cst.List):
        return [n for el in target.elements for n in _bound_names(el.value)]
    if isinstance(target, cst.StarredElement):
        return _bound_names(target.value)
    return []


def _describe(target: cst.BaseExpression, name: str) -> str:
    if isinstance(target, cst.Subscript):
        inner = target.value
        if isinstance(inner, cst.Attribute) and isinstance(inner.value, cst.Name):
            return f"{name}.{inner.attr.value}[...] = ..."
        return f"{name}[...] = ..."
    if isinstance(target, cst.Attribute):
        return f"{name}.{target.attr.value} = ..."
    return f"{name} = ..."


def _tracked_parameters(node: cst.FunctionDef, is_method: bool) -> set[str]:
    """Named parameters, without the receiver of a method (``self``/``cls``); ``*args``/``**kwargs`` are fresh
    containers."""
    params = node.params
    names = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
    if is_method and names and not _is_staticmethod(node):
        names = names[1:]
    return {n for n in names if n not in ("self", "cls")}


def _positions(node: cst.FunctionDef, is_method: bool) -> dict[str, int]:
    """Positional index of each positional parameter as a caller sees it (``self.f(a)``: ``a`` is 0)."""
    params = node.params
    names = [p.name.value for p in (*params.posonly_params, *params.params)]
    if is_method and names and not _is_staticmethod(node):
        names = names[1:]
    return {n: i for i, n in enumerate(names)}


def _is_staticmethod(node: cst.FunctionDef) -> bool:
    for deco in node.decorators:
        if dotted(deco.decorator) in ("staticmethod", "builtins.staticmethod"):
            return True
    return False


class InputMutationsExtractor(FactExtractor):
    """Records, for every transform, the first in-place change of each of its parameters (``input_mutations``
    facts); MLA203 (a project rule) decides which to report, knowing entry points, framework stages and
    ``Dataset.map`` functions project-wide."""

    provides = frozenset({"input_mutations"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._by_node: dict[int, _Tracked] = {}
        packages = ctx.names.imported_packages()
        self._torch_only = "torch" in packages and not packages & {"pandas", "polars", "numpy"}

    def _record(self, tracked: _Tracked, node: cst.CSTNode, name: str, what: str, inplace: bool) -> None:
        facts = self.ctx.facts
        if facts is None:
            return
        span = self.ctx.position(node)
        facts.input_mutations.append(
            InputMutationFact(
                function=tracked.scope.qualname,
                param=name,
                what=what,
                span=span,
                snippet=self.ctx.snippet(span),
                inplace=inplace,
                tensor=name in tracked.tensors,
                position=tracked.positions.get(name, -1),
            )
        )

    # --- scopes -------------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = self.ctx.function
        if (
            scope is None
            or not is_transform_scope(self.ctx, scope)
            or declares_mutation(scope.name)
        ):
            return
        tracked = _tracked_parameters(node, scope.is_method)
        if tracked:
            tensors = {n for n in tracked if _is_tensor(node, n, self._torch_only)}
            positions = _positions(node, scope.is_method)
            samples = (
                _sample_parameters(node, tracked, protocol=scope.name in _PROTOCOL)
                if scope.is_method
                else set()
            )
            self._by_node[id(node)] = _Tracked(scope, tracked, tensors, positions, samples)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._by_node.pop(id(original_node), None)

    def _current(self) -> _Tracked | None:
        """The innermost enclosing ``def`` (lambdas hold no statements), if it is a tracked transform."""
        for scope in reversed(self.ctx.functions):
            if isinstance(scope.node, cst.FunctionDef):
                return self._by_node.get(id(scope.node))
        return None

    # --- events -------------------------------------------------------------------------------------
    def _store(self, target: cst.BaseExpression) -> None:
        tracked = self._current()
        if tracked is None:
            return
        for element in _elements(target):
            name = _root_name(element)
            if _fitted_attribute(element):
                continue
            if name is not None and name in tracked.samples and _item_store(element):
                continue  # `data["image"] = ...` in a transform object's `__call__` that returns `data`
            if name is not None and name in tracked.params:
                tracked.params.discard(name)
                self._record(tracked, element, name, _describe(element, name), inplace=False)

    def _rebind(self, target: cst.BaseExpression) -> None:
        tracked = self._current()
        if tracked is not None:
            tracked.params.difference_update(_bound_names(target))

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            self._store(t.target)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        for t in original_node.targets:
            self._rebind(t.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._store(node.target)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if original_node.value is not None:
            self._rebind(original_node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._store(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._store(node.target)
        self._rebind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._rebind(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._rebind(node.asname.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._rebind(node.target)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or not _inplace(node):
            return
        tracked = self._current()
        receiver = func.value
        name = receiver.value if isinstance(receiver, cst.Name) else _root_name(receiver)
        if tracked is not None and name is not None and name in tracked.params:
            tracked.params.discard(name)
            self._record(tracked, node, name, f"{func.attr.value}(..., inplace=True)", inplace=True)


def _is_tensor(node: cst.FunctionDef, name: str, torch_only: bool) -> bool:
    """A parameter holding a torch tensor: annotated ``Tensor``/``torch.Tensor``; unannotated in a module
    that imports torch and no data-frame or array library."""
    params = node.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value != name:
            continue
        if param.annotation is None:
            return torch_only
        text = dotted(param.annotation.annotation) or ""
        return text.rpartition(".")[2] in ("Tensor", "FloatTensor", "LongTensor")
    return False


def _inplace(call: cst.Call) -> bool:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "inplace":
            return isinstance(arg.value, cst.Name) and arg.value.value == "True"
    return False


# Verbs that declare changing an argument as the function's purpose (`update_config(cfg, meta)`,
# `set_defaults(params)`, `merge_stats(acc, new)`, `register_feature(registry, f)`). `add_*` is not one of
# them: `add_time_features(df)` writing `df[...]` is the case this rule exists for.
_MUTATOR_VERBS = frozenset(
    {
        "update",
        "set",
        "merge",
        "register",
        "populate",
        "initialize",
        "init",
        "setup",
        "configure",
        "reset",
        "patch",
        "inject",
        "attach",
        "mark",
        "mutate",
        "modify",
    }
)


def declares_mutation(name: str) -> bool:
    return name.lstrip("_").partition("_")[0].lower() in _MUTATOR_VERBS


def _fitted_attribute(target: cst.BaseExpression) -> bool:
    """``estimator.n_features_in_ = ...``: scikit-learn's trailing-underscore convention marks fitted state
    set on an estimator (the same idiom as ``self.x_ = ...``), not a change to data."""
    return (
        isinstance(target, cst.Attribute)
        and target.attr.value.endswith("_")
        and not target.attr.value.startswith("_")
    )


def _elements(target: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(target, cst.Tuple | cst.List):
        return [e for el in target.elements for e in _elements(el.value)]
    if isinstance(target, cst.StarredElement):
        return _elements(target.value)
    return [target]


# The methods through which a composed pipeline calls a transform object with a sample.
_PROTOCOL = frozenset({"__call__", "forward"})
_FRAME_TYPES = frozenset({"DataFrame", "Series", "LazyFrame"})
_DICT_TYPES = frozenset({"dict", "Dict", "MutableMapping", "DataEntry"})


class _ReturnedNames(cst.CSTVisitor):
    """The bare names returned by a function's own ``return`` statements (not nested functions')."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Name):
            self.names.add(node.value.value)


def _annotation_name(param: cst.Param) -> str | None:
    """``pd.DataFrame`` -> ``DataFrame``; ``Dict[str, Any]`` -> ``Dict``."""
    if param.annotation is None:
        return None
    node = param.annotation.annotation
    if isinstance(node, cst.Subscript):
        node = node.value
    text = dotted(node)
    return text.rpartition(".")[2] if text is not None else None


def _sample_parameters(node: cst.FunctionDef, params: set[str], *, protocol: bool) -> set[str]:
    """Parameters a method returns as they are (``return data``): in ``__call__``/``forward`` unless annotated
    as a frame, in any other method of a transform object when annotated as a dict (``data: DataEntry``,
    gluonts' ``MapTransformation.transform``)."""
    found = _ReturnedNames()
    node.body.visit(found)
    out = set()
    for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
        name = param.name.value
        if name not in params or name not in found.names:
            continue
        annotation = _annotation_name(param)
        if annotation in _DICT_TYPES or (protocol and annotation not in _FRAME_TYPES):
            out.add(name)
    return out


def _item_store(target: cst.BaseExpression) -> bool:
    """``data["image"] = ...``, ``sample["meta"]["size"] = ...``: item stores only, no attribute on the way
    (``df.loc[...]``, ``df.columns``)."""
    if not isinstance(target, cst.Subscript):
        return False
    node: cst.BaseExpression = target
    while isinstance(node, cst.Subscript):
        node = node.value
    return isinstance(node, cst.Name)
