"""Misc helpers used all over the place."""
import os
import time
from datetime import datetime

import pandas as pd

import features

DEBUG = os.environ.get("LEADS_DEBUG") == "1"

# cache so the notebook / API don't re-read the 2GB export every call
_cache = {}
_last_loaded = None


def log(msg):
    if DEBUG:
        print(f"[{datetime.now():%H:%M:%S}] {msg}")


def load_events(path="/data/leads/events.csv"):
    global _last_loaded
    if path in _cache:
        return _cache[path]
    events = pd.read_csv(path)
    events["timestamp"] = pd.to_datetime(events["timestamp"], utc=True)
    events = events.sort_values(["user_id", "timestamp"])
    _cache[path] = events
    _last_loaded = time.time()
    log(f"loaded {len(events)} events from {path}")
    return events


def load_users():
    users = pd.read_csv(os.environ["LEADS_DATA_DIR"] + "/users.csv")
    users["signup_date"] = pd.to_datetime(users["signup_date"])
    return users


def clear_cache():
    _cache.clear()


def log_feature_stats(df):
    for col in features.FEATURE_COLS:
        if col in df:
            log(f"{col}: mean={df[col].mean():.3f} nulls={df[col].isna().sum()}")
