import numpy as np
import pandas as pd

if __name__ == "__main__":
    events = pd.read_parquet("events.parquet")  # expect: MLA501
    events = events.sort_values("ts")
    events["gap"] = events.groupby("user_id")["ts"].diff().dt.total_seconds()
    events["gap"] = np.log1p(events["gap"].fillna(0))
    daily = events.groupby(["user_id", events["ts"].dt.date])["gap"].mean()
    daily = daily.reset_index()
    daily.to_parquet("daily_a.parquet")
