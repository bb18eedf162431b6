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
from mlaudit.facts.fallbacks import FallbackHooks, FallbackScope
from mlaudit.facts.ml_apis import NOT_FIRST_PARTY, matches_any
from mlaudit.facts.model import HyperparamFact
from mlaudit.facts.names import dotted
from mlaudit.facts.notebook_export import is_notebook_export
from mlaudit.facts.presets import built_object_call, is_registry_factory

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
# Model definitions: inside these classes' methods, a layer's size or dropout is the architecture itself
# (`UNetDown(512, 512, dropout=0.5)` in `GeneratorUNet.__init__`), written once where the model is defined.
MODEL_BASES = (
    "torch.nn.Module",
    "torch.nn.modules.module.Module",
    "tensorflow.keras.layers.Layer",
    "tensorflow.keras.Model",
    "tensorflow.keras.models.Model",
    "keras.layers.Layer",
    "keras.Model",
    "keras.models.Model",
    "flax.linen.Module",
    "haiku.Module",
    "pytorch_lightning.LightningModule",
    "lightning.LightningModule",
    "lightning.pytorch.LightningModule",
)
ARCHITECTURE_KEYWORDS = frozenset(
    {"dropout", "hidden_size", "hidden_dim", "num_layers", "num_heads", "embedding_dim", "momentum"}
)


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
# Inference calls: their batch size sets memory use, not the model (`model.predict(X, batch_size=1000)`).
_INFERENCE_CALL = re.compile(r"^(predict|evaluate|score|transform|encode|embed|generate|infer)")
_EVAL_NAME = re.compile(r"^_*(val|valid|eval|test|sample|pred|infer)", re.IGNORECASE)
_DRAWING_WORD = re.compile(r"(^|_)(plot|draw|show|render|visuali[sz]e)(_|$)|[Ss]ummary$|^summary")
# A dict bound to a name like these is a table of settings (`defaults = dict(lr=1e-4, batch_size=16)`
# handed to argparse, `config = {...}` handed to a tracker): configuration written as data.
_CONFIG_NAME = re.compile(r"default|config|cfg|settings|hparams|hyperparam", re.IGNORECASE)


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
    if _DRAWING_WORD.search(parts[-1]):
        return True  # `shift_plot(x, alpha=0.5)`, `ModelSummary(max_depth=2)`, `torchinfo.summary(depth=3)`
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


