"""A config module: the paths are the configuration."""

from pathlib import Path

import pandas as pd

DATA_DIR = Path("/mnt/data")
TRAIN_CSV = "data/train.csv"


def load_lookup():
    return pd.read_csv("data/lookup.csv")
