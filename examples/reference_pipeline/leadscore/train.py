"""The training entry point: ``python -m leadscore.train --config configs/base.toml``.

``run_pipeline`` is the whole run as one call (load config, build the dataset, train, evaluate, save the
artifact, log the experiment) and returns what a caller needs to show; ``main`` only parses arguments,
reads the clock once and reports.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from leadscore.artifacts import save_model
from leadscore.config import EXPERIMENT_LOG_FILE, ConfigError, config_hash, load_config
from leadscore.data import Dataset, append_experiment, load_dataset, resolve
from leadscore.evaluate import Metrics, evaluate
from leadscore.features import FEATURE_COLUMNS, FEATURE_SCHEMA_VERSION, build_features
from leadscore.model import MODEL_VERSION, LeadScoringModel
from leadscore.schema import LABEL, USER_ID, SchemaError, utc_timestamp, validate_training_frame


@dataclass(frozen=True)
class RunResult:
    """What one training run produced."""

    metrics: Metrics
    artifact_dir: Path
    experiment_log: Path
    experiment_row: dict[str, str]
    config_hash: str


def build_dataset(dataset: Dataset, now: datetime) -> tuple[pd.DataFrame, pd.Series]:
    """Features and labels for every user as of ``now``, checked against the training schema."""
    features = build_features(dataset.events, dataset.users, now)
    labels = dataset.users.set_index(USER_ID)[LABEL].reindex(features.index)
    validate_training_frame(features.assign(**{LABEL: labels}), FEATURE_COLUMNS)
    return features, labels


def artifact_name(now: datetime, digest: str) -> str:
    """Sortable by time, unique per configuration: ``20240501T120000Z-1a2b3c4d5e``."""
    return f"{utc_timestamp(now):%Y%m%dT%H%M%SZ}-{digest[:10]}"


def experiment_row(
    metrics: Metrics, *, now: datetime, digest: str, n_train: int, artifact_dir: Path, notes: str
) -> dict[str, str]:
    """One line of ``experiments.csv``; the column order is the log's header."""
    return {
        "timestamp": utc_timestamp(now).isoformat(),
        "config_hash": digest,
        "model_version": MODEL_VERSION,
        "feature_schema_version": str(FEATURE_SCHEMA_VERSION),
        "auc": f"{metrics.auc:.4f}",
        "precision_at_recall": f"{metrics.precision_at_recall:.4f}",
        "target_recall": f"{metrics.target_recall:g}",
        "n_train": str(n_train),
        "n_test": str(metrics.n_test),
        "artifact": artifact_dir.name,
        "notes": notes,
    }


def run_pipeline(config_path: Path, workdir: Path, *, now: datetime) -> RunResult:
    """Train, evaluate, save and log one model as configured; relative paths resolve against ``workdir``."""
    config = load_config(config_path)
    digest = config_hash(config)
    features, labels = build_dataset(load_dataset(config, workdir=workdir, now=now), now)
    train_x, test_x, train_y, test_y = train_test_split(
        features, labels, test_size=config.test_size, random_state=config.seed, stratify=labels
    )
    model = LeadScoringModel.from_config(config, FEATURE_COLUMNS).fit(train_x, train_y)
    metrics = evaluate(model, test_x, test_y, target_recall=config.target_recall)

    output_dir = resolve(config.output_dir, workdir)
    artifact_dir = output_dir / artifact_name(now, digest)
    save_model(model, artifact_dir, config=config, created_at=now, metrics=metrics.as_dict())
    row = experiment_row(
        metrics, now=now, digest=digest, n_train=len(train_y), artifact_dir=artifact_dir, notes=config.notes
    )
    log_path = output_dir / EXPERIMENT_LOG_FILE
    append_experiment(log_path, row)
    return RunResult(metrics, artifact_dir, log_path, row, digest)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m leadscore.train", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True, help="TOML training configuration")
    parser.add_argument(
        "--workdir", type=Path, default=Path(), help="directory relative config paths resolve against"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        result = run_pipeline(args.config, args.workdir, now=datetime.now(timezone.utc))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SchemaError as exc:
        print(f"error: the dataset breaks its schema: {exc}", file=sys.stderr)
        return 1
    metrics = result.metrics
    print(f"AUC {metrics.auc:.3f}")
    print(f"precision at {metrics.target_recall:.0%} recall {metrics.precision_at_recall:.3f}")
    print(f"artifact {result.artifact_dir}")
    print(f"experiment log {result.experiment_log} (config {result.config_hash[:10]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
