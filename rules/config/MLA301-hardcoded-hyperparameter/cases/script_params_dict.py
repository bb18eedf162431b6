"""A main-guarded script that nothing imports keeps its settings in a block at its top: constants and a
params dict of the best values a random search found. That block is the script's configuration."""

import torch
from torch import nn

EXPERIMENT = "stacking_008"
RS_PARAMS = {"base_size": 512, "lr": 2.5814932060476834e-05, "patience": 7, "batch_size": 128}
BATCH_SIZE = RS_PARAMS["batch_size"]


def train(model):
    optimizer = torch.optim.Adam(model.parameters(), lr=RS_PARAMS["lr"])
    return optimizer, BATCH_SIZE


if __name__ == "__main__":
    train(nn.Linear(4, 2))
