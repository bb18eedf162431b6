"""Literal hyperparameter facts (MLA301 hardcoded-hyperparameter, MLA304 hyperparameter-drift), and the
config-model test the configuration rules share.

Recorded, for every non-test file (notebooks included), when the name is in the hyperparameter
vocabulary (``hyperparameters`` + ``extend-hyperparameters``) and the value is a numeric literal:

| context | example | exempt (MLA301 quiet) | drift target |
| --- | --- | --- | --- |
| ``keyword`` | ``RandomForestClassifier(n_estimators=300)`` | in config modules/models | callee's last name |
| ``layer`` | ``nn.BatchNorm2d(momentum=0.01)`` (``torch.nn``, keras layers) | in config modules/models | (not compared) |
| ``dict`` | ``{"learning_rate": 0.1, "max_depth": 6}`` (2+ such keys) | in config modules/models | none |
| ``constant`` | module-level ``LEARNING_RATE = 3e-4`` (any case) | in config modules | none |
| ``field`` | ``lr: float = 3e-4`` in a config model | always | none |
| ``default`` | ``def train(lr=0.01)`` | always | the function (class for ``__init__``) |

``alpha``, ``gamma`` and ``C`` also mean other things (plot transparency, a distribution's shape), so as
keywords they count only when the callee looks like a model: a class (``Ridge(alpha=1.0)``), or a function
of an estimator library (scikit-learn, xgboost, ...) or of the project itself; ``ax.scatter(alpha=0.5)`` and
``torch.add(x, y, alpha=2)`` are not hyperparameters. No keyword of a plotting or metric call counts
(``DecisionBoundaryDisplay.from_estimator(..., alpha=0.5)``, ``plot_tree(clf, max_depth=2)``,
``make_scorer(mean_pinball_loss, alpha=0.95)``, matplotlib, seaborn, statsmodels).
"""

from __future__ import annotations

import re

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.ml_apis import NOT_FIRST_PARTY, matches_any
from mlaudit.facts.model import HyperparamFact
from mlaudit.facts.names import dotted

# Names that are hyperparameters only when passed to something that looks like a model.
AMBIGUOUS = frozenset({"alpha", "gamma", "C"})
# Estimator libraries: their functions take `alpha`/`C`/`gamma` as model hyperparameters. In tensor
# libraries (torch, numpy, jax) a lowercase function's `alpha` is arithmetic (`torch.add(x, y, alpha=2)`).
ESTIMATOR_PACKAGES = frozenset(
    {"sklearn", "xgboost", "lightgbm", "catboost", "skorch", "cuml", "imblearn", "prophet", "gensim"}
)
# Where `alpha` is transparency (or, in statsmodels, a significance level), even for classes (`RadViz(alpha=.2)`).
NOT_MODEL_PACKAGES = frozenset(
    {
        "matplotlib",
        "seaborn",
        "plotly",
        "bokeh",
        "altair",
        "yellowbrick",
        "plotnine",
        "holoviews",
        "statsmodels",
        "scipy",
    }
)


def numeric_literal(node: cst.BaseExpression) -> str | None:
    """Source text of an int/float literal, with its sign (``-1``, ``3e-4``); None for anything else."""
    sign = ""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus | cst.Plus):
        sign = "-" if isinstance(node.operator, cst.Minus) else ""
        node = node.expression
    if isinstance(node, cst.Integer | cst.Float):
        return sign + node.value
    return None


def numeric_value(text: str) -> float | None:
    """``"3e-4"``/``"0.0003"``/``"1_000"``/``"0x10"`` -> a comparable number."""
    try:
        return float(int(text, 0))
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def is_config_model(
    ctx: FileContext, node: cst.ClassDef, known: set[str] | frozenset[str] = frozenset()
) -> bool:
    """A config model: the class name, or a base's name (as written, resolved, or its last component),
    matches ``config-models``; or a base is a config model defined earlier in this module (``known``)."""
    patterns = ctx.settings.all_config_models
    if matches_any(node.name.value, patterns):
        return True
    for base in node.bases:
        if base.keyword is not None:
            continue
        written = dotted(base.value)
        if written is None:
            continue
        if written in known:
            return True
        resolved = ctx.resolve(base.value) or ""
        last = written.rpartition(".")[2]
        if matches_any(written, patterns) or matches_any(resolved, patterns) or matches_any(last, patterns):
            return True
    return False


