"""The ``[tool.mlaudit]`` settings model. Keys are kebab-case, like ruff's; unknown keys are errors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mlaudit.model import Severity

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".mlaudit_cache",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "__pycache__",
    ".ipynb_checkpoints",
    "site-packages",
    "node_modules",
    ".eggs",
    "*.egg-info",
    "wandb",
    "mlruns",
    "lightning_logs",
    "outputs",
    ".dvc",
)

# The short forms of `experiments/` among the default experiment patterns. A folder of experiments holds
# scripts run one at a time (a Kaggle solution's `exp/v1only.py`, `exp/v2clean.py`); the same short name is
# also what research code calls its package of experiment *runners*, the project's own trainer classes that
# its entry script imports (Time-Series-Library's and Informer's `exp/exp_basic.py` with `Exp_*` classes).
# A regular package (a folder with `__init__.py`) is code written to be imported, so these two patterns give
# the experiment role only to a folder that is not one (`mlaudit.engine.discovery.Finder.roles_of`). The
# full word `experiments/` is unambiguous and needs no sign; patterns a user writes are applied as written.
SHORT_EXPERIMENT_FOLDERS: tuple[str, ...] = ("exp/", "exps/")

# Module roles (rules.md). Patterns are gitignore-style, matched against the project-relative path.
DEFAULT_ROLES: dict[str, tuple[str, ...]] = {
    "test": ("tests/", "test/", "test_*.py", "*_test.py", "conftest.py"),
    # `exp/`, `exps/`: the short name of `experiments/` (one script per competition experiment), only for a
    # folder that is not a package (SHORT_EXPERIMENT_FOLDERS); not a singular `experiment/`, often a
    # library's own package (experiment tracking, A/B testing code).
    "experiment": ("notebooks/", "experiments/", "exp/", "exps/", "scratch/", "sandbox/", "*.ipynb"),
    "config": (
        "config.py",
        "configs.py",
        "settings.py",
        "conf.py",
        "*_config.py",
        "hparams.py",
        "hyperparams.py",
        "hyperparameters.py",
        "params.py",
        "*_params.py",
        "*_hparams.py",
        "config/",
        "configs/",
        "conf/",
    ),
    "data": ("data.py", "io.py", "loaders.py", "dataset.py", "datasets.py", "ingest*.py", "data/"),
    "features": (
        "features.py",
        "feature_*.py",
        "transforms.py",
        "transform_*.py",
        "preprocess*.py",
        "preprocessing.py",
        "features/",
        "transforms/",
    ),
    "model": ("model.py", "models.py", "models/", "model/"),
    "train": ("train.py", "training.py", "evaluate.py", "evaluation.py", "training/"),
    "serve": (
        "serve.py",
        "serving.py",
        "api.py",
        "app.py",
        "server.py",
        "predict.py",
        "monitoring.py",
        "monitor*.py",
        "serving/",
    ),
    "script": ("scripts/",),
}

DEFAULT_TRANSFORM_NAMES: tuple[str, ...] = (
    "build_features",
    "make_features",
    "*_features",
    "transform*",
    "fit_transform",
    "preprocess*",
    "clean_*",
    "normalize_*",
    "encode_*",
)

DEFAULT_HYPERPARAMETERS: tuple[str, ...] = (
    "learning_rate",
    "lr",
    "n_estimators",
    "max_depth",
    "min_samples_leaf",
    "min_samples_split",
    "num_leaves",
    "subsample",
    "colsample_bytree",
    "batch_size",
    "epochs",
    "max_epochs",
    "num_epochs",
    "n_epochs",
    "dropout",
    "weight_decay",
    "momentum",
    "alpha",
    "l1_ratio",
    "C",
    "gamma",
    "max_iter",
    "n_neighbors",
    "hidden_size",
    "hidden_dim",
    "num_layers",
    "num_heads",
    "embedding_dim",
    "warmup_steps",
    "patience",
    "test_size",
)

# Config models (rules.md): classes whose name, or one of whose bases (as written or resolved), matches.
DEFAULT_CONFIG_MODELS: tuple[str, ...] = (
    "*Config",
    "*Settings",
    "*Params",
    "*Hyperparameters",
    "*HyperParameters",
    "*Hparams",
    "*Arguments",
    "pydantic.BaseModel",
    "pydantic.BaseSettings",
    "pydantic.v1.BaseModel",
    "pydantic.v1.BaseSettings",
    "pydantic_settings.BaseSettings",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class TransformSettings(_Strict):
    """What counts as a transform (rules.md): names, decorators and module globs."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, alias_generator=_kebab)
    names: tuple[str, ...] = DEFAULT_TRANSFORM_NAMES
    extend_names: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    methods: tuple[str, ...] = ("transform", "fit_transform")

    @property
    def all_names(self) -> tuple[str, ...]:
        return self.names + self.extend_names


