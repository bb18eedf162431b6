"""Boundaries: experiment code versus production code."""

from __future__ import annotations

import re
from collections import defaultdict

from mlaudit.audit.checks.base import (
    Outcome,
    at,
    capped,
    check,
    findings_count,
    from_findings,
    na,
    pct,
    share,
)
from mlaudit.audit.context import AuditInput
from mlaudit.audit.model import Evidence, Status
from mlaudit.facts.model import FileFacts

AREA = "boundaries"


def _package_evidence(inp: AuditInput, packaged: dict[str, int]) -> list[Evidence]:
    return [
        at(
            f"package `{top}`: {len(inp.packages[top])} modules, {lines} code lines",
            inp.packages[top][0].path,
            1,
        )
        for top, lines in sorted(packaged.items(), key=lambda kv: -kv[1])
    ]


def _unpackaged(loose: list[FileFacts], evidence: list[Evidence]) -> Outcome:
    """No package: code in folders without ``__init__.py`` (importable as namespace packages, never
    declared) is partial; only top-level scripts fail."""
    folders = [f for f in loose if "/" in f.path and "script" not in f.roles]
    if folders:
        summary = f"no package: {len(folders)} modules sit in folders without __init__.py"
        return Outcome(Status.PARTIAL, summary, capped(evidence))
    return Outcome(Status.FAIL, "no package: production code is only in top-level scripts", capped(evidence))


@check(
    "importable-package",
    AREA,
    "Production code lives in an importable package",
    weight=3,
    threshold=0.5,
    fix="Move the code that notebooks and scripts share into a package (src/<name>/ or <name>/ with "
    "__init__.py) and import it from there.",
)
def importable_package(inp: AuditInput, threshold: float) -> Outcome:
    total = inp.lines_of(inp.production)
    if not total:
        return na("no production Python code found")
    packaged = {top: inp.lines_of(files) for top, files in inp.packages.items()}
    loose = [f for f in inp.production if f.module.split(".")[0] not in packaged]
    evidence = _package_evidence(inp, packaged)
    evidence += [at(f"outside any package: {inp.lines(f)} code lines", f.path, 1) for f in loose[:10]]
    if not packaged:
        return _unpackaged(loose, evidence)
    ratio = share(sum(packaged.values()), total)
    summary = f"{pct(ratio)} of {total} production code lines are in a package"
    return Outcome(Status.PASS if ratio >= threshold else Status.PARTIAL, summary, capped(evidence))


@check(
    "experiments-import-package",
    AREA,
    "Notebooks and experiments import the package, never the reverse",
    weight=2,
    rules=("MLA403",),
    fix="Import production code from notebooks and experiment scripts; move anything production needs "
    "out of the experiment folders into the package.",
)
def experiments_import_package(inp: AuditInput, threshold: float) -> Outcome:
    findings = inp.findings("MLA403")
    if findings:
        return Outcome(
            Status.FAIL,
            f"production code imports experiment code {len(findings)} time(s) (MLA403)",
            from_findings(findings),
        )
    if not inp.experiments:
        return na("no notebooks or experiment modules")
    first_party = inp.first_party
    importing = [f for f in inp.experiments if any(i.target.split(".")[0] in first_party for i in f.imports)]
    summary = (
        f"{len(importing)} of {len(inp.experiments)} notebooks/experiment modules import the project's code"
    )
    evidence = [at("imports the project's code", f.path, 1) for f in importing[:10]]
    if not first_party or importing:
        return Outcome(Status.PASS, summary, evidence)
    evidence = [at("imports nothing of the project", f.path, 1) for f in inp.experiments[:10]]
    return Outcome(Status.PARTIAL, summary, evidence)


@check(
    "notebook-share",
    AREA,
    "Little of the code sits in notebooks",
    weight=2,
    threshold=0.2,
    fix="Move functions that notebooks define into the package; keep notebooks for exploration and reports.",
)
def notebook_share(inp: AuditInput, threshold: float) -> Outcome:
    notebooks = [f for f in inp.files if f.is_notebook]
    nb_lines = inp.lines_of(notebooks)
    total = inp.lines_of(f for f in inp.files if not inp.is_test(f))
    if not total:
        return na("no code found")
    ratio = share(nb_lines, total)
    evidence = [
        at(f"{inp.lines(f)} code lines", f.path, None)
        for f in sorted(notebooks, key=lambda f: -inp.lines(f))[:10]
    ]
    summary = f"{pct(ratio)} of {total} code lines are in {len(notebooks)} notebook(s)"
    if ratio <= threshold:
        return Outcome(Status.PASS, summary, evidence)
    return Outcome(Status.PARTIAL if ratio <= 2.5 * threshold else Status.FAIL, summary, evidence)


@check(
    "no-copied-preprocessing",
    AREA,
    "Preprocessing is not copied between notebooks and the package",
    weight=2,
    threshold=2,
    rules=("MLA501", "MLA502"),
    fix="Keep one implementation of each preprocessing step in the package and call it everywhere.",
)
def no_copied_preprocessing(inp: AuditInput, threshold: float) -> Outcome:
    return findings_count(
        inp, ["MLA501", "MLA502"], threshold, "duplicated preprocessing block(s) (MLA501/MLA502)"
    )


_JOB_SUFFIX = re.compile(r"(_?v\d+|_?\d+|_(new|old|copy|final|backup|bak|tmp|orig|fixed|latest))+$")


def job_name(stem: str) -> str:
    return _JOB_SUFFIX.sub("", stem.lower()) or stem.lower()


def _entries(inp: AuditInput) -> list[FileFacts]:
    scripts = [f for f in inp.experiments if not f.is_notebook and inp.audit(f).get("main_guard")]
    return [*inp.entry_points, *scripts]


def job_copies(paths: list[str]) -> dict[tuple[str, str], list[str]]:
    """Entry points of the same job in the same directory (``train.py``, ``train_v2.py``): (directory,
    job) -> paths. Separate directories are separate projects or stages, not copies."""
    jobs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in paths:
        folder, _, name = path.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        if stem not in ("__main__", "cli", "main"):
            jobs[(folder, job_name(stem))].append(path)
    return {key: found for key, found in jobs.items() if len(found) > 1}


@check(
    "one-entry-point-per-job",
    AREA,
    "Each job has one entry point",
    weight=1,
    fix="Keep one entry point per job (train, evaluate, serve) and select variants through configuration, "
    "not through copies such as train_v2.py.",
)
def one_entry_point_per_job(inp: AuditInput, threshold: float) -> Outcome:
    entries = _entries(inp)
    if not entries:
        return na("no entry points (no main guard or CLI) found")
    copies = job_copies([f.path for f in entries])
    summary = f"{len(entries)} entry point(s)"
    if not copies:
        evidence = [at("entry point", f.path, inp.audit(f).get("main_guard") or 1) for f in entries[:10]]
        return Outcome(Status.PASS, summary + ", one per job", evidence)
    worst = max(len(p) for p in copies.values())
    status = Status.PARTIAL if worst == 2 and len(copies) == 1 else Status.FAIL
    return Outcome(status, summary + f"; {len(copies)} job(s) with copies", _copies_evidence(copies))


def _copies_evidence(copies: dict[tuple[str, str], list[str]]) -> list[Evidence]:
    evidence = []
    for (_, job), paths in sorted(copies.items()):
        evidence += [at(f"job `{job}` has {len(paths)} entry points", p, 1) for p in paths]
    return capped(evidence)
