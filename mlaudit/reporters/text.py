"""Terminal output: ``full`` (grouped by file, with the source line) and ``concise`` (one line each).

Rendered with rich when coloured (the CLI says so for a terminal without ``NO_COLOR``); plain text is
written directly, without importing rich, unless rich would rewrite it (``plain_render``). Notebook locations read ``path:cell N:row:col`` (cells counted over all cells, as ruff does).
"""

from __future__ import annotations

import io
import re
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
    if not ctx.color:
        plain = plain_render(report, ctx)
        if plain is not None:
            return plain
    return _rich_render(report, ctx)


# What rich changes in plain (uncoloured, unwrapped) text: control characters it strips and tabs it expands.
_RICH_REWRITES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
# What it reads in a plain string (not a Text): markup tags and emoji codes.
_RICH_MARKUP = re.compile(r"[\[\]]|:\S*?:")


def plain_render(report: Report, ctx: RenderContext) -> str | None:
    """The uncoloured ``full`` / ``concise`` text without rich (importing it is ~6% of a warm run):
    exactly what ``_rich_render`` prints then, or None when rich would rewrite something (a tab or a
    control character to expand or strip, a warning with markup or an emoji code; ``--statistics``),
    which rich then renders. tests/test_text_reporter_plain.py compares both."""
    if ctx.statistics:
        return None
    if any(_RICH_MARKUP.search(w) for w in report.warnings):
        return None
    lines: list[str] = []
    if ctx.format == "concise":
        lines.extend(_head_text(f, ctx) for f in report.findings)
    else:
        for filename, group in groupby(report.findings, key=lambda f: f.filename):
            lines.append(ctx.display_path(filename))
            for f in group:
                lines.extend(_full_lines(f, ctx))
            lines.append("")
    reported = {(f.code, f.filename) for f in report.findings}
    lines.extend(_error(err, ctx) for err in report.errors if (err.code, err.filename) not in reported)
    lines.extend(f"warning: {warning}" for warning in report.warnings)
    lines.append(summary_line(report))
    text = "".join(line + "\n" for line in lines)
    return None if _RICH_REWRITES.search(text) else text


def _head_text(f: Finding, ctx: RenderContext) -> str:
    where = location(ctx.display_path(f.filename), f.cell, f.location.row, f.location.column)
    return f"{where}: {f.code} [{f.name}] {f.message}"


def _full_lines(f: Finding, ctx: RenderContext) -> list[str]:
    lines = ["  " + _head_text(f, ctx)]
    src = ctx.source_line(f)
    if src is not None and src.strip():
        lines.append(f"    {f.location.row:>5} | {window(src.rstrip(), f.location.column)}")
    for rel in f.related:
        where = location(ctx.display_path(rel.filename), rel.cell, rel.location.row, rel.location.column)
        lines.append(f"      -> {where}: {rel.message}")
    return lines


def _rich_render(report: Report, ctx: RenderContext) -> str:
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
