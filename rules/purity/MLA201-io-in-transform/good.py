"""Transforms take data in and return data; loading and saving happen at the edges."""

import pandas as pd


def load_mcc_table(path: str) -> pd.DataFrame:
    """An I/O boundary (its name says so): called by the pipeline, not by transforms."""
    return pd.read_csv(path)


def add_merchant_category(df: pd.DataFrame, mcc_table: pd.DataFrame) -> pd.DataFrame:
    return df.merge(mcc_table, on="mcc")


def build_features(df: pd.DataFrame, mcc_table: pd.DataFrame) -> pd.DataFrame:
    out = add_merchant_category(df, mcc_table)
    return out.assign(summary=out.to_json())
