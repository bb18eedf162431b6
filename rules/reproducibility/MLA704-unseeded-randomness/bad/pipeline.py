import pandas as pd
from sklearn.cluster import KMeans
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, train_test_split


def split(frame):
    train, test = train_test_split(frame, test_size=0.2)  # expect: MLA704
    return train, test


def make_folds():
    return KFold(n_splits=5, shuffle=True)  # expect: MLA704


def fit_models(X, y):
    forest = RandomForestClassifier(n_estimators=200)  # expect: MLA704
    clusters = KMeans(n_clusters=8).fit_predict(X)
    return forest.fit(X, y), clusters


def subsample(path):
    return pd.read_parquet(path).sample(frac=0.1)  # expect: MLA704
