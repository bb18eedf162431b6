"""A script (run, imported by nothing) is configured by its own block of module-level constants, wherever
the block sits, and by what its main guard sets."""

import torch
from torch import nn


def train(model, lr, epochs, batch_size):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    return optimizer, epochs, batch_size


# General settings
EPOCHS = 200
batch_size = 32
LEARNING_RATE = 3e-4

if __name__ == "__main__":
    momentum = 0.9
    train(nn.Linear(4, 2), LEARNING_RATE, EPOCHS, batch_size)
