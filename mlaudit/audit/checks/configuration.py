"""Configuration: one validated configuration model, loaded by the entry points, saved with each run."""

from __future__ import annotations

from mlaudit.audit.checks.base import (
    Outcome,
    at,
    capped,
    check,
    findings_count,
    findings_per_kloc,
    na,
)
from mlaudit.audit.context import CONFIG_NAMES, SETTINGS_BASES, AuditInput, Call, ClassDef, matches
from mlaudit.audit.model import Evidence, Status

AREA = "configuration"
VALUES = ("MLA301", "MLA303", "MLA304", "MLA305")

# Calls that read a configuration without a typed model behind it (the generic readers only when they read
# a config-like file or their result is bound to a config-like name).
UNTYPED_CONFIG = ("hydra.main", "omegaconf.OmegaConf.load", "omegaconf.OmegaConf.create", "gin.parse_config_file",
                  "ml_collections.config_flags.DEFINE_config_file", "ml_collections.ConfigDict",
                  "yacs.config.CfgNode", "easydict.EasyDict", "lightning.pytorch.cli.LightningCLI",
                  "pytorch_lightning.cli.LightningCLI", "jsonargparse.")  # fmt: skip
CLI_PARSERS = ("argparse.ArgumentParser", "absl.flags.", "click.option", "typer.Option", "fire.Fire")
PARAMETER_FILES = ("params.yaml", "conf/base/parameters*.yml", "conf/base/parameters*.yaml", "*/conf/base/parameters*.yml",
                   "configs/*.yaml", "configs/*.yml", "config/*.yaml", "config/*.yml", "conf/*.yaml")  # fmt: skip
UNTYPED_LOADERS = ("hydra.main", "omegaconf.OmegaConf.load", "omegaconf.OmegaConf.create", "yaml.safe_load",
                   "yaml.load", "json.load", "configparser.ConfigParser", "toml.load", "tomllib.load",
                   "tomllib.loads", "gin.parse_config_file", "ml_collections.config_flags.DEFINE_config_file")  # fmt: skip
# Calls that save or record the run's configuration next to its results.
CONFIG_RECORDERS = (
    "mlflow.log_params",
    "mlflow.log_param",
    "mlflow.log_dict",
    "mlflow.log_artifact",
    "wandb.init",
    "wandb.config.update",
    ".save_hyperparameters",
    ".log_hyperparams",
    ".add_hparams",
    "omegaconf.OmegaConf.save",
    ".save_pretrained",
    ".save_config",
    ".to_json_file",
    "neptune.init_run",
    "comet_ml.Experiment",
    "dvclive.Live",
    "clearml.Task.init",
)
# Writers that save the configuration when they are handed it.
WRITERS = ("json.dump", "json.dumps", "yaml.dump", "yaml.safe_dump", "toml.dump", "torch.save", "joblib.dump",
           "pickle.dump", ".write_text", ".write", ".dump", ".save", "numpy.save", ".log", ".log_dict")  # fmt: skip


def _kind(cls: ClassDef) -> str | None:
    """``typed`` (a typed model named like a config, or any settings class), ``plain`` (a plain class named
    like one) or None."""
    if any(b in SETTINGS_BASES for b in cls.bases):
        return "typed"
    if not matches(cls.name, CONFIG_NAMES):
        return None
    if cls.is_typed:
        return "typed"
    return None if cls.bases else "plain"


def config_models(inp: AuditInput) -> tuple[list[ClassDef], list[ClassDef]]:
    """(typed config models, plain classes named like one): top-level classes of non-test code (a nested
    class is pydantic v1's ``class Config`` of a schema, not a configuration)."""
    production = {f.path for f in inp.files if not inp.is_test(f)}
    kinds: dict[str | None, list[ClassDef]] = {"typed": [], "plain": [], None: []}
    for cls in inp.classes:
        if cls.path in production and "." not in cls.name:
            kinds[_kind(cls)].append(cls)
    return kinds["typed"], kinds["plain"]


