"""The versioned model contract: what an artifact promises and who may load it.

An artifact directory holds the fitted estimator, ``metadata.json`` and the configuration that produced
it. The metadata records three versions that change for different reasons:

* ``model_version``: the wrapper's code (``leadscore.model.MODEL_VERSION``);
* ``feature_schema_version``: which features, in which order, with which meaning;
* ``output_schema_version``: what the scores mean to callers.

Loading refuses a model whose feature or output schema differs from the running code: silently scoring
with mismatched features is the worst kind of train/serve skew. Older *layouts* of a compatible model
are upgraded by an adapter instead (``artifact_format`` 1, written before the schema versions existed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sklearn.pipeline import Pipeline

from leadscore.config import TrainingConfig, config_hash, config_to_json
from leadscore.data import read_artifact, write_artifact
from leadscore.features import FEATURE_COLUMNS, FEATURE_SCHEMA_VERSION
from leadscore.model import MODEL_VERSION, OUTPUT_SCHEMA_VERSION, LeadScoringModel

ARTIFACT_FORMAT = 2


class ArtifactError(RuntimeError):
    """An artifact that cannot be read: unknown layout, broken metadata, unexpected object."""


class IncompatibleArtifactError(ArtifactError):
    """A readable artifact built for other features or outputs than this code provides."""


class ArtifactMetadata(BaseModel):
    """``metadata.json`` of the current layout (``artifact_format`` 2)."""

    model_config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())

    artifact_format: Literal[2] = 2
    model_name: str
    model_version: str
    feature_schema_version: int
    feature_columns: tuple[str, ...]
    output_schema_version: int
    config_hash: str
    created_at: datetime
    metrics: dict[str, float] = {}


@dataclass(frozen=True)
class ModelArtifact:
    """A loaded, compatibility-checked model and what it was built from."""

    model: LeadScoringModel
    metadata: ArtifactMetadata


def _from_format_1(raw: Mapping[str, Any]) -> ArtifactMetadata:
    """Adapter for the first layout: flat keys, no output schema (it only ever produced probabilities)."""
    try:
        return ArtifactMetadata(
            model_name=raw["model"],
            model_version=raw["version"],
            feature_schema_version=raw["feature_version"],
            feature_columns=tuple(raw["features"]),
            output_schema_version=1,
            config_hash=raw["config_sha256"],
            created_at=raw["trained_at"],
        )
    except (KeyError, ValidationError) as exc:
        raise ArtifactError(f"artifact format 1 metadata is incomplete: {exc}") from exc


def _from_format_2(raw: Mapping[str, Any]) -> ArtifactMetadata:
    try:
        return ArtifactMetadata.model_validate(raw)
    except ValidationError as exc:
        raise ArtifactError(f"artifact metadata does not validate:\n{exc}") from exc


_ADAPTERS: Mapping[int, Callable[[Mapping[str, Any]], ArtifactMetadata]] = {
    1: _from_format_1,
    2: _from_format_2,
}


def upgrade_metadata(raw: Mapping[str, Any]) -> ArtifactMetadata:
    """Parse metadata of any supported layout into the current one."""
    layout = raw.get("artifact_format", raw.get("format_version"))
    adapter = _ADAPTERS.get(layout) if isinstance(layout, int) else None
    if adapter is None:
        raise ArtifactError(f"unsupported artifact format {layout!r}; this code reads {sorted(_ADAPTERS)}")
    return adapter(raw)


def check_compatible(metadata: ArtifactMetadata) -> None:
    """Refuse a model trained on other features, or whose scores mean something else."""
    expected = (FEATURE_SCHEMA_VERSION, FEATURE_COLUMNS)
    found = (metadata.feature_schema_version, metadata.feature_columns)
    if found != expected:
        raise IncompatibleArtifactError(
            f"artifact expects feature schema v{found[0]} {list(found[1])}, but this code builds "
            f"v{expected[0]} {list(expected[1])}: retrain the model or serve it with a matching release"
        )
    if metadata.output_schema_version != OUTPUT_SCHEMA_VERSION:
        raise IncompatibleArtifactError(
            f"artifact has output schema v{metadata.output_schema_version}, "
            f"this code serves v{OUTPUT_SCHEMA_VERSION}"
        )


def save_model(
    model: LeadScoringModel,
    directory: Path,
    *,
    config: TrainingConfig,
    created_at: datetime,
    metrics: Mapping[str, float],
) -> ArtifactMetadata:
    """Write ``model`` with its metadata and configuration; return the metadata written."""
    metadata = ArtifactMetadata(
        model_name=config.model_name,
        model_version=MODEL_VERSION,
        feature_schema_version=FEATURE_SCHEMA_VERSION,
        feature_columns=model.feature_columns,
        output_schema_version=OUTPUT_SCHEMA_VERSION,
        config_hash=config_hash(config),
        created_at=created_at,
        metrics=dict(metrics),
    )
    write_artifact(directory, model.estimator, metadata.model_dump(mode="json"), config_to_json(config))
    return metadata


def load_model(directory: Path) -> ModelArtifact:
    """Load an artifact of any supported layout, refusing incompatible schemas."""
    try:
        estimator, raw = read_artifact(directory)
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"cannot read artifact {directory}: {exc}") from exc
    metadata = upgrade_metadata(raw)
    check_compatible(metadata)
    if not isinstance(estimator, Pipeline):
        raise ArtifactError(f"{directory}: expected a scikit-learn Pipeline, got {type(estimator).__name__}")
    return ModelArtifact(LeadScoringModel(estimator, metadata.feature_columns), metadata)
