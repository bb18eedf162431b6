"""Lesson 2: the model reads the training settings (another program: no cycle with lesson 1)."""

from app.train import EPOCHS

HIDDEN = EPOCHS * 8
