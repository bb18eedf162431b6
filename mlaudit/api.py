"""The composition root: configuration + rules + engine -> ``Report``. Returns data; never prints or exits.

``check()`` is what the CLI, pre-commit, CI and the tests call.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any

from mlaudit.config.loader import ConfigError, LoadedConfig, load_settings
from mlaudit.config.schema import Settings
from mlaudit.engine.cache import (
    Cache,
    PackDoc,
    entry_key,
    facts_of,
    facts_text,
    packed,
    plan_key,
    unpacked,
)
from mlaudit.engine.discovery import Discovery, DiscoveryError, Finder, SourceFile, discover
from mlaudit.engine.lazy import materialize, source_file
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
from mlaudit.engine.report import ProjectOutcome, assemble, run_project_rules
from mlaudit.engine.results import FileResult, RunPlan, read_file
from mlaudit.model import Finding, Related, Report, Severity
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
    root: Path | None = None
    """The project root, when the caller knows it better than discovery (an embedded example project
    inside another repository); otherwise the config's folder, the VCS root or the target's folder."""
    stdin: tuple[Path, bytes] | None = None
    """Editors: (the file's path, its unsaved content). The content stands in for that file; the other
    files of the project supply their (cached) facts to whole-project rules."""


@cache
def registry(*, plugins: bool = True, manifest: Path | None = None) -> Registry:
    """All known rules (built-in and installed packs); built once per process. With a ``manifest``
    folder (the CLI passes the project's cache folder): from the rule manifest stored there, with
    stand-ins for the rules and extractors (``engine.lazy``), so that a run served from the cache
    imports no rule module and never the parser."""
    if manifest is not None:
        from mlaudit.engine import manifest as stored

        return stored.registry(partial(registry, plugins=plugins), plugins=plugins, folder=manifest)
    from mlaudit import facts, rules

    return build_registry([rules, facts], plugins=plugins)


def load_config(paths: Sequence[Path], options: CheckOptions) -> LoadedConfig:
    start = (paths[0] if paths else Path.cwd()).absolute()
    while not start.exists() and start != start.parent:  # an editor's new, unsaved file
        start = start.parent
    try:
        loaded = load_settings(
            start.resolve(),
            config_path=options.config_path,
            isolated=options.isolated,
            overrides=options.overrides,
        )
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return replace(loaded, root=options.root.resolve()) if options.root is not None else loaded


def _rule_keys(reg: Registry) -> dict[str, str]:
    keys = {}
    for rule in reg.rules:
        keys[rule.code.lower()] = rule.code
        keys[rule.name.lower()] = rule.code
    return keys


_SELECTOR_KEYS = ("select", "extend-select", "ignore")


def resolve_rules(loaded: LoadedConfig, reg: Registry) -> list[EnabledRule]:
    """The enabled rules with their validated options (usage errors name the option or the file)."""
    try:
        # Selectors given on the command line are checked first, so an error names the option, not the file.
        for key in _SELECTOR_KEYS:
            if key in loaded.cli_keys:
                for selector in loaded.settings.model_dump(by_alias=True)[key] or ():
                    reg.expand(selector, f"command line: --{key}")
        return enabled_rules(reg, loaded.settings, str(loaded.path) if loaded.path else "command line")
    except RegistryError as exc:
        raise UsageError(str(exc)) from None


def _discover(paths: Sequence[Path], loaded: LoadedConfig, force_exclude: bool) -> Discovery:
    try:
        return discover(paths, loaded.root, loaded.settings, force_exclude=force_exclude)
    except DiscoveryError as exc:
        raise UsageError(str(exc)) from None


def _plan(settings: Settings, enabled: list[EnabledRule], reg: Registry) -> RunPlan:
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


@dataclass
class _Batch:
    """The outcome of every file of a run, and the cache they came through."""

    outcomes: list[_Outcome]
    cache: Cache | None = None
    pack: PackDoc = field(default_factory=PackDoc)
    """What the previous run left in the cache's pack (read once)."""

    @property
    def results(self) -> list[FileResult]:
        return [o.result for o in self.outcomes]

    def with_facts(self) -> list[FileResult]:
        """The results with their facts (a result served from the pack has them as text until now)."""
        for o in self.outcomes:
            if o.result.facts is None and o.key in self.pack.facts:
                o.result.facts = facts_of(self.pack.facts[o.key])
        return self.results


def _run(
    work: list[SourceFile], plan: RunPlan, loaded: LoadedConfig, options: CheckOptions
) -> _Batch:
    """Analyse ``work``, through the cache unless ``--no-cache``. Cached results are looked up here, in
    this process, in the pack of the previous run (one read) and else in the file's own entry; only
    the files that must really be analysed go to the pool (a warm run starts no worker)."""
    settings = loaded.settings
    cache_root = _cache_root(loaded.root, settings.cache_dir, options)
    cache = Cache(cache_root, plan) if cache_root is not None else None
    pack = cache.read_pack() if cache is not None else PackDoc()
    outcomes, corrupt = _from_cache(work, plan, cache, pack, options.stdin)
    missing = [i for i, o in enumerate(outcomes) if o is None]
    if missing:
        from mlaudit.engine import parallel

        plan = materialize(plan)  # files to analyse: the real rule classes now (and libcst)
        jobs = options.jobs if options.jobs is not None else settings.jobs
        job = partial(
            _analyze_job, plan=plan, cache_root=cache_root, timeout=settings.timeout, stdin=options.stdin
        )
        for i, outcome in zip(missing, parallel.run_map(job, [work[i] for i in missing], jobs), strict=True):
            outcome.corrupt = outcome.corrupt or corrupt.get(i, False)
            outcomes[i] = outcome
    return _Batch([o for o in outcomes if o is not None], cache, pack)


def _from_cache(
    work: list[SourceFile],
    plan: RunPlan,
    cache: Cache | None,
    pack: PackDoc,
    stdin: tuple[Path, bytes] | None,
) -> tuple[list[_Outcome | None], dict[int, bool]]:
    """The cached outcome of each file (None for a miss), and which misses discarded a bad entry."""
    outcomes: list[_Outcome | None] = [None] * len(work)
    corrupt: dict[int, bool] = {}
    if cache is None:
        return outcomes, corrupt
    for i, source in enumerate(work):
        found = _cached(source, plan, cache, pack, stdin)
        if isinstance(found, _Outcome):
            outcomes[i] = found
        else:
            corrupt[i] = found
    return outcomes, corrupt


def _cached(
    source: SourceFile, plan: RunPlan, cache: Cache, pack: PackDoc, stdin: tuple[Path, bytes] | None
) -> _Outcome | bool:
    """The cached outcome of ``source``, or whether a bad entry was discarded on the way (a miss)."""
    data = _content(source, plan, stdin)
    if data is None:
        return False
    digest = hashlib.sha256(data).hexdigest()
    key = entry_key(source, digest)
    entry = pack.entries.get(key)
    if entry is not None and (entry.rel, entry.digest) == (source.rel, digest):
        return _Outcome(unpacked(entry), hit=True, key=key)
    cached, corrupt = _lookup(cache, key, source, digest)
    return _Outcome(cached, hit=True, key=key) if cached is not None else corrupt


def _content(source: SourceFile, plan: RunPlan, stdin: tuple[Path, bytes] | None) -> bytes | None:
    """The bytes to analyse (standard input's for the file it stands for); None when unreadable."""
    if stdin is not None and Path(os.path.normpath(stdin[0].absolute())) == source.path:
        return stdin[1]
    data, failed = read_file(source, plan.settings.max_file_size)
    return None if failed is not None else data


def check(
    paths: Sequence[Path],
    options: CheckOptions | None = None,
    *,
    loaded: LoadedConfig | None = None,
    rules: list[EnabledRule] | None = None,
) -> Report:
    """Analyse ``paths``; a caller that already loaded the config and resolved the rules passes them
    in (one load and one resolution per run)."""
    options = options or CheckOptions()
    started = time.perf_counter()
    loaded, reg, enabled = _inputs(paths, options, loaded, rules)
    explicit = options.stdin is not None or any(p.is_file() for p in paths)
    targets = _targets(paths, loaded, options)
    # Under pre-commit (explicit files), project rules still see the whole project.
    work = _work(targets, loaded, explicit and bool(project_rules(enabled)))
    plan = _plan(loaded.settings, enabled, reg)
    batch = _run(work, plan, loaded, options)
    project = _project_outcome(batch, plan, enabled, loaded.settings)
    report = assemble(
        results=batch.results,
        enabled=enabled,
        reg=reg,
        settings=loaded.settings,
        targets={f.rel for f in targets.files} if explicit else None,
        discovery=targets,
        project=project,
    )
    report.warnings.extend(_run_warnings(targets, batch.outcomes, loaded, options))
    report.summary.duration_s = round(time.perf_counter() - started, 3)
    return report


def _project_outcome(
    batch: _Batch, plan: RunPlan, enabled: list[EnabledRule], settings: Settings
) -> ProjectOutcome | None:
    """The project rules' findings: from the pack when nothing they depend on changed (no fact is
    decoded, no project rule imported), else computed now; the pack is then rewritten for the next run."""
    prules = project_rules(enabled)
    key = _project_key(batch, plan, prules)
    if prules and key and key == batch.pack.project_key:
        return ProjectOutcome(findings=batch.pack.project)
    project = run_project_rules(prules, batch.with_facts(), settings) if prules else None
    _store_pack(batch, key if project is None or not project.errors else "", project)
    return project


def _project_key(batch: _Batch, plan: RunPlan, prules: list[EnabledRule]) -> str:
    """What the project findings depend on: the plan, the project rules (class, source, options) and
    every file's entry; empty (never cached) when a file's result is not cached."""
    if batch.cache is None or any(not o.key for o in batch.outcomes):
        return ""
    parts = [
        plan_key(plan),
        [
            [f"{e.rule.__module__}.{e.rule.__qualname__}", source_file(e.rule), e.options.model_dump(mode="json")]
            for e in prules
        ],
        sorted(o.key for o in batch.outcomes),
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


def _store_pack(batch: _Batch, key: str, project: ProjectOutcome | None) -> None:
    """Rewrite the pack when something changed: the files' entries (facts as text) and the project
    findings (when ``key`` is set)."""
    if batch.cache is None:
        return
    keyed = [o for o in batch.outcomes if o.key]
    if key == batch.pack.project_key and {o.key for o in keyed} == set(batch.pack.entries):
        return
    pack = PackDoc(project_key=key, project=project.findings if key and project is not None else [])
    for o in keyed:
        pack.entries[o.key] = packed(o.result)
        text = batch.pack.facts.get(o.key)
        if text is None and o.result.facts is not None:
            text = facts_text(o.result.facts)
        if text is not None:
            pack.facts[o.key] = text
    batch.cache.write_pack(pack)


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
    plan = RunPlan(
        settings=loaded.settings,
        file_rules=(),
        extractors=tuple(x for x in reg.extractors if x.provides & facts),
        rule_keys=_rule_keys(reg),
    )
    results = _run(_discover(paths, loaded, options.force_exclude).files, plan, loaded, options).with_facts()
    return ProjectFacts(
        index=ProjectIndex.build([r.facts for r in results if r.facts is not None], loaded.settings),
        loaded=loaded,
        unreadable=sorted(r.rel for r in results if r.error is not None),
    )


def cache_root(loaded: LoadedConfig, options: CheckOptions) -> Path | None:
    """The run's cache folder; None with ``--no-cache``."""
    return _cache_root(loaded.root, loaded.settings.cache_dir, options)


def _cache_root(root: Path, setting: str, options: CheckOptions) -> Path | None:
    if options.no_cache:
        return None
    chosen = options.cache_dir if options.cache_dir is not None else Path(setting)
    return chosen if chosen.is_absolute() else root / chosen


@dataclass
class _Outcome:
    result: FileResult
    hit: bool = False
    corrupt: bool = False
    unwritable: bool = False
    key: str = ""
    """The cache entry's key; empty for a result that is never cached (unreadable, crashed, timed out)."""


def _lookup(cache: Cache | None, key: str, job: SourceFile, digest: str) -> tuple[FileResult | None, bool]:
    """(cached result, whether a bad entry was discarded). An entry about other content is never trusted."""
    if cache is None:
        return None, False
    cached, corrupt = cache.get(key)
    if cached is not None and (cached.rel, cached.digest) == (job.rel, digest):
        return cached, False
    return None, corrupt or cached is not None


def _inputs(
    paths: Sequence[Path], options: CheckOptions, loaded: LoadedConfig | None, rules: list[EnabledRule] | None
) -> tuple[LoadedConfig, Registry, list[EnabledRule]]:
    """The run's inputs, each computed once: the configuration, the registry and the enabled rules."""
    loaded = loaded or load_config(paths, options)
    reg = options.registry or registry(plugins=options.plugins)
    return loaded, reg, rules if rules is not None else resolve_rules(loaded, reg)


def _targets(paths: Sequence[Path], loaded: LoadedConfig, options: CheckOptions) -> Discovery:
    if options.stdin is not None:
        return _stdin_target(options.stdin[0], loaded)
    return _discover(paths, loaded, options.force_exclude)


def _run_warnings(
    targets: Discovery, outcomes: Sequence[_Outcome], loaded: LoadedConfig, options: CheckOptions
) -> list[str]:
    found = [] if targets.files else ["No Python files or notebooks found under the given paths"]
    return found + _cache_warnings(outcomes, _cache_root(loaded.root, loaded.settings.cache_dir, options))


def _stdin_target(path: Path, loaded: LoadedConfig) -> Discovery:
    """The file standing for standard input (it need not exist on disk)."""
    absolute = Path(os.path.normpath(path.absolute()))
    return Discovery(files=[Finder(loaded.root, loaded.settings).source_file(absolute)])


def _analyze_job(
    job: SourceFile,
    plan: RunPlan,
    cache_root: Path | None,
    timeout: float | None,
    stdin: tuple[Path, bytes] | None = None,
) -> _Outcome:
    """Worker entry point: read once, hash, serve from the cache or analyse and store."""
    from mlaudit.engine.runner import Timeout, analyze, time_limit, timed_out

    if stdin is not None and Path(os.path.normpath(stdin[0].absolute())) == job.path:
        data = stdin[1]
    else:
        data, failed = read_file(job, plan.settings.max_file_size)
        if failed is not None:
            return _Outcome(failed)
    cache = Cache(cache_root, plan) if cache_root is not None else None
    digest = hashlib.sha256(data).hexdigest()
    key = entry_key(job, digest)
    cached, corrupt = _lookup(cache, key, job, digest)
    if cached is not None:
        return _Outcome(cached, hit=True, key=key)
    try:
        with time_limit(timeout) as expired:
            result = analyze(job, plan, data=data)
    except Timeout:  # the alarm went off just as analyze() returned, before the timer was disarmed
        return _Outcome(timed_out(job, plan), corrupt=corrupt)
    if expired():  # over the limit, however the analysis ended (an alarm can surface as another error)
        return _Outcome(timed_out(job, plan), corrupt=corrupt)  # and never cached
    unwritable = cache is not None and not result.crashes and not cache.put(key, result)
    return _Outcome(result, corrupt=corrupt, unwritable=unwritable, key="" if result.crashes else key)


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


def exit_code(report: Report, fail_on: Severity) -> int:
    """0 clean; 1 findings at or above ``fail_on`` or a file that could not be analysed; 2 internal error."""
    if report.internal_error:
        return 2
    if report.errors:
        return 1
    if any(f.severity.rank >= fail_on.rank for f in report.findings):
        return 1
    return 0


def source_line(root: Path, finding: Finding | Related, max_size: float = 0.0) -> str | None:
    """The source line a finding points at (for terminal output); None when unavailable. Each file
    is read once per run, and a ``.py`` file over ``max_size`` MB (never analysed) not at all."""
    path = root / finding.filename
    try:
        st = path.stat()
    except OSError:
        return None
    shown = _shown_source(path, st.st_size, st.st_mtime_ns, max_size)
    if shown is None:
        return None
    lines, cells = shown
    line = finding.location.row
    if finding.cell is not None:
        if finding.cell not in cells:
            return None
        line = cells[finding.cell] + line - 1
    return lines[line - 1] if 0 < line <= len(lines) else None


@lru_cache(maxsize=4)
def _shown_source(
    path: Path, size: int, mtime_ns: int, max_size: float
) -> tuple[list[str], dict[int, int]] | None:
    """(lines, cell -> first line) of a file as analysed; keyed by size and mtime, so never stale."""
    from mlaudit.engine.source import SourceError, read_source, split_lines

    notebook = path.suffix == ".ipynb"
    if max_size and not notebook and size > max_size * 1_000_000:
        return None
    try:
        src = read_source(path.read_bytes(), notebook=notebook)
    except (OSError, SourceError):
        return None
    return split_lines(src.text), {c.cell: c.line for c in src.map.cells}


@dataclass
class Analysis:
    """``check``'s report plus every file's facts, from one pass over the files (``mlaudit audit``)."""

    report: Report
    index: ProjectIndex
    loaded: LoadedConfig
    registry: Registry
    enabled: frozenset[str] = frozenset()
    """Codes of the rules that ran."""


def _with_extractors(plan: RunPlan, reg: Registry, facts: frozenset[str]) -> RunPlan:
    """``plan`` plus the extractors providing ``facts`` (in registry order, so the cache key is stable)."""
    wanted = set(plan.extractors) | {x for x in reg.extractors if x.provides & facts}
    return RunPlan(
        settings=plan.settings,
        file_rules=plan.file_rules,
        extractors=tuple(x for x in reg.extractors if x in wanted),
        rule_keys=plan.rule_keys,
    )


def check_with_facts(
    paths: Sequence[Path], options: CheckOptions | None = None, *, facts: frozenset[str] = frozenset()
) -> Analysis:
    """``check`` that also runs the extractors providing ``facts`` and returns the project index: the
    same analysis, cache and report, so a whole-project view never parses a file twice."""
    options = options or CheckOptions()
    started = time.perf_counter()
    loaded = load_config(paths, options)
    reg = options.registry or registry(plugins=options.plugins)
    enabled = resolve_rules(loaded, reg)
    targets = _discover(paths, loaded, options.force_exclude)
    plan = _with_extractors(_plan(loaded.settings, enabled, reg), reg, facts)
    batch = _run(list(targets.files), plan, loaded, options)
    outcomes = batch.outcomes
    results = batch.with_facts()
    report = assemble(
        results=results, enabled=enabled, reg=reg, settings=loaded.settings, targets=None, discovery=targets
    )
    report.warnings.extend(
        _cache_warnings(outcomes, _cache_root(loaded.root, loaded.settings.cache_dir, options))
    )
    report.summary.duration_s = round(time.perf_counter() - started, 3)
    index = ProjectIndex.build([r.facts for r in results if r.facts is not None], loaded.settings)
    return Analysis(
        report=report,
        index=index,
        loaded=loaded,
        registry=reg,
        enabled=frozenset(e.rule.code for e in enabled),
    )