class HyperparamsExtractor(FallbackHooks, FactExtractor):
    provides = frozenset({"hyperparams"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        vocab = ctx.settings.all_hyperparameters
        self.vocab = vocab
        self.by_lower = {v.lower(): v for v in vocab}
        self.skip = ctx.is_test
        self.config = ConfigScope(ctx)
        self.export = is_notebook_export(ctx.text)
        self._seen_definition = False
        self._presets: set[int] = set()
        self._registry_factories: set[int] = set()
        self._models: list[bool] = []
        self._model_names: set[str] = set()
        self._named_config: set[int] = set()
        self._eval_values: set[int] = set()
        self._default_names: set[str] = set()
        self._constants: list[tuple[HyperparamFact, str]] = []
        self.fallback = FallbackScope(ctx)

    # --- helpers ----------------------------------------------------------------------------------
    def _record(
        self,
        node: cst.CSTNode,
        name: str,
        value: str,
        context: str,
        exempt: bool,
        target: str = "",
        *,
        group: cst.CSTNode | None = None,
        quiet: str = "",
    ) -> None:
        facts = self.ctx.facts
        assert facts is not None
        span = self.ctx.position(node)
        where = self.ctx.position(group) if group is not None else span
        scope = self.ctx.function
        facts.hyperparams.append(
            HyperparamFact(
                name=name,
                value=value,
                span=span,
                context=context,
                snippet=self.ctx.snippet(span),
                exempt=exempt,
                target=target,
                group=f"{where.line}:{where.col}",
                scope=scope.qualname if scope is not None else "",
                top=context == "constant" and not self._seen_definition,
                quiet="notebook-export" if self.export else quiet,
            )
        )

    @property
    def _configured(self) -> bool:
        return self.ctx.is_config_module or self.config.inside

    # --- classes ----------------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.config.enter(node)
        if len(self.ctx.classes) == 1 and not self.ctx.functions:
            self._seen_definition = True
        model = (bool(self._models) and self._models[-1]) or self._is_model(node)
        if model and len(self.ctx.classes) == 1:
            self._model_names.add(node.name.value)
        self._models.append(model)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.config.leave()
        self._models.pop()

    def _is_model(self, node: cst.ClassDef) -> bool:
        for base in node.bases:
            if base.keyword is not None:
                continue
            written = dotted(base.value) or ""
            resolved = self.ctx.resolve(base.value) or ""
            if written in self._model_names or resolved.startswith(MODEL_BASES):
                return True
            if resolved.startswith(("torch.nn.", "keras.layers.", "tensorflow.keras.layers.")):
                return True  # `class Block(nn.Sequential)`, `class Attn(layers.Layer)`
        return False

    @property
    def _in_model_definition(self) -> bool:
        return bool(self._models) and self._models[-1] and bool(self.ctx.functions)

    def _inference(self, node: cst.Call) -> bool:
        """An inference or evaluation batch: ``model.predict(X, batch_size=1000)``, a loader bound to
        ``val_loader``/``test_dl``/``sample_loader``, any batch inside ``evaluate()``/``predict_proba()``."""
        if _INFERENCE_CALL.match(_callee(self.ctx, node)[0]) or id(node) in self._eval_values:
            return True
        return any(_EVAL_NAME.match(f.name) for f in self.ctx.functions)

    def _in_registry_factory(self) -> bool:
        """Inside a function a registry decorator names (``@register_model def deit_tiny(...)``)."""
        return any(id(scope.node) in self._registry_factories for scope in self.ctx.functions)

    def _keyword_quiet(self, node: cst.Call, name: str) -> str:
        if id(node) in self._presets or self._in_registry_factory():
            return "preset"
        if self.ctx.main_guard and not self.ctx.functions:
            return "main-guard"  # `if __name__ == "__main__": run(epochs=10)`: the run's own settings
        if id(node) in self._named_config:
            return "named-config"
        if self.fallback.inside:
            # `if self.estimator is None: self.estimator_ = RandomForestClassifier(n_estimators=100)`: the
            # default of a parameter the caller did not give, like a parameter default.
            return "default-fallback"
        if name == "batch_size" and self._inference(node):
            return "inference"
        if name in ARCHITECTURE_KEYWORDS and self._in_model_definition:
            return "architecture"
        return ""

    # --- keywords ----------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if self.skip:
            return
        for arg in node.args:  # `add_argument("--lr", default=LR)`, `Field(default=LR)`
            if arg.keyword is not None and arg.keyword.value == "default" and isinstance(arg.value, cst.Name):
                self._default_names.add(arg.value.value)
        literals = self._keyword_literals(node)
        if literals:
            target, resolved = _callee(self.ctx, node)
            context = "layer" if resolved is not None and resolved.startswith(LAYER_PREFIXES) else "keyword"
            for arg, name, value in literals:
                self._record(
                    arg,
                    name,
                    value,
                    context,
                    self._configured,
                    target,
                    group=node,
                    quiet=self._keyword_quiet(node, name),
                )

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
        if len(self.ctx.functions) == 1 and not self.ctx.classes:
            self._seen_definition = True
        preset = (_preset_call(node) or built_object_call(node)) if not self.ctx.classes else None
        if preset is not None:
            self._presets.add(id(preset))
        if is_registry_factory(node):
            self._registry_factories.add(id(node))
        if self.skip:
            return
        params = node.params
        scope = self.ctx.function
        owner = node.name.value
        if owner == "__init__" and scope is not None and scope.is_method:
            owner = scope.qualname.rpartition(".")[0].rpartition(".")[2]
        for p in (*params.posonly_params, *params.params, *params.kwonly_params):
            if isinstance(p.default, cst.Name):
                self._default_names.add(p.default.value)  # `def train(lr=LR)`
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
            self._record(node, name, literal, context, exempt, quiet="main-guard" if ctx.main_guard else "")
            if context == "constant" and isinstance(target, cst.Name) and ctx.facts is not None:
                self._constants.append((ctx.facts.hyperparams[-1], target.value))

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
            self._note_named_config(node.targets[0].target, node.value)

    def _note_named_config(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        name = target.value if isinstance(target, cst.Name) else None
        if isinstance(target, cst.Attribute):
            name = target.attr.value  # `self.val_loader = DataLoader(...)`
        if name is not None and isinstance(value, cst.Call) and _EVAL_NAME.match(name):
            self._eval_values.add(id(value))
        table = isinstance(value, cst.Dict) or (isinstance(value, cst.Call) and dotted(value.func) == "dict")
        if name is not None and table and _CONFIG_NAME.search(name):
            self._named_config.add(id(value))

    def finish(self) -> None:
        """A module constant used as a default (of an argparse option, a parameter, a field) is the
        default of a setting the caller can change: configuration, not a hardcoded value."""
        facts = self.ctx.facts
        if facts is None:
            return
        for hp in facts.hyperparams:
            if (
                hp.context == "constant"
                and not hp.quiet
                and hp.snippet.split("=")[0].split(":")[0].strip() in self._default_names
            ):
                hp.quiet = "default"

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assignment(node, node.target, node.value)

    # --- parameter dicts ------------------------------------------------------------------------------
    def visit_Dict(self, node: cst.Dict) -> None:
        if self.skip:
            return
        found = [hit for element in node.elements if (hit := self._dict_entry(element)) is not None]
        # A params dict (xgboost/lightgbm style): at least two unambiguous hyperparameter keys.
        if sum(1 for _, key, _ in found if key not in AMBIGUOUS) >= 2:
            quiet = "named-config" if id(node) in self._named_config else ""
            for element, key, value in found:
                self._record(element, key, value, "dict", self._configured, group=node, quiet=quiet)

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


def _preset_call(node: cst.FunctionDef) -> cst.Call | None:
    """The call a preset factory returns: a function taking only optional arguments whose body builds one
    object and returns it (``def vit_base(**kwargs): return ViT(depth=12, num_heads=12, **kwargs)``,
    ``model = ViT(...); return model``). Its literals are a named configuration, like a config file."""
    params = node.params
    required = [
        p for p in (*params.posonly_params, *params.params, *params.kwonly_params) if p.default is None
    ]
    if required:
        return None  # `def build_optimizer(model): return Adam(model.parameters(), lr=1e-3)` builds, it does not name
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
    statements = [s for s in body if not _is_docstring(s)]
    if (
        not statements
        or len(statements) > 2
        or not all(isinstance(s, cst.SimpleStatementLine) for s in statements)
    ):
        return None
    small = [s.body[0] for s in statements if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1]
    if len(small) != len(statements) or not isinstance(small[-1], cst.Return):
        return None
    returned = small[-1].value
    if len(small) == 2:
        first = small[0]
        if not (
            isinstance(first, cst.Assign)
            and len(first.targets) == 1
            and isinstance(first.targets[0].target, cst.Name)
            and isinstance(returned, cst.Name)
            and returned.value == first.targets[0].target.value
        ):
            return None
        returned = first.value
    return returned if isinstance(returned, cst.Call) else None


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )
