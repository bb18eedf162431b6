"""Train on the parity task."""

import torch

from lib import Net

LEARNING_RATE = 1e-4
model = Net()
optimizer = torch.optim.Adam([], lr=LEARNING_RATE)
