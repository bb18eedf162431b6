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
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mlaudit.autofix.document import (
    FixFile,
    apply_hunks,
    open_file,
    span_in,
    unified_diff,
    unwritable,
    write,
)
from mlaudit.autofix.passes import MAX_PASSES, AppliedFix, fix_file
from mlaudit.config.loader import LoadedConfig
from mlaudit.engine.discovery import DiscoveryError, discover
from mlaudit.engine.source import SourceError
from mlaudit.fixes import fix_for
from mlaudit.fixes.base import UNSAFE, FileEdit, FixSource, FixSpec, Hunk, ProjectView, Proposal, Site
from mlaudit.model import Edit, Finding, Fix, Location, Related, Report
from mlaudit.suppress_writer._documents import NotebookDoc

__all__ = [
    "MAX_PASSES",
    "MAX_ROUNDS",
    "AppliedFix",
    "FixOptions",
    "FixOutcome",
    "describe",
    "rule_keys",
    "run",
]

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

    def summary(self, *, would: bool = False) -> str:
        """``Fixed 3 findings (MLA101 x3); 1 more with --unsafe-fixes.`` (``Would fix`` for ``--diff``)."""
        n = self.fixed
        text = f"{'Would fix' if would else 'Fixed'} {n} finding{'' if n == 1 else 's'}"
        if n:
            text += " (" + ", ".join(f"{c} x{k}" for c, k in sorted(self.fixed_by_code().items())) + ")"
        if self.unsafe_available:
            text += f"; {self.unsafe_available} more with --unsafe-fixes"
        return text + "."

    def message(self, *, show: bool, would: bool) -> str:
        """For stderr: problems, the fixes applied (``show``), the summary."""
        lines = [f"mlaudit: warning: {p}" for p in self.problems]
        if show:
            lines += [
                f"  {a.filename}:{f'cell {a.cell}:' if a.cell is not None else ''}{a.row}: {a.code} {a.message}"
                for a in self.applied
            ]
        return "".join(line + "\n" for line in [*lines, self.summary(would=would)])


class _TextProject(ProjectView):
    """Which project files mention a word (an identifier), from one read of every source file."""

    _WORD = re.compile(r"[^\W\d]\w*")

    def __init__(self, root: Path, files: Iterable[str], modules: dict[str, str] | None = None) -> None:
        self.root = root
        self.files = sorted(set(files))
        self._index: dict[str, set[str]] | None = None
        self.modules = modules or {}
        self.max_mb = 2.0
        self._rel_of = {m: rel for rel, m in self.modules.items() if m and not rel.endswith(".ipynb")}
        self._top: dict[str, set[str]] = {}

    def _words(self) -> dict[str, set[str]]:
        if self._index is None:
            self._index = {}
            for rel in self.files:
                try:
                    text = (self.root / rel).read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                for word in set(self._WORD.findall(text)):
                    self._index.setdefault(word, set()).add(rel)
        return self._index

    def mentions(self, word: str, *, besides: str) -> bool:
        return bool(self._words().get(word, set()) - {besides})

    def mentioning(self, word: str, *, besides: str) -> list[str] | None:
        return sorted(self._words().get(word, set()) - {besides})

    def defines(self, module: str, name: str) -> bool:
        rel = self._rel_of.get(module)
        if rel is None:
            return False
        if rel not in self._top:
            self._top[rel] = _top_level_names(self.root / rel)
        return name in self._top[rel]

    def source(self, rel: str) -> FixSource | None:
        if rel not in self.modules:
            return None
        file = open_file(self.root / rel, rel, self.max_mb)
        if isinstance(file, str):
            return None
        return FixSource(
            text=file.text(file.original),
            rel=rel,
            module=self.modules.get(rel, ""),
            is_notebook=file.notebook,
            project=self,
        )


def _top_level_names(path: Path) -> set[str]:
    """Names a module assigns at its top level (``SEED = 42``, ``SEED: int = 42``)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    names: set[str] = set()
    for stmt in tree.body:
        targets = (
            stmt.targets
            if isinstance(stmt, ast.Assign)
            else [stmt.target]
            if isinstance(stmt, ast.AnnAssign)
            else []
        )
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


@dataclass
class _Context:
    root: Path
    rule_keys: dict[str, str]
    modules: dict[str, str]
    project: ProjectView
    max_mb: float = 2.0
    docs: dict[str, FixFile | str] = field(default_factory=dict)

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

    def locate(self, related: Related) -> Site | None:
        """A related site in another file, in that file's virtual coordinates."""
        rel = related.filename
        if rel not in self.modules:
            return None
        if rel not in self.docs:
            self.docs[rel] = open_file(self.root / rel, rel, self.max_mb)
        file = self.docs[rel]
        if isinstance(file, str):
            return None
        span = span_in(file.doc, related.location, related.end_location or related.location, related.cell)
        return Site(rel, span, related.message) if span is not None else None


