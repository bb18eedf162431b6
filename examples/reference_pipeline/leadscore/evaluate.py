"""Evaluation metrics for a fitted model on held-out users."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import precision_recall_curve, roc_auc_score

from leadscore.model import LeadScoringModel


@dataclass(frozen=True)
class Metrics:
    auc: float
    precision_at_recall: float
    target_recall: float
    positive_rate: float
    n_test: int

    def as_dict(self) -> dict[str, float]:
        return {name: float(value) for name, value in asdict(self).items()}


def precision_at_recall(labels: np.ndarray, scores: np.ndarray, target_recall: float) -> float:
    """The best precision among thresholds that still recall at least ``target_recall`` of positives."""
    precision, recall, _ = precision_recall_curve(labels, scores)
    return float(precision[recall >= target_recall].max())


def evaluate(
    model: LeadScoringModel, features: pd.DataFrame, labels: pd.Series, *, target_recall: float
) -> Metrics:
    """Ranking quality (AUC) and the precision a sales team gets when it must reach ``target_recall``."""
    scores = model.predict_proba(features)
    truth = labels.to_numpy()
    return Metrics(
        auc=float(roc_auc_score(truth, scores)),
        precision_at_recall=precision_at_recall(truth, scores, target_recall),
        target_recall=target_recall,
        positive_rate=float(truth.mean()),
        n_test=len(truth),
    )
