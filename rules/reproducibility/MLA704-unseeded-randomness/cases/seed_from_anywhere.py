"""A seed from any source counts, and splats may carry one."""
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, train_test_split


def fit(X, y, params, seed, **kwargs):
    a = RandomForestClassifier(**params)
    b = RandomForestClassifier(random_state=seed)
    c = KFold(5, True, 0)
    d = train_test_split(X, y, **kwargs)
    return a, b, c, d


def random_baseline(X, y):
    """Random on purpose: the name says so."""
    return RandomForestClassifier(n_estimators=10).fit(X, y)
