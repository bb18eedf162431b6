"""The model layer: a small wrapper around a scikit-learn pipeline.

The wrapper pins the feature order, so a frame with the columns shuffled still scores correctly, and
adds ``explain``: for a linear model the contribution of a feature to the log-odds is its coefficient
times its standardised value, which is exact, cheap and easy to show next to a score.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from leadscore.config import TrainingConfig

# Version of this wrapper's behaviour; artifacts record it next to the feature and output schemas.
MODEL_VERSION = "2.0.0"
# Output schema 1: ``predict_proba`` is P(converted = 1); ``explain`` gives per-feature log-odds terms.
OUTPUT_SCHEMA_VERSION = 1


class LeadScoringModel:
    """Standardise, then a regularised logistic regression; features are selected by name."""

    def __init__(self, estimator: Pipeline, feature_columns: Sequence[str]) -> None:
        self.estimator = estimator
        self.feature_columns = tuple(feature_columns)

    @classmethod
    def from_config(cls, config: TrainingConfig, feature_columns: Sequence[str]) -> LeadScoringModel:
        """An unfitted model with the configured regularisation."""
        classifier = LogisticRegression(
            C=config.C,
            max_iter=config.max_iter,
            class_weight=config.class_weight,
            random_state=config.seed,
        )
        return cls(Pipeline([("scale", StandardScaler()), ("classifier", classifier)]), feature_columns)

    def _select(self, features: pd.DataFrame) -> pd.DataFrame:
        missing = [column for column in self.feature_columns if column not in features.columns]
        if missing:
            raise ValueError(f"features missing column(s): {', '.join(missing)}")
        return features.loc[:, list(self.feature_columns)]

    def fit(self, features: pd.DataFrame, labels: pd.Series) -> LeadScoringModel:
        self.estimator.fit(self._select(features), labels)
        return self

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """Probability that each row converts, shape ``(n_rows,)``."""
        probabilities: np.ndarray = self.estimator.predict_proba(self._select(features))
        return probabilities[:, 1]

    @property
    def intercept(self) -> float:
        return float(self.estimator.named_steps["classifier"].intercept_[0])

    def explain(self, features: pd.DataFrame) -> pd.DataFrame:
        """Each feature's additive contribution to the log-odds; a row sums to ``logit(p) - intercept``."""
        scaled = self.estimator.named_steps["scale"].transform(self._select(features))
        coefficients = self.estimator.named_steps["classifier"].coef_[0]
        return pd.DataFrame(scaled * coefficients, index=features.index, columns=list(self.feature_columns))
