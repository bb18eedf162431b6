"""Function facts for I/O reachability (MLA201), and the call classifier the purity/config rules share.

For every function that does something interesting the extractor records a ``FunctionFact``:

* ``io_sites``: direct I/O calls, by the API table (``ml_apis``), with their canonical name and kind;
* ``calls``: calls to functions that may be first-party, with an absolute dotted target resolved through
  the module's import table: ``helper()`` -> ``pkg.mod.helper``; ``load()`` after ``from .lookups import
  load`` -> ``pkg.lookups.load``; ``lookups.load()`` after ``from pkg import lookups`` ->
  ``pkg.lookups.load``; ``self.method()``/``cls.method()`` in a class -> ``pkg.mod.Class.method``;
  ``Class(...)`` -> ``pkg.mod.Class`` (the call graph maps it to ``__init__``). Calls into the standard
  library and well-known third-party packages are dropped here; the call graph drops whatever else turns
  out not to be first-party.

Nested functions and lambdas: a lambda's calls belong to the function that contains it. A nested ``def``
gets its own fact (``outer.<locals>.inner``) and the outer function gets an edge to it at the ``def``, so
I/O in a helper defined inside a transform counts for the transform (the helper is either called there
or handed out as a closure that performs the transform's work).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

import libcst as cst

from mlaudit.engine.context import FileContext, FunctionScope
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.ml_apis import (
    IO_KINDS,
    NOT_FIRST_PARTY,
    OPEN_APIS,
    OPEN_MODE_POSITION,
    READ,
    WRITE,
    Api,
    lookup,
    matches_shape,
    method_api,
    open_kind,
)
from mlaudit.facts.model import CallFact, FunctionFact, IoSiteFact
from mlaudit.facts.names import dotted, resolve_chain
from mlaudit.facts.package_data import reads_package_data


@dataclass(frozen=True, slots=True)
class CallShape:
    n_positional: int
    keywords: frozenset[str]
    first_literal: str | None
    """The first positional argument's value when it is a plain string literal."""


def string_value(node: cst.BaseExpression) -> str | None:
    """The value of a string literal without placeholders (plain, implicitly concatenated, ``f""``)."""
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.FormattedString) and all(
        isinstance(p, cst.FormattedStringText) for p in node.parts
    ):
        return "".join(p.value for p in node.parts if isinstance(p, cst.FormattedStringText))
    return None


def call_shape(call: cst.Call) -> CallShape:
    n_positional = 0
    keywords: set[str] = set()
    first: str | None = None
    for i, arg in enumerate(call.args):
        if arg.keyword is not None:
            keywords.add(arg.keyword.value)
        elif arg.star:
            # `f(*args)` / `f(**kw)`: unknown arguments, assume they supply whatever is needed.
            n_positional += 8
            keywords.add("**")
        else:
            if i == 0:
                first = string_value(arg.value)
            n_positional += 1
    return CallShape(n_positional, frozenset(keywords), first)


def _top(name: str) -> str:
    return name.partition(".")[0]


def _method_fallback(ctx: FileContext, func: cst.BaseExpression, resolved: str | None) -> Api | None:
    """The unknown-receiver heuristic, unless the call resolves into another first-party-looking module."""
    if not isinstance(func, cst.Attribute):
        return None
    if (
        resolved is not None
        and _top(resolved) not in NOT_FIRST_PARTY
        and not resolved.startswith(ctx.module + ".")
    ):
        return None
    return method_api(func.attr.value)


def classify_call(
    ctx: FileContext,
    call: cst.Call,
    *,
    methods: bool = True,
    buffers: frozenset[str] | set[str] = frozenset(),
) -> Api | None:
    """The API table entry a call matches, with the call's shape checked; None if it matches none.

    Resolved names are looked up in the table first. A method whose receiver is of unknown type (a local
    variable, an expression, an object held in a module global, a third-party object) is matched by
    method name and call shape (``df.to_csv(path)``, ``Path(p).read_text()``), unless the call resolves
    into another first-party-looking module: that is a call-graph edge, not a guess.
    """
    resolved = ctx.resolve(call.func)
    api = lookup(resolved)
    if api is None and methods:
        api = _method_fallback(ctx, call.func, resolved)
    if api is None or (api.kind in (READ, WRITE) and _in_memory(ctx, call, api, buffers)):
        return None
    if reads_package_data(ctx, call, _with_open_mode(call, api)):
        return None  # a file shipped inside the package (a tokenizer's vocabulary): not data loading
    shape = call_shape(call)
    if "**" in shape.keywords and api.shape in ("unseeded", "no-generator", "now"):
        return None
    if not matches_shape(api, shape.n_positional, shape.keywords, shape.first_literal):
        return None
    return _with_open_mode(call, api)


