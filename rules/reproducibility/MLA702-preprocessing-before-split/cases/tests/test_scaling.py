"""Tests are not checked: a fixture may fit on anything."""

from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def test_split_shapes(X, y):
    X = StandardScaler().fit_transform(X)
    X_train, X_test, _, _ = train_test_split(X, y)
    assert len(X_train) > len(X_test)
