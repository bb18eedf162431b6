"""Helpers shared by the formats that code hosts read (SARIF, GitHub annotations, GitLab Code Quality).

Those formats want repository-relative paths (a project may live in a sub-directory of the repository)
and a line of the *file*: for a notebook that is the line of the ``.ipynb`` JSON holding the cell's
source line (the best available position, found by ``RenderContext.notebook_line``), with the cell
number said in the message instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from mlaudit.model import Finding, Location, Related, Severity

if TYPE_CHECKING:
    from mlaudit.reporters import RenderContext


def repo_prefix(ctx: RenderContext) -> str:
    """``"sub/dir/"`` when the project root lies below the repository root, else ``""``."""
    if ctx.repo_root is None:
        return ""
    try:
        rel = ctx.root.resolve().relative_to(ctx.repo_root.resolve())
    except (ValueError, OSError):
        return ""
    text = rel.as_posix()
    return "" if text in ("", ".") else text + "/"


def repo_path(ctx: RenderContext, filename: str) -> str:
    prefix = repo_prefix(ctx)
    return str(PurePosixPath(prefix + filename)) if prefix else filename


@dataclass(frozen=True)
class Region:
    """A file position: 1-based, end exclusive. Notebooks get a line only (``column`` None)."""

    line: int
    column: int | None
    end_line: int | None
    end_column: int | None
    cell_note: str
    """`` (cell 3, line 2)`` for a notebook position, else empty: append it to the message."""


def region(
    ctx: RenderContext, filename: str, cell: int | None, start: Location, end: Location | None
) -> Region:
    if cell is None:
        end_line = end.row if end is not None else None
        end_column = end.column if end is not None else None
        if (
            end_line is not None
            and end_column is not None
            and (end_line, end_column) < (start.row, start.column)
        ):
            end_line, end_column = None, None
        return Region(start.row, start.column, end_line, end_column, "")
    line = ctx.notebook_line(filename, cell, start.row) or 1
    return Region(line, None, None, None, f" (cell {cell}, line {start.row})")


def finding_region(ctx: RenderContext, f: Finding) -> Region:
    return region(ctx, f.filename, f.cell, f.location, f.end_location)


def related_region(ctx: RenderContext, r: Related) -> Region:
    return region(ctx, r.filename, r.cell, r.location, r.end_location)


def where(filename: str, cell: int | None, loc: Location) -> str:
    """Human ``path:row:col`` (``path:cell N:row:col`` in a notebook), as the text output prints it."""
    if cell is not None:
        return f"{filename}:cell {cell}:{loc.row}:{loc.column}"
    return f"{filename}:{loc.row}:{loc.column}"


SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