def _with_open_mode(call: cst.Call, api: Api) -> Api:
    """``open(p, "wb")`` writes: the mode literal decides the kind of ``open``-like calls."""
    if api.name not in OPEN_APIS:
        return api
    mode = argument(call, OPEN_MODE_POSITION, "mode")
    kind = open_kind(string_value(mode) if mode is not None else None)
    return api if kind == api.kind else replace(api, kind=kind)


_MEMORY_BUFFERS = frozenset({"io.BytesIO", "io.StringIO"})


def is_memory_buffer(ctx: FileContext, node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Call) and ctx.resolve(node.func) in _MEMORY_BUFFERS


def _in_memory(ctx: FileContext, call: cst.Call, api: Api, buffers: frozenset[str] | set[str]) -> bool:
    """``Image.open(io.BytesIO(data))``, ``pd.read_csv(io.StringIO(text))``, ``np.save(buf, x)`` with
    ``buf = io.BytesIO()``: reading or writing memory, not a file."""
    arg = argument(call, api.path_arg if api.path_arg is not None else 0, api.path_kw)
    if isinstance(arg, cst.Name):
        return arg.value in buffers
    return is_memory_buffer(ctx, arg)


# --- what is a transform (rules.md): the one definition ---------------------------------------------------
# A function the configuration names one (`[tool.mlaudit.transforms]`: a features module, a transform
# method, a name or decorator pattern) that is not a protocol hook, an I/O boundary, a method of an I/O
# class, an accessor or model code. `is_transform_scope` is the definition; `transform_scope` finds the
# enclosing transform. The engine only keeps the cached answer on the scope.


def _matches_any(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, p) for p in patterns)


def named_transform(ctx: FileContext, scope: FunctionScope) -> bool:
    """The configuration's half of the definition: by module, method name, name or decorator."""
    node = scope.node
    if not isinstance(node, cst.FunctionDef):
        return False  # a lambda belongs to the function that holds it
    settings = ctx.settings.transforms
    return (
        "features" in ctx.roles
        or _matches_any(ctx.module, settings.modules)
        or (scope.is_method and scope.name in settings.methods)
        or _matches_any(scope.name, settings.all_names)
        or any(_transform_decorator(ctx, scope, d, settings.decorators) for d in node.decorators)
    )


def _transform_decorator(
    ctx: FileContext, scope: FunctionScope, deco: cst.Decorator, patterns: tuple[str, ...]
) -> bool:
    if not patterns:
        return False
    expr = deco.decorator.func if isinstance(deco.decorator, cst.Call) else deco.decorator
    chain = dotted(expr)
    if chain is None:
        return False
    # A decorator is evaluated in the scopes around the `def`, not inside it.
    depth = next((i for i, s in enumerate(ctx.functions) if s is scope), len(ctx.functions))
    outer = ctx.functions[:depth]
    resolved = resolve_chain(chain, ctx.names, [ctx.function_locals(s) for s in outer])
    return _matches_any(chain, patterns) or _matches_any(resolved or "", patterns)


def is_protocol_method(scope: FunctionScope) -> bool:
    """``__init__``, ``__deepcopy__``, ``__setstate__``...: hooks with a fixed contract, not transforms
    (``__call__`` is the transform of a callable transformer class, so it stays one)."""
    name = scope.name
    return scope.is_method and name.startswith("__") and name.endswith("__") and name != "__call__"


# Names that declare a function an I/O boundary: its I/O is its job, so it is not a transform even in a
# features module or when its name also matches a transform pattern (`load_lookup`, `save_features`,
# `from_pretrained`, `to_json_file`, `transform_files`, `preprocess_cli`, `clean_up_tmp`). A transform that
# calls one is still reported, with the chain.
_IO_NAME = re.compile(
    r"^_*(load|save|read|write|download|upload|dump|export|fetch|persist|open|push_to_hub|clean_?up)(_|$)"
    r"|^_*(from|to)_\w*(file|files|disk|pretrained|hub|path)$"
)
# Words that make a name about files, locations or entry points rather than data.
_IO_WORDS = frozenset(
    {
        "file",
        "files",
        "path",
        "paths",
        "dir",
        "dirs",
        "directory",
        "folder",
        "disk",
        "url",
        "urls",
        "uri",
        "cli",
        "main",
    }
)
# Classes whose methods are I/O by design or entry points (`DatasetLoader.transform`, `CLI.preprocess`).
_IO_CLASS = re.compile(
    r"(Loader|Reader|Writer|Saver|Downloader|Uploader|Client|Store|Repository|CLI|Cli|Command)$"
)


def is_io_boundary(name: str) -> bool:
    return _IO_NAME.match(name) is not None or not _IO_WORDS.isdisjoint(name.lower().split("_"))


