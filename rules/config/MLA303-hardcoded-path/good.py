"""Paths come from configuration; code joins them."""

from pathlib import Path

import pandas as pd
from pydantic import BaseModel


class PathsConfig(BaseModel):
    data_dir: Path = Path("data")
    artifacts_dir: Path = Path("artifacts")


def load_orders(paths: PathsConfig) -> pd.DataFrame:
    return pd.read_csv(paths.data_dir / "raw" / "orders.csv")


def save_orders(orders: pd.DataFrame, paths: PathsConfig) -> None:
    orders.to_parquet(paths.artifacts_dir / "orders_clean.parquet")
