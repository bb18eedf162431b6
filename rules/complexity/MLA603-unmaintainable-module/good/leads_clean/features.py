"""Feature construction: one job, small functions, no modes."""

import numpy as np


def activity(leads, events):
    sessions = events.groupby("user_id").size().rename("sessions")
    last_seen = events.groupby("user_id")["ts"].max().rename("last_seen")
    return leads.join(sessions, on="user_id").join(last_seen, on="user_id")


def add_features(frame, max_sessions, cutoff):
    sessions = frame["sessions"].fillna(0).clip(0, max_sessions)
    return frame.assign(
        sessions=sessions,
        is_paid=(frame["plan"].str.lower() != "free").astype(int),
        recent=np.where(frame["last_seen"] > cutoff, 1, 0),
        log_sessions=np.log1p(sessions),
    )
