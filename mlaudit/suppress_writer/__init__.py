"""``--add-ignore[=REASON]``: write ``# mlaudit: ignore[name] REASON`` so every current finding is suppressed.

Where the comment goes follows how directives attach (``engine/suppressions.py``): a trailing directive
covers the statement it trails, an own-line directive the next statement. For a finding, take the
innermost statement holding its line and, in order:

1. a trailing comment on the statement's last line (a simple statement) or on its header's last line
   (``def``/``if``/... : the line of the ``:``), or on the finding's own line when it belongs to no
   statement (``else:``, ``except ...:``). An existing comment there is kept: an existing
   ``# mlaudit: ignore[...]`` gets the rule added to its list, any other comment gets the directive
   appended after it (``# noqa: E501  # mlaudit: ignore[x] reason``);
2. else an own-line directive above the statement, with its indentation (e.g. a line ending in a
   backslash continuation, a notebook line holding IPython syntax).

Every file is verified before it is written: the new text must parse, and the engine's own directive
parser must say each finding's line is covered by a directive naming its rule. A finding no placement
covers is skipped and reported, never written half-way. Notebooks are edited cell by cell and written
back with their JSON indentation. Parse errors and suppression problems (MLA001-MLA003) cannot be
suppressed by a comment: they are skipped with the reason.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mlaudit.engine import suppressions
from mlaudit.engine.source import SourceError, read_source
from mlaudit.model import Finding
from mlaudit.suppress_writer._documents import NEWLINE, Doc, NotebookDoc, PyDoc

UNSUPPRESSIBLE = {
    "MLA001": "a file that cannot be parsed cannot carry a suppression: fix it (or baseline it)",
    "MLA002": "an unused suppression is removed, not suppressed",
    "MLA003": "a malformed suppression is fixed, not suppressed",
}
_IGNORE = re.compile(r"#\s*mlaudit:\s*ignore\[(?P<items>[^\]]*)\]")
TRAILING, ABOVE = 0, 1


@dataclass
class Skipped:
    finding: Finding
    reason: str


@dataclass
class Result:
    suppressed: int = 0
    """Findings now covered by a directive."""
    comments: int = 0
    """Directives written or extended."""
    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def add_ignores(
    root: Path,
    findings: Sequence[Finding],
    reason: str,
    resolve: Callable[[str], str | None],
    *,
    line_length: int = 100,
) -> Result:
    """Insert directives for ``findings`` (paths relative to ``root``); ``resolve`` maps rule keys to codes.
    A trailing directive that would take its line past ``line_length`` goes on its own line above."""
    result = Result()
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        if f.code in UNSUPPRESSIBLE:
            result.skipped.append(Skipped(f, UNSUPPRESSIBLE[f.code]))
        else:
            by_file.setdefault(f.filename, []).append(f)
    reason = " ".join(reason.split())
    for filename in sorted(by_file):
        _one_file(root / filename, filename, by_file[filename], reason, resolve, result, line_length)
    return result


# --- planning ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # identity: two findings may look alike
class _Target:
    finding: Finding
    line: int
    """Virtual line of the finding (what the engine matches directives against)."""


@dataclass
class _Statement:
    start: int
    end: int
    """Own lines, as the engine counts them: a compound statement owns its header only."""
    anchor: int
    """Where a trailing directive goes: the last line of the statement, or of a compound header."""


def _statements(tree: ast.Module, tokens: list[tokenize.TokenInfo]) -> list[_Statement]:
    significant = [t.start for t in tokens if t.type not in _TRIVIA]
    out = [_statement(node, significant) for node in ast.walk(tree) if isinstance(node, ast.stmt)]
    out.sort(key=lambda s: (s.start, s.end))
    return out


def _statement(node: ast.stmt, significant: list[tuple[int, int]]) -> _Statement:
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    body = getattr(node, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
        end = max(body[0].lineno - 1, node.lineno)
        return _Statement(start, end, _header_end(node, body[0], significant))
    end = node.end_lineno or node.lineno
    return _Statement(start, end, end)


def _header_end(node: ast.stmt, first: ast.stmt, significant: list[tuple[int, int]]) -> int:
    """The header's last line: the line of the last token before the body's first statement (the `:`)."""
    i = bisect_left(significant, (first.lineno, first.col_offset))
    return significant[i - 1][0] if i > 0 else node.lineno


_TRIVIA = {
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.COMMENT,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}


def _innermost(statements: list[_Statement], line: int) -> _Statement | None:
    best = None
    for s in statements:
        if s.start <= line <= s.end and (best is None or s.end - s.start <= best.end - best.start):
            best = s
    return best


# --- one file: read, place in rounds, verify, write -------------------------------------------------


_UNEDITABLE = (
    OSError,
    SourceError,
    SyntaxError,
    ValueError,
    UnicodeDecodeError,
    LookupError,
    tokenize.TokenError,
)


@dataclass(frozen=True)
class _Parsed:
    """A file to edit: its bytes, its editable units and the virtual module the engine analyses."""

    data: bytes
    doc: Doc
    notebook: bool
    tree: ast.Module
    tokens: list[tokenize.TokenInfo]
    virtual: str

    @classmethod
    def read(cls, path: Path) -> _Parsed:
        """Raises one of ``_UNEDITABLE``."""
        data = path.read_bytes()
        notebook = path.suffix == ".ipynb"
        doc: Doc = NotebookDoc(data) if notebook else PyDoc(data)
        virtual = read_source(data, notebook=notebook).text
        tree = ast.parse(virtual)
        tokens = list(tokenize.generate_tokens(io.StringIO(virtual).readline))
        return cls(data, doc, notebook, tree, tokens, virtual)


@dataclass(frozen=True)
class _Layout:
    """What placing a directive needs to know of the virtual module."""

    statements: list[_Statement]
    vlines: list[str]
    comments: dict[int, tokenize.TokenInfo]
    """The comment token on each line that has one."""

    @classmethod
    def of(cls, parsed: _Parsed) -> _Layout:
        comments = {t.start[0]: t for t in parsed.tokens if t.type == tokenize.COMMENT}
        return cls(_statements(parsed.tree, parsed.tokens), NEWLINE.split(parsed.virtual), comments)


@dataclass
class _Round:
    """One attempt at placing every remaining target with its current strategy."""

    plan: _Plan
    units: dict[int, list[str]]
    placed: list[_Target]
    retry: list[_Target] | None
    """Targets to move to their next strategy (not placed, or placed but not covered); None if the
    edited file no longer parses."""


def _one_file(
    path: Path,
    filename: str,
    findings: list[Finding],
    reason: str,
    resolve: Callable[[str], str | None],
    result: Result,
    line_length: int = 100,
) -> None:
    def skip_all(why: str) -> None:
        result.skipped.extend(Skipped(f, why) for f in findings)

    try:
        parsed = _Parsed.read(path)
    except _UNEDITABLE as exc:
        skip_all(f"cannot edit {filename}: {exc}")
        return
    layout = _Layout.of(parsed)
    # Each target tries TRAILING, then ABOVE, then is dropped; a round that neither fails to place nor
    # leaves a target uncovered is the one written (so what is written is exactly what was verified).
    strategy = {t: TRAILING for t in _targets(parsed.doc, findings, result)}
    while strategy:
        attempt = _round(parsed, strategy, _Plan(parsed.doc, layout, reason, resolve, line_length), resolve)
        if attempt.retry is None:  # cannot happen with comments only; never write a broken file regardless
            skip_all("no comment placement keeps the file valid")
            return
        if not attempt.retry:
            failure = _write(path, filename, parsed, attempt, result)
            if failure is not None:
                skip_all(failure)
            return
        _demote(strategy, attempt.retry, result)


def _targets(doc: Doc, findings: list[Finding], result: Result) -> list[_Target]:
    """The findings whose position is still in the file (the others are skipped)."""
    targets = []
    for f in findings:
        line = doc.finding_line(f)
        if line is None or doc.locate(line) is None:
            result.skipped.append(Skipped(f, "its position is not in the file any more"))
        else:
            targets.append(_Target(f, line))
    return targets


def _round(
    parsed: _Parsed, strategy: dict[_Target, int], plan: _Plan, resolve: Callable[[str], str | None]
) -> _Round:
    """Place every target of ``strategy`` with a fresh ``plan`` and verify the result."""
    failed = [t for t in strategy if not plan.place(t, strategy[t])]
    placed = [t for t in strategy if t not in failed]
    units, inserts = plan.apply()
    uncovered = _verify(parsed.doc, units, inserts, placed, parsed.notebook, resolve)
    return _Round(plan, units, placed, None if uncovered is None else [*failed, *uncovered])


def _demote(strategy: dict[_Target, int], targets: list[_Target], result: Result) -> None:
    """Move each of ``targets`` to its next strategy; one that has none left is skipped."""
    for t in targets:
        strategy[t] += 1
        if strategy[t] > ABOVE:
            del strategy[t]
            result.skipped.append(Skipped(t.finding, "no comment placement covers it: add one by hand"))


def _write(path: Path, filename: str, parsed: _Parsed, attempt: _Round, result: Result) -> str | None:
    """Write the verified round (unless nothing changed) and count what it suppressed; else say why not."""
    data_out = parsed.doc.render(attempt.units)
    if data_out != parsed.data:
        try:
            path.write_bytes(data_out)
        except OSError as exc:
            return f"cannot write {filename}: {exc.strerror or exc}"
        result.files.append(filename)
    result.suppressed += len(attempt.placed)
    result.comments += attempt.plan.directives
    return None


class _Plan:
    def __init__(
        self,
        doc: Doc,
        layout: _Layout,
        reason: str,
        resolve: Callable[[str], str | None],
        line_length: int = 100,
    ) -> None:
        self.line_length = line_length
        self.doc = doc
        self.vlines = layout.vlines
        self.comments = layout.comments
        self.statements = layout.statements
        self.reason = reason
        self.resolve = resolve
        self.trailing: dict[int, list[str]] = {}
        self.above: dict[int, list[str]] = {}
        self.directives = 0

    def _physical(self, line: int) -> str | None:
        where = self.doc.locate(line)
        return None if where is None else self.doc.units[where[0]][where[1]]

    def place(self, t: _Target, strategy: int) -> bool:
        stmt = _innermost(self.statements, t.line)
        name = t.finding.name
        if strategy == TRAILING:
            anchor = stmt.anchor if stmt is not None else t.line
            text = self._physical(anchor)
            if text is None or anchor > len(self.vlines) or text != self.vlines[anchor - 1]:
                return False  # a notebook line holding IPython syntax: the engine sees other text
            if text.rstrip().endswith("\\"):
                return False
            names = list(self.trailing.get(anchor, []))
            _add(names, name)
            if len(self._with_trailing(text, self.comments.get(anchor), names)) > self.line_length:
                return False  # too long for the project's lines: it goes on its own line above
            self.trailing[anchor] = names
            return True
        if strategy == ABOVE and stmt is not None:
            _add(self.above.setdefault(stmt.start, []), name)
            return True
        return False

    def directive(self, names: list[str]) -> str:
        return f"# mlaudit: ignore[{', '.join(names)}]" + (f" {self.reason}" if self.reason else "")

    def _merge(self, comment: str, names: list[str]) -> str | None:
        """``comment`` with ``names`` added to its ``mlaudit: ignore[...]`` list (None: it has none)."""
        m = _IGNORE.search(comment)
        if m is None:
            return None
        items = [i.strip() for i in m.group("items").split(",") if i.strip()]
        have = {self.resolve(i) or i for i in items}
        items += [n for n in names if (self.resolve(n) or n) not in have]
        return comment[: m.start("items")] + ", ".join(items) + comment[m.end("items") :]

    def apply(self) -> tuple[dict[int, list[str]], dict[int, list[int]]]:
        """New units, and per unit the sorted indexes before which a line was inserted."""
        units = {u: list(lines) for u, lines in self.doc.units.items()}
        self.directives = 0
        self._apply_trailing(units)
        inserts = self._apply_above(units)
        return units, {u: sorted(v) for u, v in inserts.items()}

    def _where(self, line: int) -> tuple[int, int]:
        where = self.doc.locate(line)
        assert where is not None
        return where

    def _apply_trailing(self, units: dict[int, list[str]]) -> None:
        for line, names in self.trailing.items():
            unit, index = self._where(line)
            units[unit][index] = self._with_trailing(units[unit][index], self.comments.get(line), names)
            self.directives += 1

    def _with_trailing(self, text: str, tok: tokenize.TokenInfo | None, names: list[str]) -> str:
        """``text`` with ``names`` added to its own directive comment, or a new directive appended."""
        if tok is not None and tok.start[1] < len(text):
            merged = self._merge(text[tok.start[1] :], names)
            if merged is not None:
                return text[: tok.start[1]] + merged
        return text.rstrip() + "  " + self.directive(names)

    def _apply_above(self, units: dict[int, list[str]]) -> dict[int, list[int]]:
        """Bottom-up, so that an insertion does not move the lines still to be handled."""
        inserts: dict[int, list[int]] = {}
        for line, names in sorted(self.above.items(), reverse=True):
            unit, index = self._where(line)
            if not self._merge_above(units[unit], index, names):
                current = units[unit][index]
                indent = current[: len(current) - len(current.lstrip())]
                units[unit].insert(index, indent + self.directive(names))
                inserts.setdefault(unit, []).append(index)
            self.directives += 1
        return inserts

    def _merge_above(self, lines: list[str], index: int, names: list[str]) -> bool:
        """Add ``names`` to an own-line directive right above ``lines[index]``, if there is one."""
        prev = lines[index - 1] if index > 0 else None
        if prev is None or not prev.lstrip().startswith("#") or not _IGNORE.search(prev):
            return False
        merged = self._merge(prev, names)
        if merged is None:
            return False
        lines[index - 1] = merged
        return True


def _add(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def _verify(
    doc: Doc,
    units: dict[int, list[str]],
    inserts: dict[int, list[int]],
    targets: list[_Target],
    notebook: bool,
    resolve: Callable[[str], str | None],
) -> list[_Target] | None:
    """Targets the engine would still report in the edited file; None if the file no longer parses."""
    data = doc.render(units)
    try:
        source = read_source(data, notebook=notebook)
        ast.parse(source.text)
    except (SourceError, SyntaxError, ValueError):
        return None
    starts = {c.cell: c.line for c in source.map.cells}
    parsed = suppressions.parse(source.text, resolve)
    uncovered = []
    for t in targets:
        where = doc.locate(t.line)
        assert where is not None
        unit, index = where
        shifted = index + sum(1 for i in inserts.get(unit, []) if i <= index)
        line = starts[unit] + shifted if notebook else shifted + 1
        if parsed.match(t.finding.code, line) is None:
            uncovered.append(t)
    return uncovered
