"""Separation of concerns: layered imports without cycles, pure transforms, no mutable module state."""

from __future__ import annotations

from mlaudit.audit.checks.base import (
    Outcome,
    check,
    findings_count,
    findings_per_kloc,
    from_findings,
    missing_rules,
    na,
    pct,
    share,
)
from mlaudit.audit.context import AuditInput, defs_of
from mlaudit.audit.model import Status

AREA = "separation"
PURITY = ("MLA201", "MLA202", "MLA203")
STATE = ("MLA101", "MLA102", "MLA103", "MLA104")


@check(
    "no-import-cycles",
    AREA,
    "No import cycles",
    weight=3,
    threshold=1,
    rules=("MLA401",),
    fix="Break each cycle: move what both modules need into a lower module, or invert the dependency.",
)
def no_import_cycles(inp: AuditInput, threshold: float) -> Outcome:
    return findings_count(inp, ["MLA401"], threshold, "import cycle group(s) (MLA401)")


@check(
    "layered-imports",
    AREA,
    "Imports follow the layers (config < data < features < model < train < serve)",
    weight=2,
    threshold=3,
    rules=("MLA402",),
    fix="Make lower layers independent of higher ones (declare `layers` in [tool.mlaudit] if yours differ).",
)
def layered_imports(inp: AuditInput, threshold: float) -> Outcome:
    return findings_count(inp, ["MLA402"], threshold, "layer violation(s) (MLA402)")


@check(
    "pure-transforms",
    AREA,
    "Transforms are pure (no I/O, no randomness or clock, no mutated inputs)",
    weight=3,
    threshold=0.1,
    rules=PURITY,
    fix="Pass data into transforms and return new frames; read files, clocks and random state in the caller.",
)
def pure_transforms(inp: AuditInput, threshold: float) -> Outcome:
    missing = missing_rules(inp, list(PURITY))
    if missing:
        return missing
    transforms = {(d.path, d.qualname) for d in defs_of(inp, inp.production) if d.transform}
    findings = inp.findings(*PURITY)
    if not transforms and not findings:
        return na("no transforms (feature/preprocessing functions) found")
    impure = {f.filename for f in findings}
    affected = len({f.filename + ":" + str(f.location.row) for f in findings})
    ratio = share(min(affected, len(transforms)), max(len(transforms), 1))
    summary = (
        f"{len(findings)} purity finding(s) (MLA201-203) over {len(transforms)} transform(s) in "
        f"{len(impure)} file(s)"
    )
    if not findings:
        return Outcome(Status.PASS, summary)
    status = Status.PARTIAL if ratio <= threshold * 3 else Status.FAIL
    return Outcome(status, summary + f" ({pct(ratio)} affected)", from_findings(findings))


@check(
    "no-mutable-module-state",
    AREA,
    "No mutable module state",
    weight=2,
    threshold=0.5,
    rules=STATE,
    fix="Pass state explicitly (arguments, return values, a small object); keep module globals constant.",
)
def no_mutable_module_state(inp: AuditInput, threshold: float) -> Outcome:
    return findings_per_kloc(inp, STATE, threshold, "module-state finding(s) (MLA101-104)")
