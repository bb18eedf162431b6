"""Run the audit: analysis -> inputs -> checks -> scores."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mlaudit import __version__, api
from mlaudit.audit.checks import CHECKS, Check
from mlaudit.audit.context import AuditInput
from mlaudit.audit.files import gather
from mlaudit.audit.model import (
    AREAS,
    AreaResult,
    AuditReport,
    CheckResult,
    Evidence,
    Metrics,
    Status,
    grade_of,
)
from mlaudit.config.schema import AuditSettings
from mlaudit.model import Tool

FACTS = frozenset({"audit", "imports", "functions", "complexity"})


class AuditError(Exception):
    """Bad configuration or input: the CLI prints it and exits 2."""


@dataclass
class AuditRun:
    report: AuditReport
    analysis: api.Analysis
    root: Path


def check_ids() -> list[str]:
    return [c.id for c in CHECKS]


def _analyse(path: Path, options: api.CheckOptions | None) -> api.Analysis:
    """``check``'s analysis of ``path``. Without a config file the audited directory is the project
    root (not an enclosing repository): module names, report paths and the repository files all start
    there."""
    options = options or api.CheckOptions()
    target = path.resolve()
    loaded = api.load_config([target], options)
    if loaded.path is None and options.root is None:
        options = dataclasses.replace(options, root=target)
    # The scorecard measures what its checks name even where `check` leaves a rule out of its default
    # selection (the complexity rules are opt-in for `check`); an explicit `ignore` still wins.
    wanted = tuple(sorted({code for c in CHECKS for code in c.rules}))
    extra = tuple(loaded.settings.extend_select)  # the file's and the command line's, kept
    overrides = {**options.overrides, "extend-select": extra + wanted}
    options = dataclasses.replace(options, overrides=overrides)
    return api.check_with_facts([target], options, facts=FACTS)


def run_audit(path: Path, options: api.CheckOptions | None = None, *, use_git: bool = True) -> AuditRun:
    started = time.perf_counter()
    if not path.is_dir():
        raise AuditError(f"{path} is not a directory")
    try:
        analysis = _analyse(path, options)
    except api.UsageError as exc:
        raise AuditError(str(exc)) from None
    settings = analysis.loaded.settings.audit
    unknown = sorted(settings.named_checks() - set(check_ids()))
    if unknown:
        raise AuditError(
            f"[tool.mlaudit.audit]: unknown check(s) {', '.join(unknown)}; checks are {', '.join(check_ids())}"
        )
    root = analysis.loaded.root
    repo = gather(root, large_file_mb=settings.large_file_mb, use_git=use_git)
    inp = AuditInput(
        report=analysis.report,
        index=analysis.index,
        repo=repo,
        settings=settings,
        rule_codes=frozenset(r.code for r in analysis.registry.rules),
        enabled_codes=analysis.enabled,
    )
    areas = [score_area(area_id, title, inp, settings) for area_id, title in AREAS]
    scored = [a.score for a in areas if a.score is not None]
    score = round(sum(scored) / len(scored), 1) if scored else 0.0
    report = AuditReport(
        tool=Tool(version=__version__),
        root=str(root),
        score=score,
        grade=grade_of(score),
        areas=areas,
        metrics=metrics(inp),
        warnings=list(analysis.report.warnings)
        + [f"{e.filename}: {e.message}" for e in analysis.report.errors][:20],
    )
    report.duration_s = round(time.perf_counter() - started, 3)
    return AuditRun(report=report, analysis=analysis, root=root)


def run_check(check: Check, inp: AuditInput, settings: AuditSettings) -> CheckResult | None:
    options = settings.check(check.id)
    if not options.enabled:
        return None
    weight = options.weight if options.weight is not None else check.weight
    base = CheckResult(
        id=check.id,
        title=check.title,
        status=Status.NA,
        weight=weight,
        fix=check.fix,
        rules=list(check.rules),
    )
    reason = settings.not_applicable_reason(check.id)
    if reason is not None:
        return base.model_copy(update={"summary": f"not applicable: {reason}"})
    threshold = options.threshold if options.threshold is not None else check.threshold
    try:
        outcome = check.run(inp, threshold)
    except Exception as exc:  # a bug in one check must not lose the whole scorecard
        return base.model_copy(
            update={"summary": f"internal error in this check: {type(exc).__name__}: {exc}"}
        )
    return base.model_copy(
        update={"status": outcome.status, "summary": outcome.summary, "evidence": outcome.evidence}
    )


def score_area(area_id: str, title: str, inp: AuditInput, settings: AuditSettings) -> AreaResult:
    results = [r for c in CHECKS if c.area == area_id if (r := run_check(c, inp, settings)) is not None]
    score = area_score(results)
    return AreaResult(id=area_id, title=title, score=score, grade=grade_of(score), checks=results)


def area_score(checks: list[CheckResult]) -> float | None:
    counted = [(c.weight, c.status.credit) for c in checks if c.status.credit is not None and c.weight > 0]
    total = sum(w for w, _ in counted)
    if not total:
        return None
    return round(100 * sum(w * (credit or 0.0) for w, credit in counted) / total, 1)


def metrics(inp: AuditInput) -> Metrics:
    by_code = Counter(f.code for f in inp.report.findings)
    by_area: dict[str, int] = {area: 0 for area, _ in AREAS}
    for check in CHECKS:
        by_area[check.area] += sum(by_code.get(code, 0) for code in check.rules)
    complexity = sorted(
        c.complexity for f in inp.production for c in f.complexity if c.kind in ("function", "method")
    )
    return Metrics(
        files=len(inp.files),
        code_lines=inp.lines_of(inp.files),
        notebooks=sum(f.is_notebook for f in inp.files),
        findings=len(inp.report.findings),
        findings_by_area=by_area,
        complexity=complexity,
    )


def evidence_count(report: AuditReport) -> int:
    return sum(len(c.evidence) for a in report.areas for c in a.checks)


__all__ = ["AuditError", "AuditRun", "Evidence", "run_audit"]