def _uses(call: Call, model: ClassDef) -> bool:
    """The call builds the model (``Config(...)``, ``Config.from_yaml(...)``) or hands the class to a
    parser (``tyro.cli(Args)``, ``HfArgumentParser((ModelArguments, ...))``)."""
    q = model.qualname
    return call.target == q or call.target.startswith(q + ".") or q in call.refs


def _builds(call: Call, models: list[ClassDef], loaders: set[str]) -> bool:
    return call.target in loaders or any(_uses(call, m) for m in models)


def _loader_functions(inp: AuditInput, models: list[ClassDef]) -> set[str]:
    """Functions of the config models' modules that build a model (``load_config``): calls to them count."""
    modules = {m.module for m in models}
    calls = [
        c for c in inp.calls(f for f in inp.files if f.module in modules) if c.scope not in ("", "__main__")
    ]
    out: set[str] = set()
    while True:  # load_config() -> parse_config() -> TrainingConfig.model_validate(): to a fixed point
        found = {f"{c.module}.{c.scope}" for c in calls if _builds(c, models, out)}
        if found <= out:
            return out
        out |= found


def _reads_untyped(call: Call, entry_modules: set[str]) -> bool:
    if call.target.startswith(UNTYPED_CONFIG):
        return True
    if call.passes_config and call.target.startswith(UNTYPED_LOADERS):
        return True
    return call.module in entry_modules and call.target.startswith(CLI_PARSERS)


def _untyped(inp: AuditInput) -> list[Evidence]:
    """Configuration that exists without a typed model: hydra/OmegaConf/yacs configs, a YAML or JSON config
    file read into a dict, command-line flags parsed in an entry point, a framework's parameter files."""
    entry_modules = {f.module for f in inp.entry_points}
    calls = inp.calls(f for f in inp.files if not inp.is_test(f))
    out = [
        at(f"untyped configuration: {c.target}", c.path, c.line)
        for c in calls
        if _reads_untyped(c, entry_modules)
    ]
    return out + [at("parameter file", p, None) for p in inp.repo.matching(*PARAMETER_FILES)[:3]]


def _on_job_path(inp: AuditInput, call: Call, entry_modules: set[str], model_modules: set[str]) -> bool:
    """A call an entry point makes, or one on the training path outside the config's own module."""
    if call.module in entry_modules:
        return True
    return call.module not in model_modules and inp.in_training_path(call)


def _loaded(inp: AuditInput, models: list[ClassDef]) -> list[Evidence]:
    """Where the job path builds a config model, hands it to a parser, or an entry point imports it (a
    hydra entry point annotated ``cfg: MainConfig``)."""
    loaders = _loader_functions(inp, models)
    entry_modules = {f.module for f in inp.entry_points}
    model_modules = {m.module for m in models}
    built = [c for c in inp.calls() if _builds(c, models, loaders)]
    on_path = [c for c in built if _on_job_path(inp, c, entry_modules, model_modules)]
    out = [at(f"loaded here: {c.target.rsplit('.', 1)[-1]}()", c.path, c.line) for c in on_path]
    return out + _imported_by_entry_points(inp, {m.qualname for m in models})


def _imported_by_entry_points(inp: AuditInput, names: set[str]) -> list[Evidence]:
    out = []
    for f in inp.entry_points:
        for imp in f.imports:
            if names & {f"{imp.target}.{n}" for n in imp.names}:
                out.append(at(f"imported by the entry point: {', '.join(imp.names)}", f.path, imp.span.line))
    return out


