import matplotlib.pyplot as plt
import numpy as np


def plot_learning_curve(ax, sizes, train_scores, val_scores):
    ax.plot(sizes, np.mean(train_scores, 1), color="blue", label="training score")
    ax.plot(sizes, np.mean(val_scores, 1), color="red", label="validation score")
    ax.hlines(np.mean([train_scores[-1], val_scores[-1]]), sizes[0], sizes[-1], color="gray")
    ax.set_ylim(0, 1)
    ax.set_xlabel("training size")
    ax.set_ylabel("score")
    ax.legend(loc="best")
    plt.tight_layout()
