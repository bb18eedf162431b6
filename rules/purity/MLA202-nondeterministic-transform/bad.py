import random
import time
from datetime import datetime as dt

import numpy as np
import pandas as pd


def build_features(df):
    snapshot = dt.now()  # expect: MLA202
    df = df.assign(account_age_days=(snapshot - df.signup).dt.days)
    df = df.assign(scored_at=time.time())  # related: one finding per function, every read in `related`
    df = df.assign(is_stale=df.updated < pd.Timestamp.now())  # related
    return df


def make_features(df):
    noise = np.random.normal(0, 0.01, len(df))  # expect: MLA202
    sample = random.sample(list(df.index), 10)  # related
    return df.assign(jitter=noise).loc[sample]


class BucketEncoder:
    def transform(self, X):
        order = np.random.permutation(len(X))  # expect: MLA202
        return X.iloc[order]
