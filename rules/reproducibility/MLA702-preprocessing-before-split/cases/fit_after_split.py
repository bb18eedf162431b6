"""Fitting on the training part after the split, in every usual shape."""

import numpy as np
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.preprocessing import MinMaxScaler, StandardScaler


def holdout(X, y, seed):
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
    sc = StandardScaler()
    X_train = sc.fit_transform(X_train)
    X_test = sc.transform(X_test)
    pca = PCA(n_components=10).fit(X_train)
    return pca.transform(X_train), pca.transform(X_test), y_train, y_test


def folds(X, y, model):
    scores = []
    for train_idx, test_idx in StratifiedKFold(5).split(X, y):
        imputer = SimpleImputer().fit(X[train_idx])
        model.fit(imputer.transform(X[train_idx]), y[train_idx])
        scores.append(model.score(imputer.transform(X[test_idx]), y[test_idx]))
    return np.mean(scores)


def train_frame_from_elsewhere(train_df, valid_df, features):
    # `train_df` is the training part of a split made upstream (another file, the dataset's own files)
    scaler = MinMaxScaler().fit(train_df[features])
    return scaler.transform(train_df[features]), scaler.transform(valid_df[features])
