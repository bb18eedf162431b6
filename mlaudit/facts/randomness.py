"""Randomness facts for MLA704 unseeded-randomness.

Per file: the calls that draw on a random state they were not given (``train_test_split(X, y)``,
``RandomForestClassifier()``, ``KFold(5, shuffle=True)``, ``df.sample(frac=0.1)``; see
``ml_repro.RANDOM_APIS``), the first training step of a torch training loop (``loss.backward()``), which
global generators the file seeds (``np.random.seed``, ``torch.manual_seed``, ``seed_everything``, any
``set_seed``-like helper), and whether the file runs as a program. The rule decides with the import graph
whether a seed is set on the way to each site.
"""

from __future__ import annotations

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.data_origin import DataEvidence
from mlaudit.facts.functions import call_shape
from mlaudit.facts.ml_repro import (
    ALL,
    DATAFRAME_SAMPLE,
    EARLY_STOPPING,
    RANDOM_LAST_NAMES,
    SAMPLE_KEYWORDS,
    SEED_ARGUMENT,
    SEED_KEYWORDS,
    SHUFFLE_TRUE,
    SUBSAMPLE_KEYWORDS,
    SUBSAMPLED,
    TORCH,
    UNLESS_SHUFFLE_FALSE,
    RandomApi,
    measures_speed,
    random_api,
    seed_family,
)
from mlaudit.facts.model import RandomSiteFact
from mlaudit.facts.names import dotted
from mlaudit.facts.tensor_optimisation import LoopEvidence
from mlaudit.facts.throwaway import only_drawn, reaches_result

_NOT_DATAFRAME_ROOTS = frozenset({"numpy", "random", "torch", "scipy", "jax", "tensorflow", "secrets"})
_FRAME_PACKAGES = frozenset({"pandas", "polars", "dask", "modin", "pyspark"})
_LOOP_PACKAGES = frozenset({"torch", "accelerate", "lightning", "pytorch_lightning"})
_EMBEDDINGS = frozenset({"sklearn.manifold.TSNE", "sklearn.manifold.MDS", "umap.UMAP", "openTSNE.TSNE"})
"""Projections drawn as figures: when their output only goes to plotting calls, no result depends on them."""


