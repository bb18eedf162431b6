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
  not of purity;
* augmentation more generally (the unseeded-generator part only; the clock part still applies): a transform
  whose own name, class name or module path says augmentation (``BrightnessShift.__call__``, ``Cutout``,
  ``CropAndRescale``, ``do_elastic_transform``, ``transforms/augment.py``), a module importing a vision or
  audio augmentation library (torchvision, albumentations, imgaug, kornia, monai, audiomentations, nlpaug),
  and a function (or every method of a class) that compares a random draw with a probability
  (``if random.random() < self.p:``).

One finding per function (rules.md, "One finding per cause"): at the first site, the count in the message,
every other site in ``related``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from mlaudit.engine.context import FileContext, FunctionScope
from mlaudit.engine.rule import FileRule, RawFinding, RelatedSite, RuleOptions
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
# Words that say augmentation in a transform's own name, its class's name or its module path (not in the
# name of another definition of the module, which only the stronger words above turn into an augmentation
# module): `BrightnessShift`, `Cutout`, `CropAndRescale`, `do_elastic_transform`, `transforms/flip.py`.
_AUGMENTATION_WORDS = frozenset(
    {
        "shift",
        "crop",
        "cutout",
        "elastic",
        "distort",
        "distortion",
        "blur",
        "flip",
        "erasing",
        "mixup",
        "cutmix",
    }
)
_AUGMENTATION_PREFIXES = ("rotat", "flip", "jitter", "distort", "blur", "crop", "cutout")
# A module importing an augmentation library (or a vision/audio library whose transforms are augmentation)
# is an augmentation module.
_AUGMENTATION_IMPORTS = (
    "albumentations",
    "imgaug",
    "kornia",
    "monai",
    "audiomentations",
    "nlpaug",
    "torchvision",
    "torch_audiomentations",
)
# A probability a random draw is compared with (`random.random() < self.p`, `np.random.rand() > prob`).
_PROBABILITY = re.compile(r"^_*(p|prob|proba|probability|probs?_\w+|p_\w+|\w+_(p|prob|proba|probability))$")
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


def intentionally_random(qualname: str, *, augmentation: bool = False) -> bool:
    """``RandomCrop.forward``, ``augment_batch``, ``add_gaussian_noise``: the name declares randomness.
    With ``augmentation``, the augmentation words count too (``BrightnessShift``, ``do_elastic_transform``)."""
    for part in qualname.split("."):
        if part == "<locals>":
            continue
        for word in _WORD.findall(part):
            w = word.lower()
            if w in _RANDOM_WORDS or w.startswith(_RANDOM_PREFIXES):
                return True
            if augmentation and (w in _AUGMENTATION_WORDS or w.startswith(_AUGMENTATION_PREFIXES)):
                return True
    return False


def _augmentation_path(path: str) -> bool:
    """``transforms/augment.py``, ``data/flips.py``: the module path says augmentation."""
    parts = path.replace("\\", "/").removesuffix(".py").removesuffix(".ipynb").split("/")
    return any(intentionally_random(part, augmentation=True) for part in parts if part)


def _probability(node: cst.BaseExpression) -> bool:
    """``p``, ``self.prob``, ``cfg.flip_p``: a name that holds a probability."""
    if isinstance(node, cst.Attribute):
        return bool(_PROBABILITY.match(node.attr.value))
    return isinstance(node, cst.Name) and bool(_PROBABILITY.match(node.value))


def _owner(scope: FunctionScope) -> str | None:
    """The class of a method (``Cutout`` for ``Cutout.__call__``)."""
    return scope.qualname.rpartition(".")[0] or None if scope.is_method else None


