from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from leadscore.config import TrainingConfig
from leadscore.data import (
    append_experiment,
    generate_events,
    load_dataset,
    read_dataset,
    read_experiments,
    write_dataset,
)
from leadscore.schema import EVENT_TYPES, validate_events, validate_users


def test_generator_is_deterministic(now: datetime) -> None:
    first, second = generate_events(50, seed=3, now=now), generate_events(50, seed=3, now=now)

    pd.testing.assert_frame_equal(first.users, second.users)
    pd.testing.assert_frame_equal(first.events, second.events)
    assert not generate_events(50, seed=4, now=now).users.equals(first.users)


def test_generated_data_satisfies_the_schema(now: datetime) -> None:
    dataset = generate_events(200, seed=0, now=now)

    validate_users(dataset.users)
    validate_events(dataset.events)
    assert set(dataset.events["event_type"]) == set(EVENT_TYPES)
    assert 0.1 < dataset.users["converted"].mean() < 0.6
    # No event before its user's sign-up or after ``now``.
    joined = dataset.events.merge(dataset.users, on="user_id")
    assert (joined["timestamp"] >= joined["signup_at"]).all()
    assert (dataset.events["timestamp"] <= pd.Timestamp(now)).all()


def test_dataset_round_trips_through_csv(tmp_path: Path, now: datetime) -> None:
    dataset = generate_events(30, seed=1, now=now)
    write_dataset(dataset, tmp_path / "leads")

    loaded = read_dataset(tmp_path / "leads")

    pd.testing.assert_frame_equal(loaded.users, dataset.users, check_dtype=False)
    pd.testing.assert_frame_equal(loaded.events, dataset.events, check_dtype=False)


def test_load_dataset_reads_a_configured_directory(
    tmp_path: Path, now: datetime, base_config: TrainingConfig
) -> None:
    write_dataset(generate_events(30, seed=1, now=now), tmp_path / "leads")
    config = base_config.model_copy(update={"dataset_dir": Path("leads"), "synthetic_users": None})

    dataset = load_dataset(config, workdir=tmp_path, now=now)

    assert len(dataset.users) == 30


def test_experiment_log_appends_under_one_header(tmp_path: Path) -> None:
    log = tmp_path / "out" / "experiments.csv"
    append_experiment(log, {"timestamp": "t1", "auc": "0.8"})
    append_experiment(log, {"timestamp": "t2", "auc": "0.9"})

    assert read_experiments(log) == [{"timestamp": "t1", "auc": "0.8"}, {"timestamp": "t2", "auc": "0.9"}]
    with pytest.raises(ValueError, match="do not match"):
        append_experiment(log, {"timestamp": "t3", "auc": "0.7", "notes": "new column"})
