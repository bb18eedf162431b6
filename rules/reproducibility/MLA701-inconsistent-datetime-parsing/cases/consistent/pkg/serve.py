import pandas as pd


def prepare(frame):
    frame["signup_at"] = pd.to_datetime(frame["signup_at"], errors="coerce", utc=True)
    return frame


def from_csv(path):
    frame = pd.read_csv(path)
    frame["signup_at"] = pd.to_datetime(frame["signup_at"], utc=True, cache=False)
    return frame
