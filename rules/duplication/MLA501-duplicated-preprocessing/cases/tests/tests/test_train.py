"""Test files repeat their setup on purpose: duplication in tests is not reported."""

import pandas as pd


def test_sessions_are_clipped():
    df = pd.DataFrame({"user_id": [1, 2], "sessions": [3, 90], "plan": ["Free", "pro"]})
    df = df.drop_duplicates(subset=["user_id"])
    df["sessions"] = df["sessions"].clip(0, 50)
    df["plan"] = df["plan"].str.lower()
    df["is_paid"] = (df["plan"] != "free").astype(int)
    assert df["sessions"].max() == 50


def test_plans_are_normalised():
    df = pd.DataFrame({"user_id": [1, 2], "sessions": [3, 90], "plan": ["Free", "pro"]})
    df = df.drop_duplicates(subset=["user_id"])
    df["sessions"] = df["sessions"].clip(0, 50)
    df["plan"] = df["plan"].str.lower()
    df["is_paid"] = (df["plan"] != "free").astype(int)
    assert df["plan"].tolist() == ["free", "pro"]
