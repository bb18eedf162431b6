import pandas as pd


def prepare(payload):
    frame = pd.DataFrame([payload])
    frame["signup_at"] = pd.to_datetime(frame["signup_at"])  # expect: MLA701
    return frame


def prepare_batch(path):
    return pd.read_csv(path, parse_dates=["signup_at"])
