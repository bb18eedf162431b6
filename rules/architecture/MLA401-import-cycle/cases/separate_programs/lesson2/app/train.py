"""Lesson 2: training constants."""

EPOCHS = 4
