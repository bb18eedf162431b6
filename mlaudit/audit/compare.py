"""``--compare PREVIOUS.json``: the change per area and per check since a previous audit."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from mlaudit.audit.model import AUDIT_SCHEMA_VERSION, AuditReport, Status


class CompareError(Exception):
    """The previous report cannot be read: the CLI prints it and exits 2."""


@dataclass
class Comparison:
    previous: AuditReport
    score: float
    """Change of the overall score (points)."""
    areas: dict[str, float | None] = field(default_factory=dict)
    """Area id -> change of its score (None when either side has no score)."""
    checks: dict[str, tuple[Status | None, Status]] = field(default_factory=dict)
    """Check id -> (previous status or None when new, current status), for checks whose status changed."""

    def area_delta(self, area_id: str) -> float | None:
        return self.areas.get(area_id)


def load_previous(path: Path) -> AuditReport:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CompareError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise CompareError(f"{path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema_version") != AUDIT_SCHEMA_VERSION:
        raise CompareError(
            f"{path} is not an mlaudit audit report (schema_version {AUDIT_SCHEMA_VERSION}); write one with "
            "`mlaudit audit --output-format json -o PREVIOUS.json`"
        )
    try:
        return AuditReport.model_validate(data)
    except ValidationError as exc:
        raise CompareError(f"{path} is not a valid audit report: {exc.error_count()} problem(s)") from None


def compare(current: AuditReport, previous: AuditReport) -> Comparison:
    before = {a.id: a for a in previous.areas}
    before_checks = {c.id: c.status for a in previous.areas for c in a.checks}
    out = Comparison(previous=previous, score=round(current.score - previous.score, 1))
    for area in current.areas:
        old = before.get(area.id)
        out.areas[area.id] = (
            round(area.score - old.score, 1)
            if old is not None and old.score is not None and area.score is not None
            else None
        )
        for check in area.checks:
            was = before_checks.get(check.id)
            if was != check.status:
                out.checks[check.id] = (was, check.status)
    return out
