"""Plain modules are not notebooks: their globals are MLA101/MLA102's business."""

import pandas as pd

df = pd.DataFrame({"a": [1, 2]})


def total():
    return df["a"].sum()


df = df.assign(b=1)
