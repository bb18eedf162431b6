"""``--add-ignore``: a suppression comment written for every reported finding, within the project's
line length."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlaudit.gate.options import Plan, registry_for
from mlaudit.model import Report

DEFAULT_LINE_LENGTH = 100


def line_length(root: Path) -> int:
    """The project's line length: ruff's ``line-length`` (ruff.toml, .ruff.toml or ``[tool.ruff]``),
    else 100. Read only to keep written directives within it."""
    from mlaudit.config.loader import tomllib

    for name, table in (("ruff.toml", ()), (".ruff.toml", ()), ("pyproject.toml", ("tool", "ruff"))):
        path = root / name
        if not path.is_file():
            continue
        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for key in table:
            data = data.get(key, {}) if isinstance(data, dict) else {}
        value = data.get("line-length") if isinstance(data, dict) else None
        if isinstance(value, int) and value > 0:
            return value
    return DEFAULT_LINE_LENGTH


def add_ignores(report: Report, plan: Plan) -> int:
    """Write suppressions for every reported finding; the exit code (0, or 1 if some were skipped)."""
    from mlaudit import suppress_writer

    reg = registry_for(plan.options)
    keys = {}
    for rule in reg.rules:
        keys[rule.code.lower()] = rule.code
        keys[rule.name.lower()] = rule.code
    result = suppress_writer.add_ignores(
        plan.loaded.root,
        report.findings,
        plan.gate.add_ignore or "",
        lambda k: keys.get(k.strip().lower()),
        line_length=line_length(plan.loaded.root),
    )
    files = len(result.files)
    plan.messages.append(
        f"Added {result.comments} suppression comment{'s' if result.comments != 1 else ''} for "
        f"{result.suppressed} finding{'s' if result.suppressed != 1 else ''} in {files} file{'s' if files != 1 else ''}."
    )
    for s in result.skipped:
        f = s.finding
        plan.messages.append(
            f"not suppressed: {f.filename}:{f.location.row}:{f.location.column}: {f.code} ({s.reason})"
        )
    return 1 if result.skipped or report.errors else 0
