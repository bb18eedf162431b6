"""A saved file name that carries the package or model version records what the artifact is."""

import joblib
from sklearn.linear_model import LogisticRegression

from pkg.config import VERSION

_version = open("VERSION").read().strip()


def train(X, y, name="model"):
    model = LogisticRegression().fit(X, y)
    joblib.dump(model, f"{name}_v{VERSION}.pkl")
    return model


def train_keras(model, X, y):
    model.fit(X, y)
    model.save(f"cnn_model_{_version}.h5")
