"""Evaluation helper: loads the script's model class."""

import torch

from rl.dqn import QNetwork


def evaluate(path: str) -> float:
    model = QNetwork(2)
    model.load_state_dict(torch.load(path))
    return 0.0
