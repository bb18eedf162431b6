"""Identical copies are duplicated preprocessing (MLA501) but do not diverge."""


def clean_a(df):
    df = df.dropna(subset=["age"])
    df["age"] = df["age"].clip(18, 90)
    df["income"] = df["income"].fillna(0)
    df["ratio"] = df["income"] / df["age"]
    df = df.sort_values("age")
    return df


def clean_b(frame):
    frame = frame.dropna(subset=["age"])
    frame["age"] = frame["age"].clip(18, 90)
    frame["income"] = frame["income"].fillna(0)
    frame["ratio"] = frame["income"] / frame["age"]
    frame = frame.sort_values("age")
    return frame
