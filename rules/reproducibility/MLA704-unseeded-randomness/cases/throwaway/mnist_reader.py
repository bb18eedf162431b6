import numpy as np


def load_mnist(path, kind="train"):
    return np.load(f"{path}/{kind}-images.npy"), np.load(f"{path}/{kind}-labels.npy")
