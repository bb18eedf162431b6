"""Terminal output (rich): the area table with bars, then the failed and partial checks with their fix
(``verbose``: every check)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mlaudit.audit.compare import Comparison
from mlaudit.audit.model import AuditReport, CheckResult, Evidence, Status

GRADE_STYLE = {
    "A": "bold green",
    "B": "green",
    "C": "yellow",
    "D": "dark_orange",
    "F": "bold red",
    "n/a": "dim",
}
STATUS_STYLE = {Status.PASS: "green", Status.PARTIAL: "yellow", Status.FAIL: "red", Status.NA: "dim"}
STATUS_MARK = {Status.PASS: "✓", Status.PARTIAL: "◐", Status.FAIL: "✗", Status.NA: "-"}


def bar(score: float | None, width: int = 20) -> Text:
    if score is None:
        return Text("n/a", style="dim")
    filled = round(score / 100 * width)
    style = GRADE_STYLE.get(_grade_letter(score), "")
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim")


def _grade_letter(score: float) -> str:
    from mlaudit.audit.model import grade_of

    return grade_of(score)


def _delta(value: float | None) -> Text:
    if value is None:
        return Text("")
    if value > 0:
        return Text(f"+{value:g}", style="green")
    if value < 0:
        return Text(f"{value:g}", style="red")
    return Text("±0", style="dim")


def _area_table(report: AuditReport, comparison: Comparison | None) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("area")
    table.add_column("score", justify="right")
    table.add_column("grade", justify="center")
    table.add_column("")
    if comparison is not None:
        table.add_column("change", justify="right")
    for area in report.areas:
        score = "n/a" if area.score is None else f"{area.score:.0f}"
        grade = Text(area.grade, style=GRADE_STYLE.get(area.grade, ""))
        row: list[str | Text] = [area.title, score, grade, bar(area.score)]
        if comparison is not None:
            row.append(_delta(comparison.area_delta(area.id)))
        table.add_row(*row)
    return table


def _overall(report: AuditReport, comparison: Comparison | None) -> Text:
    text = Text(f"\noverall {report.score:.1f}/100  grade ", style="bold")
    text += Text(report.grade, style=GRADE_STYLE.get(report.grade, ""))
    if comparison is not None:
        previous = comparison.previous
        text += Text(f"  (was {previous.score:.1f} {previous.grade}, ") + _delta(comparison.score) + Text(")")
    return text


def _changes(console: Console, comparison: Comparison | None) -> None:
    if comparison is None or not comparison.checks:
        return
    console.print(Text("\nChanged since the previous audit", style="bold underline"))
    for check_id, (was, now) in sorted(comparison.checks.items()):
        console.print(f"  {check_id}: {was.value if was else 'new'} -> {now.value}")


def render(
    report: AuditReport,
    console: Console,
    *,
    verbose: bool = False,
    comparison: Comparison | None = None,
) -> None:
    console.print(Text("mlaudit audit ", style="bold") + Text(report.root, style="dim"))
    console.print(_area_table(report, comparison))
    console.print(_overall(report, comparison))
    for area in report.areas:
        shown = [c for c in area.checks if verbose or c.status in (Status.FAIL, Status.PARTIAL)]
        if shown:
            console.print(Text(f"\n{area.title}", style="bold underline"))
        for check in shown:
            _check(console, check, verbose)
    _changes(console, comparison)
    for warning in report.warnings[:10]:
        console.print(Text(f"warning: {warning}", style="yellow"))


def _check(console: Console, check: CheckResult, verbose: bool) -> None:
    mark = Text(f"  {STATUS_MARK[check.status]} ", style=STATUS_STYLE[check.status])
    console.print(
        mark + Text(check.title, style="bold") + Text(f"  [{check.id}, weight {check.weight:g}]", style="dim")
    )
    if check.summary:
        console.print(Text(f"      {check.summary}"))
    if check.status in (Status.FAIL, Status.PARTIAL):
        console.print(Text(f"      fix: {check.fix}", style="cyan"))
    limit = len(check.evidence) if verbose else 3
    for ev in check.evidence[:limit]:
        console.print(Text(f"      {_where(ev)}", style="magenta") + Text(ev.message, style="dim"))
    if len(check.evidence) > limit:
        console.print(Text(f"      ... {len(check.evidence) - limit} more (--verbose)", style="dim"))


def _where(ev: Evidence) -> str:
    if not ev.filename:
        return ""
    return ev.filename + (f":{ev.location.row}" if ev.location else "") + "  "
