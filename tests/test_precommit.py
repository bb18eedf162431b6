"""Drive the real pre-commit client against this repository's hooks (`pre-commit try-repo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # pre-commit depends on PyYAML

from tests.conftest import REPO, write_files

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")


def test_hook_manifest_follows_the_conventions() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["mlaudit"]["entry"] == "mlaudit check --force-exclude"
    assert hooks["mlaudit"]["types_or"] == ["python", "pyi", "jupyter"]
    assert hooks["mlaudit"]["require_serial"] is True
    assert hooks["mlaudit-project"]["pass_filenames"] is False
    assert hooks["mlaudit-project"]["always_run"] is True


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is not installed")
def test_pre_commit_try_repo_fails_then_passes(tmp_path: Path) -> None:
    # try-repo installs the hook repository from its git HEAD; snapshot the working tree into a commit
    # of a throwaway clone so uncommitted changes are tested too.
    hook_repo = tmp_path / "hookrepo"
    shutil.copytree(
        REPO,
        hook_repo,
        ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", ".*_cache", "__pycache__"),
    )
    git("init", "-q", cwd=hook_repo)
    git("add", "-A", cwd=hook_repo)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot", cwd=hook_repo)

    project = write_files(tmp_path / "user", {"job.py": "x = 1  # mlaudit ignore[whatever]\n"})
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    cmd = [PRE_COMMIT, "try-repo", str(hook_repo), "mlaudit", "--files", "job.py"]
    failing = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "MLA003" in failing.stdout

    (project / "job.py").write_text("x = 1\n")
    git("add", "-A", cwd=project)
    passing = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert passing.returncode == 0, passing.stdout + passing.stderr
