from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from leadscore.data import Dataset
from leadscore.features import FEATURE_COLUMNS
from leadscore.schema import SchemaError, validate_events, validate_training_frame, validate_users


def training_frame(labels: list[object]) -> pd.DataFrame:
    frame = pd.DataFrame({column: np.arange(len(labels), dtype=float) for column in FEATURE_COLUMNS})
    return frame.assign(converted=labels)


def test_valid_frames_pass(three_users: Dataset) -> None:
    validate_users(three_users.users)
    validate_events(three_users.events)
    validate_training_frame(training_frame([0, 1, 1]), FEATURE_COLUMNS)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([0, 1, 2], "must be 0 or 1"),
        ([0, -1, 1], "must be 0 or 1"),
        # 1.0 would be easy to "fix" with astype(int); the contract is to refuse, not coerce.
        ([0.0, 1.0, 1.0], "must be integer 0/1"),
        ([0, None, 1], "must be integer 0/1"),
        (["0", "1", "1"], "must be integer 0/1"),
    ],
)
def test_label_outside_zero_one_is_an_error(labels: list[object], message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        validate_training_frame(training_frame(labels), FEATURE_COLUMNS)


def test_error_names_the_offending_rows() -> None:
    with pytest.raises(SchemaError, match=r"1 bad row\(s\), e\.g\. row 2: 7"):
        validate_training_frame(training_frame([0, 1, 7]), FEATURE_COLUMNS)


def test_non_finite_feature_is_an_error() -> None:
    frame = training_frame([0, 1, 1]).assign(invites_sent=[0.0, np.inf, 1.0])
    with pytest.raises(SchemaError, match="'invites_sent' must be a finite number"):
        validate_training_frame(frame, FEATURE_COLUMNS)


def test_missing_feature_column_is_an_error() -> None:
    with pytest.raises(SchemaError, match="missing column"):
        validate_training_frame(training_frame([0, 1]).drop(columns="invites_sent"), FEATURE_COLUMNS)


def test_unknown_event_type_is_an_error(three_users: Dataset) -> None:
    events = three_users.events.assign(event_type="click")
    with pytest.raises(SchemaError, match="event_type"):
        validate_events(events)


def test_naive_timestamps_are_an_error(three_users: Dataset) -> None:
    events = three_users.events.assign(timestamp=three_users.events["timestamp"].dt.tz_localize(None))
    with pytest.raises(SchemaError, match="UTC timestamps"):
        validate_events(events)


def test_duplicate_users_are_an_error(three_users: Dataset) -> None:
    users = pd.concat([three_users.users, three_users.users.head(1)], ignore_index=True)
    with pytest.raises(SchemaError, match="must be unique"):
        validate_users(users)
