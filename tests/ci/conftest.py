"""Fixtures for the CI-gate tests: probe rules patched into the registry, an in-process CLI runner,
temporary projects and git repositories."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlaudit import api, cli
from mlaudit.model import Report
from tests.ci.probes import probe_registry

SELECT = "XCI,MLA0"


@pytest.fixture(autouse=True)
def probes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test sees the built-in rules plus the probes; CI variables of the host are cleared."""
    reg = probe_registry()
    monkeypatch.setattr(api, "registry", lambda *, plugins=True, manifest=None: reg)
    for var in ("CI", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "CI_PROJECT_DIR", "MLAUDIT_OUTPUT_FORMAT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MLAUDIT_NO_CACHE", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    yield


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def notebook(*cells: str | tuple[str, str], indent: int | None = 1) -> str:
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
    doc = {"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(doc, indent=indent) + "\n"


def options(**changes: object) -> api.CheckOptions:
    opts = api.CheckOptions(isolated=True, overrides={"select": tuple(SELECT.split(","))}, jobs=1)
    if "no_cache" in {f.name for f in dataclasses.fields(opts)}:
        changes.setdefault("no_cache", True)
    return dataclasses.replace(opts, **changes)


def check(root: Path) -> Report:
    return api.check([root], options())


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """``run(*args, cwd=...)``: the real CLI entry point (``cli.main``) in process, so the probes apply."""

    def invoke(*args: str, cwd: Path, env: dict[str, str] | None = None, isolated: bool = True) -> Result:
        """``isolated``: add ``--isolated --select XCI,MLA0`` (else the project's config decides)."""
        monkeypatch.chdir(cwd)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        argv = ["mlaudit", *args]
        if args and args[0] == "check":
            argv[2:2] = ["--isolated", "--select", SELECT, "-j", "1"] if isolated else ["-j", "1"]
        monkeypatch.setattr(sys, "argv", argv)
        capsys.readouterr()
        code = 0
        try:
            cli.main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        for k in env or {}:
            monkeypatch.delenv(k, raising=False)
        return Result(code, captured.out, captured.err)

    return invoke


GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True
    )
    return proc.stdout


def commit_all(root: Path, message: str = "commit") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()
