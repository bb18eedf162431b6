"""Serving: score one user from a validated request with the same feature code as training.

``predict`` is framework-free; a web layer (FastAPI, a queue consumer, a batch job) wraps it, reads the
clock once per request and passes ``now`` in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from leadscore.artifacts import ModelArtifact
from leadscore.features import build_features
from leadscore.schema import EVENT_TYPE, SIGNUP_AT, TIMESTAMP, USER_ID, EventType

_MAX_EVENTS = 100_000


class Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: EventType
    timestamp: AwareDatetime


class PredictionRequest(BaseModel):
    """One user's sign-up time and event history; naive timestamps and unknown event types are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user_id: int
    signup_at: AwareDatetime
    events: tuple[Event, ...] = Field(default=(), max_length=_MAX_EVENTS)


class PredictionResponse(BaseModel):
    model_config = ConfigDict(frozen=True, protected_namespaces=())

    user_id: int
    probability: float = Field(ge=0, le=1)
    contributions: dict[str, float]
    model_version: str
    output_schema_version: int


def _request_frames(request: PredictionRequest) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The request as the ``users`` and ``events`` frames the feature functions take."""
    users = pd.DataFrame(
        {USER_ID: [request.user_id], SIGNUP_AT: pd.to_datetime([request.signup_at], utc=True)}
    )
    events = pd.DataFrame(
        {
            USER_ID: pd.Series([request.user_id] * len(request.events), dtype="int64"),
            EVENT_TYPE: pd.Series([event.event_type for event in request.events], dtype="str"),
            TIMESTAMP: pd.to_datetime([event.timestamp for event in request.events], utc=True),
        }
    )
    return users, events


def predict(
    request: PredictionRequest | Mapping[str, Any], artifact: ModelArtifact, *, now: datetime
) -> PredictionResponse:
    """Score one user as of ``now``; a mapping is validated into a ``PredictionRequest`` first."""
    valid = request if isinstance(request, PredictionRequest) else PredictionRequest.model_validate(request)
    users, events = _request_frames(valid)
    features = build_features(events, users, now)
    contributions = artifact.model.explain(features).iloc[0]
    return PredictionResponse(
        user_id=valid.user_id,
        probability=float(artifact.model.predict_proba(features)[0]),
        contributions={name: round(float(value), 6) for name, value in contributions.items()},
        model_version=artifact.metadata.model_version,
        output_schema_version=artifact.metadata.output_schema_version,
    )
