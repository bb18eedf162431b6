"""Conventional optimiser values nobody tunes (SGD's momentum 0.9) are quiet; the knobs beside them (lr, weight
decay) come from the caller here. tests/rules/test_precision_heldout.py pins the reported side."""

import torch.nn as nn
from torch import optim


def build_optimizer(model: nn.Module, name: str, lr: float, wd: float) -> optim.Optimizer:
    if name == "momentum":
        return optim.SGD(model.parameters(), lr, momentum=0.9, weight_decay=wd)
    if name == "nesterov":
        return optim.SGD(model.parameters(), lr, momentum=0.9, weight_decay=wd, nesterov=True)
    return optim.Adam(model.parameters(), lr, weight_decay=wd)