class AuditCheckSettings(_Strict):
    """``[tool.mlaudit.audit.checks.<id>]``: a check's weight, threshold or switch."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, alias_generator=_kebab)
    enabled: bool = True
    weight: float | None = Field(default=None, ge=0)
    threshold: float | None = Field(default=None, ge=0)


class AuditSettings(_Strict):
    """``[tool.mlaudit.audit]`` (``mlaudit audit``, ../shared/design/audit.md)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, alias_generator=_kebab)
    checks: dict[str, AuditCheckSettings | float | str] = Field(default_factory=dict)
    """Per check id: ``"off"``, a weight (a number) or a table ``{weight, threshold, enabled}``."""
    not_applicable: dict[str, str] | tuple[str, ...] = ()
    """Checks declared out of scope: a list of ids, or ids mapped to the reason the report prints."""
    fail_under: float | None = Field(default=None, ge=0, le=100)
    large_file_mb: float = Field(default=5.0, gt=0)
    """Files in git history above this size count as large (the ``no-large-files`` check)."""

    @field_validator("checks")
    @classmethod
    def _known_values(
        cls, value: dict[str, AuditCheckSettings | float | str]
    ) -> dict[str, AuditCheckSettings | float | str]:
        for key, item in value.items():
            if isinstance(item, str) and item != "off":
                raise ValueError(f'check {key!r}: use "off", a weight or a table, not {item!r}')
        return value

    def check(self, check_id: str) -> AuditCheckSettings:
        item = self.checks.get(check_id)
        if item is None:
            return AuditCheckSettings()
        if isinstance(item, str):
            return AuditCheckSettings(enabled=False)
        if isinstance(item, (int, float)):
            return AuditCheckSettings(weight=float(item))
        return item

    def not_applicable_reason(self, check_id: str) -> str | None:
        if isinstance(self.not_applicable, dict):
            return self.not_applicable.get(check_id)
        if check_id in self.not_applicable:
            return "declared not applicable in [tool.mlaudit.audit]"
        return None

    def named_checks(self) -> set[str]:
        return set(self.checks) | set(self.not_applicable)


class Settings(_Strict):
    """The effective configuration of one run."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, alias_generator=_kebab)

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    extend_per_file_ignores: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ("*.py", "*.pyi", "*.ipynb")
    exclude_vendored: bool = True
    """Skip vendored copies of third-party code (``vendor/``, ``third_party/``, a copied ``gluonts/``
    package: ``mlaudit.engine.vendored``); false analyses them."""
    respect_gitignore: bool = True
    force_exclude: bool = False
    fail_on: Severity = Severity.WARNING
    output_format: str = "full"
    fix: bool = False
    """Apply the safe fixes on every ``mlaudit check`` (``--fix``; ``--no-fix`` overrides)."""
    unsafe_fixes: bool = False
    """When fixing, apply the unsafe fixes too (``--unsafe-fixes``)."""
    cache_dir: str = ".mlaudit_cache"
    src: tuple[str, ...] = (".", "src")
    baseline: str | None = None
    jobs: int | None = None
    timeout: float | None = Field(default=None, ge=0)
    """Per-file analysis time limit in seconds (None or 0: no limit)."""
    max_file_size: float = Field(default=2.0, ge=0)
    """Megabytes of Python code above which a file is not analysed but reported as an error (0: no limit).
    The parser needs up to ~550 bytes of memory per byte of dense code (docs/robustness.md)."""
    roles: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Role globs replacing the defaults (``test = [...]``); ``extend-<role>`` keys add to them."""
    transforms: TransformSettings = TransformSettings()
    hyperparameters: tuple[str, ...] = DEFAULT_HYPERPARAMETERS
    extend_hyperparameters: tuple[str, ...] = ()
    config_models: tuple[str, ...] = DEFAULT_CONFIG_MODELS
    """Globs for config-model classes: matched against the class name and its bases' names."""
    extend_config_models: tuple[str, ...] = ()
    layers: tuple[str, ...] | None = None
    """A layer contract, high to low, import-linter style (``"a | b"`` = independent siblings)."""
    containers: tuple[str, ...] = ()
    ignore_imports: tuple[str, ...] = ()
    audit: AuditSettings = AuditSettings()
    """``[tool.mlaudit.audit]``: the scorecard of ``mlaudit audit``."""
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per-rule tables ``[tool.mlaudit.rules.<name>]``: ``severity`` plus the rule's own options."""

    @field_validator("output_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        return value

    @field_validator(
        "select", "extend_select", "ignore", "exclude", "extend_exclude", "include", "src",
        "hyperparameters", "extend_hyperparameters", "config_models", "extend_config_models",
        "containers", "ignore_imports",
        mode="before",
    )
    @classmethod
    def _one_string_is_one_item(cls, value: object) -> object:
        """``select = "MLA2"`` means ``select = ["MLA2"]``, as ruff reads it."""
        return (value,) if isinstance(value, str) else value

    @field_validator("per_file_ignores", "extend_per_file_ignores", "roles", mode="before")
    @classmethod
    def _one_string_per_key(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: (v,) if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for key in value:
            base = key.removeprefix("extend-")
            if base not in DEFAULT_ROLES:
                raise ValueError(f"unknown role {key!r}; roles are {', '.join(DEFAULT_ROLES)}")
        return value

    def role_patterns(self) -> dict[str, tuple[str, ...]]:
        patterns = {}
        for role, defaults in DEFAULT_ROLES.items():
            base = self.roles.get(role, defaults)
            patterns[role] = tuple(base) + tuple(self.roles.get(f"extend-{role}", ()))
        return patterns

    def conditional_experiment_patterns(self) -> tuple[str, ...]:
        """The experiment patterns that count only for a folder that is not a package: the default short
        forms (``SHORT_EXPERIMENT_FOLDERS``), unless the user wrote the experiment patterns or added these."""
        if "experiment" in self.roles:
            return ()
        extended = self.roles.get("extend-experiment", ())
        return tuple(p for p in SHORT_EXPERIMENT_FOLDERS if p not in extended)

    @property
    def all_hyperparameters(self) -> frozenset[str]:
        return frozenset(self.hyperparameters + self.extend_hyperparameters)

    @property
    def all_config_models(self) -> tuple[str, ...]:
        return self.config_models + self.extend_config_models

    @property
    def all_excludes(self) -> tuple[str, ...]:
        return self.exclude + self.extend_exclude

    @property
    def all_per_file_ignores(self) -> dict[str, tuple[str, ...]]:
        merged = dict(self.per_file_ignores)
        for glob, codes in self.extend_per_file_ignores.items():
            merged[glob] = merged.get(glob, ()) + tuple(codes)
        return merged
