"""JSON (schema_version 1): what ``--compare`` reads back."""

from __future__ import annotations

from mlaudit.audit.model import AuditReport


def render(report: AuditReport) -> str:
    return report.model_dump_json(indent=2) + "\n"
