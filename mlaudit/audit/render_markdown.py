"""Markdown: a pull-request comment or a GitHub step summary."""

from __future__ import annotations

from mlaudit.audit.compare import Comparison
from mlaudit.audit.model import AuditReport, CheckResult, Status

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


def render(report: AuditReport, *, verbose: bool = False, comparison: Comparison | None = None) -> str:
    out = [f"## mlaudit audit: {report.score:.1f}/100, grade {report.grade}", ""]
    if comparison is not None:
        out += [
            f"Previous audit: {comparison.previous.score:.1f} ({comparison.previous.grade}), "
            f"change {_delta(comparison.score)}.",
            "",
        ]
    head = "| Area | Score | Grade | |" + (" Change |" if comparison else "")
    out += [head, "| --- | ---: | :---: | --- |" + (" ---: |" if comparison else "")]
    for area in report.areas:
        score = "n/a" if area.score is None else f"{area.score:.0f}"
        row = f"| {area.title} | {score} | {area.grade} | `{_bar(area.score)}` |"
        if comparison is not None:
            row += f" {_delta(comparison.area_delta(area.id))} |"
        out.append(row)
    todo = [
        (area.title, c)
        for area in report.areas
        for c in area.checks
        if c.status in (Status.FAIL, Status.PARTIAL)
    ]
    todo.sort(key=lambda item: -item[1].weight * (1 - (item[1].status.credit or 0)))
    if todo:
        out += ["", "### What to fix first", ""]
        for area_title, check in todo:
            out.append(f"- {MARK[check.status]} **{_cell(check.title)}** ({area_title}, weight {check.weight:g}): "
                       f"{_cell(check.summary)}. *Fix:* {_cell(check.fix)}")  # fmt: skip
            for ev in check.evidence[:3]:
                out.append(
                    f"  - {_where(ev.filename, ev.location.row if ev.location else None)}{_cell(ev.message)}"
                )
    if comparison is not None and comparison.checks:
        out += ["", "### Changed since the previous audit", ""]
        for check_id, (was, now) in sorted(comparison.checks.items()):
            out.append(f"- `{check_id}`: {was.value if was else 'new'} → {now.value}")
    out += ["", "<details><summary>Every check</summary>", ""]
    out += ["| Area | Check | Status | Weight | Measured |", "| --- | --- | :---: | ---: | --- |"]
    for area in report.areas:
        for check in area.checks:
            out.append(f"| {area.title} | {_cell(check.title)} | {MARK[check.status]} {check.status.value} | "
                       f"{check.weight:g} | {_cell(check.summary)} |")  # fmt: skip
    out += ["", "</details>"]
    if verbose:
        out += ["", "### Evidence", ""]
        for area in report.areas:
            for check in area.checks:
                out += _evidence(check)
    return "\n".join(out) + "\n"


def _where(filename: str | None, row: int | None) -> str:
    if not filename:
        return ""
    return f"`{filename}{':' + str(row) if row else ''}` "


def _evidence(check: CheckResult) -> list[str]:
    if not check.evidence:
        return []
    lines = [f"**{_cell(check.title)}**", ""]
    for ev in check.evidence:
        lines.append(f"- {_where(ev.filename, ev.location.row if ev.location else None)}{_cell(ev.message)}")
    return [*lines, ""]
