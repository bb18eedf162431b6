import pandas as pd


def load_events(path):
    events = pd.read_parquet(path)
    events["event_time"] = pd.to_datetime(events["event_time"], format="%d/%m/%Y %H:%M")  # expect: MLA701
    return events


def load_late_events(path):
    late = pd.read_parquet(path)
    late["event_time"] = pd.to_datetime(late["event_time"]).dt.tz_localize("Europe/Paris")
    return late
