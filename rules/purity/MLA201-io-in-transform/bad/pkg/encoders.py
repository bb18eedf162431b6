import joblib


class FrequencyEncoder:
    """A scikit-learn style transformer: its `transform` is a transform wherever it lives."""

    def fit(self, X, y=None):
        self.counts_ = X.value_counts()
        return self

    def transform(self, X):
        cache = joblib.load(self.cache_path)  # expect: MLA201
        return X.map(cache)
