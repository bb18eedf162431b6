"""The ``--diff-base`` step: the git state checked before the analysis, then the findings already present
at the base ref hidden from the report (``gitdiff`` runs the same check on a ``git archive`` of it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mlaudit import api, baseline
from mlaudit.gate.options import GateError, Plan
from mlaudit.model import Report

if TYPE_CHECKING:  # imported by the steps that use it: a run without --diff-base never loads git's tooling
    from mlaudit.gitdiff import DiffBase


def prepare_diff_base(ref: str, root: Path) -> DiffBase:
    from mlaudit import gitdiff

    try:
        return gitdiff.prepare(ref, root)
    except gitdiff.DiffBaseError as exc:
        raise GateError(str(exc)) from None


def hide_present_at_base(report: Report, plan: Plan) -> Report:
    from mlaudit import gitdiff

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
