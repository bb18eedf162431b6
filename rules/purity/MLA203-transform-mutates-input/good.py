"""Transforms return new objects and leave their inputs as they were."""

import pandas as pd


def clean_orders(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["amount"] = df["amount"].fillna(0)
    return df


def normalize_prices(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(price=df.price.where(df.currency == "EUR", df.price * 1.1))


def encode_labels(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=str.lower)
