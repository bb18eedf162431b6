"""The gate's two steps around ``api.check()``: ``prepare()`` validates everything that can fail before
the (possibly long) analysis, in the order the errors are reported; ``apply()`` filters the report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mlaudit import api, baseline
from mlaudit.config.loader import LoadedConfig
from mlaudit.engine.registry import EnabledRule
from mlaudit.gate.baselines import prepare_baseline, scope_of, shown, write_baseline
from mlaudit.gate.diff_base import hide_present_at_base, prepare_diff_base
from mlaudit.gate.options import CiSettings, GateError, GateOptions, Plan, ReportTarget, registry_for
from mlaudit.model import Report


def parse_report(spec: str, known: Sequence[str]) -> ReportTarget:
    fmt, sep, path = spec.partition(":")
    if not sep or not fmt or not path:
        raise GateError(f"--report {spec!r}: write it as FORMAT:PATH, e.g. `--report sarif:mlaudit.sarif`")
    if fmt not in known:
        raise GateError(f"--report {spec!r}: unknown format `{fmt}`; choose one of {', '.join(known)}")
    return ReportTarget(fmt, Path(path))


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
    prepare_baseline(plan)
    if gate.diff_base is not None:
        plan.diff = prepare_diff_base(gate.diff_base, loaded.root)
    return plan


def _enabled_rules(options: api.CheckOptions, loaded: LoadedConfig) -> list[EnabledRule]:
    try:
        return api.resolve_rules(loaded, registry_for(options))
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


def apply(report: Report, plan: Plan) -> Report:
    scope = scope_of(plan)
    if plan.write_path is not None:
        report = write_baseline(report, plan, scope)
    elif plan.entries is not None and plan.baseline_path is not None:
        report, _ = baseline.apply(report, plan.entries, scope, shown(plan.baseline_path))
    if plan.diff is not None:
        report = hide_present_at_base(report, plan)
    return report
