from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from leadscore.config import TrainingConfig
from leadscore.data import generate_events
from leadscore.features import FEATURE_COLUMNS, build_features
from leadscore.model import LeadScoringModel


@pytest.fixture
def training_data(now: datetime) -> tuple[pd.DataFrame, pd.Series]:
    dataset = generate_events(300, seed=11, now=now)
    features = build_features(dataset.events, dataset.users, now)
    return features, dataset.users.set_index("user_id")["converted"]


def test_hyperparameters_come_from_the_config(base_config: TrainingConfig) -> None:
    model = LeadScoringModel.from_config(base_config, FEATURE_COLUMNS)
    classifier = model.estimator.named_steps["classifier"]

    assert classifier.C == base_config.C
    assert classifier.max_iter == base_config.max_iter
    assert classifier.random_state == base_config.seed


def test_fit_and_predict_proba(
    base_config: TrainingConfig, training_data: tuple[pd.DataFrame, pd.Series]
) -> None:
    features, labels = training_data
    model = LeadScoringModel.from_config(base_config, FEATURE_COLUMNS).fit(features, labels)

    scores = model.predict_proba(features)

    assert scores.shape == (len(features),)
    assert ((scores >= 0) & (scores <= 1)).all()
    # Column order does not matter: features are selected by name.
    np.testing.assert_allclose(model.predict_proba(features[list(reversed(FEATURE_COLUMNS))]), scores)


def test_explain_adds_up_to_the_log_odds(
    base_config: TrainingConfig, training_data: tuple[pd.DataFrame, pd.Series]
) -> None:
    features, labels = training_data
    model = LeadScoringModel.from_config(base_config, FEATURE_COLUMNS).fit(features, labels)

    contributions = model.explain(features)
    scores = model.predict_proba(features)

    assert list(contributions.columns) == list(FEATURE_COLUMNS)
    np.testing.assert_allclose(contributions.sum(axis=1) + model.intercept, np.log(scores / (1 - scores)))


def test_missing_feature_is_refused(base_config: TrainingConfig) -> None:
    model = LeadScoringModel.from_config(base_config, FEATURE_COLUMNS)
    with pytest.raises(ValueError, match="invites_sent"):
        model.predict_proba(pd.DataFrame({"days_since_signup": [1.0]}))
