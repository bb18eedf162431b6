"""The CI gate: what happens to a ``Report`` between ``api.check()`` and the terminal.

- ``prepare()`` validates everything that can fail *before* the (possibly long) analysis: extra report
  targets (``--report FORMAT:PATH``), the baseline file, the git state for ``--diff-base``.
- ``apply()`` filters the report: baseline (``--baseline``/config ``baseline``; ``--write-baseline``
  creates or shrinks it), then ``--diff-base`` (findings already present at a git ref).
- ``complete_context()`` gives the renderers what the code-host formats need (rule metadata with the
  catalogue README, the repository root, notebook line positions); ``write_reports()`` writes the extra
  reports and the GitHub step summary.
- ``add_ignores()`` runs ``--add-ignore``.

Nothing here prints or exits: messages for stderr are collected in ``Plan.messages`` and errors are
``GateError`` (an ``api.UsageError``: the CLI prints it and exits 2).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlaudit import __version__, api, baseline, gitdiff
from mlaudit.config.environment import ci_environment
from mlaudit.config.loader import LoadedConfig
from mlaudit.engine.registry import EnabledRule, Registry
from mlaudit.model import Report

if TYPE_CHECKING:
    from mlaudit.reporters import RenderContext

_TEXT_FORMATS = ("full", "concise")
_TRUE = ("1", "true", "yes", "on")


class GateError(api.UsageError):
    """A usage error of the CI options (exit 2)."""


@dataclass(frozen=True)
class CiSettings:
    """The CI environment the gate reacts to, read once (``from_environment``) and passed in."""

    ci: bool = False
    """``CI`` is set (true/1/yes/on): a baseline is then never rewritten."""
    step_summary: Path | None = None
    """``$GITHUB_STEP_SUMMARY``: where the github format appends its Markdown table."""
    checkout_dirs: tuple[Path, ...] = ()
    """``$CI_PROJECT_DIR`` (GitLab) and ``$GITHUB_WORKSPACE``: where code-host paths start."""

    @classmethod
    def from_environment(cls) -> CiSettings:
        return cls.from_variables(ci_environment())

    @classmethod
    def from_variables(cls, env: Mapping[str, str | None]) -> CiSettings:
        """Interpret the variables of ``config.environment.ci_environment`` (unset and empty alike)."""
        summary = env.get("GITHUB_STEP_SUMMARY")
        dirs = tuple(Path(v) for v in (env.get("CI_PROJECT_DIR"), env.get("GITHUB_WORKSPACE")) if v)
        return cls(
            ci=(env.get("CI") or "").strip().lower() in _TRUE,
            step_summary=Path(summary) if summary else None,
            checkout_dirs=dirs,
        )


@dataclass
class GateOptions:
    reports: Sequence[str] = ()
    """``FORMAT:PATH`` specifications of extra reports."""
    baseline: Path | None = None
    no_baseline: bool = False
    """Ignore every baseline (``--no-baseline``): the option, the config's and the default file."""
    write_baseline: str | None = None
    """None: no; ``""``: the baseline file in effect (or ``mlaudit-baseline.json``); else a path."""
    allow_new: bool = False
    diff_base: str | None = None
    add_ignore: str | None = None
    """None: no; else the reason (possibly empty)."""
    ci: CiSettings | None = None
    """None: read from the environment."""


@dataclass(frozen=True)
class ReportTarget:
    format: str
    path: Path


@dataclass
class Plan:
    paths: list[Path]
    options: api.CheckOptions
    loaded: LoadedConfig
    gate: GateOptions
    enabled: list[EnabledRule]
    targets: list[ReportTarget] = field(default_factory=list)
    baseline_path: Path | None = None
    entries: list[baseline.Entry] | None = None
    write_path: Path | None = None
    old_entries: list[baseline.Entry] | None = None
    diff: gitdiff.DiffBase | None = None
    ci: CiSettings = field(default_factory=CiSettings)
    messages: list[str] = field(default_factory=list)

    @property
    def enabled_codes(self) -> set[str]:
        return {e.rule.code for e in self.enabled}


def parse_report(spec: str, known: Sequence[str]) -> ReportTarget:
    fmt, sep, path = spec.partition(":")
    if not sep or not fmt or not path:
        raise GateError(f"--report {spec!r}: write it as FORMAT:PATH, e.g. `--report sarif:mlaudit.sarif`")
    if fmt not in known:
        raise GateError(f"--report {spec!r}: unknown format `{fmt}`; choose one of {', '.join(known)}")
    return ReportTarget(fmt, Path(path))


