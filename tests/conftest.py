"""Shared fixtures: write a temporary project, run mlaudit on it in-process or as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pytest

from mlaudit import api
from mlaudit.engine.registry import Registry
from mlaudit.model import Finding, Report

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
    """An .ipynb JSON text; a cell is code source (dedented), or (cell_type, source)."""
    out = []
    for cell in cells:
        kind, src = cell if isinstance(cell, tuple) else ("code", textwrap.dedent(cell))
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


def check(
    root: Path,
    *select: str,
    paths: list[Path] | None = None,
    jobs: int = 1,
    cache: bool = False,
    registry: Registry | None = None,
    **overrides: object,
) -> Report:
    """Check ``root`` (or ``paths``) in process, isolated from any user configuration, with the selected
    rules (the defaults when none); ``overrides`` are settings (``per_file_ignores=...`` or
    ``rules={"long-function": {"max-lines": 5}}``). No cache unless ``cache`` (then in ``root/.cache``)."""
    opts = {k.replace("_", "-"): v for k, v in overrides.items()}
    if select:
        opts["select"] = select
    return api.check(
        paths or [root],
        api.CheckOptions(
            isolated=True,
            overrides=opts,
            jobs=jobs,
            no_cache=not cache,
            cache_dir=root / ".cache" if cache else None,
            registry=registry,
        ),
    )


# --- the rule test harness: write a project, check it with chosen rules, assert on the findings ----------
# Every rule family's tests use these (tests/rules/*); docs/contributing-rules.md shows them in use.


def inline(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """Source written indented inside a test, made flush-left (notebooks and bytes are left alone)."""
    return {
        rel: text if isinstance(text, bytes) or rel.endswith(".ipynb") else textwrap.dedent(text).lstrip("\n")
        for rel, text in files.items()
    }


class Findings(list[Finding]):
    """A check's findings (a plain list) with the questions tests ask of them; ``report`` is the run."""

    def __init__(self, findings: Iterable[Finding], report: Report) -> None:
        super().__init__(findings)
        self.report = report

    def of(self, code: str) -> Findings:
        """The findings of one rule (or of a code prefix such as ``MLA2``)."""
        return Findings((f for f in self if f.code.startswith(code)), self.report)

    def rows(self, code: str | None = None) -> list[tuple[str, int]]:
        return rows(self, code)

    def codes(self) -> list[str]:
        return [f.code for f in self]


def audit(
    root: Path,
    files: dict[str, str | bytes],
    select: str | Sequence[str] = (),
    *,
    paths: list[Path] | None = None,
    jobs: int = 1,
    cache: bool = False,
    **settings: object,
) -> Findings:
    """Write ``files`` under ``root`` (inline source dedented), check the project with the ``select``ed
    rules and return the findings. The run must have no errors: a file that failed to parse would
    otherwise make a "stays quiet" test pass. A single code (``"MLA201"``) selects that rule and keeps
    only its findings; a tuple (``("MLA1",)``) keeps every finding of the selection."""
    write_files(root, inline(files))
    codes = (select,) if isinstance(select, str) else tuple(select)
    report = check(root, *codes, paths=paths, jobs=jobs, cache=cache, **settings)
    assert not report.errors, report.errors
    found = Findings(report.findings, report)
    return found.of(select) if isinstance(select, str) else found


def rows(findings: Iterable[Finding], code: str | None = None) -> list[tuple[str, int]]:
    """Where the findings are, ``(filename, row)`` sorted; only ``code``'s when given."""
    return sorted((f.filename, f.location.row) for f in findings if code is None or f.code == code)


def hits(findings: Iterable[Finding], code: str) -> list[tuple[str, int, str]]:
    """``code``'s findings as ``(filename, row, code)``, sorted."""
    return sorted((f.filename, f.location.row, f.code) for f in findings if f.code == code)


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


@pytest.fixture
def built_adapters(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The annotations typer builds a (pydantic) coercion adapter for during the test."""
    import typer.core

    built: list[object] = []
    real = typer.core.build_runtime_param

    def counting(descriptor):  # type: ignore[no-untyped-def]
        built.append(descriptor.annotation)
        return real(descriptor)

    monkeypatch.setattr(typer.core, "build_runtime_param", counting)
    return built
