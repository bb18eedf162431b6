"""End to end: the whole pipeline on the bundled configuration, in a temporary directory."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from leadscore.artifacts import load_model
from leadscore.config import load_config
from leadscore.data import generate_events, read_experiments, write_dataset
from leadscore.train import main, run_pipeline

SYNTHETIC = "synthetic_users = 600"
FROM_FILES = 'dataset_dir = "leads"'


def test_run_pipeline_end_to_end(tmp_path: Path, base_config_path: Path, now: datetime) -> None:
    result = run_pipeline(base_config_path, tmp_path, now=now)

    assert result.metrics.auc > 0.75
    assert 0 < result.metrics.precision_at_recall <= 1
    assert result.artifact_dir.parent == tmp_path / "artifacts"
    assert {path.name for path in result.artifact_dir.iterdir()} == {
        "model.joblib",
        "metadata.json",
        "config.json",
    }
    assert load_model(result.artifact_dir).metadata.config_hash == result.config_hash
    assert read_experiments(tmp_path / "artifacts" / "experiments.csv") == [result.experiment_row]
    assert result.experiment_row["config_hash"] == result.config_hash
    assert result.experiment_row["timestamp"] == now.isoformat()


def test_runs_are_reproducible_and_logged_in_order(
    tmp_path: Path, base_config_path: Path, now: datetime
) -> None:
    first = run_pipeline(base_config_path, tmp_path, now=now)
    # A later run of the same configuration: same data relative to ``now``, same model, one more log row.
    second = run_pipeline(base_config_path, tmp_path, now=now + timedelta(days=1))

    assert second.metrics == first.metrics
    assert second.artifact_dir != first.artifact_dir
    rows = read_experiments(tmp_path / "artifacts" / "experiments.csv")
    assert [row["timestamp"] for row in rows] == [now.isoformat(), (now + timedelta(days=1)).isoformat()]


def test_run_on_a_dataset_directory(tmp_path: Path, base_config_path: Path, now: datetime) -> None:
    write_dataset(generate_events(300, seed=21, now=now), tmp_path / "leads")
    text = base_config_path.read_text(encoding="utf-8").replace(SYNTHETIC, FROM_FILES)
    config_path = tmp_path / "from_files.toml"
    config_path.write_text(text, encoding="utf-8")
    assert load_config(config_path).dataset_dir == Path("leads")

    result = run_pipeline(config_path, tmp_path, now=now)

    assert result.metrics.n_test == 75


def test_main_reports_metrics(
    tmp_path: Path, base_config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(base_config_path), "--workdir", str(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert out.startswith("AUC 0.")
    assert "experiments.csv" in out
    assert len(read_experiments(tmp_path / "artifacts" / "experiments.csv")) == 1


def test_main_reports_a_broken_dataset(
    tmp_path: Path, base_config_path: Path, now: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = generate_events(100, seed=1, now=now)
    broken = dataset.users.assign(converted=dataset.users["converted"] * 2)
    write_dataset(type(dataset)(users=broken, events=dataset.events), tmp_path / "leads")
    config_path = tmp_path / "broken.toml"
    config_path.write_text(
        base_config_path.read_text(encoding="utf-8").replace(SYNTHETIC, FROM_FILES),
        encoding="utf-8",
    )

    assert main(["--config", str(config_path), "--workdir", str(tmp_path)]) == 1
    assert "must be 0 or 1" in capsys.readouterr().err