class _Externals:
    """Edits a file's fixes make to other files in one round (a project rule's sites): reserved while
    the file is fixed, each checked like the file's own edits, applied after it is written."""

    def __init__(self, ctx: _Context, options: FixOptions, outcome: FixOutcome, touched: set[str]) -> None:
        self.ctx = ctx
        self.options = options
        self.outcome = outcome
        self.touched = touched
        self.current = ""
        self.pending: dict[str, list[Hunk]] = {}
        self.files: dict[str, FixFile] = {}

    def start(self, rel: str) -> None:
        self.current = rel
        self.pending = {}

    def _open(self, rel: str) -> FixFile | None:
        if rel not in self.files:
            file = open_file(self.ctx.root / rel, rel, self.options.max_file_size)
            if isinstance(file, str):
                self.outcome.problems.append(file)
                return None
            self.files[rel] = file
        return self.files[rel]

    def claim(self, edits: tuple[FileEdit, ...]) -> bool:
        staged: dict[str, list[Hunk]] = {}
        for edit in edits:
            if edit.rel == self.current or edit.rel in self.touched:
                return False  # changed (or to be) in this round: its positions are stale; next round
            file = self._open(edit.rel)
            if file is None:
                return False
            if not self.options.diff:
                problem = unwritable(file)
                if problem is not None:
                    self.outcome.problems.append(problem)
                    return False
            before = [*self.pending.get(edit.rel, []), *staged.get(edit.rel, [])]
            if any(a.start <= b.end and b.start <= a.end for a in edit.hunks for b in before):
                return False
            if not file.valid(apply_hunks(file.original, [*before, *edit.hunks])):
                return False
            staged.setdefault(edit.rel, []).extend(edit.hunks)
        for rel, hunks in staged.items():
            self.pending.setdefault(rel, []).extend(hunks)
        return True

    def apply(self) -> bool:
        """Write (or diff) the reserved edits; whether every file took them."""
        ok = True
        for rel, hunks in sorted(self.pending.items()):
            file = self.files[rel]
            data = file.render(apply_hunks(file.original, hunks))
            if data is None:
                ok = False
                continue
            if self.options.diff:
                self.outcome.diffs.append(unified_diff(file, data))
            else:
                problem = write(file, data)
                if problem is not None:
                    self.outcome.problems.append(problem)
                    ok = False
                    continue
            self.touched.add(rel)
            if rel not in self.outcome.changed:
                self.outcome.changed.append(rel)
        self.pending = {}
        return ok


def _fixable(report: Report) -> dict[str, list[Finding]]:
    broken = {e.filename for e in report.errors}
    by_file: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.filename not in broken and fix_for(f.code) is not None:
            by_file.setdefault(f.filename, []).append(f)
    return by_file


def _round(
    report: Report, ctx: _Context, options: FixOptions, outcome: FixOutcome, final: bool
) -> tuple[bool, dict[int, Proposal]]:
    """Fix every file of ``report``; (whether a file changed, proposals of findings left unfixed)."""

    def allowed(spec: FixSpec) -> bool:
        return not final and (options.unsafe or spec.applicability != UNSAFE)

    changed = False
    proposals: dict[int, Proposal] = {}
    touched: set[str] = set()
    externals = _Externals(ctx, options, outcome, touched)
    ctx.docs = {}
    for rel, findings in sorted(_fixable(report).items()):
        if rel in touched:
            continue  # another file's fix edited it in this round: its findings are re-checked first
        file = open_file(ctx.root / rel, rel, options.max_file_size)
        if isinstance(file, str):
            outcome.problems.append(file)
            continue
        externals.start(rel)
        result = fix_file(
            file, findings, allowed, ctx.source(rel, file.notebook), ctx.locate, externals.claim
        )
        proposals.update(result.proposals)
        if not result.applied:
            continue
        data = file.render(result.lines) if result.lines != file.original else file.data
        if data is None:
            continue
        if data != file.data:
            if options.diff:
                outcome.diffs.append(unified_diff(file, data))
            else:
                problem = write(file, data)
                if problem is not None:
                    outcome.problems.append(problem)
                    continue
            touched.add(rel)
            if rel not in outcome.changed:
                outcome.changed.append(rel)
        elif not externals.pending:
            continue
        externals.apply()
        outcome.applied.extend(result.applied)
        changed = True
    return changed, proposals


