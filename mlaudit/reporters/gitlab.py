"""``gitlab``: a GitLab Code Quality report (linter-conventions.md §4.5, §12 E7).

A JSON array; each issue has ``description`` ("<name>: <message>": GitLab's widget does not show
``check_name``), ``check_name``, a ``fingerprint``, a ``severity`` and a repository-relative
``location`` with both ``lines.begin`` and ``positions``.

Severity map: info -> ``info``, warning -> ``minor``, error -> ``major``, and ``critical`` for a file
mlaudit could not analyse at all (parse-error, MLA001: none of that file's problems are known).
``blocker`` is never used.

Fingerprints are line-independent (derived from the finding's fingerprint: code, path, normalised
source, occurrence index) and unique within the report: GitLab shows issues with equal fingerprints
once, so a collision is re-hashed with the previous value as salt (as ruff does).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from mlaudit.model import FileError, Finding, Report, Severity
from mlaudit.reporters._hosting import Region, finding_region, region, repo_path

if TYPE_CHECKING:
    from mlaudit.reporters import RenderContext

SEVERITY = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}
PARSE_ERROR = "MLA001"


def severity(f: Finding) -> str:
    return "critical" if f.code == PARSE_ERROR else SEVERITY[f.severity]


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


class _UniqueFingerprints:
    """GitLab shows issues with equal fingerprints once: a repeated one is re-hashed with itself as salt."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, seed: str) -> str:
        fp = seed
        while fp in self.seen:
            fp = _hash(fp, "salt")
        self.seen.add(fp)
        return fp


def render(report: Report, ctx: RenderContext) -> str:
    unique = _UniqueFingerprints()
    issues = [_finding_issue(f, ctx, unique) for f in report.findings]
    issues += [_error_issue(err, ctx, unique) for err in report.errors if not _is_finding(err, report)]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _finding_issue(f: Finding, ctx: RenderContext, unique: _UniqueFingerprints) -> dict[str, Any]:
    reg = finding_region(ctx, f)
    path = repo_path(ctx, f.filename)
    # The finding's own fingerprint already holds code, path, source and occurrence; without one
    # (a hand-built report) fall back to what is stable: code, path and message.
    fp = unique(_hash("mlaudit", f.fingerprint or f"{f.code}\0{path}\0{f.message}"))
    return {
        "type": "issue",
        "check_name": f.name,
        "description": f"{f.name}: {f.message}{reg.cell_note}",
        "severity": severity(f),
        "fingerprint": fp,
        "location": {"path": path, "lines": _lines(reg), "positions": _positions(reg)},
    }


def _lines(reg: Region) -> dict[str, int]:
    lines = {"begin": reg.line}
    if reg.end_line is not None:
        lines["end"] = reg.end_line
    return lines


def _positions(reg: Region) -> dict[str, Any]:
    positions: dict[str, Any] = {"begin": {"line": reg.line, "column": reg.column or 1}}
    if reg.end_line is not None:
        positions["end"] = {"line": reg.end_line, "column": reg.end_column or 1}
    return positions


def _is_finding(err: FileError, report: Report) -> bool:
    """Whether a file error is already an issue (the parse-error rule is on)."""
    return any(f.code == err.code and f.filename == err.filename for f in report.findings)


def _error_issue(err: FileError, ctx: RenderContext, unique: _UniqueFingerprints) -> dict[str, Any]:
    reg = region(ctx, err.filename, err.cell, err.location, None)
    path = repo_path(ctx, err.filename)
    return {
        "type": "issue",
        "check_name": "file-not-analysed",
        "description": f"file-not-analysed: {err.message}{reg.cell_note}",
        "severity": "critical",
        "fingerprint": unique(_hash("mlaudit-error", err.code, path)),
        "location": {"path": path, "lines": {"begin": reg.line}},
    }
