"""The bundled example pair: the compliant reference pipeline and its legacy twin.

From a checkout they live in ``<repo>/examples``; a wheel ships them as package data
(``mlaudit/_examples``). The linter never imports the example's ML libraries: only
``run_reference`` does, when the user asks to run the pipeline.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REFERENCE = "reference_pipeline"
LEGACY = "legacy_project"
REQUIRED = {"pandas": "pandas", "numpy": "numpy", "sklearn": "scikit-learn"}
_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".mlaudit_cache", ".pytest_cache", "runs", "artifacts"
)


class ExampleError(Exception):
    """A usage problem (missing extra, occupied target directory): exit code 2."""


def examples_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_examples", here.parent / "examples"):
        if (candidate / REFERENCE).is_dir():
            return candidate
    raise ExampleError("the bundled examples are missing from this installation")


def missing_extras() -> list[str]:
    return [dist for module, dist in REQUIRED.items() if importlib.util.find_spec(module) is None]


def copy_reference(target: Path) -> Path:
    """Write the reference pipeline to ``target`` (which must not exist or be empty)."""
    if target.exists() and any(target.iterdir()):
        raise ExampleError(f"{target} is not empty: choose a new directory")
    shutil.copytree(examples_dir() / REFERENCE, target, ignore=_IGNORE, dirs_exist_ok=True)
    return target


@dataclass(frozen=True)
class RunSummary:
    workdir: Path
    metrics: dict[str, Any]
    artifact_dir: Path
    experiment_log: Path
    experiment_row: dict[str, str]


def run_reference(workdir: Path, step: Callable[[str], None] = lambda _: None) -> RunSummary:
    """Copy the reference pipeline into ``workdir`` and run it end to end there."""
    missing = missing_extras()
    if missing:
        raise ExampleError(
            f"the example needs {', '.join(missing)}: install them with pip install 'mlaudit[examples]'"
        )
    step("copying the reference pipeline")
    project = copy_reference(workdir / REFERENCE)
    step("loading the pipeline")
    sys.path.insert(0, str(project))
    try:
        for name in [m for m in sys.modules if m == "leadscore" or m.startswith("leadscore.")]:
            del sys.modules[name]
        train = importlib.import_module("leadscore.train")
        step("training and evaluating (config, dataset, model, metrics, artifact, experiment log)")
        result = train.run_pipeline(
            project / "configs" / "base.toml", project, now=datetime.now(timezone.utc)
        )
    finally:
        sys.path.remove(str(project))
    metrics = result.metrics.as_dict() if hasattr(result.metrics, "as_dict") else dict(vars(result.metrics))
    return RunSummary(
        project, metrics, result.artifact_dir, result.experiment_log, dict(result.experiment_row)
    )
