"""Hyperparameters live in one config model; code receives it."""

from pydantic import BaseModel
from sklearn.ensemble import RandomForestClassifier


class ForestConfig(BaseModel):
    n_estimators: int = 300
    max_depth: int = 12
    test_size: float = 0.2


def build_forest(cfg: ForestConfig) -> RandomForestClassifier:
    return RandomForestClassifier(n_estimators=cfg.n_estimators, max_depth=cfg.max_depth, random_state=0)
