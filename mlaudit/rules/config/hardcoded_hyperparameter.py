"""MLA301 hardcoded-hyperparameter: a literal hyperparameter in production code outside configuration.

One finding per cause (rules.md v2), at the first literal, every other one in ``related``:

* the literals given to one callee in one function (``RandomForestClassifier(n_estimators=300,
  max_depth=12)``; ``UNetDown(..., dropout=0.5)`` called five times in one ``__init__``);
* the literals of one params dict (``{"learning_rate": 0.05, "num_leaves": 63}``);
* the hyperparameter constants of one module (``LEARNING_RATE = 3e-4``, ``BATCH_SIZE = 64``).

Quiet (besides config modules and models, parameter defaults, tests and experiments, which the facts mark
exempt): defaults built for a missing parameter (``if self.estimator is None: RandomForestClassifier(
n_estimators=100)``, ``model = model or Ridge(alpha=1.0)``: ``mlaudit.facts.fallbacks``); pure scripts (configured by editing them whole); demonstration code (``examples/``, ``tutorials/``,
``demos/``, ``notebooks*/`` folders, ``*-tests.py`` scripts); a script's own module-level constants (its configuration block, rules.md "Scripts"; wherever
the block sits), constants used as defaults (``add_argument("--lr", default=LR)``, ``def train(lr=LR)``),
conventional values nobody tunes (``momentum=0.9``, ``beta2=0.999``, ``eps=1e-8``: ``CONVENTIONAL_VALUES``),
settings tables (a dict bound to ``defaults``/``config``/``hparams``...), constants set under the main guard, preset factories (``def vit_base(**kw): return ViT(
num_heads=12, **kw)``: a named configuration), layer sizes and dropout inside a model definition (an
``nn.Module``/keras ``Layer`` method: the architecture itself), and notebooks saved as ``.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from mlaudit.engine.rule import ProjectRule, RawFinding, RelatedSite
from mlaudit.facts.values import is_degenerate, numeric_value
from mlaudit.facts.model import FileFacts, HyperparamFact
from mlaudit.model import Severity
from mlaudit.project import scripts
from mlaudit.project.index import ProjectIndex

# Contexts that hardcode a value where it is used. Parameter defaults and config-model fields are
# configuration already; the facts mark them exempt anyway.
_HARDCODED = frozenset({"keyword", "layer", "constant", "dict"})


# Conventional values nobody tunes, per hyperparameter name: SGD's `momentum=0.9`, Adam's `beta1=0.9`,
# `beta2=0.999`, `eps=1e-8`. Written the same in every training script, they are the optimiser's convention,
# not a decision to move to configuration; the knobs that are tuned (lr, weight decay) are reported as usual.
CONVENTIONAL_VALUES: dict[str, frozenset[float]] = {
    "momentum": frozenset({0.9}),
    "beta1": frozenset({0.9}),
    "beta_1": frozenset({0.9}),
    "beta2": frozenset({0.999}),
    "beta_2": frozenset({0.999}),
    "eps": frozenset({1e-8}),
    "epsilon": frozenset({1e-8}),
}


def is_conventional(name: str, value: str) -> bool:
    """``momentum=0.9``, ``beta2=0.999``, ``eps=1e-8``: the conventional value of that hyperparameter."""
    number = numeric_value(value)
    return number is not None and number in CONVENTIONAL_VALUES.get(name, frozenset())


_DEMO_FOLDERS = frozenset({"examples", "example", "tutorials", "tutorial", "demos", "demo"})


def _demo(path: str) -> bool:
    """Demonstration code: a library's examples and tutorials, notebook folders (`notebooks_v1/`), test
    scripts outside `tests/` (`hf-integration-tests.py`). Their literals show the API; nobody tunes them."""
    *folders, name = path.split("/")
    stem = name.rsplit(".", 1)[0].replace("-", "_").split("_")
    return (
        any(f in _DEMO_FOLDERS or f.startswith("notebook") for f in folders)
        or "test" in stem
        or "tests" in stem
    )


def _cause_key(fact: HyperparamFact) -> tuple[str, ...]:
    """One cause per function (rules.md, "One finding per cause"): every literal written into the calls of
    one function (``ReduceLROnPlateau(patience=6)``, ``EarlyStopping(patience=18)``, ``fit(num_epochs=700)``
    in ``train_fold``) is one thing to move to configuration. At module level, one per callee."""
    if fact.context in ("keyword", "layer") and fact.scope:
        return ("call", fact.scope)
    return _key(fact)


def _callees(found: list[HyperparamFact]) -> str:
    """``the call to `fit```, ``the calls to `fit```, ``the calls to `EarlyStopping` and `fit```."""
    targets = list(dict.fromkeys(f"`{h.target}`" for h in found))
    calls = "calls" if len({h.group for h in found}) > 1 else "call"
    if len(targets) == 1:
        return f"the {calls} to {targets[0]}"
    if len(targets) > 4:
        return f"the calls to {', '.join(targets[:3])} and {len(targets) - 3} more"
    return f"the calls to {', '.join(targets[:-1])} and {targets[-1]}"


def _guardless_script(kind: scripts.FileKind | None, facts: FileFacts) -> bool:
    """A script nothing imports, with no main guard, that runs by calling its own functions at module
    level (``save()``, ``restore_net()`` at the bottom of a demo): its functions are its module level, and a
    script's module level is configured by editing it (rules.md, "Scripts")."""
    fact = facts.script
    return (
        kind is not None
        and kind.script
        and fact is not None
        and not fact.main_guard
        and bool(fact.module_calls)
    )


