from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from leadscore.data import Dataset
from leadscore.features import (
    FEATURE_COLUMNS,
    build_features,
    days_since_last_login,
    days_since_signup,
    invites_sent,
    page_views_per_session,
    pricing_views_last_30_days,
    sessions_last_7_days,
    sessions_last_30_days,
)


def as_dict(series: pd.Series) -> dict[int, float]:
    return {int(key): float(value) for key, value in series.items()}


def test_sessions_last_7_days_counts_only_the_window(three_users: Dataset, now: datetime) -> None:
    # User 1's session on 10 April is 21 days old; user 2's only session is 9 days old.
    assert as_dict(sessions_last_7_days(three_users.events, now)) == {1: 2.0}


def test_sessions_last_30_days(three_users: Dataset, now: datetime) -> None:
    assert as_dict(sessions_last_30_days(three_users.events, now)) == {1: 3.0, 2: 1.0}


def test_pricing_views_last_30_days(three_users: Dataset, now: datetime) -> None:
    assert as_dict(pricing_views_last_30_days(three_users.events, now)) == {1: 1.0}


def test_days_since_last_login_ignores_future_events(three_users: Dataset, now: datetime) -> None:
    # User 3 only logs in after ``now``: absent, not negative.
    assert as_dict(days_since_last_login(three_users.events, now)) == {1: 1.0, 2: 9.0}


def test_days_since_signup(three_users: Dataset, now: datetime) -> None:
    assert as_dict(days_since_signup(three_users.users, now)) == {1: 30.0, 2: 10.0, 3: 2.0}


def test_page_views_per_session(three_users: Dataset, now: datetime) -> None:
    ratios = as_dict(page_views_per_session(three_users.events, now))
    assert ratios == {1: pytest.approx(4 / 3), 2: 1.0}


def test_invites_sent(three_users: Dataset, now: datetime) -> None:
    assert as_dict(invites_sent(three_users.events, now)) == {1: 1.0}


def test_build_features_fills_users_without_events(three_users: Dataset, now: datetime) -> None:
    features = build_features(three_users.events, three_users.users, now)

    assert tuple(features.columns) == FEATURE_COLUMNS
    assert list(features.index) == [1, 2, 3]
    assert set(features.dtypes.astype(str)) == {"float64"}
    assert features.loc[3].to_dict() == {
        "days_since_signup": 2.0,
        # Never logged in (before ``now``): the time since sign-up stands in.
        "days_since_last_login": 2.0,
        "sessions_last_7_days": 0.0,
        "sessions_last_30_days": 0.0,
        "pricing_views_last_30_days": 0.0,
        "page_views_per_session": 0.0,
        "invites_sent": 0.0,
    }
    assert features.loc[1, "sessions_last_7_days"] == 2.0
    assert features.loc[2, "days_since_last_login"] == 9.0


def test_build_features_does_not_mutate_its_inputs(three_users: Dataset, now: datetime) -> None:
    users_before, events_before = three_users.users.copy(), three_users.events.copy()

    build_features(three_users.events, three_users.users, now)

    pd.testing.assert_frame_equal(three_users.users, users_before)
    pd.testing.assert_frame_equal(three_users.events, events_before)


def test_features_depend_on_now_only_through_the_argument(three_users: Dataset, now: datetime) -> None:
    first = build_features(three_users.events, three_users.users, now)
    second = build_features(three_users.events, three_users.users, now)
    later = build_features(three_users.events, three_users.users, now + pd.Timedelta(days=7))

    pd.testing.assert_frame_equal(first, second)
    assert later.loc[1, "sessions_last_7_days"] == 0.0


def test_naive_now_is_refused(three_users: Dataset) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_features(three_users.events, three_users.users, datetime(2024, 5, 1))
