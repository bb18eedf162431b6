"""The configuration layer: one validated ``TrainingConfig``, loaded once from TOML.

Every tunable value of a run lives in the TOML file and is checked here, so a typo or an out-of-range
value fails before any data is touched. The file names the pipeline writes are constants of this module:
the rest of the code builds paths from them and never spells a file name itself.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# File names inside a dataset directory, the output directory and each artifact directory.
USERS_FILE = "users.csv"
EVENTS_FILE = "events.csv"
EXPERIMENT_LOG_FILE = "experiments.csv"
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
CONFIG_FILE = "config.json"


class ConfigError(ValueError):
    """A configuration file that cannot be read or does not validate; ``str()`` is user-facing."""


class TrainingConfig(BaseModel):
    """Everything that decides what a training run produces.

    Hyper-parameters have no defaults on purpose: the TOML file is the single place their values live.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())

    # Dataset: exactly one of a directory holding users.csv and events.csv, or a synthetic one of this
    # many users.
    dataset_dir: Path | None = None
    synthetic_users: int | None = Field(default=None, gt=0, le=1_000_000)

    model_name: Literal["logistic_regression"]
    C: float = Field(gt=0, le=1e4, description="inverse L2 regularisation strength")
    max_iter: int = Field(gt=0, le=100_000)
    class_weight: Literal["balanced"] | None = None

    test_size: float = Field(gt=0, lt=1)
    target_recall: float = Field(gt=0, le=1, description="recall level at which precision is reported")
    seed: int = Field(ge=0)

    output_dir: Path
    notes: str = ""

    @model_validator(mode="after")
    def _one_dataset_big_enough_to_split(self) -> TrainingConfig:
        if (self.dataset_dir is None) == (self.synthetic_users is None):
            raise ValueError("set exactly one of dataset_dir and synthetic_users")
        # Both splits need users of each class; below this the metrics are noise.
        if (
            self.synthetic_users is not None
            and self.synthetic_users * min(self.test_size, 1 - self.test_size) < 20
        ):
            raise ValueError("synthetic_users is too small for test_size: each split needs >= 20 users")
        return self


def parse_config(raw: dict[str, Any], *, source: str = "<config>") -> TrainingConfig:
    """Validate an already-parsed mapping; raise ``ConfigError`` with pydantic's explanation."""
    try:
        return TrainingConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration {source}:\n{exc}") from exc


def load_config(path: Path) -> TrainingConfig:
    """Read and validate a TOML configuration file (the one file this layer reads)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read configuration {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"configuration {path} is not valid TOML: {exc}") from exc
    return parse_config(raw, source=str(path))


def config_to_json(config: TrainingConfig, *, exclude: frozenset[str] = frozenset()) -> str:
    """Canonical JSON: sorted keys, no whitespace variation, paths as POSIX strings."""
    return json.dumps(
        config.model_dump(mode="json", exclude=set(exclude)), sort_keys=True, separators=(",", ":")
    )


def config_hash(config: TrainingConfig) -> str:
    """A stable identifier of the settings that decide the model, recorded in every artifact and log row.

    Where the output goes and the free-text notes do not change the model, so they are left out: the same
    experiment run into two directories has one hash.
    """
    canonical = config_to_json(config, exclude=frozenset({"output_dir", "notes"}))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
