"""A t-SNE map whose output only goes to plotting calls is a figure, not a result (one whose output is
returned or saved as data is still reported: tests/rules/test_heldout6_causes.py)."""
import matplotlib.pyplot as plt
import numpy as np
from sklearn.manifold import TSNE


def visualize(embeddings: np.ndarray, targets: np.ndarray, figure_name: str) -> None:
    tsne = TSNE(n_components=2)
    embeddings = tsne.fit_transform(embeddings)
    plt.figure(figsize=(10, 10))
    for i in range(10):
        mask = targets == i
        plt.scatter(embeddings[mask, 0], embeddings[mask, 1], label=str(i))
    plt.legend()
    plt.savefig(f"reports/figures/{figure_name}")

