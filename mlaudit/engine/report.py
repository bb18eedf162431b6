"""Turning per-file results and project findings into the ``Report``: project rules over the index,
per-file ignores and inline suppressions (MLA002/MLA003 come out of this step), virtual-module spans
converted to ``(cell, row)`` once, line-independent fingerprints, and the summary."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pathspec

from mlaudit import __version__
from mlaudit.engine import lazy
from mlaudit.engine.discovery import Discovery
from mlaudit.engine.registry import EnabledRule, Registry, project_rules
from mlaudit.engine.results import FileResult
from mlaudit.engine.rule import ProjectRule, RawFinding, role_class, rule_doc_url
from mlaudit.engine.source import SourceMap
from mlaudit.model import FileError, Finding, Location, Related, Report, Severity, Summary, Tool
from mlaudit.project.index import ProjectIndex


def _location(span_line: int, span_col: int, smap: SourceMap) -> tuple[int | None, Location]:
    cell, row = smap.locate(span_line)
    return cell, Location.model_construct(row=row, column=span_col)


def _per_file_ignores(
    settings_ignores: dict[str, tuple[str, ...]], reg: Registry
) -> list[tuple[Any, bool, set[str]]]:
    compiled = []
    for pattern, selectors in settings_ignores.items():
        negate = pattern.startswith("!")
        spec = pathspec.GitIgnoreSpec.from_lines([pattern[1:] if negate else pattern])
        codes = {r.code for s in selectors for r in reg.expand(s, "per-file-ignores")}
        compiled.append((spec, negate, codes))
    return compiled


def _ignored_by_pattern(rel: str, code: str, compiled: list[tuple[Any, bool, set[str]]]) -> bool:
    return any(code in codes and spec.match_file(rel) != negate for spec, negate, codes in compiled)


def _fingerprint(code: str, filename: str, snippet: str, occurrence: int) -> str:
    raw = f"{code}\0{filename}\0{snippet}\0{occurrence}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass
class _Collected:
    """Raw findings and file errors gathered before suppressions are applied."""

    raw: list[RawFinding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    internal_error: bool = False
    templates: list[str] = field(default_factory=list)
    """Jinja/cookiecutter templates that are not Python until rendered (skipped, with a warning)."""
    exercises: list[str] = field(default_factory=list)
    """Course exercises with gaps left for the student (skipped, with a warning)."""
    excerpts: list[str] = field(default_factory=list)
    """Excerpts cut out of a class or function, starting indented (skipped, with a warning)."""


def _collect_files(
    results: list[FileResult], targets: set[str] | None, by_code: dict[str, EnabledRule], out: _Collected
) -> None:
    """Per-file findings, parse errors (MLA001 + an ``errors`` entry) and rule crashes of the targets."""
    for r in results:
        if targets is not None and r.rel not in targets:
            continue
        if r.error is not None and r.error.template:
            out.templates.append(r.rel)
        elif r.error is not None and r.error.exercise:
            out.exercises.append(r.rel)
        elif r.error is not None and r.error.excerpt:
            out.excerpts.append(r.rel)
        elif r.error is not None:
            cell, loc = _location(r.error.span.line, r.error.span.col, SourceMap(r.cells))
            out.errors.append(FileError.model_construct(filename=r.rel, location=loc, cell=cell, message=r.error.message))
            if "MLA001" in by_code:
                out.raw.append(RawFinding("MLA001", r.rel, r.error.span, r.error.message, r.error.message))
        for crash in r.crashes:
            out.internal_error = True
            message = f"internal error in {crash.code}: {crash.message}"
            out.errors.append(FileError.model_construct(code=crash.code, filename=r.rel, message=message))
        out.raw.extend(r.findings)


@dataclass
class ProjectOutcome:
    """What the project rules found over the whole project (before suppressions and target filters)."""

    findings: list[RawFinding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    """A project rule's crash (such an outcome is never cached)."""


