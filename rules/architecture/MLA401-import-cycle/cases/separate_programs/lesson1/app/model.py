"""Lesson 1: the model."""

HIDDEN = 32
