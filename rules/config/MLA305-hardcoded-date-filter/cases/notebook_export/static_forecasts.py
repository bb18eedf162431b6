# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
# ---

# %% [markdown]
# A notebook saved as a jupytext percent script: notebook code, like the notebook itself.

# %%
import pickle

import pandas as pd

# %%
y = pd.read_csv("co2.csv", index_col="date", parse_dates=True)["co2"]
with open("results.pkl", "rb") as f:
    results = pickle.load(f)

# %%
pred = results.get_prediction(start=pd.to_datetime("1998-01-01"), dynamic=False)
y_truth = y["1998-01-01":]
mse = ((pred.predicted_mean - y_truth) ** 2).mean()
print(f"The Mean Squared Error of our forecasts is {mse:.2f}")
