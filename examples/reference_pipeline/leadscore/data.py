"""The input/output layer: the only module that reads or writes files.

Everything else receives DataFrames and returns values, which is what makes it testable without a disk.
The synthetic generator lives here too, so the pipeline runs end to end with no download.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

from leadscore.config import (
    CONFIG_FILE,
    EVENTS_FILE,
    METADATA_FILE,
    MODEL_FILE,
    USERS_FILE,
    TrainingConfig,
)
from leadscore.schema import (
    EVENT_COLUMNS,
    EVENT_TYPE,
    LABEL,
    SIGNUP_AT,
    TIMESTAMP,
    USER_COLUMNS,
    USER_ID,
    utc_timestamp,
    validate_events,
    validate_users,
)

_MAX_TENURE_DAYS = 90

# Per event type: expected events per day of tenure for an average user, and how strongly the rate grows
# with the user's (hidden) engagement. Conversion depends on engagement only, so the model has to infer
# it from behaviour, as it would on real data.
_EVENT_RATES: tuple[tuple[str, float, float], ...] = (
    ("login", 0.35, 0.5),
    ("session", 0.45, 0.6),
    ("page_view", 1.6, 0.4),
    ("pricing_view", 0.03, 0.9),
    ("invite_sent", 0.01, 1.0),
)


@dataclass(frozen=True)
class Dataset:
    """Users (one row each, with the label) and their events."""

    users: pd.DataFrame
    events: pd.DataFrame


def _sigmoid(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


def generate_events(n_users: int, seed: int, now: datetime) -> Dataset:
    """Synthetic users and events: one ``(n_users, seed)`` always gives the same rows relative to ``now``."""
    rng = np.random.default_rng(seed)
    now_ts = utc_timestamp(now)
    engagement = rng.normal(size=n_users)
    tenure_days = rng.uniform(1, _MAX_TENURE_DAYS, size=n_users)
    signup_at = now_ts - pd.to_timedelta(tenure_days, unit="D")
    converted = rng.random(n_users) < _sigmoid(2.0 * engagement - 1.2)

    # Engaged users are active recently: event times are skewed towards ``now`` by a power below 1.
    recency_power = np.exp(-0.5 * engagement)
    user_index = np.arange(n_users)
    frames = []
    for event_type, base_rate, lift in _EVENT_RATES:
        counts = rng.poisson(base_rate * np.exp(lift * engagement) * tenure_days)
        owner = np.repeat(user_index, counts)
        fraction = rng.random(owner.size) ** recency_power[owner]
        frames.append(
            pd.DataFrame(
                {
                    USER_ID: owner + 1,
                    EVENT_TYPE: event_type,
                    TIMESTAMP: signup_at[owner] + pd.to_timedelta(fraction * tenure_days[owner], unit="D"),
                }
            )
        )
    events = pd.concat(frames, ignore_index=True).sort_values([USER_ID, TIMESTAMP], ignore_index=True)
    users = pd.DataFrame({USER_ID: user_index + 1, SIGNUP_AT: signup_at, LABEL: converted.astype("int64")})
    return Dataset(users=users, events=events)


def _read_frame(path: Path, columns: tuple[str, ...], time_column: str) -> pd.DataFrame:
    frame = pd.read_csv(path, usecols=list(columns))
    # Always parse to UTC: mixing naive and aware timestamps is how train/serve skew starts.
    return frame.assign(**{time_column: pd.to_datetime(frame[time_column], utc=True, format="ISO8601")})


def read_dataset(directory: Path) -> Dataset:
    """Read ``users.csv`` and ``events.csv`` from ``directory`` and check them against the schema."""
    users = _read_frame(directory / USERS_FILE, USER_COLUMNS, SIGNUP_AT)
    events = _read_frame(directory / EVENTS_FILE, EVENT_COLUMNS, TIMESTAMP)
    validate_users(users)
    validate_events(events)
    return Dataset(users=users, events=events)


def write_dataset(dataset: Dataset, directory: Path) -> None:
    """Write a dataset in the layout ``read_dataset`` expects (e.g. to freeze a synthetic one)."""
    directory.mkdir(parents=True, exist_ok=True)
    dataset.users.to_csv(directory / USERS_FILE, index=False)
    dataset.events.to_csv(directory / EVENTS_FILE, index=False)


def resolve(path: Path, workdir: Path) -> Path:
    """Relative paths in the configuration are relative to the run's working directory."""
    return path if path.is_absolute() else workdir / path


def load_dataset(config: TrainingConfig, *, workdir: Path, now: datetime) -> Dataset:
    """The configured dataset: read from ``dataset_dir``, or ``synthetic_users`` generated ones."""
    if config.dataset_dir is not None:
        return read_dataset(resolve(config.dataset_dir, workdir))
    if config.synthetic_users is None:  # TrainingConfig already refuses this; narrows the type
        raise ValueError("the configuration names no dataset")
    dataset = generate_events(config.synthetic_users, config.seed, now)
    validate_users(dataset.users)
    validate_events(dataset.events)
    return dataset


def write_artifact(directory: Path, estimator: object, metadata: Mapping[str, Any], config_json: str) -> None:
    """Write the fitted estimator, its metadata and the exact configuration that produced it."""
    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(estimator, directory / MODEL_FILE)
    (directory / METADATA_FILE).write_text(
        json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    (directory / CONFIG_FILE).write_text(config_json + "\n", encoding="utf-8")


def read_artifact(directory: Path) -> tuple[object, dict[str, Any]]:
    """Read an artifact written by this pipeline (joblib unpickles: never point it at untrusted files)."""
    metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    if not isinstance(metadata, dict):
        raise ValueError(f"{directory / METADATA_FILE}: expected a JSON object")
    return joblib.load(directory / MODEL_FILE), metadata


def append_experiment(log_path: Path, row: Mapping[str, str]) -> None:
    """Append one run to the experiment log, writing the header when the log is new."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    is_new = not log_path.exists() or log_path.stat().st_size == 0
    if not is_new:
        with log_path.open(newline="", encoding="utf-8") as existing:
            header = next(csv.reader(existing), [])
        if header != list(row):
            raise ValueError(f"{log_path}: columns {header} do not match this run's {list(row)}")
    with log_path.open("a", newline="", encoding="utf-8") as log:
        writer = csv.DictWriter(log, fieldnames=list(row))
        if is_new:
            writer.writeheader()
        writer.writerow(row)


def read_experiments(log_path: Path) -> list[dict[str, str]]:
    """All rows of the experiment log, oldest first."""
    with log_path.open(newline="", encoding="utf-8") as log:
        return list(csv.DictReader(log))