def _script_settings(hp: HyperparamFact, script: bool) -> bool:
    """A script's module-level params dict (``RS_PARAMS = {"lr": 2e-5, "batch_size": 128}`` beside its
    constants): its settings block, like its constants."""
    return script and hp.context == "dict" and not hp.scope


def _key(fact: HyperparamFact) -> tuple[str, ...]:
    """What one cause is: one callee in one function, one dict, or the module's constants."""
    if fact.context == "constant":
        return ("constant",)
    if fact.context == "dict":
        return ("dict", fact.group)
    return ("call", fact.scope, fact.target)


class HardcodedHyperparameter(ProjectRule):
    code = "MLA301"
    name = "hardcoded-hyperparameter"
    category = "config"
    severity = Severity.WARNING
    # Opt-in: independent reviews of real ML repositories found it right on 15 of 19 after the fixes (22 of 60 before): presets, demos, benchmarks and conventional values;
    # below the 90% bar of the default selection (rules.md, "Precision bar"). See after.md.
    default_enabled = False
    message = "Hardcoded hyperparameter: read it from configuration (a config module or config model)"
    requires_facts = frozenset({"hyperparams"}) | scripts.REQUIRED_FACTS

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        kinds = scripts.classify(index)
        for facts in index:
            kind = kinds.get(facts.path)
            script = kind is not None and kind.script
            if (kind is not None and kind.pure_script) or _demo(facts.path) or _guardless_script(kind, facts):
                continue
            if script and facts.script is not None and facts.script.wrapped_body:
                # the whole script indented under `def main():`: its body is its module level
                continue
            groups: dict[tuple[str, ...], list[HyperparamFact]] = defaultdict(list)
            for hp in facts.hyperparams:
                if self._reported(hp, script) and not _script_settings(hp, script):
                    groups[_cause_key(hp)].append(hp)
            for found in groups.values():
                yield self._finding(facts, sorted(found, key=lambda h: (h.span.line, h.span.col)))

    @staticmethod
    def _reported(hp: HyperparamFact, script: bool) -> bool:
        if hp.exempt or hp.quiet or hp.context not in _HARDCODED or is_degenerate(hp.value):
            return False
        if is_conventional(hp.name, hp.value):
            return False
        # A script's module-level constants are its settings block (`EPOCHS = 200` under "# settings"):
        # editing them is how the script is configured.
        return not (script and hp.context == "constant")

    def _finding(self, facts: FileFacts, found: list[HyperparamFact]) -> RawFinding:
        first = found[0]
        distinct = list(dict.fromkeys(f"`{h.name}={h.value}`" for h in found))
        values = ", ".join(distinct[:4]) + (f" and {len(distinct) - 4} more" if len(distinct) > 4 else "")
        if first.context == "constant":
            plural = "s" if len(found) > 1 else ""
            what = f"module constant{plural} for hyperparameter{plural} {values}"
        elif first.context == "dict":
            what = f"params dict with hardcoded hyperparameters {values}"
        else:
            where = f" in `{first.scope}`" if first.scope else ""
            plural = "s" if len(distinct) > 1 else ""
            what = f"hyperparameter{plural} {values} hardcoded in {_callees(found)}{where}"
        return self.finding(
            facts.path,
            first.span,
            f"{what}: move {'them' if len(found) > 1 else 'it'} to configuration (a config module or config "
            "model) and pass it in",
            snippet=first.snippet,
            related=[RelatedSite(facts.path, h.span, f"`{h.name}={h.value}`") for h in found[1:]],
        )
