import pandas as pd


def preprocess(df: pd.DataFrame) -> pd.DataFrame:
    df = df.drop_duplicates(subset=["user_id"])
    df = df[df["country"].notna()]
    df["sessions"] = df["sessions"].clip(0, 50)
    df["days_since_login"] = df["days_since_login"].fillna(30)
    df["plan"] = df["plan"].str.lower().str.strip()
    df["is_paid"] = (df["plan"] != "free").astype(int)
    df["log_sessions"] = df["sessions"].apply(lambda s: 0 if s <= 0 else s ** 0.5)
    return df
