"""``github``: GitHub Actions workflow commands (linter-conventions.md §4.4, §12 E6).

``::error|warning|notice file=...,line=...,col=...,endLine=...,endColumn=...,title=mlaudit (<name>)::<message>``
with @actions/core's escaping. A property is left out rather than emitted empty (pylint's ``endline=``
bug). GitHub shows only 10 annotations per level per step, so the CLI also appends ``step_summary()``
(a Markdown table of every finding) to ``$GITHUB_STEP_SUMMARY`` when that variable is set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlaudit.model import Finding, Report, Severity, Summary
from mlaudit.reporters._hosting import finding_region, region, repo_path, where

if TYPE_CHECKING:
    from mlaudit.reporters import RenderContext

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SUMMARY_LIMIT = 1_000_000
"""GitHub accepts up to 1 MiB of step summary per step; stay below it."""


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, properties: list[tuple[str, object]], message: str) -> str:
    props = ",".join(
        f"{k}={escape_property(str(v))}" for k, v in properties if v is not None and str(v) != ""
    )
    return f"::{level} {props}::{escape_data(message)}" if props else f"::{level}::{escape_data(message)}"


def annotation(f: Finding, ctx: RenderContext) -> str:
    reg = finding_region(ctx, f)
    props: list[tuple[str, object]] = [("file", repo_path(ctx, f.filename)), ("line", reg.line)]
    if reg.column is not None:
        props.append(("col", reg.column))
    if reg.end_line is not None:
        props.append(("endLine", reg.end_line))
        if reg.end_column is not None:
            props.append(("endColumn", reg.end_column))
    props.append(("title", f"mlaudit ({f.name})"))
    message = f"{f.code} {f.message}{reg.cell_note}"
    for rel in f.related:
        label = where(repo_path(ctx, rel.filename), rel.cell, rel.location)
        message += f"\n  related: {label}" + (f": {rel.message}" if rel.message else "")
    return command(LEVEL[f.severity], props, message)


def render(report: Report, ctx: RenderContext) -> str:
    lines = [annotation(f, ctx) for f in report.findings]
    for err in report.errors:
        # Files mlaudit could not analyse (also reported as parse-error findings when that rule is on).
        if any(f.code == err.code and f.filename == err.filename for f in report.findings):
            continue
        reg = region(ctx, err.filename, err.cell, err.location, None)
        props: list[tuple[str, object]] = [("file", repo_path(ctx, err.filename)), ("line", reg.line)]
        if reg.column is not None:
            props.append(("col", reg.column))
        props.append(("title", "mlaudit (file not analysed)"))
        lines.append(command("error", props, f"{err.code} {err.message}{reg.cell_note}"))
    for warning in report.warnings:
        lines.append(command("warning", [("title", "mlaudit")], warning))
    return "".join(line + "\n" for line in lines)


def _cell(text: str) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def step_summary(report: Report, ctx: RenderContext) -> str:
    """A Markdown report of every finding for ``$GITHUB_STEP_SUMMARY`` (annotations are capped per step)."""
    head = _summary_head(report.summary)
    if not report.findings:
        return "\n".join(head) + "\n"
    head += ["| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
    top = "\n".join(head) + "\n"
    return top + "".join(_summary_rows(report, ctx, len(top.encode())))


def _summary_head(s: Summary) -> list[str]:
    """The title with the counts, and a line for what is not shown, when something is not."""
    counts = ", ".join(f"{s.by_severity.get(k, 0)} {k}" for k in ("error", "warning", "info"))
    head = [
        f"### mlaudit: {s.findings} finding{'s' if s.findings != 1 else ''} ({counts}) in {s.files} files",
        "",
    ]
    hidden = [
        (s.baselined, "baselined (known, not shown)"),
        (s.suppressed, "suppressed inline"),
        (s.stale_baseline, "stale baseline entries"),
        (s.errors, "files could not be analysed"),
    ]
    extras = [f"{n} {what}" for n, what in hidden if n]
    if extras:
        head += ["; ".join(extras) + ".", ""]
    return head


def _summary_rows(report: Report, ctx: RenderContext, size: int) -> list[str]:
    """A table row per finding while the summary (``size`` bytes so far) stays below GitHub's limit."""
    rows = []
    for i, f in enumerate(report.findings):
        loc = where(repo_path(ctx, f.filename), f.cell, f.location)
        row = f"| {f.severity.value} | `{f.code}` {f.name} | `{_cell(loc)}` | {_cell(f.message)} |\n"
        size += len(row.encode())
        if size > SUMMARY_LIMIT - 200:
            rows.append(f"\n… and {len(report.findings) - i} more findings: see the full report.\n")
            break
        rows.append(row)
    return rows
