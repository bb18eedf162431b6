"""MLA202 nondeterministic-transform: a transform reads the clock or an unseeded random generator.

Quiet on purpose:

* a ``now``/``rng`` parameter (the caller decides; nothing is read here);
* seeded generators: ``np.random.default_rng(seed)``, ``random.Random(seed)``, ``torch.rand(..., generator=g)``,
  and global-generator draws after the transform itself seeded that generator (``np.random.seed(0)``);
* stopwatch reads: a clock value only used to measure a duration (``t0 = time.time()`` ... ``time.time() - t0``)
  does not reach the transform's output;
* intentionally random transforms, which say so in their name or their class's name (``RandomCrop``,
  ``augment_text``, ``add_noise``, ``ColorJitter``, ``shuffle_rows``), and every transform of a module that
  defines such a function or class at top level (an augmentation module: ``ElasticTransform`` next to
  ``RandomCrop``): randomness is their contract, and their reproducibility is a matter of seeding the run,
  not of purity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from mlaudit.engine.context import FileContext, FunctionScope
from mlaudit.engine.rule import FileRule, RuleOptions
from mlaudit.facts.functions import classify_call, transform_scope
from mlaudit.facts.ml_apis import CLOCK, RANDOM, SEED, TABLE, Api
from mlaudit.facts.script_scan import entry_point_names, is_bdd_file, scan_context
from mlaudit.model import Severity

_KINDS = frozenset({CLOCK, RANDOM, SEED})
# Cheap pre-filter: the last name component of every clock/random API (`now`, `rand`, `shuffle`, ...).
_LAST_NAMES = frozenset(api.name.rpartition(".")[2] for api in TABLE.values() if api.kind in _KINDS)

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_RANDOM_WORDS = frozenset(
    {
        "jitter",
        "noise",
        "noisy",
        "shuffle",
        "shuffled",
        "sample",
        "sampler",
        "sampling",
        "perturb",
        "perturbation",
        "dropout",
        "mix",
        "mixup",
        "cutmix",
        "stochastic",
        "erasing",
        "erase",
    }
)
_RANDOM_PREFIXES = ("rand", "aug")
# A module importing an augmentation library is an augmentation module.
_AUGMENTATION_IMPORTS = (
    "albumentations",
    "imgaug",
    "kornia.augmentation",
    "audiomentations",
    "nlpaug",
    "torchvision.transforms",
    "torch_audiomentations",
)
# Calls whose arguments are logged or recorded as metadata, not returned as data: a timestamp there does not
# make the transform's output depend on the clock.
_RECORDING_CALLS = frozenset(
    "log_metadata log_artifact_metadata log_model_metadata log_step_metadata log_param log_params log_metric "
    "log_metrics set_tag set_tags log info debug warning error exception critical print".split()
)


def _last_name(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""


def _stopwatch_start(node: cst.BaseExpression) -> bool:
    """What a clock read minus it is a duration: a plain name (``t0``, ``start``) or the receiver's own
    attribute (``self.started``). A column (``df.signup``, ``df["signup"]``) makes the result data."""
    if isinstance(node, cst.Name):
        return True
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value in ("self", "cls")
    )


def _family(api_name: str) -> str:
    """Which global generator a seed call fixes: ``numpy.random.seed`` -> ``numpy``."""
    return api_name.partition(".")[0]


def intentionally_random(qualname: str) -> bool:
    """``RandomCrop.forward``, ``augment_batch``, ``add_gaussian_noise``: the name declares randomness."""
    for part in qualname.split("."):
        if part == "<locals>":
            continue
        for word in _WORD.findall(part):
            w = word.lower()
            if w in _RANDOM_WORDS or w.startswith(_RANDOM_PREFIXES):
                return True
    return False


@dataclass(slots=True)
class _State:
    scope: FunctionScope
    seeded: set[str] = field(default_factory=set)
    subtracted: set[str] = field(default_factory=set)
    """Names used as ``... - name``: a clock value stored there is a stopwatch start."""
    deferred: list[tuple[str, cst.Call, Api]] = field(default_factory=list)
    """Clock reads assigned to a name, reported at the end unless the name turns out to be a stopwatch."""


class NondeterministicTransform(FileRule):
    code = "MLA202"
    name = "nondeterministic-transform"
    category = "purity"
    severity = Severity.WARNING
    # Opt-in: independent reviews of real ML repositories found its findings right on 0 of 4 (MLA201),
    # 0 of 15 (MLA202) and 2 of 16 (MLA203): real code rarely has the named transforms this rule
    # assumes, and augmentations are random and edit their sample by design. See after.md.
    default_enabled = False
    message = "Nondeterministic transform: pass the timestamp or a seeded random generator in as a parameter"

    def __init__(self, ctx: FileContext, options: RuleOptions) -> None:
        super().__init__(ctx, options)
        self._states: dict[int, _State] = {}
        # A module that defines intentionally random transforms (`RandomCrop`, `add_noise`) is an augmentation
        # module: its other random draws (`ElasticTransform`) are intended too.
        self._augmentation = any(intentionally_random(name) for name in ctx.names.defs) or any(
            origin.startswith(_AUGMENTATION_IMPORTS) for origin in ctx.names.table.values()
        )
        self._calls: list[str] = []
        """Last name of every call enclosing the current node (``log_metadata``, ``info``)."""
        self._durations: set[int] = set()
        self._assigned: dict[int, str] = {}
        self._entries: frozenset[str] | None = None
        self._bdd = is_bdd_file(ctx.path, ctx.names.imported_packages())

    def _entry_point(self, qualname: str) -> bool:
        """Entry points are orchestrators, not transforms (rules.md, "Entry points")."""
        if self._entries is None:
            self._entries = entry_point_names(scan_context(self.ctx))
        return qualname in self._entries

    def _state(self) -> _State | None:
        scope = transform_scope(self.ctx)
        if scope is None or self._bdd or self._entry_point(scope.qualname):
            return None
        state = self._states.get(id(scope.node))
        if state is None:
            state = self._states[id(scope.node)] = _State(scope)
        return state

    # --- stopwatch bookkeeping ------------------------------------------------------------------------
    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if not isinstance(node.operator, cst.Subtract):
            return
        state = self._state()
        if state is None:
            return
        if isinstance(node.left, cst.Call) and _stopwatch_start(node.right):
            self._durations.add(id(node.left))  # `time.time() - t0`, not `datetime.now() - df.signup`
        if isinstance(node.right, cst.Name):
            state.subtracted.add(node.right.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        if (
            len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
            and isinstance(node.value, cst.Call)
        ):
            self._assigned[id(node.value)] = node.targets[0].target.value

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        state = self._states.pop(id(original_node), None)
        if state is None:
            return
        for name, call, api in state.deferred:
            if name not in state.subtracted:
                self._report(state, call, api)

    # --- the calls --------------------------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call) -> None:
        self._calls.pop()

    def visit_Call(self, node: cst.Call) -> None:
        last = _last_name(node.func)
        recorded = any(name in _RECORDING_CALLS for name in self._calls)
        self._calls.append(last)
        if last not in _LAST_NAMES or recorded:
            return
        state = self._state()
        api = classify_call(self.ctx, node, methods=False) if state is not None else None
        if state is None or api is None or api.kind not in _KINDS:
            return
        if api.kind == SEED:
            state.seeded.add(_family(api.name))
        elif api.kind == RANDOM:
            self._random(state, node, api)
        else:
            self._clock(state, node, api)

    def _random(self, state: _State, node: cst.Call, api: Api) -> None:
        seeded = not api.shape and _family(api.name) in state.seeded
        intended = self._augmentation or intentionally_random(state.scope.qualname)
        if not seeded and not intended:
            self._report(state, node, api)

    def _clock(self, state: _State, node: cst.Call, api: Api) -> None:
        if id(node) in self._durations:
            return  # `time.time() - start`: a duration
        name = self._assigned.get(id(node))
        if name is not None:
            state.deferred.append((name, node, api))  # decided when the function ends
        else:
            self._report(state, node, api)

    def _report(self, state: _State, node: cst.Call, api: Api) -> None:
        if api.kind == RANDOM:
            what = "draws from an unseeded random generator"
            advice = "pass a seeded generator in (e.g. an `rng: numpy.random.Generator` parameter)"
        else:
            what = "reads the clock"
            advice = "pass the timestamp in as a parameter (e.g. `now: datetime`)"
        self.report(node, f"transform `{state.scope.qualname}` {what} (`{api.name}`): {advice}")
