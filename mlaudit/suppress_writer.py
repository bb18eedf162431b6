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
import json
import re
import tokenize
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlaudit.engine import suppressions
from mlaudit.engine.source import SourceError, read_source
from mlaudit.model import Finding

UNSUPPRESSIBLE = {
    "MLA001": "a file that cannot be parsed cannot carry a suppression: fix it (or baseline it)",
    "MLA002": "an unused suppression is removed, not suppressed",
    "MLA003": "a malformed suppression is fixed, not suppressed",
}
_IGNORE = re.compile(r"#\s*mlaudit:\s*ignore\[(?P<items>[^\]]*)\]")
_NEWLINE = re.compile(r"\r\n|\r|\n")
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
    root: Path, findings: Sequence[Finding], reason: str, resolve: Callable[[str], str | None]
) -> Result:
    """Insert directives for ``findings`` (paths relative to ``root``); ``resolve`` maps rule keys to codes."""
    result = Result()
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        if f.code in UNSUPPRESSIBLE:
            result.skipped.append(Skipped(f, UNSUPPRESSIBLE[f.code]))
        else:
            by_file.setdefault(f.filename, []).append(f)
    reason = " ".join(reason.split())
    for filename in sorted(by_file):
        _one_file(root / filename, filename, by_file[filename], reason, resolve, result)
    return result


# --- documents: a .py file or a notebook's code cells, as editable units of lines ----------------


class _Doc:
    """Units of physical lines (a .py file: one unit; a notebook: one per code cell) and the
    virtual module text the engine analyses, with a map between virtual lines and (unit, index)."""

    units: dict[int, list[str]]
    """Lines without their line endings."""

    def virtual(self, unit: int, index: int) -> int:
        raise NotImplementedError

    def locate(self, line: int) -> tuple[int, int] | None:
        raise NotImplementedError

    def finding_line(self, f: Finding) -> int | None:
        raise NotImplementedError

    def render(self, units: dict[int, list[str]]) -> bytes:
        raise NotImplementedError


class _PyDoc(_Doc):
    def __init__(self, data: bytes) -> None:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        self.bom = data.startswith(b"\xef\xbb\xbf")
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        text = data.decode(self.encoding).removeprefix("\ufeff")
        pieces = _NEWLINE.split(text)
        self.trailing_newline = pieces[-1] == ""
        if self.trailing_newline:
            pieces.pop()
        found = _NEWLINE.search(text)
        self.newline = found.group(0) if found else "\n"
        self.units = {0: pieces}

    def virtual(self, unit: int, index: int) -> int:
        return index + 1

    def locate(self, line: int) -> tuple[int, int] | None:
        return (0, line - 1) if 0 < line <= len(self.units[0]) else None

    def finding_line(self, f: Finding) -> int | None:
        return f.location.row

    def render(self, units: dict[int, list[str]]) -> bytes:
        text = self.newline.join(units[0]) + (self.newline if self.trailing_newline else "")
        data = text.encode(self.encoding)
        return (b"\xef\xbb\xbf" + data) if self.bom else data


class _NotebookDoc(_Doc):
    def __init__(self, data: bytes) -> None:
        raw = data.decode("utf-8-sig")
        self.nb: dict[str, Any] = json.loads(raw)
        self.indent = _json_indent(raw)
        self.trailing_newline = raw.endswith("\n")
        self.units = {}
        self.as_string: set[int] = set()
        for i, cell in enumerate(self.nb.get("cells", []), start=1):
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                source = cell.get("source", "")
                if isinstance(source, str):
                    self.as_string.add(i)
                text = source if isinstance(source, str) else "".join(source)
                self.units[i] = text.splitlines()  # the engine's own split (source.py)
        self.starts = {c.cell: c.line for c in read_source(data, notebook=True).map.cells}

    def virtual(self, unit: int, index: int) -> int:
        return self.starts[unit] + index

    def locate(self, line: int) -> tuple[int, int] | None:
        for unit, start in sorted(self.starts.items(), key=lambda p: p[1], reverse=True):
            if line >= start:
                index = line - start
                return (unit, index) if index < len(self.units[unit]) else None
        return None

    def finding_line(self, f: Finding) -> int | None:
        if f.cell is None or f.cell not in self.starts:
            return None
        return self.starts[f.cell] + f.location.row - 1

    def render(self, units: dict[int, list[str]]) -> bytes:
        nb = json.loads(json.dumps(self.nb))
        for i, cell in enumerate(nb.get("cells", []), start=1):
            if i in units and units[i] != self.units[i]:
                text = "\n".join(units[i])
                original = self.nb["cells"][i - 1].get("source", "")
                original_text = original if isinstance(original, str) else "".join(original)
                if original_text.endswith("\n"):
                    text += "\n"
                cell["source"] = text if i in self.as_string else text.splitlines(keepends=True)
        out = json.dumps(nb, indent=self.indent, ensure_ascii=False)
        return (out + ("\n" if self.trailing_newline else "")).encode("utf-8")


