"""The bundled reference pipeline runs, and its own test suite passes, under the project's test run.

Both run in a subprocess: the example is a separate project (its own ``pyproject.toml`` and import
root), and its heavy dependencies (the ``examples`` extra) stay out of this interpreter.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pandas", reason="the examples extra is not installed")
pytest.importorskip("sklearn", reason="the examples extra is not installed")

REPO_ROOT = Path(__file__).resolve().parents[2]
PIPELINE_DIR = REPO_ROOT / "examples" / "reference_pipeline"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # Drop inherited PYTHONPATH so the example imports its own package, not whatever the caller had.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_reference_pipeline_own_tests_pass() -> None:
    result = run(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "examples/reference_pipeline/tests"], REPO_ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_training_entry_point_runs_end_to_end(tmp_path: Path) -> None:
    result = run(
        ["-m", "leadscore.train", "--config", "configs/base.toml", "--workdir", str(tmp_path)], PIPELINE_DIR
    )
    assert result.returncode == 0, result.stdout + result.stderr

    with (tmp_path / "artifacts" / "experiments.csv").open(newline="") as log:
        (row,) = list(csv.DictReader(log))
    assert float(row["auc"]) > 0.75
    assert 0 < float(row["precision_at_recall"]) <= 1
    assert len(row["config_hash"]) == 64
    artifact = tmp_path / "artifacts" / row["artifact"]
    assert {path.name for path in artifact.iterdir()} == {"model.joblib", "metadata.json", "config.json"}
    assert result.stdout.startswith(f"AUC {float(row['auc']):.3f}")


def test_bad_configuration_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    text = (PIPELINE_DIR / "configs" / "base.toml").read_text(encoding="utf-8")
    config.write_text(text.replace("test_size = 0.25", "test_size = 2"), encoding="utf-8")

    result = run(["-m", "leadscore.train", "--config", str(config), "--workdir", str(tmp_path)], PIPELINE_DIR)

    assert result.returncode == 2
    assert "test_size" in result.stderr
    assert "Input should be less than 1" in result.stderr
