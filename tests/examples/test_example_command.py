"""`mlaudit example run|audit|copy`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlaudit import example
from mlaudit.cli import app
from tests.conftest import run_cli

runner = CliRunner()


def test_copy_writes_the_reference_pipeline_and_refuses_a_non_empty_target(tmp_path: Path) -> None:
    target = tmp_path / "newproj"
    result = runner.invoke(app, ["example", "copy", str(target)])
    assert result.exit_code == 0
    assert (target / "leadscore" / "features.py").is_file()
    assert (target / "configs" / "base.toml").is_file()
    assert not list(target.rglob("__pycache__"))
    again = run_cli("example", "copy", str(target), cwd=tmp_path)
    assert again.returncode == 2 and "not empty" in again.stderr


def test_audit_shows_both_projects_side_by_side(tmp_path: Path) -> None:
    result = run_cli("example", "audit", cwd=tmp_path, timeout=300)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    total = next(line for line in lines if "total" in line)
    legacy, reference = [int(x) for x in total.replace("│", " ").split()[-2:]]
    assert legacy > 0 and reference == 0
    assert any("MLA101 global-statement" in line for line in lines)


def test_run_without_the_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(example, "REQUIRED", {**example.REQUIRED, "no_such_module_xyz": "no-such-dist"})
    result = runner.invoke(app, ["example", "run", "--workdir", str(tmp_path)])
    assert result.exit_code == 2
    assert "pip install 'mlaudit[examples]'" in result.output
    assert "no-such-dist" in result.output


def test_run_executes_the_pipeline_end_to_end(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    pytest.importorskip("pandas")
    result = run_cli("example", "run", "--workdir", str(tmp_path), cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "auc:" in result.stdout
    log = tmp_path / "reference_pipeline" / "artifacts" / "experiments.csv"
    assert log.is_file() and len(log.read_text().splitlines()) == 2
    assert "Artifact folder:" in result.stdout
