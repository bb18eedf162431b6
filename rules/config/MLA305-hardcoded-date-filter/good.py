from datetime import datetime

import pandas as pd


def load_training_rows(path, start: datetime, end: datetime):
    users = pd.read_csv(path, parse_dates=["signup_at"])
    return users[users["signup_at"].between(start, end)]


def split_by_time(events, cutoff):
    return events[events["ts"] < cutoff], events[events["ts"] >= cutoff]


def run(cfg):
    events = pd.read_parquet(cfg.events_path)
    return split_by_time(events, pd.Timestamp(cfg.cutoff_date))
