"""Lowest layer: plain settings, importing nothing of the project."""

TARGET = "converted"
FEATURE_COLUMNS = ["age", "income", "sessions"]
MODEL_COLUMNS = FEATURE_COLUMNS[:2]
