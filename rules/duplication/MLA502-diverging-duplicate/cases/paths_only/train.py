"""The same steps applied to two different files: the inputs differ, the processing does not."""

import pandas as pd

data = pd.read_csv("data/train.csv")
data = data.dropna(subset=["age"])
data["age"] = data["age"].clip(18, 90)
data["income"] = data["income"].fillna(0)
data = data.sort_values("age")
data.to_parquet("data/train.parquet")
