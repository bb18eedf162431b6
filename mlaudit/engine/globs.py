"""Gitignore-style pattern sets matched with one regular expression.

``pathspec.GitIgnoreSpec.match_file`` tries every pattern in turn (the last match decides, a negation
can re-include). Discovery asks the same few sets (excludes, includes, the module roles) about every
file of a project: 8,000 calls, a third of a warm single-file check inside a 640-file project. When no
pattern of a set negates, the answer is simply whether any pattern matches, which one alternation of
the patterns' own regular expressions gives in a single search; sets with a negation keep pathspec's
matching. Same answers either way (tests/engine/test_globs.py compares them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pathspec
from pathspec.util import normalize_file

_GROUP = re.compile(r"\(\?P<\w+>")
"""pathspec names a group in each pattern (``(?P<ps_d>/)``); names may not repeat in an alternation."""


class Globs:
    """``match_file(path)``: whether the gitignore-style ``patterns`` select ``path`` (a POSIX path
    relative to the set's folder, ``/`` at the end for a directory), as ``GitIgnoreSpec`` answers."""

    __slots__ = ("_spec", "lines", "regex")

    def __init__(self, patterns: Iterable[str]) -> None:
        self.lines = list(patterns)
        self._spec: pathspec.GitIgnoreSpec | None = None
        self.regex: re.Pattern[str] | None = _translated(self.lines)
        """The one alternation, translated from the patterns without compiling each of them (a run
        builds a dozen sets: compiling every pattern, then the alternation, cost twice as much); None
        when a pattern negates."""
        if self.regex is None:  # pathspec's matching, compiled now (a bad pattern fails here, as ever)
            self._spec = pathspec.GitIgnoreSpec.from_lines(self.lines)

    @property
    def spec(self) -> pathspec.GitIgnoreSpec:
        """pathspec's own matcher, compiled on first need (a set with a negation)."""
        if self._spec is None:
            self._spec = pathspec.GitIgnoreSpec.from_lines(self.lines)
        return self._spec

    def match_file(self, path: str) -> bool:
        if self.regex is None:
            return self.spec.match_file(path)
        return self.regex.search(normalize_file(path)) is not None

    def match_normalized(self, path: str) -> bool:
        """``match_file`` of a path that ``normalize_file`` leaves as it is (``normalized``): several
        sets asked about one path normalise it once."""
        if self.regex is None:
            return self.spec.match_file(path)
        return self.regex.search(path) is not None


def normalized(path: str) -> bool:
    """Whether pathspec's normalisation leaves ``path`` unchanged (``Globs.match_normalized`` may take it)."""
    return normalize_file(path) == path


@lru_cache(maxsize=1)
def _pattern_class() -> Any:
    """The pattern class ``GitIgnoreSpec`` compiles lines with (it differs between pathspec versions)."""
    return type(pathspec.GitIgnoreSpec.from_lines(["x"]).patterns[0])


def _translated(lines: list[str]) -> re.Pattern[str] | None:
    """One alternation of the patterns' regular expressions when none negates (then any match selects);
    None otherwise, or when pathspec cannot translate a line on its own."""
    translate = getattr(_pattern_class(), "pattern_to_regex", None)
    if translate is None:
        return _combined(pathspec.GitIgnoreSpec.from_lines(lines))
    parts = []
    for line in lines:
        try:
            regex, include = translate(line)
        except Exception:  # pathspec refuses it: compiling the set raises its own error
            return None
        if include is None:
            continue  # a blank line or a comment
        if not include or not isinstance(regex, str):
            return None
        parts.append(f"(?:{_GROUP.sub('(?:', regex)})")
    return _alternation(parts)


def _combined(spec: pathspec.PathSpec) -> re.Pattern[str] | None:
    """One alternation of a compiled spec's patterns when none negates (then any match selects); None otherwise."""
    used = [p for p in spec.patterns if p.include is not None]
    parts = []
    for pattern in used:
        regex = getattr(pattern, "regex", None)
        if not pattern.include or not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
            return None
        if regex.flags & ~re.UNICODE:
            return None
        parts.append(f"(?:{_GROUP.sub('(?:', regex.pattern)})")
    return _alternation(parts)


def _alternation(parts: list[str]) -> re.Pattern[str] | None:
    if not parts:
        return re.compile(r"(?!)")  # matches nothing, as an empty set
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None
