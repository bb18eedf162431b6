"""Train on the copy task."""

import torch

from lib import Net

LEARNING_RATE = 3e-4
model = Net()
optimizer = torch.optim.Adam([], lr=LEARNING_RATE)
