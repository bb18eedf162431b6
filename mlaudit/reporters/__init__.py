"""Output formats: one module per format, each exposing ``render(report, ctx) -> str``.

Reporters depend on the report model only; ``FORMATS`` maps a format name to its module path so a new
format is one new file plus one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mlaudit.model import Finding, Related, Report

FORMATS: dict[str, str] = {
    "full": "mlaudit.reporters.text",
    "concise": "mlaudit.reporters.text",
    "json": "mlaudit.reporters.json",
    "json-lines": "mlaudit.reporters.json",
    "sarif": "mlaudit.reporters.sarif",
    "github": "mlaudit.reporters.github",
    "gitlab": "mlaudit.reporters.gitlab",
    "junit": "mlaudit.reporters.junit",
}


@dataclass
class RenderContext:
    format: str = "full"
    root: Path = field(default_factory=Path.cwd)
    color: bool = False
    source_line: Callable[[Finding | Related], str | None] = lambda f: None
    statistics: bool = False
    rules: list[dict[str, object]] = field(default_factory=list)
    """Metadata of the enabled rules (for formats that describe rules, such as SARIF)."""
    repo_root: Path | None = None
    """The repository root, when ``root`` lies inside one: code-host formats use repository-relative paths."""
    notebook_line: Callable[[str, int, int], int | None] = lambda path, cell, row: None
    """(notebook path, cell, row) -> line of that source line in the ``.ipynb`` file, for formats without cells."""
    display_path: Callable[[str], str] = lambda filename: filename
    """Project-relative filename -> the path a person's terminal and editor resolve (text formats)."""


def cwd_relative(root: Path, cwd: Path | None = None) -> Callable[[str], str]:
    """Paths as ruff prints them: relative to the current directory when the file is under it,
    absolute otherwise (so terminal and editor links resolve wherever the user stands)."""
    base = (cwd or Path.cwd()).resolve()
    project = root.resolve()

    def show(filename: str) -> str:
        path = project / filename
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return str(path)

    return show


class Reporter(Protocol):
    def render(self, report: Report, ctx: RenderContext) -> str: ...


def get(fmt: str) -> Reporter:
    module = FORMATS.get(fmt)
    if module is None:
        raise KeyError(fmt)
    reporter: Reporter = importlib.import_module(module)
    return reporter
