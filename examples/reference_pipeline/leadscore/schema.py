"""Column-level contracts for the frames that cross module boundaries.

Checks are vectorised (one pass per column, not one pydantic object per row) so validating a training
set costs milliseconds. Bad data is rejected with the offending rows named; nothing is coerced: a label
of ``2`` or ``1.0`` is an error, not a ``1``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal, get_args

import numpy as np
import pandas as pd

EventType = Literal["login", "session", "page_view", "pricing_view", "invite_sent"]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)

USER_ID = "user_id"
SIGNUP_AT = "signup_at"
LABEL = "converted"
EVENT_TYPE = "event_type"
TIMESTAMP = "timestamp"

USER_COLUMNS = (USER_ID, SIGNUP_AT, LABEL)
EVENT_COLUMNS = (USER_ID, EVENT_TYPE, TIMESTAMP)

_MAX_REPORTED_ROWS = 5


class SchemaError(ValueError):
    """A frame that breaks its contract; the message names the column and a few offending rows."""


def utc_timestamp(moment: datetime) -> pd.Timestamp:
    """``moment`` as a UTC timestamp; a naive datetime is refused rather than guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {moment.isoformat()}")
    return pd.Timestamp(moment).tz_convert("UTC")


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise SchemaError(f"{what}: missing column(s) {', '.join(missing)}")


def _reject_rows(bad: pd.Series, frame: pd.DataFrame, column: str, rule: str) -> None:
    """Raise if any row is flagged in ``bad``, quoting the first few offending values."""
    if not bad.any():
        return
    offenders = frame.loc[bad, column].head(_MAX_REPORTED_ROWS)
    examples = ", ".join(f"row {index!r}: {value!r}" for index, value in offenders.items())
    raise SchemaError(f"column {column!r} {rule}; {int(bad.sum())} bad row(s), e.g. {examples}")


def _require_utc_datetimes(frame: pd.DataFrame, column: str) -> None:
    dtype = frame[column].dtype
    if not isinstance(dtype, pd.DatetimeTZDtype) or str(dtype.tz) != "UTC":
        raise SchemaError(f"column {column!r} must hold UTC timestamps, got dtype {dtype}")
    _reject_rows(frame[column].isna(), frame, column, "must not be missing")


def validate_label(frame: pd.DataFrame) -> None:
    """The label is an integer (or boolean) column holding only 0 and 1."""
    labels = frame[LABEL]
    if not (pd.api.types.is_integer_dtype(labels) or pd.api.types.is_bool_dtype(labels)):
        raise SchemaError(f"column {LABEL!r} must be integer 0/1, got dtype {labels.dtype} (not coerced)")
    _reject_rows(~labels.isin((0, 1)), frame, LABEL, "must be 0 or 1")


def validate_users(users: pd.DataFrame) -> None:
    """One row per user: unique id, UTC sign-up time, 0/1 label."""
    _require_columns(users, USER_COLUMNS, "users")
    _reject_rows(users[USER_ID].isna(), users, USER_ID, "must not be missing")
    _reject_rows(users[USER_ID].duplicated(), users, USER_ID, "must be unique")
    _require_utc_datetimes(users, SIGNUP_AT)
    validate_label(users)


def validate_events(events: pd.DataFrame) -> None:
    """One row per event: a user id, a known event type and a UTC timestamp."""
    _require_columns(events, EVENT_COLUMNS, "events")
    _reject_rows(events[USER_ID].isna(), events, USER_ID, "must not be missing")
    _reject_rows(~events[EVENT_TYPE].isin(EVENT_TYPES), events, EVENT_TYPE, f"must be one of {EVENT_TYPES}")
    _require_utc_datetimes(events, TIMESTAMP)


def validate_training_frame(frame: pd.DataFrame, feature_columns: Iterable[str]) -> None:
    """Features are finite numbers and the label is 0/1: what the model may be fitted on."""
    columns = tuple(feature_columns)
    _require_columns(frame, (*columns, LABEL), "training frame")
    for column in columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise SchemaError(f"feature {column!r} must be numeric, got dtype {frame[column].dtype}")
        finite = np.isfinite(frame[column].astype(float))
        _reject_rows(~finite, frame, column, "must be a finite number")
    validate_label(frame)
