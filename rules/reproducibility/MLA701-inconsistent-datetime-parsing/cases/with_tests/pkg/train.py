import pandas as pd


def load(path):
    frame = pd.read_csv(path)
    frame["signup_at"] = pd.to_datetime(frame["signup_at"], utc=True)
    return frame
