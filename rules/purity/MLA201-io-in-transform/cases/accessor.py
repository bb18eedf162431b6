"""`get_*` functions taking no data are accessors of a store, not transforms, even when their name ends in
`_features` (rules.md: transforms turn data they are given into features)."""

import sqlite3

import pandas as pd


def get_experiment_features(experiment_id: int) -> pd.DataFrame:
    con = sqlite3.connect("registry.db")
    return pd.read_sql("select * from features where experiment = ?", con, params=(experiment_id,))