def _registry(options: api.CheckOptions) -> Registry:
    return options.registry if options.registry is not None else api.registry(plugins=options.plugins)


def prepare(
    paths: Sequence[Path],
    options: api.CheckOptions,
    loaded: LoadedConfig,
    gate: GateOptions,
    known: Sequence[str],
) -> Plan:
    """Validate the CI options and load what they need, in the order the errors are reported."""
    enabled = _enabled_rules(options, loaded)
    ci = gate.ci if gate.ci is not None else CiSettings.from_environment()
    plan = Plan(paths=list(paths), options=options, loaded=loaded, gate=gate, enabled=enabled, ci=ci)
    plan.targets = _report_targets(gate.reports, known)
    _prepare_baseline(plan)
    if gate.diff_base is not None:
        plan.diff = _prepare_diff_base(gate.diff_base, loaded.root)
    return plan


def _enabled_rules(options: api.CheckOptions, loaded: LoadedConfig) -> list[EnabledRule]:
    try:
        return api.resolve_rules(loaded, _registry(options))
    except api.UsageError as exc:
        raise GateError(str(exc)) from None


def _report_targets(specs: Sequence[str], known: Sequence[str]) -> list[ReportTarget]:
    """The ``--report`` targets; two of them writing the same file is an error."""
    seen: dict[Path, str] = {}
    targets = []
    for spec in specs:
        target = parse_report(spec, known)
        resolved = target.path.resolve()
        if resolved in seen:
            raise GateError(f"--report: {target.path} is given twice ({seen[resolved]} and {spec})")
        seen[resolved] = spec
        targets.append(target)
    return targets


def _prepare_baseline(plan: Plan) -> None:
    """The baseline to apply (``--baseline`` or the config's) or the one to write, read now."""
    gate, loaded = plan.gate, plan.loaded
    plan.baseline_path = _baseline_path(gate, loaded)
    if gate.write_baseline is not None:
        plan.write_path = _write_path(gate.write_baseline, plan.baseline_path, loaded.root)
        plan.old_entries = _existing_baseline(plan.write_path)
    elif gate.allow_new:
        raise GateError("--allow-new only makes sense with --write-baseline")
    if gate.write_baseline is not None and gate.add_ignore is not None:
        raise GateError(
            "--write-baseline and --add-ignore are two ways to accept today's findings (a baseline file, "
            "or comments in the code): use one"
        )
    if plan.baseline_path is not None and plan.write_path is None:
        plan.entries = _load(plan.baseline_path)


def _baseline_path(gate: GateOptions, loaded: LoadedConfig) -> Path | None:
    """``--baseline`` wins over the config's ``baseline`` (relative to the project root), which wins
    over ``mlaudit-baseline.json`` at the project root when that file exists."""
    if gate.baseline is not None:
        return gate.baseline
    if gate.no_baseline:
        return None
    if loaded.settings.baseline:
        return loaded.root / loaded.settings.baseline
    default = loaded.root / baseline.DEFAULT_FILE
    if default.is_file():
        return default
    return None


def _write_path(spec: str, baseline_path: Path | None, root: Path) -> Path:
    """``--write-baseline[=FILE]``: the named file, else the baseline in effect, else the default file."""
    path = Path(spec) if spec else baseline_path or root / baseline.DEFAULT_FILE
    if path.is_dir():
        raise GateError(f"--write-baseline: {path} is a directory; give a file name")
    return path


def _existing_baseline(path: Path) -> list[baseline.Entry] | None:
    """The entries of the baseline about to be rewritten (None: a new file); never overwrite other files."""
    if not path.exists():
        return None
    if not baseline.is_baseline(path):
        raise GateError(
            f"--write-baseline: {path} exists and is not an mlaudit baseline; refusing to "
            "overwrite it (write `--write-baseline=FILE` to name the file, paths after it are checked)"
        )
    return _load(path)


def _prepare_diff_base(ref: str, root: Path) -> gitdiff.DiffBase:
    try:
        return gitdiff.prepare(ref, root)
    except gitdiff.DiffBaseError as exc:
        raise GateError(str(exc)) from None


def _load(path: Path) -> list[baseline.Entry]:
    try:
        return baseline.load(path)
    except baseline.BaselineError as exc:
        raise GateError(str(exc)) from None


