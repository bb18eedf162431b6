"""Helpers for the audit tests: build a small project, audit it, look a check up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mlaudit import api
from mlaudit.audit import run_audit
from mlaudit.audit.model import AuditReport, CheckResult
from tests.conftest import write_files

Audit = Callable[..., AuditReport]


def find_check(report: AuditReport, check_id: str) -> CheckResult:
    for area in report.areas:
        for check in area.checks:
            if check.id == check_id:
                return check
    raise KeyError(check_id)


@pytest.fixture
def audit(tmp_path: Path) -> Audit:
    """Write ``files`` into a fresh project and audit it (git history is not read unless asked)."""
    counter = iter(range(1000))

    def run(files: dict[str, str | bytes], *, use_git: bool = False) -> AuditReport:
        root = tmp_path / f"p{next(counter)}"
        root.mkdir()
        write_files(root, {"pyproject.toml": "[tool.mlaudit]\n", **files})
        return run_audit(root, api.CheckOptions(no_cache=True), use_git=use_git).report

    return run
