"""The report contract (schema_version 1): pydantic models for findings, errors and the report.

This module is the bottom layer: everything may import it, it imports nothing of mlaudit.
Keys only grow; renaming or removing one needs a new ``SCHEMA_VERSION``.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

# Each model's validator and serializer are built on first use, not at import: the engine constructs its
# reports from values it has typed already (``model_construct``), so a warm text run builds none of them.
_DEFERRED = ConfigDict(defer_build=True)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        return cls(value.lower())


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}

CATEGORIES = (
    "meta",
    "state",
    "purity",
    "config",
    "architecture",
    "duplication",
    "complexity",
    "reproducibility",
)


class Location(BaseModel):
    """A 1-based position. For notebooks ``row`` is the line within the cell."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    row: int
    column: int


class Related(BaseModel):
    model_config = _DEFERRED
    filename: str
    location: Location
    end_location: Location | None = None
    cell: int | None = None
    message: str = ""


class Edit(BaseModel):
    model_config = _DEFERRED
    content: str
    location: Location
    end_location: Location
    filename: str | None = None
    """Set when the edit is to another file than the finding's (a project rule's fix, such as MLA701's)."""
    cell: int | None = None
    """The notebook cell of an edit to another file (rows then count within it)."""


class Fix(BaseModel):
    model_config = _DEFERRED
    applicability: str = "safe"
    message: str = ""
    edits: list[Edit] = Field(default_factory=list)


class Finding(BaseModel):
    model_config = _DEFERRED
    code: str
    name: str
    category: str
    severity: Severity
    message: str
    filename: str
    location: Location
    end_location: Location
    cell: int | None = None
    fingerprint: str = ""
    related: list[Related] = Field(default_factory=list)
    fix: Fix | None = None
    url: str = ""

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        return (
            self.filename,
            self.cell or 0,
            self.location.row,
            self.location.column,
            self.code,
            self.message,
        )


class FileError(BaseModel):
    model_config = _DEFERRED
    code: str = "MLA001"
    filename: str
    location: Location = Location.model_construct(row=1, column=1)
    cell: int | None = None
    message: str


class Summary(BaseModel):
    model_config = _DEFERRED
    files: int = 0
    findings: int = 0
    errors: int = 0
    suppressed: int = 0
    baselined: int = 0
    """Known findings not reported: matched by ``--baseline`` or already present at ``--diff-base``."""
    stale_baseline: int = 0
    """Baseline entries that matched no current finding (the problem is gone): drop them."""
    by_severity: dict[str, int] = Field(default_factory=lambda: {s.value: 0 for s in Severity})
    by_code: dict[str, int] = Field(default_factory=dict)
    duration_s: float = 0.0


class Tool(BaseModel):
    model_config = _DEFERRED
    name: str = "mlaudit"
    version: str


class Report(BaseModel):
    model_config = _DEFERRED
    schema_version: int = SCHEMA_VERSION
    tool: Tool
    summary: Summary
    findings: list[Finding] = Field(default_factory=list)
    errors: list[FileError] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    internal_error: bool = False
    """True when a rule crashed on a file: the CLI then exits 2 (the report is still complete otherwise)."""
