"""A file being fixed: its bytes, the virtual module the engine analysed (``.py`` text, or a notebook's
code cells joined), and the way back from edited virtual lines to the file's bytes (through
``suppress_writer``'s documents, which keep a notebook's JSON layout, outputs and metadata)."""

from __future__ import annotations

import ast
import difflib
import os
import stat
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mlaudit.engine.source import SourceError, read_source, split_lines
from mlaudit.facts.model import Span
from mlaudit.fixes.base import Hunk
from mlaudit.model import Finding, Location
from mlaudit.suppress_writer._documents import Doc, NotebookDoc, PyDoc


@dataclass
class FixFile:
    rel: str
    path: Path
    data: bytes
    doc: Doc
    notebook: bool
    original: list[str]
    trailing_newline: bool
    strict_compile: bool
    """The original compiles (not only parses): then every fixed version must compile too."""

    def text(self, lines: Sequence[str]) -> str:
        return "\n".join(lines) + ("\n" if self.trailing_newline and lines else "")

    def render(self, lines: list[str]) -> bytes | None:
        """The file's bytes with virtual ``lines``; None if they cannot be mapped back onto it."""
        if not self.notebook:
            out = self.doc.render({0: list(lines)})
            try:
                back = read_source(out, notebook=False).text
            except SourceError:
                return None
            return out if split_lines(back) == list(lines) else None
        assert isinstance(self.doc, NotebookDoc)
        units = notebook_units(self.doc, self.original, lines)
        if units is None:
            return None
        out = self.doc.render(units)
        try:
            back = read_source(out, notebook=True).text
        except SourceError:
            return None
        return out if split_lines(back) == list(lines) else None

    def valid(self, lines: list[str]) -> bool:
        text = self.text(lines)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if self.strict_compile:
                    compile(text, self.rel, "exec", dont_inherit=True)
                else:
                    ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
        return self.render(lines) is not None


def _owner(doc: NotebookDoc, hunk: Hunk) -> tuple[int, int] | None:
    """(cell, first virtual line) of the code cell a changed range falls in (an insertion may go at a
    cell's end, where its separator line is)."""
    for cell, start in sorted(doc.starts.items(), key=lambda p: p[1]):
        last = start + len(doc.units[cell]) - 1  # last line of the cell; last + 1 is its separator
        inside = (
            start <= hunk.start <= last + 1
            if hunk.start == hunk.end
            else start <= hunk.start and hunk.end - 1 <= last
        )
        if inside:
            return cell, start
    return None


def notebook_units(doc: NotebookDoc, original: list[str], new: list[str]) -> dict[int, list[str]] | None:
    """New code-cell lines: every changed range of the virtual module must fall inside one cell and
    replace no masked (IPython) line."""
    units = {u: list(lines) for u, lines in doc.units.items()}
    for hunk in reversed(line_diff(original, new)):  # bottom-up, so earlier indexes stay valid
        owner = _owner(doc, hunk)
        if owner is None:
            return None
        cell, start = owner
        lo, hi = hunk.start - start, hunk.end - start
        if any(original[start - 1 + i] != doc.units[cell][i] for i in range(lo, hi)):
            return None  # a masked magic line
        units[cell][lo:hi] = list(hunk.lines)
    return units


def line_diff(old: list[str], new: list[str]) -> list[Hunk]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        Hunk(i1 + 1, i2 + 1, tuple(new[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def apply_hunks(lines: list[str], hunks: Iterable[Hunk]) -> list[str]:
    out = list(lines)
    for h in sorted(hunks, key=lambda h: (h.start, h.end), reverse=True):
        out[h.start - 1 : h.end - 1] = list(h.lines)
    return out


def open_file(path: Path, rel: str, max_mb: float) -> FixFile | str:
    """The file ready for fixing, or why it is not touched."""
    notebook = path.suffix == ".ipynb"
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read {rel}: {exc.strerror or exc}"
    if max_mb and not notebook and len(data) > max_mb * 1_000_000:
        return f"{rel} is over max-file-size: not fixed"
    try:
        text = read_source(data, notebook=notebook).text
        doc: Doc = NotebookDoc(data) if notebook else PyDoc(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SourceError, SyntaxError, ValueError, LookupError, RecursionError, MemoryError) as exc:
        return f"{rel} cannot be parsed ({type(exc).__name__}): not fixed"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, rel, "exec", dont_inherit=True)
        strict = True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        strict = False
    lines = split_lines(text)
    return FixFile(rel, path, data, doc, notebook, lines, text.endswith(("\n", "\r")), strict)


def virtual_span(f: Finding, doc: Doc) -> Span | None:
    return span_in(doc, f.location, f.end_location, f.cell)


def span_in(doc: Doc, location: Location, end: Location, cell: int | None) -> Span | None:
    """A location (row within its cell for a notebook) in virtual-module coordinates."""
    if cell is None:
        return Span(location.row, location.column, end.row, end.column)
    if not isinstance(doc, NotebookDoc) or cell not in doc.starts:
        return None
    start = doc.starts[cell]
    return Span(start + location.row - 1, location.column, start + end.row - 1, end.column)


def unwritable(file: FixFile) -> str | None:
    """Why ``file`` cannot be written in place (None: it can)."""
    try:
        mode = file.path.stat().st_mode
    except OSError as exc:
        return f"cannot write {file.rel}: {exc.strerror or exc} (not fixed)"
    if not mode & stat.S_IWUSR or not os.access(file.path, os.W_OK):
        return f"cannot write {file.rel}: the file is read-only (not fixed)"
    return None


def write(file: FixFile, data: bytes) -> str | None:
    """Write in place (same inode and mode); a file marked read-only is left alone, even for root."""
    problem = unwritable(file)
    if problem is not None:
        return problem
    try:
        file.path.write_bytes(data)
    except OSError as exc:
        return f"cannot write {file.rel}: {exc.strerror or exc} (not fixed)"
    return None


def unified_diff(file: FixFile, new: bytes) -> str:
    if not file.notebook:
        old_text = read_source(file.data, notebook=False).text
        new_text = read_source(new, notebook=False).text
        return "".join(
            difflib.unified_diff(
                old_text.splitlines(keepends=True),
                new_text.splitlines(keepends=True),
                f"a/{file.rel}",
                f"b/{file.rel}",
            )
        )
    assert isinstance(file.doc, NotebookDoc)
    after = NotebookDoc(new)
    parts = []
    for cell, lines in file.doc.units.items():
        if after.units.get(cell) != lines:
            parts.append(
                "".join(
                    difflib.unified_diff(
                        [x + "\n" for x in lines],
                        [x + "\n" for x in after.units.get(cell, [])],
                        f"a/{file.rel}:cell {cell}",
                        f"b/{file.rel}:cell {cell}",
                    )
                )
            )
    return "".join(parts)
