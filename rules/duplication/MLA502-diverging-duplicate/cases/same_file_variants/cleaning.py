"""Two variants side by side in one module differ on purpose: not a skew (MLA501 still reports the copy)."""


def clean_dense(df):
    df = df.dropna(subset=["age"])
    df["age"] = df["age"].clip(18, 90)
    df["income"] = df["income"].fillna(0)
    df["ratio"] = df["income"] / df["age"]
    df = df.sort_values("age")
    return df


def clean_sparse(df):
    df = df.dropna(subset=["age"])
    df["age"] = df["age"].clip(0, 120)
    df["income"] = df["income"].fillna(-1)
    df["ratio"] = df["income"] / df["age"]
    df = df.sort_values("age")
    return df
