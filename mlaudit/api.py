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
from mlaudit.engine.source import CellStart, SourceMap
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


def check(paths: Sequence[Path], options: CheckOptions | None = None) -> Report:
    options = options or CheckOptions()
    started = time.perf_counter()
    loaded = load_config(paths, options)
    reg = options.registry or registry(plugins=options.plugins)
    source = str(loaded.path) if loaded.path else "command line"
    try:
        enabled = enabled_rules(reg, loaded.settings, source)
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    root = loaded.root
    settings = loaded.settings
    explicit_files = [p for p in paths if p.is_file()]
    try:
        targets = discover(paths, root, settings, force_exclude=options.force_exclude)
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from None
    prules = project_rules(enabled)
    extractors = needed_extractors(enabled, reg.extractors)
    plan = RunPlan(
        settings=settings,
        file_rules=tuple((e.rule, e.options) for e in file_rules(enabled)),  # type: ignore[misc]
        extractors=tuple(extractors),
        rule_keys=_rule_keys(reg),
    )
    # Under pre-commit (explicit files), project rules still see the whole project.
    project: Discovery | None = None
    if explicit_files and prules:
        project = discover([root], root, settings)
    jobs = options.jobs if options.jobs is not None else settings.jobs
    target_rels = {f.rel for f in targets.files}
    work: list[SourceFile] = list(targets.files)
    if project is not None:
        work += [f for f in project.files if f.rel not in target_rels]
    cache_root = None if options.no_cache else _cache_root(root, settings.cache_dir, options.cache_dir)
    outcomes = parallel.run_map(
        partial(_analyze_job, plan=plan, cache_root=cache_root, timeout=settings.timeout), work, jobs
    )
    results = [o.result for o in outcomes]
    cache_warnings = _cache_warnings(outcomes, cache_root)
    report = _assemble(
        results=results,
        enabled=enabled,
        reg=reg,
        settings_root=root,
        loaded=loaded,
        prules=prules,
        targets=target_rels if explicit_files else None,
        discovery=targets,
    )
    report.warnings.extend(cache_warnings)
    report.summary.duration_s = round(time.perf_counter() - started, 3)
    return report


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
    from mlaudit.engine.runner import read_file, time_limit

    data, failed = read_file(job)
    if failed is not None:
        return _Outcome(failed)
    cache = Cache(cache_root, plan) if cache_root is not None else None
    key = entry_key(job, hashlib.sha256(data).hexdigest())
    corrupt = False
    if cache is not None:
        cached, corrupt = cache.get(key)
        if cached is not None:
            return _Outcome(cached, hit=True)
    with time_limit(timeout) as expired:
        result = analyze(job, plan, data=data)
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


@dataclass
class _FileInfo:
    cells: list[CellStart]
    result: FileResult


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


def _assemble(
    *,
    results: list[FileResult],
    enabled: list[EnabledRule],
    reg: Registry,
    settings_root: Path,
    loaded: LoadedConfig,
    prules: list[EnabledRule],
    targets: set[str] | None,
    discovery: Discovery,
) -> Report:
    settings = loaded.settings
    by_code = {e.rule.code: e for e in enabled}
    files = {r.rel: _FileInfo(r.cells, r) for r in results}
    raw: list[RawFinding] = []
    errors: list[FileError] = []
    internal_error = False
    warnings = list(reg.warnings) + list(discovery.warnings)

    def smap(rel: str) -> SourceMap:
        info = files.get(rel)
        return SourceMap(info.cells) if info else SourceMap()

    for rel, message in discovery.problems:
        errors.append(FileError(filename=rel, message=message))
    for r in results:
        if targets is not None and r.rel not in targets:
            continue
        if r.error is not None:
            cell, loc = _location(r.error.span.line, r.error.span.col, smap(r.rel))
            errors.append(FileError(filename=r.rel, location=loc, cell=cell, message=r.error.message))
            if "MLA001" in by_code:
                raw.append(
                    RawFinding("MLA001", r.rel, r.error.span, r.error.message, snippet=r.error.message)
                )
        for crash in r.crashes:
            internal_error = True
            errors.append(
                FileError(
                    code=crash.code,
                    filename=r.rel,
                    message=f"internal error in {crash.code}: {crash.message}",
                )
            )
        raw.extend(r.findings)

    facts = [r.facts for r in results if r.facts is not None]
    if prules:
        index = ProjectIndex.build(facts, settings)
        for e in prules:
            assert issubclass(e.rule, ProjectRule)
            rule = e.rule(e.options)
            try:
                found = list(rule.check(index))
            except Exception as exc:  # a project rule bug is recorded, the report goes on
                internal_error = True
                errors.append(FileError(code=e.rule.code, filename=".", message=f"internal error: {exc!r}"))
                continue
            for f in found:
                if targets is None or f.path in targets or any(rel.path in targets for rel in f.related):
                    raw.append(f)

    # Suppressions and per-file ignores.
    ignores = _per_file_ignores(settings.all_per_file_ignores, reg)
    kept: list[RawFinding] = []
    suppressed = 0
    for f in raw:
        if _ignored_by_pattern(f.path, f.code, ignores):
            continue
        info = files.get(f.path)
        directive = info.result.suppressions.match(f.code, f.span.line) if info else None
        if directive is not None and f.code != "MLA001":
            directive.used.add(f.code)
            suppressed += 1
            continue
        kept.append(f)
    for rel, info in files.items():
        if targets is not None and rel not in targets:
            continue
        sup = info.result.suppressions
        for bad in sup.invalid:
            if "MLA003" in by_code and not _ignored_by_pattern(rel, "MLA003", ignores):
                kept.append(RawFinding("MLA003", rel, bad.comment, bad.message, snippet=bad.message))
        if "MLA002" not in by_code or _ignored_by_pattern(rel, "MLA002", ignores):
            continue
        for d in sup.directives:
            unused = [c for c in d.codes if c not in d.used and c in by_code]
            if unused:
                names = ", ".join(reg.by_code[c].name for c in unused)
                kept.append(
                    RawFinding(
                        "MLA002",
                        rel,
                        d.comment,
                        f"unused suppression of {names}: remove it (it suppressed nothing)",
                        snippet=f"{d.kind}[{','.join(unused)}]",
                    )
                )

    findings = [_to_model(f, by_code, smap) for f in kept]
    findings.sort(key=Finding.sort_key)
    occurrences: Counter[tuple[str, str, str]] = Counter()
    for finding in findings:  # sorted, so occurrence indexes follow source order
        key = (finding.code, finding.filename, finding.fingerprint)
        finding.fingerprint = _fingerprint(
            finding.code, finding.filename, finding.fingerprint, occurrences[key]
        )
        occurrences[key] += 1
    summary = _summary(findings, errors, suppressed, len(discovery.files))
    return Report(
        tool=Tool(version=__version__),
        summary=summary,
        findings=findings,
        errors=sorted(errors, key=lambda e: (e.filename, e.cell or 0, e.location.row, e.code)),
        warnings=warnings,
        internal_error=internal_error,
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
