"""Experiment scripts run top to bottom by design."""

import pandas as pd

train = pd.read_csv("data/train.csv")
print(train.describe())
