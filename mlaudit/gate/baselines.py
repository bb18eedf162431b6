"""The baseline step: which baseline applies (``--baseline``, the config's, the default file) or is
written (``--write-baseline``), read before the analysis; applied, created or shrunk after it."""

from __future__ import annotations

from pathlib import Path

from mlaudit import __version__, baseline
from mlaudit.config.loader import LoadedConfig
from mlaudit.gate.options import GateError, GateOptions, Plan
from mlaudit.model import Report


def prepare_baseline(plan: Plan) -> None:
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


def _load(path: Path) -> list[baseline.Entry]:
    try:
        return baseline.load(path)
    except baseline.BaselineError as exc:
        raise GateError(str(exc)) from None


def scope_of(plan: Plan) -> baseline.Scope:
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


def shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _how_used(plan: Plan) -> str:
    """Tell the user how a later plain ``check`` will find the baseline just written."""
    assert plan.write_path is not None
    loaded = plan.loaded
    written = plan.write_path.resolve()
    if written == (loaded.root / baseline.DEFAULT_FILE).resolve() and not loaded.settings.baseline:
        return "`mlaudit check` applies it from now on (`--no-baseline` shows every finding)."
    if loaded.settings.baseline and written == (loaded.root / loaded.settings.baseline).resolve():
        return "The config's `baseline` setting applies it to every check."
    return f"Apply it with `--baseline {shown(plan.write_path)}` or `baseline = ...` in the config."


def write_baseline(report: Report, plan: Plan, scope: baseline.Scope) -> Report:
    assert plan.write_path is not None
    where = shown(plan.write_path)
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
