"""Shared fixtures: a fixed reference time and a hand-written three-user dataset."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from leadscore.config import TrainingConfig, load_config
from leadscore.data import Dataset

PROJECT_DIR = Path(__file__).resolve().parents[1]
BASE_CONFIG = PROJECT_DIR / "configs" / "base.toml"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def at(day: int, month: int = 4) -> pd.Timestamp:
    """Noon UTC on a day of 2024 (April by default): keeps the expected values readable."""
    return pd.Timestamp(2024, month, day, 12, tz="UTC")


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def base_config_path() -> Path:
    return BASE_CONFIG


@pytest.fixture
def base_config() -> TrainingConfig:
    return load_config(BASE_CONFIG)


@pytest.fixture
def three_users() -> Dataset:
    """User 1 is active, user 2 went quiet after day one, user 3 signed up two days ago.

    User 3's only event is after ``NOW`` and must be ignored by every feature.
    """
    users = pd.DataFrame(
        {
            "user_id": [1, 2, 3],
            "signup_at": [at(1), at(21), at(29)],
            "converted": [1, 0, 0],
        }
    )
    rows = [
        (1, "login", at(30)),
        (1, "session", at(30)),
        (1, "session", at(28)),
        (1, "session", at(10)),
        (1, "page_view", at(30)),
        (1, "page_view", at(30)),
        (1, "page_view", at(28)),
        (1, "page_view", at(10)),
        (1, "pricing_view", at(25)),
        (1, "invite_sent", at(5)),
        (2, "login", at(22)),
        (2, "session", at(22)),
        (2, "page_view", at(22)),
        (3, "login", at(2, month=5)),
    ]
    events = pd.DataFrame(rows, columns=["user_id", "event_type", "timestamp"])
    return Dataset(users=users, events=events)
