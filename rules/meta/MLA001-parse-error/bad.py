import pandas as pd


def build_features(df:  # expect: MLA001
    return df.dropna()
