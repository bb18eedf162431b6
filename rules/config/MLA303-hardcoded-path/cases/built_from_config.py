"""Paths built from configured values, and strings that are not paths."""

import os
from pathlib import Path

import pandas as pd

DATA_DIR = Path("data")


def load(cfg, df):
    a = pd.read_csv(os.path.join(cfg.data_dir, "train.csv"))
    b = pd.read_csv(DATA_DIR / "train.csv")
    c = pd.read_csv(Path(__file__).parent / "lookup.csv")
    d = pd.read_csv(f"{cfg.data_dir}/train.csv")
    ids = df["user_id"]
    print("wrote out.csv")
    return a, b, c, d, ids
