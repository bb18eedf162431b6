"""Same names, other meanings; and values that switch something off rather than tune it."""

import matplotlib.pyplot as plt
import torch


def plot_and_sum(x, y, cfg):
    plt.scatter(x, y, alpha=0.5)  # transparency
    total = torch.add(x, y, alpha=2)  # arithmetic
    model = make_model(dropout=0, max_iter=1)  # 0 and 1 disable or trivialise, they do not tune
    return total, model, cfg


def make_model(**kwargs):
    return kwargs