def _attach(report: Report, proposals: dict[int, Proposal], root: Path) -> None:
    """Put each remaining finding's available fix in its ``fix`` field (ruff's JSON ``fix``): edits
    replace whole lines, rows counted like the finding's (within its cell for a notebook); an edit to
    another file names it (and its cell)."""
    for f in report.findings:
        proposal = proposals.get(id(f))
        spec = fix_for(f.code)
        if proposal is None or spec is None:
            continue
        start = _cell_start(root / f.filename, f.cell) if f.cell is not None else 1
        edits = [_edit(h, start) for h in proposal.hunks]
        for other in proposal.others:
            edits += _other_edits(root, other)
        f.fix = Fix(applicability=spec.applicability, message=proposal.message, edits=edits)


def _edit(h: Hunk, start: int, filename: str | None = None, cell: int | None = None) -> Edit:
    return Edit(
        content="".join(line + "\n" for line in h.lines),
        location=Location(row=h.start - start + 1, column=1),
        end_location=Location(row=h.end - start + 1, column=1),
        filename=filename,
        cell=cell,
    )


def _other_edits(root: Path, other: FileEdit) -> list[Edit]:
    if not other.rel.endswith(".ipynb"):
        return [_edit(h, 1, other.rel) for h in other.hunks]
    try:
        starts = NotebookDoc((root / other.rel).read_bytes()).starts
    except (OSError, ValueError, SourceError):
        return []
    out = []
    for h in other.hunks:
        cell, first = max(
            ((c, s) for c, s in starts.items() if s <= h.start), key=lambda p: p[1], default=(1, 1)
        )
        out.append(_edit(h, first, other.rel, cell))
    return out


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


def _context(loaded: LoadedConfig, rules: Iterable[type]) -> _Context:
    root = loaded.root
    try:
        files = discover([root], root, loaded.settings).files
    except DiscoveryError:
        files = []
    modules = {f.rel: f.module for f in files}
    max_mb = loaded.settings.max_file_size
    return _Context(root, rule_keys(rules), modules, _project(root, modules, max_mb), max_mb)


def _project(root: Path, modules: dict[str, str], max_mb: float) -> _TextProject:
    project = _TextProject(root, modules, modules)
    project.max_mb = max_mb
    return project


def _leftovers(report: Report, ctx: _Context, options: FixOptions, outcome: FixOutcome) -> None:
    """The remaining findings whose fix was not allowed (unsafe without the flag) or did not apply:
    their proposals go in the report's ``fix`` fields; count the unsafe ones."""
    plain = FixOptions(diff=True, max_file_size=options.max_file_size)
    _, proposals = _round(report, ctx, plain, FixOutcome(report), final=True)
    _attach(report, proposals, ctx.root)
    if not options.unsafe:
        outcome.unsafe_available = sum(
            1 for f in report.findings if f.fix is not None and f.fix.applicability == UNSAFE
        )


def describe(report: Report, *, loaded: LoadedConfig, rules: Iterable[type]) -> None:
    """A plain ``check``: fill the ``fix`` field of the findings that have a fix (what it would do and
    whether it is safe), proposing in memory and writing nothing."""
    ctx = _context(loaded, rules)
    options = FixOptions(unsafe=True, diff=True, max_file_size=loaded.settings.max_file_size)
    _leftovers(report, ctx, options, FixOutcome(report))


def run(
    check: Callable[[], Report],
    *,
    loaded: LoadedConfig,
    rules: Iterable[type],
    options: FixOptions,
    first: Report | None = None,
) -> FixOutcome:
    """Check, fix, re-check (see the module docstring); ``check`` is the run the user asked for,
    ``first`` its report when the caller already has it (the CLI: one analysis fewer)."""
    report = first if first is not None else check()
    ctx = _context(loaded, rules)
    outcome = FixOutcome(report)
    for _ in range(1 if options.diff else MAX_ROUNDS):
        changed, _ = _round(report, ctx, options, outcome, final=False)
        if not changed or options.diff:
            break
        report = check()
        ctx.project = _project(ctx.root, ctx.modules, ctx.max_mb)
    outcome.problems = list(dict.fromkeys(outcome.problems))
    outcome.report = report
    _leftovers(report, ctx, options, outcome)
    return outcome
