"""``mlaudit check --fix`` / ``--unsafe-fixes`` / ``--diff``: apply the fixes of ``mlaudit.fixes``.

The loop, after ruff's:

* a **round** checks the project (``check()``: the same analysis and gate the user sees), then fixes
  each file with fixable findings;
* inside one file, a **pass** asks every pending finding's fix for a proposal against the same text,
  keeps the proposals whose lines do not touch an already kept one (the others are deferred to the
  next pass, their positions mapped through the edits) and applies them together; at most
  ``MAX_PASSES`` passes per file and round;
* a proposal is kept only if the file, with it and the proposals kept before it, still compiles (and,
  for a notebook, maps back onto the same cells with no IPython line touched);
* rounds repeat (re-checking) while they change something, at most ``MAX_ROUNDS``: a fix can make the
  next one possible (MLA202 moves a clock read to the caller, which may itself be a transform). The
  last check is the report: the findings that remain.

Never touched: files that could not be analysed (parse error, over ``max-file-size``, undecodable).
A file that cannot be written is reported, not fatal. ``--diff`` runs one round in memory, writes
nothing and returns unified diffs (fixes that only become possible after others show on the next run).
"""

from __future__ import annotations

import ast
import difflib
import os
import stat
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mlaudit.config.loader import LoadedConfig
from mlaudit.engine.discovery import DiscoveryError, discover
from mlaudit.engine.source import SourceError, read_source, split_lines
from mlaudit.facts.model import Span
from mlaudit.fixes import fix_for
from mlaudit.fixes.base import UNSAFE, FixSource, FixSpec, Hunk, ProjectView, Proposal, Target
from mlaudit.model import Edit, Finding, Fix, Location, Report
from mlaudit.suppress_writer._documents import Doc, NotebookDoc, PyDoc

MAX_PASSES = 20
"""Passes per file and round (ruff: 100 in total); overlapping fixes left after them wait for a round."""
MAX_ROUNDS = 8
"""Check-and-fix rounds; each one that changes nothing ends the loop."""


@dataclass(frozen=True)
class FixOptions:
    unsafe: bool = False
    """Apply unsafe fixes too (``--unsafe-fixes``)."""
    diff: bool = False
    """Write nothing; return unified diffs (``--diff``)."""
    max_file_size: float = 2.0
    """Megabytes; a ``.py`` file over it is never touched (0: no limit)."""


@dataclass(frozen=True)
class AppliedFix:
    filename: str
    code: str
    row: int
    cell: int | None
    message: str
    findings: int = 1


@dataclass
class FixOutcome:
    report: Report
    """The final check: what remains."""
    applied: list[AppliedFix] = field(default_factory=list)
    unsafe_available: int = 0
    """Remaining findings an unsafe fix would resolve (0 when unsafe fixes were applied)."""
    diffs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Files that could not be fixed or written, with the reason."""
    changed: list[str] = field(default_factory=list)

    @property
    def fixed(self) -> int:
        return sum(a.findings for a in self.applied)

    def fixed_by_code(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for a in self.applied:
            counts[a.code] += a.findings
        return counts

    def summary(self) -> str:
        n = self.fixed
        text = f"Fixed {n} finding{'' if n == 1 else 's'}"
        if n:
            text += " (" + ", ".join(f"{c} x{k}" for c, k in sorted(self.fixed_by_code().items())) + ")"
        if self.unsafe_available:
            text += f"; {self.unsafe_available} more with --unsafe-fixes"
        return text + "."


class _TextProject(ProjectView):
    """Word search over the project's source files (read lazily, once)."""

    def __init__(self, root: Path, files: Iterable[str]) -> None:
        self.root = root
        self.files = sorted(set(files))
        self._texts: dict[str, str] | None = None

    def _all(self) -> dict[str, str]:
        if self._texts is None:
            self._texts = {}
            for rel in self.files:
                try:
                    self._texts[rel] = (self.root / rel).read_text(encoding="utf-8", errors="replace")
                except OSError:
                    self._texts[rel] = ""
        return self._texts

    def mentions(self, word: str, *, besides: str) -> bool:
        import re

        pattern = re.compile(rf"(?<![\w.]){re.escape(word)}\b|\.{re.escape(word)}\b")
        return any(rel != besides and pattern.search(text) for rel, text in self._all().items())


# --- one file ---------------------------------------------------------------------------------------


