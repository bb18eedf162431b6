"""Markdown: a pull-request comment or a GitHub step summary."""

from __future__ import annotations

from mlaudit.audit.compare import Comparison
from mlaudit.audit.model import AuditReport, CheckResult, Evidence, Status, to_fix

MARK = {Status.PASS: "✅", Status.PARTIAL: "🟡", Status.FAIL: "❌", Status.NA: "n/a"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _delta(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:+g}" if value else "±0"


def _bar(score: float | None) -> str:
    if score is None:
        return ""
    filled = round(score / 10)
    return "█" * filled + "░" * (10 - filled)


def _area_table(report: AuditReport, comparison: Comparison | None) -> list[str]:
    change = comparison is not None
    out = ["| Area | Score | Grade | |" + (" Change |" if change else ""),
           "| --- | ---: | :---: | --- |" + (" ---: |" if change else "")]  # fmt: skip
    for area in report.areas:
        score = "n/a" if area.score is None else f"{area.score:.0f}"
        row = f"| {area.title} | {score} | {area.grade} | `{_bar(area.score)}` |"
        if comparison is not None:
            row += f" {_delta(comparison.area_delta(area.id))} |"
        out.append(row)
    return out


def _fix_first(report: AuditReport) -> list[str]:
    todo = to_fix(report)
    if not todo:
        return []
    out = ["", "### What to fix first", ""]
    for area_title, check in todo:
        out.append(f"- {MARK[check.status]} **{_cell(check.title)}** ({area_title}, weight {check.weight:g}): "
                   f"{_cell(check.summary)}. *Fix:* {_cell(check.fix)}")  # fmt: skip
        out += [f"  - {_line(ev)}" for ev in check.evidence[:3]]
    return out


def _changes(comparison: Comparison | None) -> list[str]:
    if comparison is None or not comparison.checks:
        return []
    out = ["", "### Changed since the previous audit", ""]
    for check_id, (was, now) in sorted(comparison.checks.items()):
        out.append(f"- `{check_id}`: {was.value if was else 'new'} → {now.value}")
    return out


def _every_check(report: AuditReport) -> list[str]:
    out = ["", "<details><summary>Every check</summary>", ""]
    out += ["| Area | Check | Status | Weight | Measured |", "| --- | --- | :---: | ---: | --- |"]
    for area in report.areas:
        for check in area.checks:
            out.append(f"| {area.title} | {_cell(check.title)} | {MARK[check.status]} {check.status.value} | "
                       f"{check.weight:g} | {_cell(check.summary)} |")  # fmt: skip
    return [*out, "", "</details>"]


def render(report: AuditReport, *, verbose: bool = False, comparison: Comparison | None = None) -> str:
    out = [f"## mlaudit audit: {report.score:.1f}/100, grade {report.grade}", ""]
    if comparison is not None:
        out += [
            f"Previous audit: {comparison.previous.score:.1f} ({comparison.previous.grade}), "
            f"change {_delta(comparison.score)}.",
            "",
        ]
    out += _area_table(report, comparison) + _fix_first(report) + _changes(comparison) + _every_check(report)
    if verbose:
        out += ["", "### Evidence", ""]
        out += [line for area in report.areas for check in area.checks for line in _evidence(check)]
    return "\n".join(out) + "\n"


def _line(ev: Evidence) -> str:
    """``file:line`` message of one piece of evidence."""
    if not ev.filename:
        return _cell(ev.message)
    row = f":{ev.location.row}" if ev.location else ""
    return f"`{ev.filename}{row}` {_cell(ev.message)}"


def _evidence(check: CheckResult) -> list[str]:
    if not check.evidence:
        return []
    return [f"**{_cell(check.title)}**", "", *(f"- {_line(ev)}" for ev in check.evidence), ""]
