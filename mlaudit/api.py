"""The composition root: configuration + rules + engine -> ``Report``. Returns data; never prints or exits.

``check()`` is what the CLI, pre-commit, CI and the tests call.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

import pathspec

from mlaudit import __version__
from mlaudit.config.loader import ConfigError, LoadedConfig, load_settings
from mlaudit.engine import parallel
from mlaudit.engine.discovery import Discovery, DiscoveryError, SourceFile, discover
from mlaudit.engine.registry import (
    EnabledRule,
    Registry,
    RegistryError,
    build_registry,
    enabled_rules,
    file_rules,
    needed_extractors,
    project_rules,
)
from mlaudit.engine.rule import ProjectRule, RawFinding, RelatedSite, rule_doc_url
from mlaudit.engine.runner import FileResult, RunPlan, analyze
from mlaudit.engine.source import SourceMap
from mlaudit.model import FileError, Finding, Location, Related, Report, Severity, Summary, Tool
from mlaudit.project.index import ProjectIndex


class UsageError(Exception):
    """Bad command line, configuration or path: the CLI prints the message and exits 2."""


@dataclass
class CheckOptions:
    config_path: Path | None = None
    isolated: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)
    force_exclude: bool = False
    jobs: int | None = None
    plugins: bool = True
    no_cache: bool = False
    cache_dir: Path | None = None
    """Overrides the ``cache-dir`` setting (the CLI also reads ``MLAUDIT_CACHE_DIR``)."""
    registry: Registry | None = None
    """The rules to use instead of the built-ins and installed packs (embedding, tests)."""


@cache
def registry(*, plugins: bool = True) -> Registry:
    """All known rules (built-in and installed packs); built once per process."""
    from mlaudit import facts, rules

    return build_registry([rules, facts], plugins=plugins)


def load_config(paths: Sequence[Path], options: CheckOptions) -> LoadedConfig:
    start = paths[0] if paths else Path.cwd()
    if not start.exists():
        start = Path.cwd()
    try:
        return load_settings(
            start.resolve(),
            config_path=options.config_path,
            isolated=options.isolated,
            overrides=options.overrides,
        )
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _rule_keys(reg: Registry) -> dict[str, str]:
    keys = {}
    for rule in reg.rules:
        keys[rule.code.lower()] = rule.code
        keys[rule.name.lower()] = rule.code
    return keys


def _enabled(loaded: LoadedConfig, reg: Registry) -> list[EnabledRule]:
    try:
        return enabled_rules(reg, loaded.settings, str(loaded.path) if loaded.path else "command line")
    except RegistryError as exc:
        raise UsageError(str(exc)) from None


def _discover(paths: Sequence[Path], loaded: LoadedConfig, force_exclude: bool) -> Discovery:
    try:
        return discover(paths, loaded.root, loaded.settings, force_exclude=force_exclude)
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from None


def _plan(settings: Any, enabled: list[EnabledRule], reg: Registry) -> RunPlan:
    return RunPlan(
        settings=settings,
        file_rules=tuple((e.rule, e.options) for e in file_rules(enabled)),  # type: ignore[misc]
        extractors=tuple(needed_extractors(enabled, reg.extractors)),
        rule_keys=_rule_keys(reg),
    )


def _work(targets: Discovery, loaded: LoadedConfig, whole_project: bool) -> list[SourceFile]:
    """The files to analyse: the targets, plus (pre-commit) the rest of the project for its facts."""
    work = list(targets.files)
    if whole_project:
        seen = {f.rel for f in targets.files}
        rest = discover([loaded.root], loaded.root, loaded.settings).files
        work += [f for f in rest if f.rel not in seen]
    return work


def check(paths: Sequence[Path], options: CheckOptions | None = None) -> Report:
    options = options or CheckOptions()
    started = time.perf_counter()
    loaded = load_config(paths, options)
    reg = options.registry or registry(plugins=options.plugins)
    enabled = _enabled(loaded, reg)
    settings = loaded.settings
    explicit = any(p.is_file() for p in paths)
    targets = _discover(paths, loaded, options.force_exclude)
    plan = _plan(settings, enabled, reg)
    # Under pre-commit (explicit files), project rules still see the whole project.
    work = _work(targets, loaded, explicit and bool(project_rules(enabled)))
    cache_root = None if options.no_cache else _cache_root(loaded.root, settings.cache_dir, options.cache_dir)
    jobs = options.jobs if options.jobs is not None else settings.jobs
    outcomes = parallel.run_map(
        partial(_analyze_job, plan=plan, cache_root=cache_root, timeout=settings.timeout), work, jobs
    )
    report = _assemble(
        results=[o.result for o in outcomes],
        enabled=enabled,
        reg=reg,
        settings=settings,
        targets={f.rel for f in targets.files} if explicit else None,
        discovery=targets,
    )
    report.warnings.extend(_cache_warnings(outcomes, cache_root))
    report.summary.duration_s = round(time.perf_counter() - started, 3)
    return report


@dataclass
class ProjectFacts:
    index: ProjectIndex
    loaded: LoadedConfig
    unreadable: list[str] = field(default_factory=list)
    """Files that could not be parsed (they have no facts)."""


def project_facts(
    paths: Sequence[Path],
    options: CheckOptions | None = None,
    *,
    facts: frozenset[str] = frozenset({"imports"}),
) -> ProjectFacts:
    """The facts of every file under ``paths`` (only the extractors providing ``facts`` run, no rule):
    the input of whole-project views such as ``mlaudit graph``. Uses the cache like ``check``."""
    options = options or CheckOptions()
    loaded = load_config(paths, options)
    reg = options.registry or registry(plugins=options.plugins)
    settings = loaded.settings
    try:
        found = discover(paths, loaded.root, settings, force_exclude=options.force_exclude)
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from None
    plan = RunPlan(
        settings=settings,
        file_rules=(),
        extractors=tuple(x for x in reg.extractors if x.provides & facts),
        rule_keys=_rule_keys(reg),
    )
    cache_root = None if options.no_cache else _cache_root(loaded.root, settings.cache_dir, options.cache_dir)
    jobs = options.jobs if options.jobs is not None else settings.jobs
    outcomes = parallel.run_map(
        partial(_analyze_job, plan=plan, cache_root=cache_root, timeout=settings.timeout), found.files, jobs
    )
    results = [o.result for o in outcomes]
    return ProjectFacts(
        index=ProjectIndex.build([r.facts for r in results if r.facts is not None], settings),
        loaded=loaded,
        unreadable=sorted(r.rel for r in results if r.error is not None),
    )


def _cache_root(root: Path, setting: str, override: Path | None) -> Path:
    chosen = override if override is not None else Path(setting)
    return chosen if chosen.is_absolute() else root / chosen


@dataclass
class _Outcome:
    result: FileResult
    hit: bool = False
    corrupt: bool = False
    unwritable: bool = False


def _analyze_job(job: SourceFile, plan: RunPlan, cache_root: Path | None, timeout: float | None) -> _Outcome:
    """Worker entry point: read once, hash, serve from the cache or analyse and store."""
    from mlaudit.engine.cache import Cache, entry_key
    from mlaudit.engine.runner import Timeout, read_file, time_limit, timed_out

    data, failed = read_file(job, plan.settings.max_file_size)
    if failed is not None:
        return _Outcome(failed)
    cache = Cache(cache_root, plan) if cache_root is not None else None
    key = entry_key(job, hashlib.sha256(data).hexdigest())
    corrupt = False
    if cache is not None:
        cached, corrupt = cache.get(key)
        if cached is not None:
            return _Outcome(cached, hit=True)
    try:
        with time_limit(timeout) as expired:
            result = analyze(job, plan, data=data)
    except Timeout:  # the alarm went off just as analyze() returned, before the timer was disarmed
        return _Outcome(timed_out(job, plan), corrupt=corrupt)
    if expired():
        return _Outcome(result, corrupt=corrupt)  # a timed-out result is never cached
    unwritable = cache is not None and not result.crashes and not cache.put(key, result)
    return _Outcome(result, corrupt=corrupt, unwritable=unwritable)


def _cache_warnings(outcomes: Sequence[_Outcome], cache_root: Path | None) -> list[str]:
    warnings = []
    corrupt = sum(o.corrupt for o in outcomes)
    if corrupt:
        warnings.append(
            f"discarded {corrupt} corrupt cache entr{'y' if corrupt == 1 else 'ies'} in {cache_root}"
        )
    if any(o.unwritable for o in outcomes):
        warnings.append(f"cache directory {cache_root} is not writable: results were not cached")
    return warnings


# --- assembling the report ---------------------------------------------------------------------


def _location(span_line: int, span_col: int, smap: SourceMap) -> tuple[int | None, Location]:
    cell, row = smap.locate(span_line)
    return cell, Location(row=row, column=span_col)


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


def _collect_files(
    results: list[FileResult], targets: set[str] | None, by_code: dict[str, EnabledRule], out: _Collected
) -> None:
    """Per-file findings, parse errors (MLA001 + an ``errors`` entry) and rule crashes of the targets."""
    for r in results:
        if targets is not None and r.rel not in targets:
            continue
        if r.error is not None:
            cell, loc = _location(r.error.span.line, r.error.span.col, SourceMap(r.cells))
            out.errors.append(FileError(filename=r.rel, location=loc, cell=cell, message=r.error.message))
            if "MLA001" in by_code:
                out.raw.append(RawFinding("MLA001", r.rel, r.error.span, r.error.message, r.error.message))
        for crash in r.crashes:
            out.internal_error = True
            message = f"internal error in {crash.code}: {crash.message}"
            out.errors.append(FileError(code=crash.code, filename=r.rel, message=message))
        out.raw.extend(r.findings)


def _run_project_rules(
    prules: list[EnabledRule], index: ProjectIndex, targets: set[str] | None, out: _Collected
) -> None:
    """Project findings; with explicit targets, only those that involve one of them."""
    for e in prules:
        assert issubclass(e.rule, ProjectRule)
        try:
            found = list(e.rule(e.options).check(index))
        except Exception as exc:  # a project rule bug is recorded, the report goes on
            out.internal_error = True
            out.errors.append(FileError(code=e.rule.code, filename=".", message=f"internal error: {exc!r}"))
            continue
        for f in found:
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


def _assemble(
    *,
    results: list[FileResult],
    enabled: list[EnabledRule],
    reg: Registry,
    settings: Any,
    targets: set[str] | None,
    discovery: Discovery,
) -> Report:
    by_code = {e.rule.code: e for e in enabled}
    files = {r.rel: r for r in results}
    out = _Collected(errors=[FileError(filename=rel, message=msg) for rel, msg in discovery.problems])
    _collect_files(results, targets, by_code, out)
    prules = project_rules(enabled)
    if prules:
        index = ProjectIndex.build([r.facts for r in results if r.facts is not None], settings)
        _run_project_rules(prules, index, targets, out)
    ignores = _per_file_ignores(settings.all_per_file_ignores, reg)
    kept, suppressed = _suppress(out.raw, files, ignores)
    for rel, result in files.items():
        if targets is None or rel in targets:
            kept += [
                f
                for f in _directive_findings(rel, result, by_code, reg)
                if not _ignored_by_pattern(rel, f.code, ignores)
            ]

    def smap(rel: str) -> SourceMap:
        result = files.get(rel)
        return SourceMap(result.cells) if result else SourceMap()

    findings = _with_fingerprints([_to_model(f, by_code, smap) for f in kept])
    return Report(
        tool=Tool(version=__version__),
        summary=_summary(findings, out.errors, suppressed, len(discovery.files)),
        findings=findings,
        errors=sorted(out.errors, key=lambda e: (e.filename, e.cell or 0, e.location.row, e.code)),
        warnings=list(reg.warnings) + list(discovery.warnings),
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
            Related(filename=rel.path, location=rloc, end_location=rend, cell=rcell, message=rel.message)
        )
    return Finding(
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
    return Summary(
        files=files,
        findings=len(findings),
        errors=len(errors),
        suppressed=suppressed,
        by_severity=by_sev,
        by_code=dict(sorted(by_code.items())),
    )


def exit_code(report: Report, fail_on: Severity) -> int:
    """0 clean; 1 findings at or above ``fail_on`` or a file that could not be analysed; 2 internal error."""
    if report.internal_error:
        return 2
    if report.errors:
        return 1
    if any(f.severity.rank >= fail_on.rank for f in report.findings):
        return 1
    return 0


def source_line(root: Path, finding: Finding | Related) -> str | None:
    """The source line a finding points at (for terminal output); None when unavailable."""
    from mlaudit.engine.source import SourceError, read_source

    path = root / finding.filename
    try:
        data = path.read_bytes()
        src = read_source(data, notebook=path.suffix == ".ipynb")
    except (OSError, SourceError):
        return None
    line = finding.location.row
    if finding.cell is not None:
        starts = [c for c in src.map.cells if c.cell == finding.cell]
        if not starts:
            return None
        line = starts[0].line + line - 1
    lines = src.text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None


def related_sites(sites: Iterable[RelatedSite]) -> list[RelatedSite]:
    return sorted(sites, key=lambda s: (s.path, s.span.line, s.span.col))