def run_project_rules(prules: list[EnabledRule], results: list[FileResult], settings: Any) -> ProjectOutcome:
    """Every project finding in a module of a role the rule applies to; a crashing rule is recorded and
    the others go on."""
    index = ProjectIndex.build([r.facts for r in results if r.facts is not None], settings)
    classes = {facts.path: role_class(facts.roles) for facts in index}
    out = ProjectOutcome()
    for e in prules:
        rule = lazy.real(e.rule)  # a stand-in's module is imported only now
        assert issubclass(rule, ProjectRule)
        found: list[RawFinding] = []
        try:
            found.extend(rule(lazy.real_options(e.rule, e.options)).check(index))
        except Exception as exc:  # a project rule bug is recorded, the report goes on
            out.errors.append(FileError.model_construct(code=e.rule.code, filename=".", message=f"internal error: {exc!r}"))
        out.findings.extend(in_roles(found, rule.applies_to, classes))
    return out


def in_roles(
    findings: list[RawFinding], applies_to: frozenset[str], classes: dict[str, str]
) -> list[RawFinding]:
    """``applies_to`` for project findings, as the runner applies it to file rules: by the role class of
    the file a finding is located in (its primary path; related sites may be anywhere). A rule may read
    files of any role to decide; it reports only in the roles it declares. A path the index does not
    know (no facts: nothing to judge its role by) is kept."""
    return [f for f in findings if f.path not in classes or classes[f.path] in applies_to]


def _collect_project(project: ProjectOutcome, targets: set[str] | None, out: _Collected) -> None:
    """Project findings; with explicit targets, only those that involve one of them."""
    if project.errors:
        out.internal_error = True
        out.errors.extend(project.errors)
    for f in project.findings:
        if targets is None or f.path in targets or any(rel.path in targets for rel in f.related):
            out.raw.append(f)


def _suppress(
    raw: list[RawFinding], files: dict[str, FileResult], ignores: list[tuple[Any, bool, set[str]]]
) -> tuple[list[RawFinding], int]:
    """Apply per-file ignores and inline directives (marking the directives that were used)."""
    kept: list[RawFinding] = []
    suppressed = 0
    for f in raw:
        if _ignored_by_pattern(f.path, f.code, ignores):
            continue
        result = files.get(f.path)
        directive = result.suppressions.match(f.code, f.span.line) if result else None
        if directive is not None and f.code != "MLA001":
            directive.used.add(f.code)
            suppressed += 1
            continue
        kept.append(f)
    return kept, suppressed


def _directive_findings(
    rel: str, result: FileResult, by_code: dict[str, EnabledRule], reg: Registry
) -> list[RawFinding]:
    """MLA003 for malformed directives, MLA002 for directives of enabled rules that suppressed nothing."""
    out = []
    sup = result.suppressions
    if "MLA003" in by_code:
        out += [
            RawFinding("MLA003", rel, bad.comment, bad.message, snippet=bad.message) for bad in sup.invalid
        ]
    if "MLA002" in by_code:
        for d in sup.directives:
            unused = [c for c in d.codes if c not in d.used and c in by_code]
            if unused:
                names = ", ".join(reg.by_code[c].name for c in unused)
                message = f"unused suppression of {names}: remove it (it suppressed nothing)"
                out.append(
                    RawFinding("MLA002", rel, d.comment, message, snippet=f"{d.kind}[{','.join(unused)}]")
                )
    return out


def _with_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Sort, then hash each finding's snippet with its occurrence index among identical snippets."""
    findings.sort(key=Finding.sort_key)
    occurrences: Counter[tuple[str, str, str]] = Counter()
    for finding in findings:  # sorted, so occurrence indexes follow source order
        key = (finding.code, finding.filename, finding.fingerprint)
        finding.fingerprint = _fingerprint(
            finding.code, finding.filename, finding.fingerprint, occurrences[key]
        )
        occurrences[key] += 1
    return findings


def _all_directive_findings(
    files: dict[str, FileResult],
    targets: set[str] | None,
    by_code: dict[str, EnabledRule],
    reg: Registry,
    ignores: list[tuple[Any, bool, set[str]]],
) -> list[RawFinding]:
    out = []
    for rel, result in files.items():
        if targets is None or rel in targets:
            out += _directive_findings(rel, result, by_code, reg)
    return [f for f in out if not _ignored_by_pattern(f.path, f.code, ignores)]


