import pandas as pd


def build_features(df: pd.DataFrame) -> pd.DataFrame:
    return df.dropna()