def _seeds_cli(call: cst.Call, resolved: str | None) -> bool:
    """``LightningCLI(Model, DataModule, seed_everything_default=1234)``: the CLI calls ``seed_everything``
    before it builds the datamodule and the model (``True`` draws a seed and saves it with the run's config),
    so everything the run draws is seeded. ``False``/``None`` turns that off."""
    if (resolved or "").rpartition(".")[2] != "LightningCLI" and _last_name(call.func) != "LightningCLI":
        return False
    value = _keyword(call, "seed_everything_default")
    return value is not None and not _is_false(value) and not (isinstance(value, cst.Name) and value.value == "None")


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _is_true(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _is_false(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


def _random_in_shape(call: cst.Call, api: RandomApi, keywords: frozenset[str]) -> bool:
    """Whether this call shape draws on the random state at all (``KFold(5)`` does not shuffle)."""
    if api.when == SHUFFLE_TRUE:
        shuffle = _keyword(call, "shuffle")
        positional = [a for a in call.args if a.keyword is None]
        if shuffle is None and len(positional) > 1:
            shuffle = positional[1].value  # KFold(5, True)
        return _is_true(shuffle)
    if api.when == SUBSAMPLED:
        return bool(keywords & SUBSAMPLE_KEYWORDS)
    if api.when == UNLESS_SHUFFLE_FALSE:
        return not _is_false(_keyword(call, "shuffle"))
    if api.when == EARLY_STOPPING:
        return not _is_false(_keyword(call, "early_stopping")) or _feature_fraction(_keyword(call, "max_features"))
    return True


def _feature_fraction(node: cst.BaseExpression | None) -> bool:
    """``max_features=0.5`` (or any value not written as ``1.0``/``1``/``None``): features are drawn per split."""
    if node is None or (isinstance(node, cst.Name) and node.value == "None"):
        return False
    return not (isinstance(node, cst.Float | cst.Integer) and float(node.value) == 1.0)


def unseeded(call: cst.Call, api: RandomApi) -> bool:
    """True when the call passes no seed and is random in this shape. A seed from any source counts
    (``random_state=cfg.seed``, ``random_state=None`` written out is a choice too), and ``*args``/``**kw``
    may carry one."""
    shape = call_shape(call)
    if "**" in shape.keywords or shape.keywords & (set(api.seed_keywords) | SEED_KEYWORDS):
        return False
    if api.seed_position is not None and shape.n_positional > api.seed_position:
        return False
    return _random_in_shape(call, api, shape.keywords)


def _last_name(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""


def _is_backward(call: cst.Call) -> bool:
    """``loss.backward()``, ``scaler.scale(loss).backward()``, ``accelerator.backward(loss)``."""
    func = call.func
    return isinstance(func, cst.Attribute) and func.attr.value == "backward"


class RandomnessExtractor(FactExtractor):
    provides = frozenset({"randomness"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        packages = ctx.names.imported_packages()
        self._frames = bool(packages & _FRAME_PACKAGES)
        self._loops = bool(packages & _LOOP_PACKAGES)
        self._loop_seen = False
        self._loop_depth = 0
        self._seeds: set[str] = set()
        self.skip = ctx.is_test
        self._evidence = LoopEvidence()
        self._data = DataEvidence(ctx)
        self._scopes: list[cst.FunctionDef | cst.Module] = []

    def visit_Module(self, node: cst.Module) -> None:
        facts = self.ctx.facts
        assert facts is not None
        facts.is_entry = any(_runs_work(stmt) for stmt in node.body)
        self._scopes = [node]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scopes.pop()

    def visit_For(self, node: cst.For) -> None:
        self._loop_depth += 1

    def leave_For(self, original_node: cst.For) -> None:
        self._loop_depth -= 1

    def visit_While(self, node: cst.While) -> None:
        self._loop_depth += 1

    def leave_While(self, original_node: cst.While) -> None:
        self._loop_depth -= 1

    def visit_Name(self, node: cst.Name) -> None:
        if not self.skip:
            self._data.name(node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        value = node.value
        name = (
            value.attr.value
            if isinstance(value, cst.Attribute)
            else value.value
            if isinstance(value, cst.Name)
            else ""
        )
        if "seed" in name.lower():
            self._seeds.add(SEED_ARGUMENT)  # reset(epoch, args.seed)

    def visit_Call(self, node: cst.Call) -> None:
        if self.skip:
            return
        func = node.func
        last = _last_name(func)
        if self._loops:
            self._evidence.note(node, self.ctx.resolve(func))
        self._data.note(node)
        if last == "LightningCLI" and _seeds_cli(node, self.ctx.resolve(func)):
            self._seeds.add(ALL)
        elif "seed" in last.lower():
            family = seed_family(self.ctx.resolve(func), dotted(func))
            if family is not None:
                self._seeds.add(family)
        elif last in RANDOM_LAST_NAMES:
            self._random_api(node)
        elif last == "sample" and self._frames and isinstance(func, cst.Attribute):
            self._sample(node)
        elif last == "backward":
            self._backward(node)

    def _random_api(self, node: cst.Call) -> None:
        api = random_api(self.ctx.resolve(node.func))
        if api is None or not unseeded(node, api) or not self._kept(node):
            return
        if api.name in _EMBEDDINGS and self._scopes and only_drawn(node, self._scopes[-1]):
            return  # a t-SNE/UMAP map drawn in a figure: no result depends on it
        self._record(node, api, "fixed" if api.fixed_default else "call")

    def _backward(self, node: cst.Call) -> None:
        """The first training step inside a loop of a torch file."""
        if self._loops and self._loop_depth and not self._loop_seen and _is_backward(node) and not self._timing():
            self._loop_seen = True
            self._record(node, RandomApi("torch.Tensor.backward", TORCH, ()), "loop")

    def _timing(self) -> bool:
        """A training step of a function that measures speed or checks a layer (``benchmark_step``,
        ``test_attention``): repeated on purpose, it reports time, not a model."""
        scope = self.ctx.function
        return scope is not None and measures_speed(scope.qualname, harness=True)

    def _sample(self, node: cst.Call) -> None:
        resolved = self.ctx.resolve(node.func)
        if resolved is not None and resolved.partition(".")[0] in _NOT_DATAFRAME_ROOTS:
            return  # np.random.sample, random.sample
        keywords = {a.keyword.value for a in node.args if a.keyword is not None}
        if not keywords & SAMPLE_KEYWORDS:
            return  # dist.sample(), sampler.sample(shape)
        if unseeded(node, DATAFRAME_SAMPLE) and self._kept(node):
            self._record(node, DATAFRAME_SAMPLE, "call")

    def _kept(self, node: cst.Call) -> bool:
        """The draw reaches a result of its scope (``mlaudit.facts.throwaway``): not a sample dropped on the
        spot, nor dummy rows a sanity check fits a throwaway classifier on."""
        return not self._scopes or reaches_result(node, self._scopes[-1])

    def _record(self, node: cst.Call, api: RandomApi, kind: str) -> None:
        facts = self.ctx.facts
        assert facts is not None
        span = self.ctx.position(node)
        scope = self.ctx.function
        facts.random_sites.append(
            RandomSiteFact(
                api=api.name,
                family=api.family,
                span=span,
                function=scope.qualname if scope is not None else "",
                snippet=self.ctx.snippet(span),
                kind=kind,
            )
        )

    def finish(self) -> None:
        facts = self.ctx.facts
        assert facts is not None
        facts.seeds = sorted(self._seeds)
        facts.data_origin = self._data.origin
        facts.random_sites = _without_deterministic_loop(facts.random_sites, self._evidence)


def _without_deterministic_loop(sites: list[RandomSiteFact], evidence: LoopEvidence) -> list[RandomSiteFact]:
    """The training-loop site dropped when the loop only optimises explicit tensors and nothing random is
    drawn (``tensor_optimisation``): its result does not depend on a seed."""
    if not evidence.deterministic or any(s.kind != "loop" for s in sites):
        return sites
    return [s for s in sites if s.kind != "loop"]


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison):
        return False
    sides = [test.left, *(c.comparator for c in test.comparisons)]
    return any(isinstance(side, cst.Name) and side.value == "__name__" for side in sides)


def _runs_work(stmt: cst.BaseStatement) -> bool:
    """A module-level statement that does work when the file runs: the main guard, a loop, a ``with``,
    or a bare call (``main()``). Assignments (``logger = logging.getLogger()``) are definitions."""
    if isinstance(stmt, cst.If):
        return _is_main_guard(stmt.test)
    if isinstance(stmt, cst.For | cst.While | cst.With):
        return True
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) for small in stmt.body
    )
