"""MLA003 invalid-suppression: correct a misspelt rule name in a directive that is otherwise valid.

Applied only when the directive is well-formed, every unknown item has exactly one close match among
the rule names and codes (``difflib``, ratio >= 0.8), and each corrected item then resolves. Safe: it
makes the directive mean what it evidently meant; a directive that now suppresses nothing is reported
as unused (MLA002) on the next check, never hidden.
"""

from __future__ import annotations

import difflib
import re

from mlaudit.fixes.base import FixSource, Hunk, Proposal, Target

_DIRECTIVE = re.compile(
    r"^(?P<head>#\s*mlaudit:\s*(?:ignore|file-ignore)\[)(?P<items>[^\]]*)(?P<tail>\].*)$", re.S
)
_UNKNOWN = re.compile(r"^unknown rules? (?P<names>.+) in directive$")
CUTOFF = 0.8


def close_match(item: str, keys: list[str]) -> str | None:
    """The one rule key ``item`` is a misspelling of, or None (no match, or more than one)."""
    matches = difflib.get_close_matches(item.lower(), keys, n=2, cutoff=CUTOFF)
    return matches[0] if len(matches) == 1 else None


def _corrected(items: list[str], rule_keys: dict[str, str]) -> tuple[list[str], list[str]] | None:
    """The items with misspelt names corrected, and what changed; None when one cannot be."""
    keys = sorted(rule_keys)
    fixed, changes = [], []
    for raw in items:
        item = raw.strip()
        if item.lower() in rule_keys:
            fixed.append(raw)
            continue
        match = close_match(item, keys) if item else None
        if match is None:
            return None
        # Keep the writer's choice of code or name, in the registry's spelling.
        code = rule_keys[match]
        replacement = code if match == code.lower() else match
        fixed.append(raw.replace(item, replacement))
        changes.append(f"`{item}` -> `{replacement}`")
    return fixed, changes


def propose(source: FixSource, target: Target) -> Proposal | None:
    span = target.span
    if _UNKNOWN.match(target.message) is None or span.line != span.end_line:
        return None
    if not 0 < span.line <= len(source.lines):
        return None
    line = source.lines[span.line - 1]
    start, end = span.col - 1, span.end_col - 1
    m = _DIRECTIVE.match(line[start:end])
    corrected = _corrected(m.group("items").split(","), source.rule_keys) if m else None
    if m is None or corrected is None or not corrected[1]:
        return None
    fixed, changes = corrected
    new = line[:start] + m.group("head") + ",".join(fixed) + m.group("tail") + line[end:]
    return Proposal(
        f"Correct the rule name in the directive ({', '.join(changes)})",
        (Hunk(span.line, span.line + 1, (new,)),),
    )