def _scope(plan: Plan) -> baseline.Scope:
    """Entries this run can judge: an enabled rule, in a checked path (pre-commit passes a few files)."""
    root = plan.loaded.root.resolve()
    prefixes: list[str] = []
    for p in plan.paths:
        try:
            rel = p.resolve().relative_to(root).as_posix()
        except ValueError:
            try:
                root.relative_to(p.resolve())
            except ValueError:
                continue  # a path outside the project
            rel = "."
        prefixes.append(rel)
    codes = plan.enabled_codes
    whole = "." in prefixes

    def scope(e: baseline.Entry) -> bool:
        if e.code not in codes:
            return False
        return whole or any(e.path == p or e.path.startswith(p.rstrip("/") + "/") for p in prefixes)

    return scope


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def apply(report: Report, plan: Plan) -> Report:
    scope = _scope(plan)
    if plan.write_path is not None:
        report = _write_baseline(report, plan, scope)
    elif plan.entries is not None and plan.baseline_path is not None:
        report, _ = baseline.apply(report, plan.entries, scope, _shown(plan.baseline_path))
    if plan.diff is not None:
        report = _diff_base(report, plan)
    return report


def _how_used(plan: Plan) -> str:
    """Tell the user how a later plain ``check`` will find the baseline just written."""
    assert plan.write_path is not None
    loaded = plan.loaded
    written = plan.write_path.resolve()
    if written == (loaded.root / baseline.DEFAULT_FILE).resolve() and not loaded.settings.baseline:
        return "`mlaudit check` applies it from now on (`--no-baseline` shows every finding)."
    if loaded.settings.baseline and written == (loaded.root / loaded.settings.baseline).resolve():
        return "The config's `baseline` setting applies it to every check."
    return f"Apply it with `--baseline {_shown(plan.write_path)}` or `baseline = ...` in the config."


def _write_baseline(report: Report, plan: Plan, scope: baseline.Scope) -> Report:
    assert plan.write_path is not None
    where = _shown(plan.write_path)
    if plan.old_entries is None:
        entries = [baseline.Entry.of(f) for f in report.findings]
        baseline.write(plan.write_path, entries, __version__)
        plan.messages.append(f"Wrote baseline {where} with {_entries(len(entries))}. {_how_used(plan)}")
        out, _ = baseline.apply(report, entries, scope, where)
        return out
    change = baseline.rewrite(plan.old_entries, report.findings, scope, allow_new=plan.gate.allow_new)
    if change.changed:
        if plan.ci.ci:
            raise GateError(
                f"--write-baseline: {where} is out of date ({len(change.removed)} stale, {len(change.added)} new "
                "entries) and CI=true: a baseline is never rewritten in CI; run `mlaudit check --write-baseline` "
                "locally and commit the file"
            )
        baseline.write(plan.write_path, change.entries, __version__)
        parts = []
        if change.removed:
            parts.append(f"removed {_entries(len(change.removed), 'stale')}")
        if change.added:
            parts.append(f"added {_entries(len(change.added), 'new')}")
        plan.messages.append(f"Updated baseline {where}: {', '.join(parts)} ({len(change.entries)} now).")
    else:
        plan.messages.append(f"Baseline {where} is up to date ({_entries(len(change.entries))}).")
    if change.not_added:
        n = len(change.not_added)
        plan.messages.append(
            f"{n} new finding{'s were' if n != 1 else ' was'} not added to the baseline (a rewrite only removes "
            "entries): fix them, suppress them inline, or pass --allow-new to accept them."
        )
    out, _ = baseline.apply(report, change.entries, scope, where)
    return out


def _entries(n: int, adjective: str = "") -> str:
    return f"{n} {adjective + ' ' if adjective else ''}entr{'y' if n == 1 else 'ies'}"


def _diff_base(report: Report, plan: Plan) -> Report:
    assert plan.diff is not None
    try:
        at_base = gitdiff.analyse(
            plan.diff,
            plan.loaded.root,
            plan.paths,
            plan.options,
            plan.loaded.path,
            api.check,
            include=plan.loaded.settings.include,
        )
    except gitdiff.DiffBaseError as exc:
        raise GateError(str(exc)) from None
    if at_base is None:
        plan.messages.append(
            f"--diff-base {plan.diff.ref}: none of the checked paths existed there; all findings are new."
        )
        return report
    _, old = gitdiff.new_findings(report.findings, at_base.findings)
    out = baseline.hide(report, old)
    plan.messages.append(
        f"--diff-base {plan.diff.ref} ({plan.diff.short}): {len(old)} finding{'s' if len(old) != 1 else ''} "
        f"already present there not reported; {out.summary.findings} new."
    )
    return out


# --- rendering ------------------------------------------------------------------------------------


