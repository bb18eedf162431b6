"""What the analysis of one file produces (``FileResult``) and needs (``RunPlan``), and the reading of a
file's bytes: plain data and I/O without libcst, so a warm run served from the cache never imports the
parser (``engine.runner`` analyses a file, with ``engine.parsing``; it re-exports these names).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mlaudit.config.schema import Settings
from mlaudit.engine import suppressions as sup
from mlaudit.engine.discovery import SourceFile
from mlaudit.engine.rule import RawFinding, RuleOptions
from mlaudit.engine.source import CellStart
from mlaudit.facts.span import Span

if TYPE_CHECKING:
    from mlaudit.engine.visitor import FactExtractor, FileRule
    from mlaudit.facts.model import FileFacts  # named here for type checkers only: see ``engine.cache``


@dataclass(slots=True)
class FileErrorInfo:
    message: str
    span: Span
    template: bool = False
    """Not Python until rendered (a Jinja/cookiecutter template): skipped and counted, not an MLA001."""
    exercise: bool = False
    """A course exercise with gaps for the student to fill (``ps = # TODO``): skipped and counted."""
    excerpt: bool = False
    """An excerpt starting indented, cut out of a class or function: skipped and counted."""


@dataclass(slots=True)
class RuleCrash:
    code: str
    message: str
    detail: str = ""


@dataclass(slots=True)
class FileResult:
    rel: str
    module: str
    digest: str = ""
    findings: list[RawFinding] = field(default_factory=list)
    facts: FileFacts | None = None
    error: FileErrorInfo | None = None
    crashes: list[RuleCrash] = field(default_factory=list)
    suppressions: sup.Suppressions = field(default_factory=sup.Suppressions)
    cells: list[CellStart] = field(default_factory=list)
    rules_run: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # identity hash: the cache key is computed once per plan object
class RunPlan:
    """Everything a worker needs for a file; picklable (rule classes are pickled by reference)."""

    settings: Settings
    file_rules: tuple[tuple[type[FileRule], RuleOptions], ...]
    extractors: tuple[type[FactExtractor], ...]
    rule_keys: Mapping[str, str]
    """Every known rule code and name (lower-case) -> code, for suppression parsing."""


def _error_result(job: SourceFile, message: str, span: Span | None = None, digest: str = "") -> FileResult:
    return FileResult(
        rel=job.rel,
        module=job.module,
        digest=digest,
        error=FileErrorInfo(message, span or Span(1, 1, 1, 1)),
    )


def read_file(job: SourceFile, max_size: float = 0.0) -> tuple[bytes, FileResult | None]:
    """The file's bytes, or an error result when it cannot be read. Only regular files are read (a
    named pipe called ``x.py`` would block the run forever); a ``.py`` file over ``max_size`` MB is
    not read at all (a notebook's size is mostly outputs: its code is measured after extraction)."""
    try:
        fd = os.open(job.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return b"", _unreadable(job, exc)
    with os.fdopen(fd, "rb") as fh:
        try:
            refused = _refuse(job, os.fstat(fd), max_size)
            return (b"", refused) if refused is not None else (fh.read(), None)
        except OSError as exc:
            return b"", _unreadable(job, exc)


def _unreadable(job: SourceFile, exc: OSError) -> FileResult:
    if isinstance(exc, FileNotFoundError):
        return _error_result(job, "file vanished during the run")
    if isinstance(exc, IsADirectoryError):
        return _error_result(job, "is a directory, not a file")
    return _error_result(job, f"cannot read file: {exc.strerror or exc}")


def _refuse(job: SourceFile, st: os.stat_result, max_size: float) -> FileResult | None:
    """Why an opened path must not be read (a directory, a pipe, too large), or None."""
    if stat.S_ISDIR(st.st_mode):
        return _error_result(job, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        return _error_result(job, "not a regular file (a pipe, socket or device): not read")
    return None if job.is_notebook else _too_large(job, st.st_size, max_size)


def _too_large(job: SourceFile, size: int, max_size: float) -> FileResult | None:
    if not max_size or size <= max_size * 1_000_000:
        return None
    return _error_result(
        job,
        f"not analysed: {size / 1e6:.1f} MB of code is over the {max_size:g} MB limit "
        "(`max-file-size` setting); exclude generated files or raise the limit",
    )