class ConfigScope:
    """Tracks, during the traversal, whether the current node is inside a config model (rules use it)."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self._stack: list[bool] = []
        self._models: set[str] = set()

    @property
    def inside(self) -> bool:
        return bool(self._stack) and self._stack[-1]

    def enter(self, node: cst.ClassDef) -> None:
        model = (self.inside) or is_config_model(self.ctx, node, self._models)
        if model and not self._stack:
            self._models.add(node.name.value)
        self._stack.append(model)

    def leave(self) -> None:
        self._stack.pop()


# Layer constructors: their arguments define an architecture, and different layers and models legitimately
# use different values (BatchNorm momentum, attention heads). MLA301 still sees them; drift does not.
LAYER_PREFIXES = ("torch.nn.", "tensorflow.keras.layers.", "keras.layers.", "flax.linen.", "haiku.")
_PARTIAL = frozenset({"functools.partial", "functools.partialmethod"})


def is_degenerate(value: str) -> bool:
    """0 and 1 switch a mechanism off or make it trivial (``max_iter=1`` for one pass, ``l1_ratio=1`` for
    pure lasso, ``dropout=0``, ``n_neighbors=1`` for a nearest-neighbour lookup) rather than tune it."""
    number = numeric_value(value)
    return number is not None and number in (0.0, 1.0)


def _callee(ctx: FileContext, call: cst.Call) -> tuple[str, str | None]:
    """(drift target, resolved name) of a call; ``partial(nn.BatchNorm2d, momentum=0.1)`` is a call of
    ``BatchNorm2d``."""
    func: cst.BaseExpression = call.func
    resolved = ctx.resolve(func)
    if resolved in _PARTIAL and call.args and call.args[0].keyword is None:
        func = call.args[0].value
        resolved = ctx.resolve(func)
    name = resolved or dotted(func)
    return (name.rpartition(".")[2] if name else "?"), resolved


# Calls that draw or evaluate: their `alpha`, `subsample`, `max_depth` configure a figure or a metric
# (`DecisionBoundaryDisplay.from_estimator(..., alpha=0.5)`, `plot_tree(clf, max_depth=2)`,
# `make_scorer(mean_pinball_loss, alpha=0.95)`), not a model.
_PLOT_OR_METRIC_CALL = re.compile(r"^(plot|export|show|draw|from_estimator|from_predictions|make_scorer)")
_METRIC_PREFIXES = ("sklearn.metrics.",)


def _literal_keywords(node: cst.Call, vocab: frozenset[str]) -> list[tuple[cst.Arg, str, str]]:
    found = []
    for arg in node.args:
        name = arg.keyword.value if arg.keyword is not None else None
        value = numeric_literal(arg.value) if name in vocab else None
        if name is not None and value is not None:
            found.append((arg, name, value))
    return found


def _plot_or_metric(ctx: FileContext, func: cst.BaseExpression) -> bool:
    chain = dotted(func)
    if chain is None:
        return False
    parts = chain.split(".")
    if _PLOT_OR_METRIC_CALL.match(parts[-1]) or any(p.endswith("Display") for p in parts):
        return True
    resolved = ctx.resolve(func) or ""
    return resolved.startswith(_METRIC_PREFIXES) or resolved.partition(".")[0] in NOT_MODEL_PACKAGES


def _is_module_variable(ctx: FileContext, chain: str) -> bool:
    """``ax.plot`` where ``ax = plt.gca()`` at module level: a method of an object of unknown type, not a
    first-party function (a script's globals resolve to ``<module>.ax``)."""
    root = chain.partition(".")[0]
    names = ctx.names
    own = f"{names.module}.{root}" if names.module else root
    return (
        "." in chain
        and names.table.get(root) == own
        and root not in names.defs
        and not ctx.is_local_name(root)
    )


def _looks_like_model(ctx: FileContext, func: cst.BaseExpression) -> bool:
    chain = dotted(func)
    if chain is None:
        return False
    resolved = None if _is_module_variable(ctx, chain) else ctx.resolve(func)
    top = resolved.partition(".")[0] if resolved else ""
    if top in NOT_MODEL_PACKAGES:
        return False
    if chain.rpartition(".")[2][:1].isupper():
        return True  # a class: `Ridge(alpha=1.0)`, `SVC(C=0.5)`, `FocalLoss(gamma=2)`
    if resolved is None:
        return False  # `ax.scatter(alpha=0.5)`: a method of something unknown
    # An estimator library's function, or a first-party one (anything not known to be third-party).
    return top in ESTIMATOR_PACKAGES or top not in NOT_FIRST_PARTY


class HyperparamsExtractor(FactExtractor):
    provides = frozenset({"hyperparams"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        vocab = ctx.settings.all_hyperparameters
        self.vocab = vocab
        self.by_lower = {v.lower(): v for v in vocab}
        self.skip = ctx.is_test
        self.config = ConfigScope(ctx)

    # --- helpers ----------------------------------------------------------------------------------
    def _record(
        self, node: cst.CSTNode, name: str, value: str, context: str, exempt: bool, target: str = ""
    ) -> None:
        facts = self.ctx.facts
        assert facts is not None
        span = self.ctx.position(node)
        facts.hyperparams.append(
            HyperparamFact(
                name=name,
                value=value,
                span=span,
                context=context,
                snippet=self.ctx.snippet(span),
                exempt=exempt,
                target=target,
            )
        )

    @property
    def _configured(self) -> bool:
        return self.ctx.is_config_module or self.config.inside

    # --- classes ----------------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.config.enter(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.config.leave()

    # --- keywords ----------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if self.skip:
            return
        literals = self._keyword_literals(node)
        if literals:
            target, resolved = _callee(self.ctx, node)
            context = "layer" if resolved is not None and resolved.startswith(LAYER_PREFIXES) else "keyword"
            for arg, name, value in literals:
                self._record(arg, name, value, context, self._configured, target)

    def _keyword_literals(self, node: cst.Call) -> list[tuple[cst.Arg, str, str]]:
        """(arg, name, literal) of the call's numeric hyperparameter keywords."""
        literals = _literal_keywords(node, self.vocab)
        if not literals or _plot_or_metric(self.ctx, node.func):
            return []
        if any(name in AMBIGUOUS for _, name, _ in literals) and not _looks_like_model(self.ctx, node.func):
            literals = [hit for hit in literals if hit[1] not in AMBIGUOUS]
        return literals

    # --- parameter defaults ---------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.skip:
            return
        params = node.params
        scope = self.ctx.function
        owner = node.name.value
        if owner == "__init__" and scope is not None and scope.is_method:
            owner = scope.qualname.rpartition(".")[0].rpartition(".")[2]
        for p in (*params.posonly_params, *params.params, *params.kwonly_params):
            if p.default is None or p.name.value not in self.vocab:
                continue
            value = numeric_literal(p.default)
            if value is not None:
                self._record(p, p.name.value, value, "default", True, owner)

    # --- module constants and config-model fields -------------------------------------------------------
    def _assignment(
        self, node: cst.CSTNode, target: cst.BaseExpression, value: cst.BaseExpression | None
    ) -> None:
        ctx = self.ctx
        name = self._constant_name(target)
        in_class = bool(ctx.classes)
        if name is None or value is None or (in_class and not self.config.inside):
            return
        literal = _field_default(value) if in_class else numeric_literal(value)
        if literal is not None:
            context, exempt = ("field", True) if in_class else ("constant", ctx.is_config_module)
            self._record(node, name, literal, context, exempt)

    def _constant_name(self, target: cst.BaseExpression) -> str | None:
        """The vocabulary name a module-level or class-level ``NAME = ...`` assigns, if any."""
        if self.skip or self.ctx.functions or not isinstance(target, cst.Name):
            return None
        name = target.value
        if len(name) == 1:  # `C` matches only `C`: a one-letter lowercase `c` is any variable
            return name if name in self.vocab else None
        return self.by_lower.get(name.lower())

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1:
            self._assignment(node, node.targets[0].target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assignment(node, node.target, node.value)

    # --- parameter dicts ------------------------------------------------------------------------------
    def visit_Dict(self, node: cst.Dict) -> None:
        if self.skip:
            return
        found = [hit for element in node.elements if (hit := self._dict_entry(element)) is not None]
        # A params dict (xgboost/lightgbm style): at least two unambiguous hyperparameter keys.
        if sum(1 for _, key, _ in found if key not in AMBIGUOUS) >= 2:
            for element, key, value in found:
                self._record(element, key, value, "dict", self._configured)

    def _dict_entry(self, element: cst.BaseDictElement) -> tuple[cst.DictElement, str, str] | None:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            return None
        key = element.key.evaluated_value
        value = numeric_literal(element.value) if isinstance(key, str) and key in self.vocab else None
        return (element, key, value) if isinstance(key, str) and value is not None else None


def _field_default(value: cst.BaseExpression) -> str | None:
    """A config-model field's literal default: ``0.01``, ``Field(0.01, gt=0)``, ``field(default=0.01)``."""
    if isinstance(value, cst.Call) and (dotted(value.func) or "").rpartition(".")[2] in _FIELD_FUNCTIONS:
        value = _default_argument(value) or value
    return numeric_literal(value)


_FIELD_FUNCTIONS = frozenset({"Field", "field", "attrib", "ib"})


def _default_argument(call: cst.Call) -> cst.BaseExpression | None:
    for arg in call.args:
        if (arg.keyword is None and not arg.star) or (
            arg.keyword is not None and arg.keyword.value == "default"
        ):
            return arg.value
    return None
