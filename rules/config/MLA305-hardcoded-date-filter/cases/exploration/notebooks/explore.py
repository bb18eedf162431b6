"""Experiments may pin a window while exploring."""
import pandas as pd

frame = pd.read_parquet("events.parquet")
frame = frame[frame["ts"] >= "2023-01-01"]