@dataclass
class _File:
    rel: str
    path: Path
    data: bytes
    doc: Doc
    notebook: bool
    original: list[str]
    trailing_newline: bool
    strict_compile: bool
    """The original compiles (not only parses): then every fixed version must compile too."""

    def text(self, lines: Sequence[str]) -> str:
        return "\n".join(lines) + ("\n" if self.trailing_newline and lines else "")

    def render(self, lines: list[str]) -> bytes | None:
        """The file's bytes with virtual ``lines``; None if they cannot be mapped back onto it."""
        if not self.notebook:
            out = self.doc.render({0: list(lines)})
            try:
                back = read_source(out, notebook=False).text
            except SourceError:
                return None
            return out if split_lines(back) == list(lines) else None
        assert isinstance(self.doc, NotebookDoc)
        units = _notebook_units(self.doc, self.original, lines)
        if units is None:
            return None
        out = self.doc.render(units)
        try:
            back = read_source(out, notebook=True).text
        except SourceError:
            return None
        return out if split_lines(back) == list(lines) else None

    def valid(self, lines: list[str]) -> bool:
        text = self.text(lines)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if self.strict_compile:
                    compile(text, self.rel, "exec", dont_inherit=True)
                else:
                    ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
        return self.render(lines) is not None


def _notebook_units(doc: NotebookDoc, original: list[str], new: list[str]) -> dict[int, list[str]] | None:
    """New code-cell lines: every changed range of the virtual module must fall inside one cell and
    replace no masked (IPython) line."""
    units = {u: list(lines) for u, lines in doc.units.items()}
    cells = sorted(doc.starts.items(), key=lambda p: p[1])
    hunks = _diff(original, new)
    for hunk in reversed(hunks):  # bottom-up, so earlier indexes stay valid
        owner = None
        for cell, start in cells:
            last = start + len(doc.units[cell]) - 1  # last line of the cell; last + 1 is its separator
            if hunk.start == hunk.end:
                if start <= hunk.start <= last + 1:
                    owner = (cell, start)
            elif start <= hunk.start and hunk.end - 1 <= last:
                owner = (cell, start)
        if owner is None:
            return None
        cell, start = owner
        lo, hi = hunk.start - start, hunk.end - start
        physical = units[cell]
        if any(original[start - 1 + i] != doc.units[cell][i] for i in range(lo, hi)):
            return None  # a masked magic line
        physical[lo:hi] = list(hunk.lines)
    return units


