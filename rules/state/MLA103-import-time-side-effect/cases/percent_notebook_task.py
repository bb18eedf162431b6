# %% [markdown]
# A ploomber task kept as a percent-format notebook: papermill runs it top to bottom, nothing imports it.
# It is a notebook saved as `.py` (a pure script), even though a cell calls its own function.

# %%
import pandas as pd
from sklearn.preprocessing import OneHotEncoder

# %% tags=["parameters"]
upstream = ["load"]
product = None


# %%
def encode(X_train, X_test):
    encoder = OneHotEncoder(handle_unknown="ignore")
    return encoder.fit_transform(X_train), encoder.transform(X_test)


# %%
X_train = pd.read_csv(upstream["load"]["train"])
X_test = pd.read_csv(upstream["load"]["test"])

# %%
encode(X_train, X_test)
