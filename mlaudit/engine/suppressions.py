"""Inline suppressions: ``# mlaudit: ignore[rule, ...] reason`` and ``# mlaudit: file-ignore[...]``.

A trailing directive covers the statement it trails (every line of a multi-line call, or a compound
statement's header); an own-line directive covers the next statement. Parsing is strict: anything
that looks like a directive but is malformed, or names an unknown rule, is reported (MLA003) and
suppresses nothing -- never everything.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass, field

from mlaudit.facts.span import Span

# Directive-like: the tool name followed by a colon, or by a (misspelt) ignore keyword; prose that merely
# mentions the tool is not.
_LOOKS_LIKE = re.compile(r"#\s*mlaudit(?:\s*:|[\s_-]+(?:file[\s_-]*)?ignore\b)", re.IGNORECASE)
_DIRECTIVE = re.compile(r"^#\s*mlaudit:\s*(?P<kind>ignore|file-ignore)\[(?P<items>[^\]]*)\](?P<reason>.*)$")


@dataclass(slots=True)
class Directive:
    kind: str
    """``ignore`` or ``file-ignore``."""
    codes: tuple[str, ...]
    """Rule codes (names already mapped to codes)."""
    written: tuple[str, ...]
    comment: Span
    start: int
    end: int
    """Lines covered (inclusive); the whole file for ``file-ignore``."""
    used: set[str] = field(default_factory=set)


@dataclass(slots=True)
class InvalidDirective:
    comment: Span
    message: str


@dataclass(slots=True)
class Suppressions:
    directives: list[Directive] = field(default_factory=list)
    invalid: list[InvalidDirective] = field(default_factory=list)

    def match(self, code: str, line: int) -> Directive | None:
        for d in self.directives:
            if code in d.codes and d.start <= line <= d.end:
                return d
        return None


@dataclass(frozen=True, slots=True)
class _Comment:
    text: str
    line: int
    col: int
    own_line: bool


def _comments(text: str) -> list[_Comment]:
    out = []
    try:
        # newline=None: a lone "\r" ends a line, as it does for Python and libcst (old Mac files).
        for tok in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if tok.type == tokenize.COMMENT and _LOOKS_LIKE.search(tok.string):
                own = not tok.line[: tok.start[1]].strip()
                # Directives stack with other comments: `# type: ignore` followed by a directive is one
                # COMMENT token; each directive in it is read on its own, the text before the first is not.
                starts = [m.start() for m in _LOOKS_LIKE.finditer(tok.string)]
                for start, end in zip(starts, [*starts[1:], len(tok.string)], strict=True):
                    part = tok.string[start:end].rstrip()
                    out.append(_Comment(part, tok.start[0], tok.start[1] + start + 1, own))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return out


def _statement_ranges(text: str) -> list[tuple[int, int]]:
    """(first, last) line of each statement's own lines: a compound statement owns its header only."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    ranges = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            end = max(body[0].lineno - 1, node.lineno)
        else:
            end = node.end_lineno or node.lineno
        ranges.append((start, end))
    ranges.sort()
    return ranges


def parse(text: str, resolve: Callable[[str], str | None]) -> Suppressions:
    """Find directives in ``text``; ``resolve`` maps a code or name to a rule code (None if unknown)."""
    result = Suppressions()
    if "mlaudit" not in text:
        return result
    comments = _comments(text)
    ranges = _statement_ranges(text) if comments else []
    for c in comments:
        parsed = _directive(c, ranges, resolve)
        if isinstance(parsed, Directive):
            result.directives.append(parsed)
        else:
            result.invalid.append(parsed)
    return result


def _directive(
    c: _Comment, ranges: list[tuple[int, int]], resolve: Callable[[str], str | None]
) -> Directive | InvalidDirective:
    span = Span(c.line, c.col, c.line, c.col + len(c.text))
    m = _DIRECTIVE.match(c.text.strip())
    if m is None:
        return InvalidDirective(span, "malformed directive: write `# mlaudit: ignore[rule-name] reason`")
    items = [i.strip() for i in m.group("items").split(",")]
    codes = _codes(items, resolve)
    if isinstance(codes, str):
        return InvalidDirective(span, codes)
    start, end = _coverage(m.group("kind"), c, ranges)
    return Directive(m.group("kind"), codes, tuple(items), span, start, end)


def _codes(items: list[str], resolve: Callable[[str], str | None]) -> tuple[str, ...] | str:
    """The rule codes named by a directive, or the reason it is invalid."""
    if not any(items):
        return "empty rule list: name the rules to ignore"
    resolved = [(item or "<empty>", resolve(item) if item else None) for item in items]
    unknown = [f"`{item}`" for item, code in resolved if code is None]
    if unknown:
        return f"unknown rule {', '.join(unknown)} in directive"
    return tuple(code for _, code in resolved if code)


def _coverage(kind: str, c: _Comment, ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """Lines a directive covers: the file, the next statement (own line) or the statement it trails."""
    if kind == "file-ignore":
        return 1, 10**9
    if c.own_line:
        return _next_statement(ranges, c.line)
    return _enclosing_statement(ranges, c.line)


def _enclosing_statement(ranges: list[tuple[int, int]], line: int) -> tuple[int, int]:
    best = (line, line)
    for start, end in ranges:
        if start <= line <= end and (best == (line, line) or end - start <= best[1] - best[0]):
            best = (start, end)
    return best


def _next_statement(ranges: list[tuple[int, int]], line: int) -> tuple[int, int]:
    for start, end in ranges:
        if start > line:
            return start, end
    return line + 1, line + 1
