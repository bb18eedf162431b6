import numpy as np
import pandas as pd


def main():
    ev = pd.read_parquet("events.parquet")
    ev = ev.sort_values("ts")
    ev["gap"] = ev.groupby("user_id")["ts"].diff().dt.total_seconds()
    ev["gap"] = np.log1p(ev["gap"].fillna(0))
    per_day = ev.groupby(["user_id", ev["ts"].dt.date])["gap"].mean()
    per_day = per_day.reset_index()
    per_day.to_parquet("daily_b.parquet")


main()