@dataclass(slots=True)
class _State:
    scope: FunctionScope
    seeded: set[str] = field(default_factory=set)
    subtracted: set[str] = field(default_factory=set)
    """Names used as ``... - name``: a clock value stored there is a stopwatch start."""
    deferred: list[tuple[str, cst.Call, Api]] = field(default_factory=list)
    """Clock reads assigned to a name, reported at the end unless the name turns out to be a stopwatch."""
    sites: list[tuple[cst.Call, Api]] = field(default_factory=list)
    """What is reported, in one finding, when the module ends."""
    probability: bool = False
    """The function compares a random draw with a probability (``random.random() < self.p``)."""


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
        self._augmentation = (
            any(intentionally_random(name) for name in ctx.names.defs)
            or any(origin.startswith(_AUGMENTATION_IMPORTS) for origin in ctx.names.table.values())
            or _augmentation_path(ctx.path)
        )
        self._done: list[_State] = []
        """Transforms left, with their sites; reported when the module ends (a class's probability test may
        sit in another method than its draws)."""
        self._probability_classes: set[str] = set()
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
                state.sites.append((call, api))
        if state.probability and (owner := _owner(state.scope)) is not None:
            self._probability_classes.add(owner)
        self._done.append(state)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        """``random.random() < self.p``: a draw against a probability marks augmentation."""
        sides = [node.left, *(c.comparator for c in node.comparisons)]
        if not any(_probability(side) for side in sides):
            return
        state = self._state()
        if state is None:
            return
        for side in sides:
            if isinstance(side, cst.Call) and _last_name(side.func) in _LAST_NAMES:
                api = classify_call(self.ctx, side, methods=False)
                if api is not None and api.kind == RANDOM:
                    state.probability = True
                    return

    def leave_Module(self, original_node: cst.Module) -> None:
        for state in self._done:
            sites = [
                (call, api) for call, api in state.sites if api.kind != RANDOM or not self._intended(state)
            ]
            if sites:
                self._report(state, sorted(sites, key=lambda s: self._line(s[0])))
        self._done = []

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
        if not seeded:
            state.sites.append((node, api))  # unless the transform turns out to be augmentation

    def _intended(self, state: _State) -> bool:
        """Randomness is the transform's contract: augmentation (see the module docstring)."""
        owner = _owner(state.scope)
        return (
            self._augmentation
            or state.probability
            or (owner is not None and owner in self._probability_classes)
            or intentionally_random(state.scope.qualname, augmentation=True)
        )

    def _clock(self, state: _State, node: cst.Call, api: Api) -> None:
        if id(node) in self._durations:
            return  # `time.time() - start`: a duration
        name = self._assigned.get(id(node))
        if name is not None:
            state.deferred.append((name, node, api))  # decided when the function ends
        else:
            state.sites.append((node, api))

    def _line(self, node: cst.CSTNode) -> tuple[int, int]:
        span = self.ctx.position(node)
        return span.line, span.col

    def _report(self, state: _State, sites: list[tuple[cst.Call, Api]]) -> None:
        """One finding per transform: at its first site, the others in ``related``."""
        node, api = sites[0]
        qualname = state.scope.qualname
        what, advice = _describe(api)
        if len(sites) == 1:
            message = f"transform `{qualname}` {what} (`{api.name}`): {advice}"
        else:
            names = sorted({a.name for _, a in sites})
            listed = ", ".join(f"`{n}`" for n in names)
            kinds = {a.kind for _, a in sites}
            if len(kinds) > 1:
                what, advice = (
                    "reads the clock and draws from an unseeded random generator",
                    ("pass the timestamp and a seeded generator in as parameters"),
                )
            message = f"transform `{qualname}` {what} {len(sites)} times ({listed}): {advice}"
        span = self.ctx.position(node)
        related = [
            RelatedSite(self.ctx.path, self.ctx.position(n), f"`{qualname}` {_describe(a)[0]} (`{a.name}`)")
            for n, a in sites[1:]
        ]
        self.findings.append(
            RawFinding(
                code=self.code,
                path=self.ctx.path,
                span=span,
                message=message,
                snippet=self.ctx.snippet(span),
                related=related,
            )
        )


def _describe(api: Api) -> tuple[str, str]:
    if api.kind == RANDOM:
        return (
            "draws from an unseeded random generator",
            "pass a seeded generator in (e.g. an `rng: numpy.random.Generator` parameter)",
        )
    return "reads the clock", "pass the timestamp in as a parameter (e.g. `now: datetime`)"
