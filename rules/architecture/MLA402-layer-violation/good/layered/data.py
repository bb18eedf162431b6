import pandas as pd

from layered.config import TARGET


def load(source):
    frame = pd.read_csv(source)
    return frame.drop(columns=[TARGET]), frame[TARGET]
