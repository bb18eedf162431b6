"""Fitted steps whose output never reaches a split, and splits of data no step saw."""

import joblib
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def fit_for_serving(X_all, path):
    # the production scaler is fitted on all the data once the model is chosen: no split follows
    scaler = StandardScaler().fit(X_all)
    joblib.dump(scaler, path)
    return scaler


def split_raw(df, seed):
    scaled = StandardScaler().fit_transform(df[["a", "b"]])
    print(scaled.mean())
    X = df[["a", "b"]]
    return train_test_split(X, df["y"], random_state=seed)
