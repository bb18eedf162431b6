import pandas as pd


def load(path, utc: bool, **parse_options):
    frame = pd.read_csv(path)
    frame["signup_at"] = pd.to_datetime(frame["signup_at"], utc=utc)
    return frame


def load_other(path, parse_options):
    frame = pd.read_csv(path)
    frame["signup_at"] = pd.to_datetime(frame["signup_at"], **parse_options)
    return frame


def load_plain(path):
    frame = pd.read_csv(path)
    frame["signup_at"] = pd.to_datetime(frame["signup_at"], format="%Y-%m-%d %H:%M:%S%z", utc=True)
    return frame


def load_again(path):
    frame = pd.read_csv(path)
    frame["signup_at"] = pd.to_datetime(frame["signup_at"], utc=True)
    return frame
