"""Shared fixtures: write a temporary project, run mlaudit on it in-process or as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mlaudit import api
from mlaudit.model import Report

REPO = Path(__file__).resolve().parents[1]


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def notebook(*cells: str | tuple[str, str], nbformat: int = 4) -> str:
    """An .ipynb JSON text; a cell is code source, or (cell_type, source)."""
    out = []
    for cell in cells:
        kind, src = cell if isinstance(cell, tuple) else ("code", cell)
        entry: dict[str, object] = {
            "cell_type": kind,
            "metadata": {},
            "source": src.splitlines(keepends=True),
        }
        if kind == "code":
            entry.update(execution_count=None, outputs=[])
        out.append(entry)
    return json.dumps({"cells": out, "metadata": {}, "nbformat": nbformat, "nbformat_minor": 5})


@pytest.fixture(autouse=True)
def _run_inside_tmp_path(request: pytest.FixtureRequest) -> None:
    """Tests that build a project in ``tmp_path`` run from there, as a user would (terminal paths are
    shown relative to the current directory)."""
    if "tmp_path" in request.fixturenames:
        request.getfixturevalue("monkeypatch").chdir(request.getfixturevalue("tmp_path"))


@pytest.fixture
def project(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    def make(files: dict[str, str | bytes]) -> Path:
        return write_files(tmp_path, files)

    return make


def check(root: Path, *select: str, paths: list[Path] | None = None, **overrides: object) -> Report:
    opts = {k.replace("_", "-"): v for k, v in overrides.items()}
    if select:
        opts["select"] = select
    return api.check(
        paths or [root],
        api.CheckOptions(isolated=True, overrides=opts, jobs=1, no_cache=True),
    )


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "mlaudit", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- the inner loop: `pytest -m "not slow"` ------------------------------------------------------------
# Slow = starts processes (the CLI as a subprocess, pre-commit, pools, pip), fuzzes, or audits the whole
# repository. Marked here by where a test lives and what it calls, so a new test of that kind is marked
# without anyone remembering to; CI runs everything.
SLOW_PATHS = (
    "tests/robustness/",
    "tests/test_precommit.py",
    "tests/test_self_audit.py",
    "tests/test_parallel.py",
    "tests/test_plugin.py",
    "tests/examples/",
)
SLOW_CALLS = frozenset({"run_cli", "subprocess", "run_python"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        rel = Path(str(item.fspath)).resolve().relative_to(REPO).as_posix()
        code = getattr(getattr(item, "function", None), "__code__", None)
        calls = set(code.co_names) if code is not None else set()
        if rel.startswith(SLOW_PATHS) or calls & SLOW_CALLS or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
