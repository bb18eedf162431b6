"""Helpers written while exploring in explore.ipynb."""
import numpy as np


def engagement_score(sessions, pricing_views, invites):
    # eyeballed weights from the EDA plots
    return np.tanh(0.1 * sessions + 0.5 * pricing_views + 0.8 * invites)


def plot_calibration(y_true, y_prob, bins=10):
    import matplotlib.pyplot as plt

    edges = np.linspace(0, 1, bins + 1)
    idx = np.digitize(y_prob, edges) - 1
    observed = [y_true[idx == b].mean() for b in range(bins)]
    plt.plot(edges[:-1], observed, marker="o")
    plt.plot([0, 1], [0, 1], "--")
    plt.show()
