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

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mlaudit.autofix.document import open_file, unified_diff, write
from mlaudit.autofix.passes import MAX_PASSES, AppliedFix, fix_file
from mlaudit.config.loader import LoadedConfig
from mlaudit.engine.discovery import DiscoveryError, discover
from mlaudit.engine.source import SourceError
from mlaudit.fixes import fix_for
from mlaudit.fixes.base import UNSAFE, FixSource, FixSpec, ProjectView, Proposal
from mlaudit.model import Edit, Finding, Fix, Location, Report
from mlaudit.suppress_writer._documents import NotebookDoc

__all__ = ["MAX_PASSES", "MAX_ROUNDS", "AppliedFix", "FixOptions", "FixOutcome", "rule_keys", "run"]

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

    def __init__(self, root: Path, files: Iterable[str]) -> None:
        self.root = root
        self.files = sorted(set(files))
        self._index: dict[str, set[str]] | None = None

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


def _round(
    report: Report, ctx: _Context, options: FixOptions, outcome: FixOutcome, final: bool
) -> tuple[bool, dict[int, Proposal]]:
    """Fix every file of ``report``; (whether a file changed, proposals of findings left unfixed)."""

    def allowed(spec: FixSpec) -> bool:
        return not final and (options.unsafe or spec.applicability != UNSAFE)

    changed = False
    proposals: dict[int, Proposal] = {}
    for rel, findings in sorted(_fixable(report).items()):
        file = open_file(ctx.root / rel, rel, options.max_file_size)
        if isinstance(file, str):
            outcome.problems.append(file)
            continue
        result = fix_file(file, findings, allowed, ctx.source(rel, file.notebook))
        proposals.update(result.proposals)
        if result.lines == file.original:
            continue
        data = file.render(result.lines)
        if data is None or data == file.data:
            continue
        if options.diff:
            outcome.diffs.append(unified_diff(file, data))
        else:
            problem = write(file, data)
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


def _context(loaded: LoadedConfig, rules: Iterable[type]) -> _Context:
    root = loaded.root
    try:
        files = discover([root], root, loaded.settings).files
    except DiscoveryError:
        files = []
    modules = {f.rel: f.module for f in files}
    return _Context(root, rule_keys(rules), modules, _TextProject(root, modules))


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


def run(
    check: Callable[[], Report],
    *,
    loaded: LoadedConfig,
    rules: Iterable[type],
    options: FixOptions,
) -> FixOutcome:
    """Check, fix, re-check (see the module docstring); ``check`` is the run the user asked for."""
    report = check()
    ctx = _context(loaded, rules)
    outcome = FixOutcome(report)
    for _ in range(1 if options.diff else MAX_ROUNDS):
        changed, _ = _round(report, ctx, options, outcome, final=False)
        if not changed or options.diff:
            break
        report = check()
        ctx.project = _TextProject(ctx.root, ctx.modules)
    outcome.problems = list(dict.fromkeys(outcome.problems))
    outcome.report = report
    _leftovers(report, ctx, options, outcome)
    return outcome
