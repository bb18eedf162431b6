"""Lesson 1: training imports the model."""

from app.model import HIDDEN

EPOCHS = HIDDEN // 8
