"""The audit report contract (schema_version 1, ``../shared/design/audit.md``): pydantic models.

This is what ``--output-format json`` prints and what ``--compare`` reads back. Keys only grow; renaming or
removing one needs a new ``AUDIT_SCHEMA_VERSION``.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from mlaudit.model import Location, Tool

AUDIT_SCHEMA_VERSION = 1

AREAS: tuple[tuple[str, str], ...] = (
    ("boundaries", "Boundaries"),
    ("separation", "Separation of concerns"),
    ("configuration", "Configuration"),
    ("contracts", "Model contracts"),
    ("reproducibility", "Reproducibility"),
    ("hygiene", "Hygiene"),
)


class Status(str, Enum):
    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    NA = "n/a"

    @property
    def credit(self) -> float | None:
        """Share of the weight earned; None for n/a (the check does not count)."""
        return {Status.PASS: 1.0, Status.PARTIAL: 0.5, Status.FAIL: 0.0}.get(self)


class Evidence(BaseModel):
    message: str
    filename: str | None = None
    location: Location | None = None
    code: str | None = None
    """The rule code when the evidence is a finding of ``check``."""


class CheckResult(BaseModel):
    id: str
    title: str
    status: Status
    weight: float
    evidence: list[Evidence] = Field(default_factory=list)
    fix: str
    summary: str = ""
    """One line: what was measured (``42 of 50 signatures typed (84%)``) or why n/a."""
    rules: list[str] = Field(default_factory=list)
    """Rule codes the check reads."""


class AreaResult(BaseModel):
    id: str
    title: str
    score: float | None
    """0-100; None when every check of the area is n/a."""
    grade: str
    checks: list[CheckResult] = Field(default_factory=list)


class Metrics(BaseModel):
    """Numbers behind the charts."""

    files: int = 0
    code_lines: int = 0
    notebooks: int = 0
    findings: int = 0
    findings_by_area: dict[str, int] = Field(default_factory=dict)
    complexity: list[int] = Field(default_factory=list)
    """Cyclomatic complexity of every production function."""


class AuditReport(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    schema_version: int = AUDIT_SCHEMA_VERSION
    tool: Tool
    root: str
    score: float
    grade: str
    areas: list[AreaResult]
    metrics: Metrics = Field(default_factory=Metrics)
    warnings: list[str] = Field(default_factory=list)
    duration_s: float = 0.0


def grade_of(score: float | None) -> str:
    if score is None:
        return "n/a"
    for grade, floor in (("A", 90), ("B", 75), ("C", 60), ("D", 40)):
        if score >= floor:
            return grade
    return "F"


def to_fix(report: AuditReport) -> list[tuple[str, CheckResult]]:
    """(area title, check) of the failed and partial checks, the most score to gain first."""
    todo = [
        (area.title, c)
        for area in report.areas
        for c in area.checks
        if c.status in (Status.FAIL, Status.PARTIAL)
    ]
    return sorted(todo, key=lambda item: -item[1].weight * (1 - (item[1].status.credit or 0)))
