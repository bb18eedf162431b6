"""`df = df.copy()` or `df = df.assign(...)` before the assignment: the caller's frame is untouched."""


def clean_orders(df):
    df = df.copy()
    df["amount"] = df["amount"].fillna(0)
    return df


def build_features(df):
    df = df.assign(total=df.price * df.qty)
    df["discounted"] = df.total * 0.9
    return df


def normalize_amounts(X, copy=True):
    if copy:
        X = X.copy()  # any rebinding ends the tracking, even in one branch
    X["amount"] = X["amount"] / X["amount"].max()
    return X