def rule_metadata(plan: Plan) -> list[dict[str, object]]:
    """Each enabled rule: the catalogue's ``rule_info`` with the effective severity and the README."""
    from mlaudit import catalogue

    out = []
    for e in plan.enabled:
        info = dict(catalogue.rule_info(e.rule))
        info["severity"] = e.severity.value
        info["readme"] = catalogue.readme(e.rule) or ""
        out.append(info)
    return out


def repository_root(root: Path, ci: CiSettings) -> Path | None:
    """Where the code host's paths start: ``$CI_PROJECT_DIR``/``$GITHUB_WORKSPACE`` when they hold the
    project, else the nearest directory with ``.git`` (no git process needed)."""
    root = root.resolve()
    for checkout in ci.checkout_dirs:
        base = checkout.resolve()
        if root == base or base in root.parents:
            return base
    for candidate in (root, *root.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def complete_context(ctx: RenderContext, plan: Plan, formats: Sequence[str]) -> None:
    from mlaudit.reporters._notebook_lines import notebook_source_lines

    if "sarif" in formats:
        ctx.rules = rule_metadata(plan)
    ctx.repo_root = repository_root(plan.loaded.root, plan.ci)
    root = plan.loaded.root

    @lru_cache(maxsize=256)
    def lines_of(filename: str) -> dict[int, list[int]]:
        try:
            return notebook_source_lines((root / filename).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError):
            return {}

    def notebook_line(filename: str, cell: int, row: int) -> int | None:
        rows = lines_of(filename).get(cell)
        if not rows:
            return None
        return rows[min(max(row, 1), len(rows)) - 1]

    ctx.notebook_line = notebook_line


def formats_used(primary: str, plan: Plan) -> list[str]:
    return [primary, *(t.format for t in plan.targets)]


def write_reports(report: Report, plan: Plan, ctx: RenderContext, primary: str) -> None:
    """The ``--report`` files, then the GitHub step summary. OSError is left to the caller."""
    from mlaudit import reporters
    from mlaudit.reporters import github

    for target in plan.targets:
        sub = dataclasses.replace(ctx, format=target.format, color=False)
        text = reporters.get(target.format).render(report, sub)
        target.path.parent.mkdir(parents=True, exist_ok=True)
        target.path.write_text(text, encoding="utf-8")
    if plan.ci.step_summary is not None and "github" in formats_used(primary, plan):
        with open(plan.ci.step_summary, "a", encoding="utf-8") as fh:
            fh.write(github.step_summary(report, ctx) + "\n")


def statistics(report: Report, fmt: str) -> str | None:
    """Counts per rule for stderr, for the formats whose stdout is machine-read (text formats print
    them in the report itself)."""
    from mlaudit.reporters import text

    if fmt in _TEXT_FORMATS or not report.findings:
        return None
    return text.statistics(report)


# --- --add-ignore ---------------------------------------------------------------------------------


DEFAULT_LINE_LENGTH = 100


def line_length(root: Path) -> int:
    """The project's line length: ruff's ``line-length`` (ruff.toml, .ruff.toml or ``[tool.ruff]``),
    else 100. Read only to keep written directives within it."""
    from mlaudit.config.loader import tomllib

    for name, table in (("ruff.toml", ()), (".ruff.toml", ()), ("pyproject.toml", ("tool", "ruff"))):
        path = root / name
        if not path.is_file():
            continue
        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for key in table:
            data = data.get(key, {}) if isinstance(data, dict) else {}
        value = data.get("line-length") if isinstance(data, dict) else None
        if isinstance(value, int) and value > 0:
            return value
    return DEFAULT_LINE_LENGTH


def add_ignores(report: Report, plan: Plan) -> int:
    """Write suppressions for every reported finding; the exit code (0, or 1 if some were skipped)."""
    from mlaudit import suppress_writer

    reg = _registry(plan.options)
    keys = {}
    for rule in reg.rules:
        keys[rule.code.lower()] = rule.code
        keys[rule.name.lower()] = rule.code
    result = suppress_writer.add_ignores(
        plan.loaded.root,
        report.findings,
        plan.gate.add_ignore or "",
        lambda k: keys.get(k.strip().lower()),
        line_length=line_length(plan.loaded.root),
    )
    files = len(result.files)
    plan.messages.append(
        f"Added {result.comments} suppression comment{'s' if result.comments != 1 else ''} for "
        f"{result.suppressed} finding{'s' if result.suppressed != 1 else ''} in {files} file{'s' if files != 1 else ''}."
    )
    for s in result.skipped:
        f = s.finding
        plan.messages.append(
            f"not suppressed: {f.filename}:{f.location.row}:{f.location.column}: {f.code} ({s.reason})"
        )
    return 1 if result.skipped or report.errors else 0
