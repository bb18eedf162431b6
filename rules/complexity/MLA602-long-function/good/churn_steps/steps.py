"""The training run as named steps, each short enough to read and test on its own."""

import pandas as pd


def load(settings):
    return pd.read_csv(settings.leads_path), pd.read_csv(settings.events_path)


def clean(leads, events):
    leads = leads.drop_duplicates(subset=["user_id"])
    leads = leads[leads["country"].notna()].assign(plan=lambda f: f["plan"].str.lower())
    return leads, events[events["user_id"].isin(leads["user_id"])]


def build_features(leads, events, cutoff):
    sessions = events.groupby("user_id").size().rename("sessions")
    last_seen = events.groupby("user_id")["ts"].max().rename("last_seen")
    frame = leads.join(sessions, on="user_id").join(last_seen, on="user_id")
    return frame.assign(
        sessions=frame["sessions"].fillna(0),
        is_paid=(frame["plan"] != "free").astype(int),
        recent=(frame["last_seen"] > cutoff).astype(int),
    )


def run(settings, fit, evaluate, export):
    leads, events = clean(*load(settings))
    frame = build_features(leads, events, settings.cutoff)
    model, test = fit(frame, settings)
    report = evaluate(model, test, settings)
    export(model, report, settings)
    return report
