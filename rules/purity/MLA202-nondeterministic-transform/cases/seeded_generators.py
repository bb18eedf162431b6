"""Seeded generators are deterministic."""

import random

import numpy as np
import torch


def make_features(df, seed):
    rng = np.random.default_rng(seed)
    local = random.Random(seed)
    gen = torch.Generator().manual_seed(seed)
    return df.assign(a=rng.random(len(df)), b=local.random(), c=torch.rand(len(df), generator=gen).numpy())


def transform_seeded(df):
    np.random.seed(0)  # seeded before the draw (global state, but deterministic)
    return df.iloc[np.random.permutation(len(df))]
