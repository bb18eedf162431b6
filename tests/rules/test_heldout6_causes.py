"""Causes found by the blind review of heldout6 (issue 11): LightningCLI seeding and t-SNE maps drawn
only as figures (MLA704). Each quiet side has its catalogue case; these tests also pin the reported side,
so the quiet side cannot be a blanket exemption."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import audit, hits

# --- MLA704: LightningCLI(seed_everything_default=...) seeds the run ------------------------------------

CLI = """
from pytorch_lightning import LightningDataModule
from pytorch_lightning.cli import LightningCLI
from torch.utils.data import random_split


class SplitModule(LightningDataModule):
    def __init__(self, dataset) -> None:
        super().__init__()
        self.train, self.val = random_split(dataset, [0.9, 0.1])


if __name__ == "__main__":
    LightningCLI(SplitModule, seed_everything_default={value})
"""


def test_lightning_cli_with_a_seed_default_seeds_the_run(tmp_path: Path) -> None:
    for value in ("1234", "True", "cfg.seed"):
        found = audit(tmp_path / value, {"cli.py": CLI.format(value=value)}, "MLA704")
        assert hits(found, "MLA704") == [], value


def test_lightning_cli_without_seeding_is_still_reported(tmp_path: Path) -> None:
    for value in ("False", "None"):
        found = audit(tmp_path / value, {"cli.py": CLI.format(value=value)}, "MLA704")
        assert [row for _, row, _ in hits(found, "MLA704")] == [9], value
    plain = CLI.replace(", seed_everything_default={value}", "")
    found = audit(tmp_path / "plain", {"cli.py": plain}, "MLA704")
    assert [row for _, row, _ in hits(found, "MLA704")] == [9]


# --- MLA704: a t-SNE/UMAP map only drawn in a figure -------------------------------------------------------

FIGURES = """
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from sklearn.manifold import TSNE
from umap import UMAP


def draw(embeddings, targets, ax):
    points = TSNE(n_components=2).fit_transform(embeddings)
    ax.scatter(points[:, 0], points[:, 1], c=targets)
    plt.savefig("tsne.png")


def draw_umap(embeddings, labels):
    reducer = UMAP()
    xy = reducer.fit_transform(embeddings)
    sns.scatterplot(x=xy[:, 0], y=xy[:, 1], hue=labels)


def project(embeddings):
    points = TSNE(n_components=2).fit_transform(embeddings)
    plt.scatter(points[:, 0], points[:, 1])
    return points


def save_map(embeddings, path):
    points = TSNE(n_components=2).fit_transform(embeddings)
    plt.scatter(points[:, 0], points[:, 1])
    np.save(path, points)


def per_epoch(model, batches):
    for batch in batches:
        points = TSNE(n_components=2).fit_transform(model(batch))
        plt.scatter(points[:, 0], points[:, 1])


def kept_in_state(self, embeddings):
    points = TSNE(n_components=2).fit_transform(embeddings)
    plt.scatter(points[:, 0], points[:, 1])
    self.points = points
"""


def test_a_map_only_drawn_is_quiet_and_any_other_use_is_reported(tmp_path: Path) -> None:
    found = audit(tmp_path, {"pkg/__init__.py": "", "pkg/figures.py": FIGURES}, "MLA704")
    # Returned, saved as data, drawn inside a loop (not decided), stored on an object: results.
    assert [row for _, row, _ in hits(found, "MLA704")] == [21, 27, 34, 39]


# --- MLA103: an unconnected socket is not a network call ---------------------------------------------

SOCKETS = """
import socket

sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
hostname = socket.gethostname()
conn = socket.create_connection(("example.org", 80))
"""


def test_allocating_a_socket_is_quiet_and_connecting_is_reported(tmp_path: Path) -> None:
    found = audit(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": SOCKETS}, "MLA103")
    assert [row for _, row, _ in hits(found, "MLA103")] == [5]


# --- MLA103: a Gradio demo app loading its model at start-up ------------------------------------------

GRADIO = """
import gradio as gr
import requests
import torch
from huggingface_hub import hf_hub_download

checkpoint = hf_hub_download(repo_id="org/model", filename="model.pt")
model = torch.load(checkpoint)
{extra}

def predict(x):
    return model(x)


demo = gr.Interface(fn=predict, inputs="text", outputs="text")
{launch}
"""


def test_a_gradio_app_loading_its_model_is_quiet(tmp_path: Path) -> None:
    source = GRADIO.format(extra="", launch='if __name__ == "__main__":\n    demo.launch()')
    found = audit(tmp_path, {"pkg/__init__.py": "", "pkg/app.py": source}, "MLA103")
    assert hits(found, "MLA103") == []


def test_a_gradio_app_other_io_and_an_unlaunched_interface_are_reported(tmp_path: Path) -> None:
    launch = 'if __name__ == "__main__":\n    demo.launch()'
    other = GRADIO.format(extra='labels = requests.get("https://example.org/labels.json").json()', launch=launch)
    found = audit(tmp_path / "other", {"pkg/__init__.py": "", "pkg/app.py": other}, "MLA103")
    assert [row for _, row, _ in hits(found, "MLA103")] == [8]
    # Built but never launched here (a module that others import): not an app.
    module = GRADIO.format(extra="", launch="")
    found = audit(tmp_path / "module", {"pkg/__init__.py": "", "pkg/ui.py": module}, "MLA103")
    assert [row for _, row, _ in hits(found, "MLA103")] == [6]


# --- MLA102: a plugin registry filled by name ---------------------------------------------------------

REGISTRY = """
MODELS = {}
LIBRARIES = {}
COUNTS = {}


class Base:
    NAME = "base"


def init(classes):
    for cls in classes:
        MODELS[cls.NAME] = cls
        LIBRARIES.update(cls.LIBRARIES)
        COUNTS[cls.NAME] = COUNTS.get(cls.NAME, 0) + 1


def load_builtins():
    MODELS["base"] = Base


def swap(name, model):
    MODELS[name] = model


def clear():
    MODELS.clear()


def merge(extra):
    LIBRARIES.update(extra)
"""


def test_registering_by_own_name_is_quiet_and_other_stores_are_reported(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/registry.py": REGISTRY, "pkg/use.py": "from .registry import init\n"}
    found = audit(tmp_path, files, "MLA102")
    # init's counter (a computed value), a store under a caller's key, clear(), a merge of a caller's dict.
    assert [row for _, row, _ in hits(found, "MLA102")] == [14, 22, 26, 30]
