from sklearn.linear_model import LogisticRegression

model = None
n_calls = 0
_cache = {}


def train(features, labels):
    global model  # expect: MLA101
    model = LogisticRegression().fit(features, labels)


def predict(features):
    global n_calls  # expect: MLA101
    n_calls += 1
    return model.predict(features)


def reset():
    global model, n_calls  # expect: MLA101
    model, n_calls = None, 0


def lookup(key):
    global _cache  # expect: MLA101
    return _cache.get(key)


class Trainer:
    def fit(self, features, labels):
        global model  # expect: MLA101
        model = LogisticRegression().fit(features, labels)
        return self
