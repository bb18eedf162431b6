import pandas as pd

raw = pd.read_csv("serve.csv")
raw = raw.dropna(subset=["age"])
raw["income"] = raw["income"].fillna(raw["income"].median())
raw["age"] = raw["age"].clip(16, 99)
raw["ratio"] = raw["income"] / raw["age"]
raw = raw.sort_values("age")
raw.to_parquet("serve.parquet")
