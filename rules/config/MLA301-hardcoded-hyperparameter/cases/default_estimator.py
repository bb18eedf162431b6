"""The estimator a class or function builds when the caller passes none is the default of a parameter, like
`def fit(estimator=RandomForestClassifier(n_estimators=100))` written safely: the caller configures it by
passing an estimator. Only that branch is a default: a literal outside it is still a hardcoded value."""

from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier


class InstanceHardnessThreshold:
    def __init__(self, estimator=None, n_jobs=None):
        self.estimator = estimator
        self.n_jobs = n_jobs

    def _validate_estimator(self):
        if self.estimator is not None and hasattr(self.estimator, "predict_proba"):
            self.estimator_ = self.estimator
        elif self.estimator is None:
            self.estimator_ = RandomForestClassifier(n_estimators=100, n_jobs=self.n_jobs)
        return self.estimator_


def calibrate(X, y, model=None, neighbours=None):
    model = model or LogisticRegression(C=0.5, max_iter=500)
    neighbours = KNeighborsClassifier(n_neighbors=5) if neighbours is None else neighbours
    return model.fit(X, y), neighbours.fit(X, y)
