"""Reproducibility: seeds, no leakage, consistent datetimes, an experiment log, versioned data, pinned
dependencies."""

from __future__ import annotations

import re

from mlaudit.audit.checks.base import Outcome, at, check, from_findings, na, pct, share
from mlaudit.audit.context import AuditInput
from mlaudit.audit.model import Evidence, Status

AREA = "reproducibility"

TRACKERS = ("mlflow.", "wandb.", "torch.utils.tensorboard.SummaryWriter", "tensorboardX.SummaryWriter",
            "tensorflow.summary.", "neptune.", "comet_ml.", "aim.Run", "clearml.", "dvclive.",
            "lightning.pytorch.loggers.", "pytorch_lightning.loggers.", "sacred.", "guild.",
            ".log_metrics", ".log_metric", ".add_scalar", ".add_scalars")  # fmt: skip
_PIN = re.compile(r"^\s*[A-Za-z0-9_.\-\[\],]+\s*===?\s*[^\s;#]+")
_REQ = re.compile(r"^\s*[A-Za-z0-9]")
LOCK_FILES = ("poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "conda-lock.yml", "*.conda-lock.yml",
              "requirements*.lock", "requirements.lock.txt", "pylock.toml", "pylock.*.toml")  # fmt: skip


def _rule_check(inp: AuditInput, code: str, what: str) -> Outcome:
    if code not in inp.rule_codes:
        return na(f"rule {code} is not available in this version")
    if code not in inp.enabled_codes:
        return na(f"rule {code} is not enabled")
    findings = inp.findings(code)
    summary = f"{len(findings)} {what} ({code})"
    if not findings:
        return Outcome(Status.PASS, summary)
    return Outcome(Status.PARTIAL if len(findings) <= 2 else Status.FAIL, summary, from_findings(findings))


@check("seeds", AREA, "Random seeds are set from the configuration", weight=2, rules=("MLA704",),
       fix="Seed every random source (random, numpy, torch) from one configured seed at the start of a run.")  # fmt: skip
def seeds(inp: AuditInput, threshold: float) -> Outcome:
    return _rule_check(inp, "MLA704", "unseeded randomness finding(s)")


@check("no-leakage", AREA, "No preprocessing leakage between train and test", weight=3, rules=("MLA702",),
       fix="Fit scalers, encoders and imputers on the training split only (a Pipeline fitted after the split).")  # fmt: skip
def no_leakage(inp: AuditInput, threshold: float) -> Outcome:
    return _rule_check(inp, "MLA702", "leakage finding(s)")


@check("datetime-parsing", AREA, "Datetimes are parsed consistently", weight=1, rules=("MLA701",),
       fix="Parse datetimes with an explicit format and timezone in one place.")  # fmt: skip
def datetime_parsing(inp: AuditInput, threshold: float) -> Outcome:
    return _rule_check(inp, "MLA701", "inconsistent datetime parsing finding(s)")


def _log_evidence(inp: AuditInput) -> tuple[str, list[Evidence]]:
    """(summary, evidence) of run logging on the job path: tracker calls, append-only writes, DVC."""
    tracked = [
        c for c in inp.calls(inp.production) if c.target.startswith(TRACKERS) and inp.in_training_path(c)
    ]
    appends = [(f.path, int(line)) for f in inp.production for line in inp.audit(f).get("appends", ())]
    dvc_exp = inp.repo.matching("dvc.yaml", "*/dvc.yaml")
    evidence = [at(f"tracker call {c.target.lstrip('.')}", c.path, c.line) for c in tracked[:8]]
    evidence += [at("append-only log write", p, line) for p, line in appends[:5]]
    evidence += [at("DVC pipeline (dvc exp)", p, 1) for p in dvc_exp[:2]]
    summary = f"{len(tracked)} tracker call(s) on the job path, {len(appends)} append-only write(s)"
    return summary, evidence


@check(
    "experiment-log",
    AREA,
    "Runs are recorded in an experiment log",
    weight=2,
    fix="Record every run (config hash, metrics, artifact) in an experiment log: MLflow, W&B, or an "
    "append-only CSV/JSONL written by the training entry point.",
)
def experiment_log(inp: AuditInput, threshold: float) -> Outcome:
    if not inp.production and not inp.experiments:
        return na("no code")
    summary, evidence = _log_evidence(inp)
    if evidence:
        return Outcome(Status.PASS, summary, evidence)
    in_experiments = [c for c in inp.calls(inp.experiments) if c.target.startswith(TRACKERS)]
    if in_experiments:
        evidence = [
            at(f"tracker call in an experiment: {c.target.lstrip('.')}", c.path, c.line)
            for c in in_experiments[:8]
        ]
        return Outcome(Status.PARTIAL, "runs are logged only from notebooks/experiments", evidence)
    return Outcome(Status.FAIL, "no experiment tracker or append-only run log found")


