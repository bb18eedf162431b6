"""A command-line example trained on synthetic data it generates: a demo, not a release artifact.

The model learns `make_classification` noise; nobody deploys it, so a version or schema file beside it
would document nothing. The same save of a model trained on real data is reported.
"""

import pickle

import fire
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression


def get_data(n_samples=100):
    return make_classification(n_samples, 20, n_informative=10, random_state=0)


def save_model(model, output_file):
    if not output_file:
        return
    with open(output_file, "wb") as f:
        pickle.dump(model, f)


def net(n_samples=100, output_file=None):
    X, y = get_data(n_samples=n_samples)
    model = LogisticRegression().fit(X, y)
    save_model(model, output_file)


if __name__ == "__main__":
    fire.Fire({"net": net})
