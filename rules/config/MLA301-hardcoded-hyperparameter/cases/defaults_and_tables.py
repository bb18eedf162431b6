"""Constants that are the defaults of options or parameters, and settings tables bound to a settings name,
are configuration; an inference batch size and a summary's depth are not hyperparameters."""

import argparse

from lightning.pytorch.callbacks import ModelSummary

BATCH_SIZE = 128
LR = 1e-3


def add_arguments(parser: argparse.ArgumentParser, lr: float = LR) -> dict:
    parser.add_argument("--batch_size", type=int, default=BATCH_SIZE)
    defaults = dict(lr=1e-4, batch_size=16, weight_decay=0.0, lr_anneal_steps=0)
    return defaults


def predict(model, X):
    return model.predict(X, batch_size=1000)


def callbacks():
    return [ModelSummary(max_depth=2)]


def loaders(train_set, val_set, batch_size):
    from torch.utils.data import DataLoader

    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=256)  # an evaluation batch: memory, not the model
    return train_loader, val_loader