@check(
    "data-versioned",
    AREA,
    "Data is versioned",
    weight=1,
    fix="Version the data (DVC, lakeFS, git-lfs, or a manifest of file hashes), or declare it out of scope in "
    "[tool.mlaudit.audit] not-applicable with a reason.",
)
def data_versioned(inp: AuditInput, threshold: float) -> Outcome:
    repo = inp.repo
    dvc = repo.matching("*.dvc", "dvc.lock", ".dvc/config")
    lakefs = repo.matching(".lakectl.yaml", "*/.lakectl.yaml")
    manifests = repo.matching(
        "*manifest*.json", "*manifest*.csv", "*checksums*", "*.sha256", "*.md5", "SHA256SUMS"
    )
    lfs = [p for p, t in repo.text_matching(".gitattributes").items() if "filter=lfs" in t]
    found = [*dvc, *lakefs, *manifests, *lfs]
    if found:
        evidence = [at("data versioning", p, None) for p in found[:10]]
        return Outcome(
            Status.PASS,
            f"{len(dvc)} DVC file(s), {len(manifests)} manifest(s), git-lfs: {'yes' if lfs else 'no'}",
            evidence,
        )
    return Outcome(Status.FAIL, "no DVC, lakeFS, git-lfs or hash manifest found")


def _requirement_pins(text: str) -> tuple[int, int]:
    total = pinned = 0
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        if not _REQ.match(line) or line.lstrip().startswith(("-", "http", "git+", ".")):
            continue
        total += 1
        pinned += bool(_PIN.match(line))
    return pinned, total


def _conda_as_requirements(text: str) -> str:
    """``- numpy=1.26.4`` (conda's single ``=`` pin) as ``numpy==1.26.4``."""
    out = []
    for line in text.splitlines():
        item = line.strip()
        if item.startswith("- ") and ":" not in item:
            item = item[2:].strip()
            if "=" in item and "==" not in item and not item.startswith(("pip", "python")):
                item = item.replace("=", "==", 1)
            out.append(item)
    return "\n".join(out)


def _pyproject_pins(text: str) -> tuple[int, int]:
    match = re.search(r"(?ms)^\s*dependencies\s*=\s*\[(.*?)\]", text)
    if not match:
        return 0, 0
    items = re.findall(r"[\"']([^\"']+)[\"']", match.group(1))
    return sum("==" in i for i in items), len(items)


REQUIREMENT_FILES = ("requirements*.txt", "requirements/*.txt", "*/requirements*.txt", "environment.yml",
                     "environment.yaml")  # fmt: skip


def _pins(inp: AuditInput) -> list[tuple[str, int, int]]:
    """(file, pinned, total) of every dependency declaration that lists something."""
    out = []
    for path, text in inp.repo.text_matching(*REQUIREMENT_FILES).items():
        conda = path.endswith((".yml", ".yaml"))
        out.append((path, *_requirement_pins(_conda_as_requirements(text) if conda else text)))
    out += [(path, *_pyproject_pins(text)) for path, text in inp.repo.text_matching("pyproject.toml").items()]
    return [p for p in out if p[2]]


@check(
    "dependencies-pinned",
    AREA,
    "Dependencies are pinned",
    weight=2,
    threshold=0.8,
    fix="Commit a lock file (uv.lock, poetry.lock, conda-lock) or pin every requirement with `==`.",
)
def dependencies_pinned(inp: AuditInput, threshold: float) -> Outcome:
    locks = inp.repo.matching(*LOCK_FILES)
    if locks:
        return Outcome(
            Status.PASS, f"lock file: {', '.join(locks[:3])}", [at("lock file", p, None) for p in locks[:5]]
        )
    per_file = _pins(inp)
    evidence = [at(f"{p} of {t} requirements pinned with ==", path, None) for path, p, t in per_file]
    if not per_file:
        setup = " (setup.py only)" if inp.repo.matching("setup.py", "setup.cfg") else ""
        return Outcome(Status.FAIL, "no lock file and no pinned requirements" + setup, evidence)
    # Abstract ranges in pyproject.toml next to a fully pinned requirements file is the usual split.
    path, pinned, total = max(per_file, key=lambda p: share(p[1], p[2]))
    ratio = share(pinned, total)
    summary = f"no lock file; {pinned} of {total} requirements pinned in {path} ({pct(ratio)})"
    if ratio >= threshold:
        return Outcome(Status.PASS, summary, evidence)
    return Outcome(Status.PARTIAL if any(p for _, p, _ in per_file) else Status.FAIL, summary, evidence)