def _io_class(scope: FunctionScope) -> bool:
    owner = scope.qualname.rpartition(".")[0].rpartition(".")[2]
    return scope.is_method and _IO_CLASS.search(owner) is not None


# Parameter names that hold data: a `get_*` function taking none of them is an accessor (`get_experiment_
# features(experiment_id)` queries a store), not a transform of data it was given.
_DATA_PARAMETERS = frozenset(
    [
        "df",
        "data",
        "X",
        "x",
        "frame",
        "dataframe",
        "batch",
        "dataset",
        "ds",
        "table",
        "rows",
        "features",
        "sample",
        "samples",
        "examples",
        "series",
        "arr",
        "array",
        "tensor",
        "inputs",
        "texts",
        "text",
        "images",
        "image",
    ]
)


def _accessor(scope: FunctionScope) -> bool:
    if not scope.name.startswith("get_") or not isinstance(scope.node, cst.FunctionDef):
        return False
    params = {p.name.value for p in (*scope.node.params.params, *scope.node.params.kwonly_params)}
    return not any(p in _DATA_PARAMETERS or p.endswith(("_df", "_data")) for p in params)


def _model_method(scope: FunctionScope, model_classes: frozenset[str]) -> bool:
    """``GPTVAE.encode_to_latents`` of an ``nn.Module``: model computation, not a data transform."""
    return scope.is_method and scope.qualname.partition(".")[0] in model_classes


# Transform factories (builders): a function that *builds* a transform and hands it out is configuration
# code, not a transform of data: `get_train_transforms()` returning an `albumentations.Compose`,
# `policy_transform(split, policies)` reading an augmentation-policy file once and returning the closure
# that does the work, `make_scaler(stats)` returning `functools.partial(...)`. The closure it returns is
# still checked as a transform of its own (its name or module makes it one).
_FACTORY_NAME = re.compile(
    r"^_*(get|build|make|create)_\w*?"
    r"(transform|transforms|transformation|transformations|augmentation|augmentations|augmenter|augmenters"
    r"|aug|augs|tfms|pipeline|pipelines|preprocessor|preprocessors|transformer|transformers)$"
)
# Last name of a call that builds a composed transform or pipeline object (torchvision/albumentations/
# imgaug/monai `Compose`/`Sequential`/`OneOf`, scikit-learn `Pipeline`/`make_pipeline`/`ColumnTransformer`,
# `functools.partial`).
_COMPOSERS = frozenset(
    {
        "Compose",
        "OneOf",
        "SomeOf",
        "Sequential",
        "RandomApply",
        "RandomChoice",
        "Pipeline",
        "make_pipeline",
        "ColumnTransformer",
        "make_column_transformer",
        "FeatureUnion",
        "make_union",
        "FunctionTransformer",
        "partial",
    }
)


