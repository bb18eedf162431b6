"""Tests are not checked: fixtures with different values are the point of a test."""


def test_low_clip(df):
    df = df.dropna(subset=["age"])
    df["age"] = df["age"].clip(18, 90)
    df["income"] = df["income"].fillna(0)
    df = df.sort_values("age")
    assert df["age"].min() >= 18
    assert len(df) > 0


def test_high_clip(df):
    df = df.dropna(subset=["age"])
    df["age"] = df["age"].clip(21, 60)
    df["income"] = df["income"].fillna(-1)
    df = df.sort_values("age")
    assert df["age"].min() >= 21
    assert len(df) > 0
