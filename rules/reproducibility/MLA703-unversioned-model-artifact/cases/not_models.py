"""Pickles of things that are not models, and model stores whose callers choose the version."""
import pickle

import joblib
import numpy as np


def cache_dataset(coverages, archive_path):
    from sklearn.utils import Bunch

    bunch = Bunch(coverages=coverages)
    joblib.dump(bunch, archive_path, compress=9)


def save_columns(columns, path):
    joblib.dump(list(columns), path)


def save_arrays(X_train, y_train, out):
    with open(out, "wb") as fh:
        pickle.dump((X_train, y_train), fh)
    np.save(out + ".npy", X_train)


def save_tokenizer(tokenizer, path):
    tokenizer.save_pretrained(path)


class ModelRegistry:
    def __init__(self, root):
        self.root = root

    def put_model(self, name, version, model):
        joblib.dump(model, self.root / name / version / "model.joblib")


def save_with_args(model, args, path):
    import torch

    torch.save({"model_weights": model.state_dict(), "args": vars(args)}, path)
