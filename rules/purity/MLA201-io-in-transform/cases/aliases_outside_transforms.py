"""Aliased imports resolve, but the I/O below is outside any transform."""

import pandas as pd_
from pandas import read_csv as rc


def load_training_data(path):
    return pd_.read_csv(path), rc(path)


def save_report(df, path):
    df.to_parquet(path)
