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
| ``argparse`` | ``add_argument("--lr", default=0.01)`` | always | none |

``alpha``, ``gamma`` and ``C`` also mean other things (plot transparency, a distribution's shape), so as
keywords they count only when the callee looks like a model: a class (``Ridge(alpha=1.0)``), or a function
of an estimator library (scikit-learn, xgboost, ...) or of the project itself; ``ax.scatter(alpha=0.5)`` and
``torch.add(x, y, alpha=2)`` are not hyperparameters.
"""

from __future__ import annotations

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
    {"sklearn", "xgboost", "lightgbm", "catboost", "statsmodels", "skorch", "cuml", "imblearn", "prophet", "gensim"}
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


def is_config_model(ctx: FileContext, node: cst.ClassDef, known: set[str] | frozenset[str] = frozenset()) -> bool:
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


def _looks_like_model(ctx: FileContext, func: cst.BaseExpression) -> bool:
    chain = dotted(func)
    if chain is None:
        return False
    last = chain.rpartition(".")[2]
    if last[:1].isupper():
        return True  # a class: `Ridge(alpha=1.0)`, `SVC(C=0.5)`, `FocalLoss(gamma=2)`
    resolved = ctx.resolve(func)
    if resolved is None:
        return False  # `ax.scatter(alpha=0.5)`: a method of something unknown
    top = resolved.partition(".")[0]
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

    # --- keywords, argparse defaults ----------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if self.skip:
            return
        vocab = self.vocab
        hits = [a for a in node.args if a.keyword is not None and a.keyword.value in vocab]
        if not hits:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "add_argument":
                self._argparse(node)
            return
        callee: tuple[str, str | None] | None = None
        for arg in hits:
            assert arg.keyword is not None
            value = numeric_literal(arg.value)
            if value is None:
                continue
            name = arg.keyword.value
            if name in AMBIGUOUS and not _looks_like_model(self.ctx, node.func):
                continue
            if callee is None:
                callee = _callee(self.ctx, node)
            target, resolved = callee
            context = "layer" if resolved is not None and resolved.startswith(LAYER_PREFIXES) else "keyword"
            self._record(arg, name, value, context, self._configured, target)

    def _argparse(self, node: cst.Call) -> None:
        default = next((a.value for a in node.args if a.keyword and a.keyword.value == "default"), None)
        if default is None or (value := numeric_literal(default)) is None:
            return
        for arg in node.args:
            if arg.keyword is not None or not isinstance(arg.value, cst.SimpleString):
                continue
            flag = arg.value.evaluated_value
            if isinstance(flag, str) and flag.startswith("--"):
                name = self.by_lower.get(flag[2:].replace("-", "_").lower())
                if name is not None:
                    self._record(arg, name, value, "argparse", True)
                return

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
    def _assignment(self, node: cst.CSTNode, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if self.skip or value is None or self.ctx.functions or not isinstance(target, cst.Name):
            return
        in_class = bool(self.ctx.classes)
        if in_class and not self.config.inside:
            return
        name = self.by_lower.get(target.value.lower())
        if name is None:
            return
        literal = numeric_literal(value)
        if literal is None and in_class and isinstance(value, cst.Call):
            literal = _field_default(value)
        if literal is None:
            return
        if in_class:
            self._record(node, name, literal, "field", True)
        else:
            self._record(node, name, literal, "constant", self.ctx.is_config_module)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1:
            self._assignment(node, node.targets[0].target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assignment(node, node.target, node.value)

    # --- parameter dicts ------------------------------------------------------------------------------
    def visit_Dict(self, node: cst.Dict) -> None:
        if self.skip:
            return
        # A params dict (xgboost/lightgbm style): at least two unambiguous hyperparameter keys.
        found = []
        for element in node.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                continue
            key = element.key.evaluated_value
            if isinstance(key, str) and key in self.vocab:
                value = numeric_literal(element.value)
                if value is not None:
                    found.append((element, key, value))
        if sum(1 for _, key, _ in found if key not in AMBIGUOUS) >= 2:
            for element, key, value in found:
                self._record(element, key, value, "dict", self._configured)


def _field_default(call: cst.Call) -> str | None:
    """``Field(0.01, gt=0)`` / ``field(default=0.01)`` -> ``"0.01"``."""
    chain = dotted(call.func) or ""
    if chain.rpartition(".")[2] not in ("Field", "field", "attrib", "ib"):
        return None
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return numeric_literal(arg.value)
        if arg.keyword is not None and arg.keyword.value == "default":
            return numeric_literal(arg.value)
    return None
