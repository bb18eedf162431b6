"""Feature engineering for the lead scoring model."""
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from model import MODEL_FEATURES
import utils

FEATURE_COLS = MODEL_FEATURES + ["segment"]


def add_activity_features(df):
    events = pd.read_csv("/data/leads/events.csv")
    events["timestamp"] = pd.to_datetime(events["timestamp"])
    now = datetime.now()
    last_week = events[events["timestamp"] > now - timedelta(days=7)]
    sessions = last_week[last_week["event_type"] == "session"].groupby("user_id").size()
    pricing = events[events["event_type"] == "pricing_view"].groupby("user_id").size()
    invites = events[events["event_type"] == "invite_sent"].groupby("user_id").size()
    df["sessions_7d"] = df["user_id"].map(sessions).fillna(0)
    df["pricing_views"] = df["user_id"].map(pricing).fillna(0)
    df["invites_sent"] = df["user_id"].map(invites).fillna(0)
    return df


def add_recency_features(df):
    events = utils.load_events()
    logins = events[events["event_type"] == "login"]
    last_login = logins.groupby("user_id")["timestamp"].max()
    df["last_login"] = df["user_id"].map(last_login)
    df["days_since_login"] = (pd.Timestamp.now(tz="UTC") - df["last_login"]).dt.days
    df.drop(columns=["last_login"], inplace=True)
    return df


def sample_negatives(df, ratio=3):
    # too many non-converters, keep `ratio` negatives per positive
    pos = df[df["converted"] == 1]
    neg = df[df["converted"] == 0]
    keep = np.random.choice(neg.index, size=min(len(neg), ratio * len(pos)), replace=False)
    return pd.concat([pos, neg.loc[keep]]).sample(frac=1.0)


def build_features(df):
    df = add_activity_features(df)
    df = add_recency_features(df)
    df["engagement"] = df["sessions_7d"] * 0.6 + df["pricing_views"] * 2 + df["invites_sent"] * 3
    utils.log(f"built features for {len(df)} users")
    return df
