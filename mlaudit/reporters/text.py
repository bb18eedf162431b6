"""Terminal output: ``full`` (grouped by file, with the source line) and ``concise`` (one line each).

Rendered with rich; colour only when the CLI says so (a terminal without ``NO_COLOR``), plain text
otherwise. Notebook locations read ``path:cell N:row:col`` (cells counted over all cells, as ruff does).
"""

from __future__ import annotations

import io
from collections import Counter
from itertools import groupby
from typing import TYPE_CHECKING

from mlaudit.model import FileError, Finding, Report

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from mlaudit.reporters import RenderContext

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def location(filename: str, cell: int | None, row: int, column: int) -> str:
    if cell is not None:
        return f"{filename}:cell {cell}:{row}:{column}"
    return f"{filename}:{row}:{column}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(report: Report) -> str:
    s = report.summary
    parts = [
        _plural(s.by_severity.get(k, 0), k) for k in ("error", "warning", "info") if s.by_severity.get(k)
    ]
    detail = f" ({', '.join(parts)})" if parts else ""
    line = f"Found {_plural(s.findings, 'finding')}{detail} in {_plural(s.files, 'file')}"
    extras = []
    if s.suppressed:
        extras.append(f"{s.suppressed} suppressed")
    if s.baselined:
        extras.append(f"{s.baselined} baselined")
    if s.errors:
        extras.append(f"{_plural(s.errors, 'file error')}")
    if extras:
        line += f"; {', '.join(extras)}"
    return line + "."


def _console(buf: io.StringIO, color: bool) -> Console:
    from rich.console import Console

    return Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=160 if color else 10_000,
        soft_wrap=True,
        highlight=False,
    )


def render(report: Report, ctx: RenderContext) -> str:
    from rich.markup import escape
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, ctx.color)
    if ctx.statistics:
        # ruff's --statistics: the counts instead of the findings.
        if report.findings:
            console.print(statistics(report))
    elif ctx.format == "concise":
        for f in report.findings:
            console.print(_head(f, ctx))
    else:
        _print_grouped(console, report, ctx)
    reported = {(f.code, f.filename) for f in report.findings}
    for err in report.errors:
        if (err.code, err.filename) not in reported:  # shown once: as its finding when there is one
            console.print(Text(_error(err, ctx), style="red"))
    for warning in report.warnings:
        console.print(f"warning: {escape(warning)}", style="yellow")
    console.print(Text(summary_line(report), style="bold"))
    return buf.getvalue()


def _print_grouped(console: Console, report: Report, ctx: RenderContext) -> None:
    from rich.text import Text

    for filename, group in groupby(report.findings, key=lambda f: f.filename):
        console.print(Text(ctx.display_path(filename), style="bold underline"))
        for f in group:
            _print_full(console, f, ctx)
        console.print()


def _head(f: Finding, ctx: RenderContext) -> Text:
    from rich.text import Text

    text = Text()
    text.append(location(ctx.display_path(f.filename), f.cell, f.location.row, f.location.column), style="bold")
    text.append(": ")
    text.append(f.code, style=_STYLE.get(f.severity.value, ""))
    text.append(f" [{f.name}] ", style="dim")
    text.append(f.message)
    return text


def _print_full(console: Console, f: Finding, ctx: RenderContext) -> None:
    """One finding with its source line and related locations."""
    from rich.text import Text

    console.print(Text("  ") + _head(f, ctx))
    src = ctx.source_line(f)
    if src is not None and src.strip():
        shown = window(src.rstrip(), f.location.column)
        console.print(Text(f"    {f.location.row:>5} | ", style="dim") + Text(shown))
    for rel in f.related:
        where = location(ctx.display_path(rel.filename), rel.cell, rel.location.row, rel.location.column)
        console.print(Text(f"      -> {where}: {rel.message}", style="dim"))


SOURCE_WIDTH = 120


def window(line: str, column: int, width: int = SOURCE_WIDTH) -> str:
    """A long source line cut to ``width`` characters around the 1-based ``column`` (a minified or
    generated one-line file is never printed whole)."""
    if len(line) <= width:
        return line
    start = max(0, min(column - 1 - width // 3, len(line) - width))
    head = "…" if start > 0 else ""
    tail = "…" if start + width < len(line) else ""
    return head + line[start : start + width] + tail


def _error(err: FileError, ctx: RenderContext) -> str:
    where = location(ctx.display_path(err.filename), err.cell, err.location.row, err.location.column)
    return f"{where}: {err.code} {err.message}"


def statistics(report: Report) -> str:
    counts = Counter((f.code, f.name) for f in report.findings)
    width = max(len(str(n)) for n in counts.values())
    lines = [
        f"{n:>{width}}  {code}  {name}"
        for (code, name), n in sorted(counts.items(), key=lambda p: (-p[1], p[0]))
    ]
    return "\n".join(lines)
