"""Pick the renderer for ``--output-format``; every renderer returns text, the CLI writes it."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from mlaudit.audit import render_html, render_json, render_markdown, render_text
from mlaudit.audit.compare import Comparison
from mlaudit.audit.run import AuditRun

FORMATS: tuple[str, ...] = ("text", "markdown", "json", "html")


def render(
    run: AuditRun,
    fmt: str,
    *,
    output_file: Path | None = None,
    verbose: bool = False,
    comparison: Comparison | None = None,
    color: bool = False,
    width: int | None = None,
) -> str:
    report = run.report
    if fmt == "json":
        return render_json.render(report)
    if fmt == "markdown":
        return render_markdown.render(report, verbose=verbose, comparison=comparison)
    if fmt == "html":
        base = output_file.resolve().parent if output_file is not None else Path.cwd()
        return render_html.render(
            report,
            root=run.root,
            base=base,
            graph=render_html.graph_view(run.analysis.index),
            comparison=comparison,
        )
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width or 100, highlight=False
    )
    render_text.render(report, console, verbose=verbose, comparison=comparison)
    return buffer.getvalue()