def _source_map(files: dict[str, FileResult], rel: str) -> SourceMap:
    result = files.get(rel)
    return SourceMap(result.cells) if result else SourceMap()


def _skipped_warning(paths: list[str], what: str, why: str) -> list[str]:
    if not paths:
        return []
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    n = len(paths)
    return [
        f"skipped {n} {what}{'s' if n != 1 else ''} ({why}): {shown}; "
        "exclude them with `extend-exclude` to silence this"
    ]


def assemble(
    *,
    results: list[FileResult],
    enabled: list[EnabledRule],
    reg: Registry,
    settings: Any,
    targets: set[str] | None,
    discovery: Discovery,
    project: ProjectOutcome | None = None,
) -> Report:
    """The report of a run. ``project``: the project rules' outcome when the caller has it (from the
    cache); otherwise the project rules run here, on the facts of ``results``."""
    by_code = {e.rule.code: e for e in enabled}
    files = {r.rel: r for r in results}
    out = _Collected(errors=[FileError.model_construct(filename=rel, message=msg) for rel, msg in discovery.problems])
    _collect_files(results, targets, by_code, out)
    prules = project_rules(enabled)
    if prules:
        _collect_project(project or run_project_rules(prules, results, settings), targets, out)
    ignores = _per_file_ignores(settings.all_per_file_ignores, reg)
    kept, suppressed = _suppress(out.raw, files, ignores)
    kept += _all_directive_findings(files, targets, by_code, reg, ignores)
    smap = partial(_source_map, files)
    findings = _with_fingerprints([_to_model(f, by_code, smap) for f in kept])
    return Report.model_construct(  # every value is typed already: no validator is built (model.py)
        tool=Tool.model_construct(version=__version__),
        summary=_summary(findings, out.errors, suppressed, len(discovery.files)),
        findings=findings,
        errors=sorted(out.errors, key=lambda e: (e.filename, e.cell or 0, e.location.row, e.code)),
        warnings=[
            *reg.warnings,
            *discovery.warnings,
            *_skipped_warning(out.templates, "Jinja/cookiecutter template", "not Python until rendered"),
            *_skipped_warning(out.exercises, "exercise file", "gaps left for the student to fill"),
            *_skipped_warning(out.excerpts, "code excerpt", "starts indented, cut out of a class or function"),
        ],
        internal_error=out.internal_error,
    )


def _to_model(f: RawFinding, by_code: dict[str, EnabledRule], smap: Any) -> Finding:
    e = by_code[f.code]
    rule = e.rule
    m = smap(f.path)
    cell, start = _location(f.span.line, f.span.col, m)
    _, end = _location(f.span.end_line, f.span.end_col, m)
    related = []
    for rel in f.related:
        rm = smap(rel.path)
        rcell, rloc = _location(rel.span.line, rel.span.col, rm)
        _, rend = _location(rel.span.end_line, rel.span.end_col, rm)
        related.append(
            Related.model_construct(filename=rel.path, location=rloc, end_location=rend, cell=rcell, message=rel.message)
        )
    return Finding.model_construct(
        code=rule.code,
        name=rule.name,
        category=rule.category,
        severity=e.severity,
        message=f.message,
        filename=f.path,
        location=start,
        end_location=end,
        cell=cell,
        fingerprint=f.snippet,  # replaced by the hash once occurrences are counted
        related=related,
        url=rule_doc_url(rule),
    )


def _summary(
    findings: Sequence[Finding], errors: Sequence[FileError], suppressed: int, files: int
) -> Summary:
    by_sev = {s.value: 0 for s in Severity}
    by_code: dict[str, int] = defaultdict(int)
    for f in findings:
        by_sev[f.severity.value] += 1
        by_code[f.code] += 1
    return Summary.model_construct(
        files=files,
        findings=len(findings),
        errors=len(errors),
        suppressed=suppressed,
        by_severity=by_sev,
        by_code=dict(sorted(by_code.items())),
    )
