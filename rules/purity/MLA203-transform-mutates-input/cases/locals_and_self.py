"""Mutating locals is fine; so is fitted state on `self` (scikit-learn's idiom)."""


def build_features(df):
    out = df[["a", "b"]].copy()
    out["c"] = out.a + out.b
    out.fillna(0, inplace=True)
    return out


class MeanImputer:
    def fit_transform(self, X, y=None):
        self.means_ = X.mean()
        self.n_calls = 1
        return X.fillna(self.means_)


def check_n_features(estimator, X):
    estimator.n_features_in_ = X.shape[1]
