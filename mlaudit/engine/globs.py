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

import pathspec
from pathspec.util import normalize_file

_GROUP = re.compile(r"\(\?P<\w+>")
"""pathspec names a group in each pattern (``(?P<ps_d>/)``); names may not repeat in an alternation."""


class Globs:
    """``match_file(path)``: whether the gitignore-style ``patterns`` select ``path`` (a POSIX path
    relative to the set's folder, ``/`` at the end for a directory), as ``GitIgnoreSpec`` answers."""

    __slots__ = ("asked", "regex", "spec")

    def __init__(self, patterns: Iterable[str]) -> None:
        self.spec = pathspec.GitIgnoreSpec.from_lines(list(patterns))
        self.regex: re.Pattern[str] | None = None
        self.asked = 0
        """Calls so far: the alternation costs about what compiling the patterns did, so it is built on
        the ``COMBINE_AFTER``-th call (a small project never pays for it)."""

    def match_file(self, path: str) -> bool:
        if self.regex is None:
            self.asked += 1
            if self.asked != COMBINE_AFTER:
                return self.spec.match_file(path)
            self.regex = _combined(self.spec)
            if self.regex is None:
                return self.spec.match_file(path)
        return self.regex.search(normalize_file(path)) is not None

    def match_normalized(self, path: str) -> bool:
        """``match_file`` of a path that ``normalize_file`` leaves as it is (``normalized``): several
        sets asked about one path normalise it once."""
        if self.regex is None:
            return self.match_file(path)
        return self.regex.search(path) is not None


def normalized(path: str) -> bool:
    """Whether pathspec's normalisation leaves ``path`` unchanged (``Globs.match_normalized`` may take it)."""
    return normalize_file(path) == path


COMBINE_AFTER = 32


def _combined(spec: pathspec.PathSpec) -> re.Pattern[str] | None:
    """One alternation of the patterns when none negates (then any match selects); None otherwise."""
    used = [p for p in spec.patterns if p.include is not None]
    parts = []
    for pattern in used:
        regex = getattr(pattern, "regex", None)
        if not pattern.include or not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
            return None
        if regex.flags & ~re.UNICODE:
            return None
        parts.append(f"(?:{_GROUP.sub('(?:', regex.pattern)})")
    if not parts:
        return re.compile(r"(?!)")  # matches nothing, as an empty set
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None
