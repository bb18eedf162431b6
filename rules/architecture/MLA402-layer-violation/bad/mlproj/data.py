"""Data loading (data layer) that depends on the training code."""

import pandas as pd

from mlproj.train import TARGET  # expect: MLA402


def load(path):
    frame = pd.read_csv(path)
    return frame.drop(columns=[TARGET]), frame[TARGET]
