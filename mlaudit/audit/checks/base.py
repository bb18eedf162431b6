"""The check registry: each check is a small pure function of ``AuditInput`` (and its threshold) that
returns a status, a one-line summary and its evidence."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from mlaudit.audit.context import AuditInput
from mlaudit.audit.model import Evidence, Status
from mlaudit.model import Finding, Location

MAX_EVIDENCE = 25


@dataclass
class Outcome:
    status: Status
    summary: str
    evidence: list[Evidence] = field(default_factory=list)


Runner = Callable[[AuditInput, float], Outcome]


@dataclass(frozen=True)
class Check:
    id: str
    area: str
    title: str
    weight: float
    fix: str
    run: Runner
    threshold: float = 0.0
    """The default threshold (its meaning is the check's: a share, a rate per kLOC, a count)."""
    rules: tuple[str, ...] = ()


CHECKS: list[Check] = []


def check(
    id: str,
    area: str,
    title: str,
    *,
    weight: float,
    fix: str,
    threshold: float = 0.0,
    rules: Sequence[str] = (),
) -> Callable[[Runner], Runner]:
    def register(fn: Runner) -> Runner:
        CHECKS.append(Check(id, area, title, weight, fix, fn, threshold, tuple(rules)))
        return fn

    return register


def na(reason: str) -> Outcome:
    return Outcome(Status.NA, reason)


def at(
    message: str, filename: str | None = None, line: int | None = None, code: str | None = None
) -> Evidence:
    location = Location(row=line, column=1) if line is not None and filename is not None else None
    return Evidence(message=message, filename=filename, location=location, code=code)


def from_findings(findings: Iterable[Finding], limit: int = MAX_EVIDENCE) -> list[Evidence]:
    items = list(findings)
    out = [
        Evidence(message=f"{f.code} {f.message}", filename=f.filename, location=f.location, code=f.code)
        for f in items[:limit]
    ]
    if len(items) > limit:
        out.append(Evidence(message=f"... and {len(items) - limit} more (mlaudit check)"))
    return out


def capped(evidence: list[Evidence], limit: int = MAX_EVIDENCE) -> list[Evidence]:
    if len(evidence) <= limit:
        return evidence
    return [*evidence[:limit], Evidence(message=f"... and {len(evidence) - limit} more")]


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def pct(value: float) -> str:
    return f"{value:.0%}"


def missing_rules(inp: AuditInput, codes: Sequence[str]) -> Outcome | None:
    """n/a when none of ``codes`` exists or is enabled: the check cannot be measured."""
    missing = inp.absent(*codes)
    if len(missing) == len(codes):
        return na(f"rule{'s' * (len(codes) > 1)} {', '.join(codes)} not available or not enabled in this run")
    return None


def findings_count(inp: AuditInput, codes: Sequence[str], partial_up_to: float, what: str) -> Outcome:
    """A check on the number of ``codes`` findings: none passes, up to ``partial_up_to`` is partial; n/a
    when none of the rules ran."""
    missing = missing_rules(inp, codes)
    if missing:
        return missing
    findings = inp.findings(*codes)
    summary = f"{len(findings)} {what}"
    if not findings:
        return Outcome(Status.PASS, summary)
    status = Status.PARTIAL if len(findings) <= partial_up_to else Status.FAIL
    return Outcome(status, summary, from_findings(findings))


def rate_status(rate: float, threshold: float) -> Status:
    """Findings per kLOC: at most ``threshold`` passes, up to 4x is partial."""
    if rate <= threshold:
        return Status.PASS
    return Status.PARTIAL if rate <= 4 * threshold else Status.FAIL


def findings_per_kloc(inp: AuditInput, codes: Sequence[str], threshold: float, what: str) -> Outcome:
    """A check on the rate of ``codes`` findings per kLOC of production code: at most ``threshold``
    passes, up to 4x is partial; n/a when none of the rules ran or there is no production code."""
    missing = missing_rules(inp, codes)
    if missing:
        return missing
    if not inp.production:
        return na("no production code")
    findings = inp.findings(*codes)
    rate = len(findings) / inp.production_kloc
    summary = f"{len(findings)} {what}, {rate:.1f} per kLOC"
    return Outcome(rate_status(rate, threshold), summary, from_findings(findings))