def _json_indent(raw: str) -> int | None:
    m = re.search(r"\n( +)\S", raw)
    return len(m.group(1)) if m else None


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
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            end = max(body[0].lineno - 1, node.lineno)
            # The header's last line holds the last token before the body (the `:`).
            i = bisect_left(significant, (body[0].lineno, body[0].col_offset))
            anchor = significant[i - 1][0] if i > 0 else node.lineno
        else:
            end = node.end_lineno or node.lineno
            anchor = end
        out.append(_Statement(start, end, anchor))
    out.sort(key=lambda s: (s.start, s.end))
    return out


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


def _one_file(
    path: Path,
    filename: str,
    findings: list[Finding],
    reason: str,
    resolve: Callable[[str], str | None],
    result: Result,
) -> None:
    def skip_all(why: str) -> None:
        result.skipped.extend(Skipped(f, why) for f in findings)

    try:
        data = path.read_bytes()
        doc: _Doc = _NotebookDoc(data) if path.suffix == ".ipynb" else _PyDoc(data)
        virtual = read_source(data, notebook=path.suffix == ".ipynb").text
        tree = ast.parse(virtual)
        tokens = list(tokenize.generate_tokens(io.StringIO(virtual).readline))
    except (
        OSError,
        SourceError,
        SyntaxError,
        ValueError,
        UnicodeDecodeError,
        LookupError,
        tokenize.TokenError,
    ) as exc:
        skip_all(f"cannot edit {filename}: {exc}")
        return
    statements = _statements(tree, tokens)
    vlines = _NEWLINE.split(virtual)
    comments = {t.start[0]: t for t in tokens if t.type == tokenize.COMMENT}
    targets: list[_Target] = []
    for f in findings:
        line = doc.finding_line(f)
        if line is None or doc.locate(line) is None:
            result.skipped.append(Skipped(f, "its position is not in the file any more"))
        else:
            targets.append(_Target(f, line))
    # Each target tries TRAILING, then ABOVE, then is dropped; a round that neither fails to place nor
    # leaves a target uncovered is the one written (so what is written is exactly what was verified).
    strategy = {t: TRAILING for t in targets}
    while strategy:
        plan = _Plan(doc, vlines, comments, statements, reason, resolve)
        failed = [t for t in strategy if not plan.place(t, strategy[t])]
        placed = [t for t in strategy if t not in failed]
        units, inserts = plan.apply()
        uncovered = _verify(doc, units, inserts, placed, path.suffix == ".ipynb", resolve)
        if uncovered is None:  # cannot happen with comments only; never write a broken file regardless
            skip_all("no comment placement keeps the file valid")
            return
        if not failed and not uncovered:
            data_out = doc.render(units)
            if data_out != data:
                try:
                    path.write_bytes(data_out)
                except OSError as exc:
                    skip_all(f"cannot write {filename}: {exc.strerror or exc}")
                    return
                result.files.append(filename)
            result.suppressed += len(placed)
            result.comments += plan.directives
            break
        for t in [*failed, *uncovered]:
            strategy[t] += 1
            if strategy[t] > ABOVE:
                del strategy[t]
                result.skipped.append(Skipped(t.finding, "no comment placement covers it: add one by hand"))


class _Plan:
    def __init__(
        self,
        doc: _Doc,
        vlines: list[str],
        comments: dict[int, tokenize.TokenInfo],
        statements: list[_Statement],
        reason: str,
        resolve: Callable[[str], str | None],
    ) -> None:
        self.doc = doc
        self.vlines = vlines
        self.comments = comments
        self.statements = statements
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
            _add(self.trailing.setdefault(anchor, []), name)
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
        for line, names in self.trailing.items():
            where = self.doc.locate(line)
            assert where is not None
            unit, index = where
            text = units[unit][index]
            tok = self.comments.get(line)
            merged = None
            if tok is not None and tok.start[1] < len(text):
                merged = self._merge(text[tok.start[1] :], names)
                if merged is not None:
                    text = text[: tok.start[1]] + merged
            if merged is None:
                text = text.rstrip() + "  " + self.directive(names)
            units[unit][index] = text
            self.directives += 1
        inserts: dict[int, list[int]] = {}
        for line, names in sorted(self.above.items(), reverse=True):
            where = self.doc.locate(line)
            assert where is not None
            unit, index = where
            prev = units[unit][index - 1] if index > 0 else None
            if prev is not None and prev.lstrip().startswith("#") and _IGNORE.search(prev):
                merged = self._merge(prev, names)
                if merged is not None:
                    units[unit][index - 1] = merged
                    self.directives += 1
                    continue
            current = units[unit][index]
            indent = current[: len(current) - len(current.lstrip())]
            units[unit].insert(index, indent + self.directive(names))
            inserts.setdefault(unit, []).append(index)
            self.directives += 1
        return units, {u: sorted(v) for u, v in inserts.items()}


def _add(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def _verify(
    doc: _Doc,
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