def _diff(old: list[str], new: list[str]) -> list[Hunk]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        Hunk(i1 + 1, i2 + 1, tuple(new[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _apply(lines: list[str], hunks: Iterable[Hunk]) -> list[str]:
    out = list(lines)
    for h in sorted(hunks, key=lambda h: (h.start, h.end), reverse=True):
        out[h.start - 1 : h.end - 1] = list(h.lines)
    return out


def _touches(a: Hunk, b: Hunk) -> bool:
    """Hunks conflict when their line ranges overlap or meet (conservative: adjacent edits wait)."""
    return a.start <= b.end and b.start <= a.end


def _map_line(line: int, hunks: Sequence[Hunk]) -> int | None:
    """Where ``line`` is after ``hunks`` (None: it was edited)."""
    shift = 0
    for h in hunks:
        if h.start <= line < h.end:
            return None
        if h.end <= line and not (h.start == h.end == line):
            shift += len(h.lines) - (h.end - h.start)
        elif h.start == h.end == line:
            shift += len(h.lines)
    return line + shift


def _map_target(t: Target, hunks: Sequence[Hunk]) -> Target | None:
    start, end = _map_line(t.span.line, hunks), _map_line(t.span.end_line, hunks)
    if start is None or end is None:
        return None
    return Target(t.code, Span(start, t.span.col, end, t.span.end_col), t.message)


@dataclass
class _Pending:
    target: Target
    finding: Finding
    spec: FixSpec


@dataclass
class _FileResult:
    lines: list[str]
    applied: list[AppliedFix] = field(default_factory=list)
    proposals: dict[int, Proposal] = field(default_factory=dict)
    """id(finding) -> its proposal, for findings not applied (reported in the JSON ``fix``)."""


def _open(path: Path, rel: str, max_mb: float) -> _File | str:
    """The file ready for fixing, or why it is not touched."""
    notebook = path.suffix == ".ipynb"
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read {rel}: {exc.strerror or exc}"
    if max_mb and not notebook and len(data) > max_mb * 1_000_000:
        return f"{rel} is over max-file-size: not fixed"
    try:
        text = read_source(data, notebook=notebook).text
        doc: Doc = NotebookDoc(data) if notebook else PyDoc(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SourceError, SyntaxError, ValueError, LookupError, RecursionError, MemoryError) as exc:
        return f"{rel} cannot be parsed ({type(exc).__name__}): not fixed"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, rel, "exec", dont_inherit=True)
        strict = True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        strict = False
    lines = split_lines(text)
    return _File(rel, path, data, doc, notebook, lines, text.endswith(("\n", "\r")), strict)


def _virtual_span(f: Finding, doc: Doc) -> Span | None:
    if f.cell is None:
        return Span(f.location.row, f.location.column, f.end_location.row, f.end_location.column)
    if not isinstance(doc, NotebookDoc) or f.cell not in doc.starts:
        return None
    start = doc.starts[f.cell]
    return Span(
        start + f.location.row - 1, f.location.column, start + f.end_location.row - 1, f.end_location.column
    )


def _fix_file(
    file: _File,
    findings: list[Finding],
    allowed: Callable[[FixSpec], bool],
    context: Callable[[str], FixSource],
) -> _FileResult:
    pending: list[_Pending] = []
    for f in findings:
        spec = fix_for(f.code)
        span = _virtual_span(f, file.doc)
        if spec is None or span is None or (file.notebook and not spec.notebooks):
            continue
        pending.append(_Pending(Target(f.code, span, f.message), f, spec))
    pending.sort(key=lambda p: (p.target.span.line, p.target.span.col, p.target.code))
    result = _FileResult(list(file.original))
    for _ in range(MAX_PASSES):
        if not pending:
            break
        pending = _one_pass(file, result, pending, allowed, context)
    return result


def _one_pass(
    file: _File,
    result: _FileResult,
    pending: list[_Pending],
    allowed: Callable[[FixSpec], bool],
    context: Callable[[str], FixSource],
) -> list[_Pending]:
    """Apply the non-overlapping proposals of ``pending``; return the deferred ones, mapped."""
    base = result.lines
    source = context(file.text(base))
    source.siblings = tuple(p.target for p in pending)
    try:
        source.tree  # noqa: B018  (one parse for every proposal of the pass)
    except Exception:  # libcst cannot parse what CPython can (rare): leave the file alone
        return []
    kept: list[tuple[Proposal, list[_Pending]]] = []
    deferred: list[_Pending] = []
    for p in pending:
        try:
            proposal = p.spec.propose(source, p.target)
        except Exception:  # a fix that crashes on odd code fixes nothing; never a traceback
            proposal = None
        if proposal is None:
            continue
        if not allowed(p.spec):
            result.proposals[id(p.finding)] = proposal
            continue
        same = next((k for k in kept if k[0].hunks == proposal.hunks), None)
        if same is not None:
            same[1].append(p)
            continue
        hunks = [h for k in kept for h in k[0].hunks]
        if any(_touches(a, b) for a in proposal.hunks for b in hunks):
            deferred.append(p)
            continue
        candidate = _apply(base, [*hunks, *proposal.hunks])
        if not file.valid(candidate):
            continue
        kept.append((proposal, [p]))
    if not kept:
        return []
    all_hunks = sorted((h for k in kept for h in k[0].hunks), key=lambda h: h.start)
    result.lines = _apply(base, all_hunks)
    for proposal, covered in kept:
        first = covered[0].finding
        result.applied.append(
            AppliedFix(file.rel, first.code, first.location.row, first.cell, proposal.message, len(covered))
        )
    out = []
    for p in deferred:
        moved = _map_target(p.target, all_hunks)
        if moved is not None:
            out.append(_Pending(moved, p.finding, p.spec))
    return out


# --- the run ----------------------------------------------------------------------------------------


@dataclass
class _Context:
    root: Path
    rule_keys: dict[str, str]
    modules: dict[str, str]
    project: ProjectView

    def source(self, rel: str, notebook: bool) -> Callable[[str], FixSource]:
        def make(text: str) -> FixSource:
            return FixSource(
                text=text,
                rel=rel,
                module=self.modules.get(rel, ""),
                is_notebook=notebook,
                rule_keys=self.rule_keys,
                project=self.project,
            )

        return make


def _fixable(report: Report) -> dict[str, list[Finding]]:
    broken = {e.filename for e in report.errors}
    by_file: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.filename not in broken and fix_for(f.code) is not None:
            by_file.setdefault(f.filename, []).append(f)
    return by_file


def _write(file: _File, data: bytes) -> str | None:
    """Write in place (same inode and mode); a file marked read-only is left alone, even for root."""
    try:
        mode = file.path.stat().st_mode
    except OSError as exc:
        return f"cannot write {file.rel}: {exc.strerror or exc} (not fixed)"
    if not mode & stat.S_IWUSR or not os.access(file.path, os.W_OK):
        return f"cannot write {file.rel}: the file is read-only (not fixed)"
    try:
        file.path.write_bytes(data)
    except OSError as exc:
        return f"cannot write {file.rel}: {exc.strerror or exc} (not fixed)"
    return None


def _unified(file: _File, new: bytes) -> str:
    if not file.notebook:
        old_text = read_source(file.data, notebook=False).text
        new_text = read_source(new, notebook=False).text
        return "".join(
            difflib.unified_diff(
                old_text.splitlines(keepends=True),
                new_text.splitlines(keepends=True),
                f"a/{file.rel}",
                f"b/{file.rel}",
            )
        )
    assert isinstance(file.doc, NotebookDoc)
    after = NotebookDoc(new)
    parts = []
    for cell, lines in file.doc.units.items():
        if after.units.get(cell) != lines:
            parts.append(
                "".join(
                    difflib.unified_diff(
                        [x + "\n" for x in lines],
                        [x + "\n" for x in after.units.get(cell, [])],
                        f"a/{file.rel}:cell {cell}",
                        f"b/{file.rel}:cell {cell}",
                    )
                )
            )
    return "".join(parts)


def _round(
    report: Report, ctx: _Context, options: FixOptions, outcome: FixOutcome, final: bool
) -> tuple[bool, dict[int, Proposal]]:
    """Fix every file of ``report``; (whether a file changed, proposals of findings left unfixed)."""

    def allowed(spec: FixSpec) -> bool:
        return not final and (options.unsafe or spec.applicability != UNSAFE)

    changed = False
    proposals: dict[int, Proposal] = {}
    for rel, findings in sorted(_fixable(report).items()):
        file = _open(ctx.root / rel, rel, options.max_file_size)
        if isinstance(file, str):
            outcome.problems.append(file)
            continue
        result = _fix_file(file, findings, allowed, ctx.source(rel, file.notebook))
        proposals.update(result.proposals)
        if result.lines == file.original:
            continue
        data = file.render(result.lines)
        if data is None or data == file.data:
            continue
        if options.diff:
            outcome.diffs.append(_unified(file, data))
        else:
            problem = _write(file, data)
            if problem is not None:
                outcome.problems.append(problem)
                continue
        outcome.applied.extend(result.applied)
        if rel not in outcome.changed:
            outcome.changed.append(rel)
        changed = True
    return changed, proposals


def _attach(report: Report, proposals: dict[int, Proposal], root: Path) -> None:
    """Put each remaining finding's available fix in its ``fix`` field (ruff's JSON ``fix``): edits
    replace whole lines, rows counted like the finding's (within its cell for a notebook)."""
    for f in report.findings:
        proposal = proposals.get(id(f))
        spec = fix_for(f.code)
        if proposal is None or spec is None:
            continue
        start = _cell_start(root / f.filename, f.cell) if f.cell is not None else 1
        edits = [
            Edit(
                content="".join(line + "\n" for line in h.lines),
                location=Location(row=h.start - start + 1, column=1),
                end_location=Location(row=h.end - start + 1, column=1),
            )
            for h in proposal.hunks
        ]
        f.fix = Fix(applicability=spec.applicability, message=proposal.message, edits=edits)


def _cell_start(path: Path, cell: int) -> int:
    try:
        return NotebookDoc(path.read_bytes()).starts.get(cell, 1)
    except (OSError, ValueError, SourceError):
        return 1


def rule_keys(rules: Iterable[type]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for rule in rules:
        keys[rule.code.lower()] = rule.code  # type: ignore[attr-defined]
        keys[rule.name.lower()] = rule.code  # type: ignore[attr-defined]
    return keys


def run(
    check: Callable[[], Report],
    *,
    loaded: LoadedConfig,
    rules: Iterable[type],
    options: FixOptions,
) -> FixOutcome:
    """Check, fix, re-check (see the module docstring); ``check`` is the run the user asked for."""
    root = loaded.root
    report = check()
    try:
        files = discover([root], root, loaded.settings).files
    except DiscoveryError:
        files = []
    modules = {f.rel: f.module for f in files}
    ctx = _Context(root, rule_keys(rules), modules, _TextProject(root, modules))
    outcome = FixOutcome(report)
    for _ in range(1 if options.diff else MAX_ROUNDS):
        changed, _ = _round(report, ctx, options, outcome, final=False)
        if not changed or options.diff:
            break
        report = check()
        ctx.project = _TextProject(root, modules)
    # What is left: the remaining findings whose fix was not allowed (unsafe without the flag) or did
    # not apply; their proposals go in the report's ``fix`` fields.
    leftover = FixOutcome(report)
    _, proposals = _round(
        report, ctx, FixOptions(diff=True, max_file_size=options.max_file_size), leftover, final=True
    )
    outcome.problems = list(dict.fromkeys(outcome.problems))
    outcome.report = report
    _attach(report, proposals, root)
    if not options.unsafe:
        outcome.unsafe_available = sum(
            1 for f in report.findings if f.fix is not None and f.fix.applicability == UNSAFE
        )
    return outcome
