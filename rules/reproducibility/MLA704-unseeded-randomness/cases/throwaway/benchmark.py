"""Draws whose value reaches no result: a sample dropped on the spot (a no-op, which a seed would not
change), and rows shuffled only to fit a throwaway classifier that checks the parameters are valid."""

import logging

import pandas as pd
from sklearn import datasets
from sklearn.utils import shuffle

from . import mnist_reader

LOGGER = logging.getLogger(__name__)


def get(sample):
    d = datasets.load_iris()
    df = pd.DataFrame(d["data"])
    if sample:
        df.sample(n=5)
    df.columns = d["feature_names"]
    df["target"] = d["target"]
    return df


def sanity_check(all_tasks, data_dir):
    valid_jobs = []
    Xt, Yt = mnist_reader.load_mnist(path=data_dir, kind="t10k")
    Xs, Ys = shuffle(Xt, Yt)
    Xs = Xs[:10]
    Ys = list(range(10))
    for task in all_tasks:
        clf_name, clf_par = next(iter(task.items()))
        try:
            globals()[clf_name](**clf_par).fit(Xs, Ys)
            valid_jobs.append((clf_name, clf_par))
        except Exception as e:
            LOGGER.error("cannot create %s with %s: %s", clf_name, clf_par, e)
    return valid_jobs
