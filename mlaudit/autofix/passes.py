"""Fixing one file: passes of non-overlapping proposals, each kept only if the file still compiles
(and, for a notebook, maps back onto its cells); overlapping ones are deferred to the next pass with
their positions mapped through the edits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mlaudit.autofix.document import FixFile, apply_hunks, span_in, virtual_span
from mlaudit.facts.model import Span
from mlaudit.fixes import fix_for
from mlaudit.fixes.base import FileEdit, FixSource, FixSpec, Hunk, Proposal, Site, Target
from mlaudit.model import Finding, Related

MAX_PASSES = 20
"""Passes per file and round (ruff: 100 in total); overlapping fixes left after them wait for a round."""


@dataclass(frozen=True)
class AppliedFix:
    filename: str
    code: str
    row: int
    cell: int | None
    message: str
    findings: int = 1


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


def _map_span(span: Span, hunks: Sequence[Hunk]) -> Span | None:
    start, end = _map_line(span.line, hunks), _map_line(span.end_line, hunks)
    if start is None or end is None:
        return None
    return Span(start, span.col, end, span.end_col)


def _map_target(t: Target, hunks: Sequence[Hunk], rel: str) -> Target | None:
    span = _map_span(t.span, hunks)
    if span is None:
        return None
    related: list[Site] = []
    for site in t.related:
        moved = _map_span(site.span, hunks) if site.rel == rel else site.span
        if moved is None:
            return None  # a related site of this file was edited: the next round sees it afresh
        related.append(Site(site.rel, moved, site.message))
    return Target(t.code, span, t.message, tuple(related))


@dataclass
class _Pending:
    target: Target
    finding: Finding
    spec: FixSpec


@dataclass
class FixFileResult:
    lines: list[str]
    applied: list[AppliedFix] = field(default_factory=list)
    proposals: dict[int, Proposal] = field(default_factory=dict)
    """id(finding) -> its proposal, for findings not applied (reported in the JSON ``fix``)."""


Locate = Callable[[Related], Site | None]
"""A related site of a finding in the virtual coordinates of its file (None: it cannot be located)."""
Claim = Callable[[tuple[FileEdit, ...]], bool]
"""Reserve a proposal's edits to other files (all checked like the file's own, or none reserved)."""


def _related(f: Finding, file: FixFile, locate: Locate | None) -> tuple[Site, ...]:
    out: list[Site] = []
    for r in f.related:
        if r.filename == f.filename:
            span = span_in(file.doc, r.location, r.end_location or r.location, r.cell)
            site = Site(file.rel, span, r.message) if span is not None else None
        else:
            site = locate(r) if locate is not None else None
        if site is not None:
            out.append(site)
    return tuple(out)


def fix_file(
    file: FixFile,
    findings: list[Finding],
    allowed: Callable[[FixSpec], bool],
    context: Callable[[str], FixSource],
    locate: Locate | None = None,
    claim: Claim | None = None,
) -> FixFileResult:
    pending: list[_Pending] = []
    for f in findings:
        spec = fix_for(f.code)
        span = virtual_span(f, file.doc)
        if spec is None or span is None or (file.notebook and not spec.notebooks):
            continue
        pending.append(_Pending(Target(f.code, span, f.message, _related(f, file, locate)), f, spec))
    pending.sort(key=lambda p: (p.target.span.line, p.target.span.col, p.target.code))
    result = FixFileResult(list(file.original))
    for _ in range(MAX_PASSES):
        if not pending:
            break
        pending = _one_pass(file, result, pending, allowed, context, claim)
    return result


def _propose(p: _Pending, source: FixSource) -> Proposal | None:
    try:
        return p.spec.propose(source, p.target)
    except Exception:  # a fix that crashes on odd code fixes nothing; never a traceback
        return None


@dataclass
class _Pass:
    """The proposals kept in one pass, each with the findings it fixes, and the ones deferred."""

    file: FixFile
    base: list[str]
    claim: Claim | None = None
    kept: list[tuple[Proposal, list[_Pending]]] = field(default_factory=list)
    deferred: list[_Pending] = field(default_factory=list)

    @property
    def hunks(self) -> list[Hunk]:
        return sorted((h for k in self.kept for h in k[0].hunks), key=lambda h: h.start)

    def applied(self) -> list[AppliedFix]:
        out = []
        for proposal, covered in self.kept:
            f = covered[0].finding
            out.append(
                AppliedFix(self.file.rel, f.code, f.location.row, f.cell, proposal.message, len(covered))
            )
        return out

    def consider(self, p: _Pending, proposal: Proposal) -> None:
        same = next(
            (k for k in self.kept if (k[0].hunks, k[0].others) == (proposal.hunks, proposal.others)), None
        )
        if same is not None:  # one edit fixing several findings (MLA103's move)
            same[1].append(p)
            return
        hunks = self.hunks
        if any(_touches(a, b) for a in proposal.hunks for b in hunks):
            self.deferred.append(p)
        elif self.file.valid(apply_hunks(self.base, [*hunks, *proposal.hunks])) and (
            not proposal.others or (self.claim is not None and self.claim(proposal.others))
        ):
            self.kept.append((proposal, [p]))


def _one_pass(
    file: FixFile,
    result: FixFileResult,
    pending: list[_Pending],
    allowed: Callable[[FixSpec], bool],
    context: Callable[[str], FixSource],
    claim: Claim | None,
) -> list[_Pending]:
    """Apply the non-overlapping proposals of ``pending``; return the deferred ones, mapped."""
    source = context(file.text(result.lines))
    source.siblings = tuple(p.target for p in pending)
    try:
        source.tree  # noqa: B018  (one parse for every proposal of the pass)
    except Exception:  # libcst cannot parse what CPython can (rare): leave the file alone
        return []
    this = _Pass(file, result.lines, claim)
    for p in pending:
        proposal = _propose(p, source)
        if proposal is not None and not allowed(p.spec):
            result.proposals[id(p.finding)] = proposal
        elif proposal is not None:
            this.consider(p, proposal)
    if not this.kept:
        return []
    hunks = this.hunks
    result.lines = apply_hunks(result.lines, hunks)
    result.applied += this.applied()
    return _mapped(this.deferred, hunks, file.rel)


def _mapped(deferred: list[_Pending], hunks: list[Hunk], rel: str) -> list[_Pending]:
    """The deferred findings at their positions after ``hunks`` (dropped if their lines were edited)."""
    moved = ((p, _map_target(p.target, hunks, rel)) for p in deferred)
    return [_Pending(target, p.finding, p.spec) for p, target in moved if target is not None]