def _model_outcome(inp: AuditInput, typed: list[ClassDef], plain: list[ClassDef]) -> Outcome:
    models = typed or plain
    used = _loaded(inp, models)
    evidence = [
        at(f"{'typed ' if m in typed else ''}config model `{m.name}`", m.path, m.line) for m in models[:8]
    ]
    evidence = capped(evidence + used[:8])
    names = ", ".join(sorted({m.name for m in models})[:4])
    if not typed:
        return Outcome(Status.PARTIAL, f"only untyped config classes ({names})", evidence)
    if used:
        places = len({e.filename for e in used})
        return Outcome(
            Status.PASS, f"config model {names}, loaded in {places} file(s) on the job path", evidence
        )
    where = "no entry point found that loads it" if not inp.entry_points else "no entry point loads it"
    return Outcome(Status.PARTIAL, f"config model {names} exists but {where}", evidence)


@check(
    "config-model",
    AREA,
    "A configuration model exists and the entry points load it",
    weight=3,
    fix="Declare one typed configuration (a pydantic model or a dataclass named *Config) and build it in "
    "every entry point from a file or the command line.",
)
def config_model(inp: AuditInput, threshold: float) -> Outcome:
    typed, plain = config_models(inp)
    if typed or plain:
        return _model_outcome(inp, typed, plain)
    untyped = _untyped(inp)
    if untyped:
        return Outcome(
            Status.PARTIAL, "no configuration model; configuration is read untyped", capped(untyped)
        )
    return Outcome(Status.FAIL, "no configuration model found")


@check(
    "values-from-config",
    AREA,
    "Hyperparameters, paths and dates come from the configuration",
    weight=3,
    threshold=1.0,
    rules=VALUES,
    fix="Move literal hyperparameters, paths and dates into the configuration model and read them from it.",
)
def values_from_config(inp: AuditInput, threshold: float) -> Outcome:
    return findings_per_kloc(inp, VALUES, threshold, "hardcoded value(s) (MLA301/303/304/305)")


@check(
    "environment-in-one-place",
    AREA,
    "The environment is read in one place",
    weight=1,
    threshold=2,
    rules=("MLA302",),
    fix="Read environment variables in the configuration module only and pass the values down.",
)
def environment_in_one_place(inp: AuditInput, threshold: float) -> Outcome:
    return findings_count(inp, ["MLA302"], threshold, "scattered environment read(s) (MLA302)")


def _records_config(call: Call) -> bool:
    if call.target.startswith(CONFIG_RECORDERS):
        # wandb.init, mlflow.log_artifact and save_pretrained record the configuration only when handed it
        return call.passes_config or not call.target.startswith(
            ("wandb.init", "mlflow.log_artifact", ".save_pretrained")
        )
    return call.passes_config and (call.target.startswith(WRITERS) or _saves(call.target))


def recorder_calls(inp: AuditInput) -> list[Call]:
    """Calls on the job path that save the configuration with the run's artifact or record."""
    return [c for c in inp.calls(inp.production) if _records_config(c) and inp.in_training_path(c)]


_SAVE_VERBS = frozenset({"save", "dump", "write", "log", "record", "export", "persist", "store", "snapshot"})


def _saves(target: str) -> bool:
    """A function named for saving (``save_config``, ``log_run``, ``dump_settings``)."""
    last = target.rsplit(".", 1)[-1].lstrip("_").lower()
    return last.split("_", 1)[0] in _SAVE_VERBS


@check(
    "config-saved-with-run",
    AREA,
    "The configuration is saved with each run's artifact or experiment record",
    weight=2,
    fix="Write the resolved configuration next to the model (or log it to the experiment tracker) in the "
    "training entry point.",
)
def config_saved_with_run(inp: AuditInput, threshold: float) -> Outcome:
    if not inp.production:
        return na("no production code")
    calls = recorder_calls(inp)
    if calls:
        evidence = [
            at(f"{c.target.lstrip('.')}(...) saves the configuration", c.path, c.line) for c in calls[:10]
        ]
        return Outcome(
            Status.PASS, f"{len(calls)} call(s) on the job path save or log the configuration", evidence
        )
    return Outcome(Status.FAIL, "no call on the job path saves or logs the configuration")
