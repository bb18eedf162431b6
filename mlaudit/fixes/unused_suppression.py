"""MLA002 unused-suppression: remove the directive, or only the rule names that suppressed nothing.

Safe: a directive that suppressed nothing changes no finding when it goes (the engine reported it
unused for exactly these rules, which are enabled in this run).
"""

from __future__ import annotations

import re

from mlaudit.engine import suppressions
from mlaudit.fixes.base import SAFE, FixSource, FixSpec, Hunk, Proposal, Target

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


def propose(source: FixSource, target: Target) -> Proposal | None:
    codes = unused_codes(source, target.message)
    span = target.span
    if codes is None or span.line != span.end_line or not 0 < span.line <= len(source.lines):
        return None
    resolve = lambda key: source.rule_keys.get(key.lower())  # noqa: E731
    directive = next(
        (d for d in suppressions.parse(source.text, resolve).directives if d.comment == span), None
    )
    if directive is None or not codes <= set(directive.codes):
        return None
    line = source.lines[span.line - 1]
    start, end = span.col - 1, span.end_col - 1
    text = line[start:end]
    keep = [w for w, c in zip(directive.written, directive.codes, strict=True) if c not in codes]
    if keep:
        m = _ITEMS.match(text)
        if m is None:
            return None
        new_text = m.group("head") + ", ".join(keep) + m.group("tail")
        lines: tuple[str, ...] = (line[:start] + new_text + line[end:],)
        message = f"Remove {', '.join(sorted(codes))} from the suppression"
    else:
        rest = remove_span(line, start, end)
        lines = () if rest is None else (rest,)
        message = "Remove the unused suppression"
    return Proposal(message, (Hunk(span.line, span.line + 1, lines),))


FIX = FixSpec(
    code="MLA002",
    availability="Always",
    applicability=SAFE,
    title="Remove the unused suppression (or only the rules in it that suppressed nothing)",
    propose=propose,
)
