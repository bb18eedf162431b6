"""Dogfood: mlaudit audits its own repository clean (with the repository's own config, which excludes
the legacy example and the catalogue's bad examples), and the reference pipeline with no config at all."""

from __future__ import annotations

from mlaudit import api
from tests.conftest import REPO


def test_repository_audits_clean() -> None:
    report = api.check([REPO], api.CheckOptions(no_cache=True))
    assert [(f.filename, f.location.row, f.code, f.message) for f in report.findings] == []
    assert report.errors == []
    assert api.exit_code(report, report_fail_on()) == 0


def test_reference_pipeline_audits_clean_without_suppressions() -> None:
    pipeline = REPO / "examples" / "reference_pipeline"
    report = api.check(
        [pipeline], api.CheckOptions(isolated=True, no_cache=True, overrides={"select": ("ALL",)})
    )
    assert [(f.filename, f.location.row, f.code, f.message) for f in report.findings] == []
    texts = "".join(p.read_text(encoding="utf-8") for p in pipeline.rglob("*.py"))
    assert "mlaudit:" not in texts


def report_fail_on():  # type: ignore[no-untyped-def]
    from mlaudit.model import Severity

    return Severity.WARNING
