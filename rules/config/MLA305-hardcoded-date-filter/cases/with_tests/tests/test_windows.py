import pandas as pd


def test_window():
    frame = pd.DataFrame({"signup_at": pd.to_datetime(["2022-12-31", "2023-01-02"])})
    assert len(frame[frame["signup_at"] >= "2023-01-01"]) == 1
