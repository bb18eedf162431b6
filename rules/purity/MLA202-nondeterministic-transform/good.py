"""The caller decides the time and the randomness: the transform is a pure function of its inputs."""

from datetime import datetime

import numpy as np
import pandas as pd


def build_features(df: pd.DataFrame, now: datetime) -> pd.DataFrame:
    return df.assign(account_age_days=(now - df.signup).dt.days)


def make_features(df: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    return df.assign(jitter=rng.normal(0.0, 0.01, len(df)))


def make_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)
