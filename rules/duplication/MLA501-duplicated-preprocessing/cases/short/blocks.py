"""Five repeated statements are below the default threshold of six."""


def clean_a(df):
    df = df.dropna()
    df["x"] = df["x"].clip(0, 1)
    df["y"] = df["y"].fillna(0)
    df = df.sort_values("x")
    return df


def clean_b(frame):
    frame = frame.dropna()
    frame["x"] = frame["x"].clip(0, 1)
    frame["y"] = frame["y"].fillna(0)
    frame = frame.sort_values("x")
    return frame
