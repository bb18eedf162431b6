import pandas as pd

raw = pd.read_csv("train.csv")
raw = raw.dropna(subset=["age"])
raw["income"] = raw["income"].fillna(raw["income"].median())
raw["age"] = raw["age"].clip(18, 90)  # expect: MLA502
raw["ratio"] = raw["income"] / raw["age"]
raw = raw.sort_values("age")
raw.to_parquet("train.parquet")
