"""Pure feature functions, shared by training and serving.

Every function takes DataFrames and the reference time ``now`` and returns a new Series or DataFrame:
no file access, no clock, no random numbers, no mutation of its inputs. Events after ``now`` are ignored,
so a feature computed for a past date never sees the future.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from leadscore.schema import EVENT_TYPE, SIGNUP_AT, TIMESTAMP, USER_ID, utc_timestamp

# Bump when a feature is added, removed, reordered or changes meaning: artifacts record it and the
# loader refuses a model trained on another schema.
FEATURE_SCHEMA_VERSION = 2
FEATURE_COLUMNS: tuple[str, ...] = (
    "days_since_signup",
    "days_since_last_login",
    "sessions_last_7_days",
    "sessions_last_30_days",
    "pricing_views_last_30_days",
    "page_views_per_session",
    "invites_sent",
)

_DAY = pd.Timedelta(days=1)


def _events_up_to(events: pd.DataFrame, now: datetime) -> pd.DataFrame:
    return events.loc[events[TIMESTAMP] <= utc_timestamp(now)]


def count_recent_events(events: pd.DataFrame, now: datetime, event_type: str, days: int) -> pd.Series:
    """Events of one type per user in the ``days`` before ``now`` (users without any are absent)."""
    window_start = utc_timestamp(now) - timedelta(days=days)
    past = _events_up_to(events, now)
    recent = past.loc[(past[EVENT_TYPE] == event_type) & (past[TIMESTAMP] > window_start)]
    return recent.groupby(USER_ID).size()


def sessions_last_7_days(events: pd.DataFrame, now: datetime) -> pd.Series:
    return count_recent_events(events, now, "session", days=7).rename("sessions_last_7_days")


def sessions_last_30_days(events: pd.DataFrame, now: datetime) -> pd.Series:
    return count_recent_events(events, now, "session", days=30).rename("sessions_last_30_days")


def pricing_views_last_30_days(events: pd.DataFrame, now: datetime) -> pd.Series:
    return count_recent_events(events, now, "pricing_view", days=30).rename("pricing_views_last_30_days")


def days_since_last_login(events: pd.DataFrame, now: datetime) -> pd.Series:
    """Fractional days since each user's latest login up to ``now`` (users who never logged in are absent)."""
    past = _events_up_to(events, now)
    last_login = past.loc[past[EVENT_TYPE] == "login"].groupby(USER_ID)[TIMESTAMP].max()
    return ((utc_timestamp(now) - last_login) / _DAY).rename("days_since_last_login")


def days_since_signup(users: pd.DataFrame, now: datetime) -> pd.Series:
    """Fractional days between sign-up and ``now``, indexed by user id."""
    signup = users.set_index(USER_ID)[SIGNUP_AT]
    return ((utc_timestamp(now) - signup) / _DAY).rename("days_since_signup")


def page_views_per_session(events: pd.DataFrame, now: datetime) -> pd.Series:
    """Page views divided by sessions (at least one, so a user with views but no session stays finite)."""
    past = _events_up_to(events, now)
    counts = pd.crosstab(past[USER_ID], past[EVENT_TYPE])
    page_views = counts.get("page_view", pd.Series(0, index=counts.index))
    sessions = counts.get("session", pd.Series(0, index=counts.index))
    return (page_views / sessions.clip(lower=1)).rename("page_views_per_session")


def invites_sent(events: pd.DataFrame, now: datetime) -> pd.Series:
    """All invitations a user sent up to ``now``."""
    past = _events_up_to(events, now)
    return past.loc[past[EVENT_TYPE] == "invite_sent"].groupby(USER_ID).size().rename("invites_sent")


def build_features(events: pd.DataFrame, users: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """One row per user (indexed by user id, in ``users`` order) with ``FEATURE_COLUMNS`` as floats.

    A user with no events of a kind gets 0 for counts and, never having logged in, the time since
    sign-up as the time since the last login.
    """
    user_ids = pd.Index(users[USER_ID], name=USER_ID)
    tenure = days_since_signup(users, now).reindex(user_ids)
    counts = pd.concat(
        [
            sessions_last_7_days(events, now),
            sessions_last_30_days(events, now),
            pricing_views_last_30_days(events, now),
            page_views_per_session(events, now),
            invites_sent(events, now),
        ],
        axis=1,
    )
    features = (
        counts.reindex(user_ids)
        .fillna(0.0)
        .assign(
            days_since_signup=tenure,
            days_since_last_login=days_since_last_login(events, now).reindex(user_ids).fillna(tenure),
        )
    )
    return features.loc[:, list(FEATURE_COLUMNS)].astype(float)
