"""What a fix is: a rule code's ``FixSpec`` (availability, applicability, the function that proposes
edits; the metadata is declared in ``mlaudit.fixes.table``) and the data it works on.

A fix function gets the file being fixed (``FixSource``: the virtual-module text the engine analysed,
parsed lazily with libcst) and one finding in virtual-module coordinates (``Target``); it returns a
``Proposal`` (line hunks that replace lines of the virtual module) or None when this occurrence has no
mechanical fix. Fix functions are pure: they never read or write files (``mlaudit.autofix`` does), and
what they know of the rest of the project comes through ``FixSource.project``.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import libcst as cst

from mlaudit.engine.positions import Positions
from mlaudit.engine.source import split_lines
from mlaudit.facts.model import Span
from mlaudit.fixes.table import SAFE as SAFE  # re-exported: the fix modules' vocabulary
from mlaudit.fixes.table import UNSAFE as UNSAFE
from mlaudit.fixes.table import Applicability, Availability


@dataclass(frozen=True, slots=True)
class Site:
    """A related site of a finding (its ``related``), in the virtual-module coordinates of its file."""

    rel: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Target:
    """One finding to fix, in virtual-module coordinates (1-based lines and columns, exclusive end)."""

    code: str
    span: Span
    message: str
    related: tuple[Site, ...] = ()
    """The finding's related sites that could be located (same file or other project files)."""


@dataclass(frozen=True, slots=True)
class Hunk:
    """Replace virtual lines ``start`` .. ``end - 1`` (1-based; ``start == end``: insert before ``start``)."""

    start: int
    end: int
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FileEdit:
    """Edits to another project file (its virtual lines), part of a proposal for a project rule."""

    rel: str
    hunks: tuple[Hunk, ...]


@dataclass(frozen=True, slots=True)
class Proposal:
    """The edits that fix one finding (applied together or not at all) and a one-line description.

    ``others``: edits to other files (a project rule's finding, such as MLA701's, whose sites are spread
    over several files); the engine applies them with the same checks, or drops the whole proposal."""

    message: str
    hunks: tuple[Hunk, ...]
    others: tuple[FileEdit, ...] = ()


class ProjectView:
    """What a fix may ask about the rest of the project (read-only, textual, conservative)."""

    def mentions(self, word: str, *, besides: str) -> bool:
        """Whether any project file other than ``besides`` (a relative path) contains ``word`` as a word."""
        return True  # knowing nothing, assume it is used elsewhere: fixes that need to know stay off

    def mentioning(self, word: str, *, besides: str) -> list[str] | None:
        """The project files other than ``besides`` that contain ``word`` as a word (None: unknown)."""
        return None

    def defines(self, module: str, name: str) -> bool:
        """Whether first-party ``module`` binds ``name`` at its top level (``SEED = 42`` in ``config``)."""
        return False

    def source(self, rel: str) -> FixSource | None:
        """Another project file, to propose edits to (None: unknown, or not fixable)."""
        return None


@dataclass
class FixSource:
    """One file being fixed: its virtual-module text (a notebook's code cells joined, magics masked)."""

    text: str
    rel: str = "<string>"
    module: str = ""
    is_notebook: bool = False
    rule_keys: dict[str, str] = field(default_factory=dict)
    """Lower-cased rule codes and names -> code (for MLA003)."""
    project: ProjectView = field(default_factory=ProjectView)
    siblings: tuple[Target, ...] = ()
    """Every finding being fixed in this file in this pass (a fix that rewrites for all of a rule's
    findings at once, such as MLA103's, proposes the same edit for each, applied once)."""
    memo: dict[object, object] = field(default_factory=dict)
    """For a fix to keep what it computed once per pass (the text does not change within a pass)."""

    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.text)

    @cached_property
    def tree(self) -> cst.Module:
        return cst.parse_module(self.text)

    @cached_property
    def ast_tree(self) -> ast.Module:
        return ast.parse(self.text)

    @cached_property
    def positions(self) -> Positions:
        return Positions(self.tree)

    def span(self, node: cst.CSTNode) -> Span:
        return self.positions[node]

    def nodes(self, kinds: tuple[type[cst.CSTNode], ...]) -> Iterator[cst.CSTNode]:
        """Every node of the given kinds, in source order (collected once per pass and kinds)."""
        key = ("nodes", kinds)
        cached = self.memo.get(key)
        if isinstance(cached, list):
            return iter(cached)
        found: list[cst.CSTNode] = []

        class _Collect(cst.CSTVisitor):
            def on_visit(self, node: cst.CSTNode) -> bool:
                if isinstance(node, kinds):
                    found.append(node)
                return True

        self.tree.visit(_Collect())
        self.memo[key] = found
        return iter(found)

    def node_at(self, span: Span, kinds: tuple[type[cst.CSTNode], ...]) -> cst.CSTNode | None:
        """The node of one of ``kinds`` whose position is exactly ``span``; else the largest one that
        starts where ``span`` starts and ends inside it (a rule reporting a whole statement)."""
        fallback: tuple[tuple[int, int], cst.CSTNode] | None = None
        for node in self.nodes(kinds):
            s = self.span(node)
            if (s.line, s.col) != (span.line, span.col):
                continue
            if (s.end_line, s.end_col) == (span.end_line, span.end_col):
                return node
            end = (s.end_line, s.end_col)
            if end <= (span.end_line, span.end_col) and (fallback is None or end > fallback[0]):
                fallback = (end, node)
        return fallback[1] if fallback is not None else None

    def rewrite(self, new_text: str, message: str) -> Proposal | None:
        """The proposal turning this file's text into ``new_text`` (None: no change)."""
        hunks = diff_hunks(self.lines, split_lines(new_text))
        return Proposal(message, hunks) if hunks else None

    def rewrite_tree(self, new_tree: cst.Module, message: str) -> Proposal | None:
        return self.rewrite(new_tree.code, message)


def diff_hunks(old: list[str], new: list[str]) -> tuple[Hunk, ...]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return tuple(
        Hunk(i1 + 1, i2 + 1, tuple(new[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )


FixFunction = Callable[[FixSource, Target], Proposal | None]


@dataclass(frozen=True)
class FixSpec:
    """A rule code's fix: its row of ``mlaudit.fixes.table`` with its module's ``propose`` (built by
    ``mlaudit.fixes.registry``)."""

    code: str
    availability: Availability
    """``Always``: every finding of the rule can be fixed; ``Sometimes``: only some (ruff's vocabulary)."""
    applicability: Applicability
    """``safe``: never changes what the code does; ``unsafe``: may (applied only with ``--unsafe-fixes``)."""
    title: str
    """What the fix does, one line (``mlaudit rules``, ``--show-fixes``)."""
    propose: FixFunction
    notebooks: bool = True
    """Whether the fix may edit notebook cells."""
