from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pydantic
import pytest
from leadscore.artifacts import ModelArtifact, load_model, save_model
from leadscore.config import TrainingConfig
from leadscore.data import Dataset, generate_events
from leadscore.features import FEATURE_COLUMNS, build_features
from leadscore.model import LeadScoringModel
from leadscore.serve import PredictionRequest, predict


@pytest.fixture
def artifact(tmp_path: Path, base_config: TrainingConfig, now: datetime) -> ModelArtifact:
    dataset = generate_events(300, seed=2, now=now)
    features = build_features(dataset.events, dataset.users, now)
    labels = dataset.users.set_index("user_id")["converted"]
    model = LeadScoringModel.from_config(base_config, FEATURE_COLUMNS).fit(features, labels)
    save_model(model, tmp_path / "model", config=base_config, created_at=now, metrics={})
    return load_model(tmp_path / "model")


def request_for(dataset: Dataset, user_id: int) -> dict[str, object]:
    """A JSON-like request body built from the training frames, as a client would send it."""
    user = dataset.users.set_index("user_id").loc[user_id]
    events = dataset.events.loc[dataset.events["user_id"] == user_id]
    return {
        "user_id": user_id,
        "signup_at": user["signup_at"].isoformat(),
        "events": [
            {"event_type": kind, "timestamp": moment.isoformat()}
            for kind, moment in zip(events["event_type"], events["timestamp"], strict=True)
        ],
    }


def test_serving_matches_training_features(
    artifact: ModelArtifact, three_users: Dataset, now: datetime
) -> None:
    """Train/serve parity: the request path scores exactly like the batch path."""
    batch = artifact.model.predict_proba(build_features(three_users.events, three_users.users, now))

    for position, user_id in enumerate([1, 2, 3]):
        response = predict(request_for(three_users, user_id), artifact, now=now)
        assert response.probability == pytest.approx(batch[position])


def test_response_explains_the_score(artifact: ModelArtifact, three_users: Dataset, now: datetime) -> None:
    response = predict(request_for(three_users, 1), artifact, now=now)

    assert set(response.contributions) == set(FEATURE_COLUMNS)
    assert response.model_version == artifact.metadata.model_version
    assert response.output_schema_version == 1


def test_user_without_events(artifact: ModelArtifact, now: datetime) -> None:
    request = PredictionRequest(user_id=9, signup_at=now, events=())
    assert 0 <= predict(request, artifact, now=now).probability <= 1


@pytest.mark.parametrize(
    "body",
    [
        {"user_id": 1, "signup_at": "2024-04-01T12:00:00", "events": []},  # naive timestamp
        {
            "user_id": 1,
            "signup_at": "2024-04-01T12:00:00Z",
            "events": [{"event_type": "click", "timestamp": "2024-04-02T00:00:00Z"}],
        },
        {"user_id": "one", "signup_at": "2024-04-01T12:00:00Z"},
        {"user_id": 1, "signup_at": "2024-04-01T12:00:00Z", "plan": "pro"},
    ],
)
def test_invalid_requests_are_refused(
    artifact: ModelArtifact, now: datetime, body: dict[str, object]
) -> None:
    with pytest.raises(pydantic.ValidationError):
        predict(body, artifact, now=now)


def test_generated_users_score_like_batch(artifact: ModelArtifact, now: datetime) -> None:
    dataset = generate_events(20, seed=99, now=now)
    batch = artifact.model.predict_proba(build_features(dataset.events, dataset.users, now))

    served = [
        predict(request_for(dataset, user_id), artifact, now=now).probability for user_id in range(1, 21)
    ]

    assert served == pytest.approx(list(batch))
