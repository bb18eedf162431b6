"""MLA002 unused-suppression: remove the directive, or only the rule names that suppressed nothing.

Safe: a directive that suppressed nothing changes no finding when it goes (the engine reported it
unused for exactly these rules, which are enabled in this run).
"""

from __future__ import annotations

import re

from mlaudit.engine import suppressions
from mlaudit.facts.model import Span
from mlaudit.fixes.base import FixSource, Hunk, Proposal, Target

_UNUSED = re.compile(r"unused suppression of (?P<names>.+?): remove it")
_ITEMS = re.compile(
    r"^(?P<head>#\s*mlaudit:\s*(?:ignore|file-ignore)\[)(?P<items>[^\]]*)(?P<tail>\].*)$", re.S
)


def unused_codes(source: FixSource, message: str) -> set[str] | None:
    m = _UNUSED.search(message)
    if m is None:
        return None
    codes = set()
    for name in m.group("names").split(","):
        code = source.rule_keys.get(name.strip().lower())
        if code is None:
            return None
        codes.add(code)
    return codes


def remove_span(line: str, start: int, end: int) -> str | None:
    """``line`` without ``line[start:end]`` (0-based): None when nothing else is left on it."""
    before, after = line[:start], line[end:]
    if not before.strip() and not after.strip():
        return None
    if not before.strip():
        return before + after.lstrip()
    if not after.strip():
        return before.rstrip()
    return before.rstrip() + "  " + after.lstrip()


def _directive(source: FixSource, span: Span) -> suppressions.Directive | None:
    if span.line != span.end_line or not 0 < span.line <= len(source.lines):
        return None

    def resolve(key: str) -> str | None:
        return source.rule_keys.get(key.lower())

    return next((d for d in suppressions.parse(source.text, resolve).directives if d.comment == span), None)


def _rewritten(line: str, span: Span, directive: suppressions.Directive, codes: set[str]) -> Proposal | None:
    start, end = span.col - 1, span.end_col - 1
    keep = [w for w, c in zip(directive.written, directive.codes, strict=True) if c not in codes]
    if not keep:
        rest = remove_span(line, start, end)
        hunk = Hunk(span.line, span.line + 1, () if rest is None else (rest,))
        return Proposal("Remove the unused suppression", (hunk,))
    m = _ITEMS.match(line[start:end])
    if m is None:
        return None
    new_text = m.group("head") + ", ".join(keep) + m.group("tail")
    hunk = Hunk(span.line, span.line + 1, (line[:start] + new_text + line[end:],))
    return Proposal(f"Remove {', '.join(sorted(codes))} from the suppression", (hunk,))


def propose(source: FixSource, target: Target) -> Proposal | None:
    codes = unused_codes(source, target.message)
    directive = _directive(source, target.span) if codes else None
    if codes is None or directive is None or not codes <= set(directive.codes):
        return None
    return _rewritten(source.lines[target.span.line - 1], target.span, directive, codes)

