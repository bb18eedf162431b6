"""Dates in config modules are configuration: that is where they belong."""
import pandas as pd

TRAIN_START = "2023-01-01"
CUTOFF = pd.Timestamp("2024-01-01")


def default_window(frame):
    return frame[frame["signup_at"] >= "2023-01-01"]
