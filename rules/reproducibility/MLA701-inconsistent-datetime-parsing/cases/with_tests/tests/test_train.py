import pandas as pd


def test_naive_fixture_is_rejected():
    frame = pd.DataFrame({"signup_at": ["2024-01-01"]})
    frame["signup_at"] = pd.to_datetime(frame["signup_at"])
    assert frame["signup_at"].dt.tz is None