class _Returns(cst.CSTVisitor):
    """The values a function body returns and the names it binds, not looking into nested scopes; the
    names of the functions it defines directly."""

    def __init__(self) -> None:
        self.values: list[cst.BaseExpression] = []
        self.defs: set[str] = set()
        self.bound: dict[str, list[cst.BaseExpression]] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.defs.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.values.append(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.bound.setdefault(target.target.value, []).append(node.value)


def _builds_transform(value: cst.BaseExpression, found: _Returns, depth: int = 0) -> bool:
    """A returned value that is a transform rather than data: a closure defined here, a lambda, or a
    composed transform/pipeline object (directly or through a local name bound to one)."""
    if isinstance(value, cst.Lambda):
        return True
    if isinstance(value, cst.Name):
        if value.value in found.defs:
            return True
        bound = found.bound.get(value.value, [])
        return depth < 2 and bool(bound) and all(_builds_transform(v, found, depth + 1) for v in bound)
    if isinstance(value, cst.Call):
        chain = dotted(value.func)
        return chain is not None and chain.rpartition(".")[2] in _COMPOSERS
    return False


def is_transform_factory(scope: FunctionScope) -> bool:
    """A function that builds and returns a transform (see ``_FACTORY_NAME``, ``_COMPOSERS``): by its name
    (``get_train_transforms``, ``build_augmentation``), or because every value it returns is a closure it
    defines, a lambda or a composed transform/pipeline object."""
    node = scope.node
    if not isinstance(node, cst.FunctionDef):
        return False
    if _FACTORY_NAME.match(node.name.value):
        return True
    found = _Returns()
    node.body.visit(found)
    return bool(found.values) and all(_builds_transform(v, found) for v in found.values)


def is_transform_scope(ctx: FileContext, scope: FunctionScope) -> bool:
    """Whether a function of this file is a transform: THE definition (see the section comment above),
    computed once per function and kept on its scope."""
    if scope.transform is None:
        scope.transform = _is_transform(ctx, scope, ctx.names.model_classes)
    return scope.transform


def _is_transform(ctx: FileContext, scope: FunctionScope, model_classes: frozenset[str]) -> bool:
    if not named_transform(ctx, scope) or is_protocol_method(scope):
        return False
    return not (
        is_io_boundary(scope.name)
        or _io_class(scope)
        or _accessor(scope)
        or _model_method(scope, model_classes)
        or _factory(scope)
    )


def _factory(scope: FunctionScope) -> bool:
    """``is_transform_factory``, computed once per scope (rules ask for every call inside a function)."""
    if scope.factory is None:
        scope.factory = is_transform_factory(scope)
    return scope.factory


def transform_scope(ctx: FileContext) -> FunctionScope | None:
    """The outermost enclosing transform (nested helpers inside a transform count for it)."""
    for scope in ctx.functions:
        if is_transform_scope(ctx, scope):
            return scope
    return None


def _keyword_argument(call: cst.Call, keyword: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def _positional_argument(call: cst.Call, position: int) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) <= position or any(a.star for a in positional[: position + 1]):
        return None  # not passed, or hidden behind `*args`
    return positional[position].value


def argument(call: cst.Call, position: int | None, keyword: str | None) -> cst.BaseExpression | None:
    """The argument at ``position`` (positional) or named ``keyword``, if the call passes it."""
    named = _keyword_argument(call, keyword) if keyword is not None else None
    if named is not None or position is None:
        return named
    return _positional_argument(call, position)


def self_call_target(ctx: FileContext, chain: str) -> str | None:
    """``self.m``/``cls.m`` inside a method of class ``C`` -> ``<module>.C.m``."""
    root, _, rest = chain.partition(".")
    if root not in ("self", "cls") or not rest or "." in rest:
        return None
    for scope in reversed(ctx.functions):
        if scope.is_method:
            owner = scope.qualname.rpartition(".")[0]
            return f"{ctx.module}.{owner}.{rest}" if ctx.module else f"{owner}.{rest}"
    return None


def call_target(ctx: FileContext, call: cst.Call) -> str | None:
    """Absolute dotted name of a call that may go to a first-party function, else None."""
    chain = dotted(call.func)
    if chain is None:
        return None
    resolved = ctx.resolve(call.func)
    if resolved is None:
        return self_call_target(ctx, chain)
    if _top(resolved) in NOT_FIRST_PARTY:
        return None
    return resolved


class FunctionsExtractor(FactExtractor):
    provides = frozenset({"functions"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._stack: list[FunctionFact] = []
        self._buffers: list[set[str]] = []
        """Per open function: names bound to ``io.BytesIO()``/``io.StringIO()``."""

    def _absolute(self, qualname: str) -> str:
        return f"{self.ctx.module}.{qualname}" if self.ctx.module else qualname

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        ctx = self.ctx
        scope = ctx.function
        assert scope is not None
        fact = FunctionFact(
            qualname=scope.qualname,
            span=ctx.position(node.name),
            is_transform=transform_scope(ctx) is not None,
        )
        if self._stack:
            parent = self._stack[-1]
            if scope.qualname.startswith(parent.qualname + ".<locals>."):
                span = fact.span
                parent.calls.append(CallFact(self._absolute(scope.qualname), span, f"def {node.name.value}"))
        self._stack.append(fact)
        self._buffers.append(set())

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        fact = self._stack.pop()
        self._buffers.pop()
        if (fact.io_sites or fact.calls) and self.ctx.facts is not None:
            self.ctx.facts.functions.append(fact)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._stack:
            return
        fact = self._stack[-1]
        ctx = self.ctx
        api = classify_call(ctx, node, buffers=self._buffers[-1])
        if api is not None:
            if api.kind in IO_KINDS:
                span = ctx.position(node)
                fact.io_sites.append(IoSiteFact(api.name, api.kind, span, ctx.snippet(span)))
            return
        target = call_target(ctx, node)
        if target is not None:
            span = ctx.position(node)
            fact.calls.append(CallFact(target, span, ctx.snippet(span)))

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._buffers and is_memory_buffer(self.ctx, node.value):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._buffers[-1].add(target.target.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        asname = node.asname.name if node.asname is not None else None
        if self._buffers and isinstance(asname, cst.Name) and is_memory_buffer(self.ctx, node.item):
            self._buffers[-1].add(asname.value)

    def finish(self) -> None:
        facts = self.ctx.facts
        if facts is None:
            return
        module = self.ctx.module
        # Imported names a module re-exports (`from .util import helper` in a package __init__), so that
        # `pkg.helper` can be followed to `pkg.util.helper`. Same data the imports extractor records.
        for local, origin in self.ctx.names.table.items():
            if origin != (f"{module}.{local}" if module else local):
                facts.exports.setdefault(local, origin)
        facts.functions.sort(key=lambda f: (f.span.line, f.span.col))
