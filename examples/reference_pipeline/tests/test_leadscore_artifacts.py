from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from leadscore.artifacts import (
    ArtifactError,
    IncompatibleArtifactError,
    load_model,
    save_model,
)
from leadscore.config import TrainingConfig, config_hash
from leadscore.data import generate_events
from leadscore.features import FEATURE_COLUMNS, FEATURE_SCHEMA_VERSION, build_features
from leadscore.model import MODEL_VERSION, OUTPUT_SCHEMA_VERSION, LeadScoringModel


@pytest.fixture
def features(now: datetime) -> pd.DataFrame:
    dataset = generate_events(200, seed=5, now=now)
    return build_features(dataset.events, dataset.users, now).assign(
        converted=dataset.users.set_index("user_id")["converted"]
    )


@pytest.fixture
def fitted(base_config: TrainingConfig, features: pd.DataFrame) -> LeadScoringModel:
    return LeadScoringModel.from_config(base_config, FEATURE_COLUMNS).fit(features, features["converted"])


@pytest.fixture
def saved(tmp_path: Path, fitted: LeadScoringModel, base_config: TrainingConfig, now: datetime) -> Path:
    save_model(fitted, tmp_path / "artifact", config=base_config, created_at=now, metrics={"auc": 0.8})
    return tmp_path / "artifact"


def rewrite_metadata(directory: Path, **changes: object) -> None:
    path = directory / "metadata.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | changes), encoding="utf-8")


def test_artifact_records_the_contract(saved: Path, base_config: TrainingConfig) -> None:
    metadata = json.loads((saved / "metadata.json").read_text())

    assert metadata["artifact_format"] == 2
    assert metadata["model_version"] == MODEL_VERSION
    assert metadata["feature_schema_version"] == FEATURE_SCHEMA_VERSION
    assert metadata["output_schema_version"] == OUTPUT_SCHEMA_VERSION
    assert metadata["config_hash"] == config_hash(base_config)
    # The configuration that produced the model is saved beside it.
    assert json.loads((saved / "config.json").read_text())["C"] == base_config.C


def test_round_trip_predicts_the_same(saved: Path, fitted: LeadScoringModel, features: pd.DataFrame) -> None:
    artifact = load_model(saved)

    np.testing.assert_allclose(artifact.model.predict_proba(features), fitted.predict_proba(features))
    assert artifact.metadata.metrics == {"auc": 0.8}


def test_other_feature_schema_is_refused(saved: Path) -> None:
    rewrite_metadata(saved, feature_schema_version=FEATURE_SCHEMA_VERSION - 1)
    with pytest.raises(IncompatibleArtifactError, match="feature schema v1"):
        load_model(saved)


def test_other_feature_columns_are_refused(saved: Path) -> None:
    rewrite_metadata(saved, feature_columns=list(reversed(FEATURE_COLUMNS)))
    with pytest.raises(IncompatibleArtifactError, match="retrain the model"):
        load_model(saved)


def test_other_output_schema_is_refused(saved: Path) -> None:
    rewrite_metadata(saved, output_schema_version=OUTPUT_SCHEMA_VERSION + 1)
    with pytest.raises(IncompatibleArtifactError, match="output schema"):
        load_model(saved)


def test_unknown_layout_and_broken_metadata(saved: Path) -> None:
    rewrite_metadata(saved, artifact_format=9)
    with pytest.raises(ArtifactError, match="unsupported artifact format 9"):
        load_model(saved)
    (saved / "metadata.json").write_text("[]")
    with pytest.raises(ArtifactError, match="expected a JSON object"):
        load_model(saved)


def test_format_1_artifact_stays_loadable(
    tmp_path: Path, fitted: LeadScoringModel, features: pd.DataFrame, now: datetime
) -> None:
    # The layout written by leadscore 1.x: flat keys, no output schema, no config.json.
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    joblib.dump(fitted.estimator, legacy / "model.joblib")
    v1_metadata = {
        "format_version": 1,
        "model": "logistic_regression",
        "version": "1.4.2",
        "features": list(FEATURE_COLUMNS),
        "feature_version": FEATURE_SCHEMA_VERSION,
        "config_sha256": "0" * 64,
        "trained_at": now.isoformat(),
    }
    (legacy / "metadata.json").write_text(json.dumps(v1_metadata))

    artifact = load_model(legacy)

    assert artifact.metadata.model_version == "1.4.2"
    assert artifact.metadata.output_schema_version == 1
    np.testing.assert_allclose(artifact.model.predict_proba(features), fitted.predict_proba(features))


def test_incomplete_format_1_metadata(tmp_path: Path, fitted: LeadScoringModel) -> None:
    joblib.dump(fitted.estimator, tmp_path / "model.joblib")
    (tmp_path / "metadata.json").write_text(json.dumps({"format_version": 1, "model": "logistic_regression"}))
    with pytest.raises(ArtifactError, match="format 1 metadata is incomplete"):
        load_model(tmp_path)


def test_missing_artifact(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="cannot read artifact"):
        load_model(tmp_path / "nowhere")
