"""Baselines: record today's findings so that only new ones fail a legacy repository's CI.

A baseline file is sorted, versioned JSON with one entry per line, so adding or fixing a finding is a
one-line diff::

    {
      "version": 1,
      "tool_version": "0.1.0",
      "entries": [
        {"path": "src/features.py", "code": "MLA201", "name": "io-in-transform", "fingerprint": "…", "message": "…"}
      ]
    }

Matching uses only the finding's line-independent ``fingerprint`` (a hash of code, path, the
whitespace-normalised source of the flagged code and an occurrence index among identical snippets in
that file), never line numbers, and it is a **multiset** match: N entries absorb at most N findings.
A second copy of a known problem in the same file therefore gets the next occurrence index and is
reported as new (bandit's set-based baseline hides it). Counting per (code, path, snippet) is exactly
what matching indexed fingerprints does, so a copy inserted *above* the old one is also one new finding.
``message`` and ``name`` are advisory (for reviewers); they are not used for matching.

Entries outside the run's scope (a rule that is not enabled, a path that was not checked, e.g. under
pre-commit) are neither matched nor stale, and a rewrite keeps them.

This module is pure: it reads and writes baseline files and transforms ``Report`` objects.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlaudit.model import FileError, Finding, Report, Severity

FORMAT_VERSION = 1
DEFAULT_FILE = "mlaudit-baseline.json"
PARSE_ERROR = "MLA001"
MAX_LISTED = 10
"""Stale entries named one by one in the warnings; the rest are counted."""


class BaselineError(Exception):
    """An unreadable, malformed or foreign baseline file (a usage error: exit 2)."""


@dataclass(frozen=True, order=True)
class Entry:
    path: str
    code: str
    fingerprint: str
    name: str = ""
    message: str = ""

    @classmethod
    def of(cls, f: Finding) -> Entry:
        return cls(path=f.filename, code=f.code, fingerprint=f.fingerprint, name=f.name, message=f.message)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.code, self.path, self.fingerprint)

    def describe(self) -> str:
        return f"{self.code} {self.name or ''} in {self.path}: {self.message}".replace("  ", " ")


Scope = Callable[[Entry], bool]


def everything(_: Entry) -> bool:
    return True


# --- the file ------------------------------------------------------------------------------------


def load(path: Path) -> list[Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"baseline file {path} does not exist (create it with --write-baseline)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline file {path}: {exc}") from None
    return parse(text, str(path))


def parse(text: str, source: str) -> list[Entry]:
    return [_entry(item, i, source) for i, item in enumerate(_raw_entries(text, source))]


def _raw_entries(text: str, source: str) -> list[Any]:
    """The ``entries`` list of a baseline file of this mlaudit's format version, not yet validated."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{source} is not an mlaudit baseline: invalid JSON ({exc.msg}, line {exc.lineno})"
        ) from None
    if not _looks_like_baseline(data):
        raise BaselineError(f"{source} is not an mlaudit baseline (no `version` and `entries` keys)")
    if data["version"] != FORMAT_VERSION:
        raise BaselineError(
            f"{source}: unsupported baseline version {data['version']!r} (this mlaudit reads version "
            f"{FORMAT_VERSION}); regenerate it with --write-baseline"
        )
    raw = data["entries"]
    if not isinstance(raw, list):
        raise BaselineError(f"{source}: `entries` must be a list")
    return raw


def _looks_like_baseline(data: object) -> bool:
    return isinstance(data, dict) and "entries" in data and "version" in data


def _entry(item: object, i: int, source: str) -> Entry:
    """Entry ``i``: the matching keys must be strings, the advisory ones are taken as text."""
    if not isinstance(item, dict) or not all(
        isinstance(item.get(k), str) for k in ("path", "code", "fingerprint")
    ):
        raise BaselineError(f"{source}: entry {i} needs string `path`, `code` and `fingerprint`")
    return Entry(
        path=item["path"],
        code=item["code"],
        fingerprint=item["fingerprint"],
        name=str(item.get("name", "")),
        message=str(item.get("message", "")),
    )


def is_baseline(path: Path) -> bool:
    """Whether ``path`` holds a baseline (of any version): never overwrite anything else."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return _looks_like_baseline(data)


def dumps(entries: Iterable[Entry], tool_version: str) -> str:
    """Sorted by (path, code, fingerprint); one entry per line for reviewable diffs."""
    lines = []
    for e in sorted(entries):
        item: dict[str, Any] = {
            "path": e.path,
            "code": e.code,
            "name": e.name,
            "fingerprint": e.fingerprint,
            "message": e.message,
        }
        lines.append("    " + json.dumps(item, ensure_ascii=False))
    body = ",\n".join(lines)
    head = (
        f'{{\n  "version": {FORMAT_VERSION},\n  "tool_version": {json.dumps(tool_version)},\n  "entries": ['
    )
    return head + ("\n" + body + "\n  ]\n}\n" if lines else "]\n}\n")


def write(path: Path, entries: Iterable[Entry], tool_version: str) -> None:
    """Atomic: a crash never leaves half a baseline behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(dumps(entries, tool_version), encoding="utf-8")
    tmp.replace(path)


# --- matching --------------------------------------------------------------------------------------


@dataclass
class Match:
    new: list[Finding] = field(default_factory=list)
    """Findings no entry accounts for: reported."""
    baselined: list[Finding] = field(default_factory=list)
    matched: list[Entry] = field(default_factory=list)
    """The entries that absorbed ``baselined`` (one each)."""
    stale: list[Entry] = field(default_factory=list)
    """In-scope entries that matched nothing: the problem is gone."""
    out_of_scope: list[Entry] = field(default_factory=list)
    """Unmatched entries this run cannot judge (kept by a rewrite)."""


def match(findings: Sequence[Finding], entries: Sequence[Entry], scope: Scope = everything) -> Match:
    """Multiset match of ``findings`` against ``entries`` by (code, path, fingerprint).

    Every entry may absorb a finding (a project finding can sit outside the checked files when one of
    its related locations is inside), but only in-scope entries can be stale.
    """
    result = Match()
    pool: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
    for e in sorted(entries):
        pool[e.key].append(e)
    for f in findings:
        bucket = pool.get((f.code, f.filename, f.fingerprint))
        if bucket:
            result.matched.append(bucket.pop(0))
            result.baselined.append(f)
        else:
            result.new.append(f)
    for e in sorted(e for bucket in pool.values() for e in bucket):
        (result.stale if scope(e) else result.out_of_scope).append(e)
    return result


def hide(report: Report, hidden: Sequence[Finding]) -> Report:
    """A copy of ``report`` without ``hidden`` (counted in ``summary.baselined``), summary recounted."""
    if not hidden:
        return report.model_copy(deep=True)
    out = report.model_copy(deep=True)
    out.findings = [f.model_copy(deep=True) for f in _kept_findings(report, hidden)]
    out.errors = [e.model_copy(deep=True) for e in _kept_errors(report, hidden)]
    out.summary.baselined += len(hidden)
    recount(out)
    return out


def _kept_findings(report: Report, hidden: Sequence[Finding]) -> list[Finding]:
    """The findings that are not ``hidden`` (by identity: two findings may look alike)."""
    ids = {id(f) for f in hidden}
    return [f for f in report.findings if id(f) not in ids]


def _kept_errors(report: Report, hidden: Sequence[Finding]) -> list[FileError]:
    """A hidden parse-error finding takes its file error along: a known broken legacy file must not
    fail the run through ``errors`` either."""
    broken = {f.filename for f in hidden if f.code == PARSE_ERROR}
    return [e for e in report.errors if not (e.code == PARSE_ERROR and e.filename in broken)]


def recount(report: Report) -> None:
    s = report.summary
    by_sev = {sev.value: 0 for sev in Severity}
    by_code: dict[str, int] = defaultdict(int)
    for f in report.findings:
        by_sev[f.severity.value] += 1
        by_code[f.code] += 1
    s.findings = len(report.findings)
    s.errors = len(report.errors)
    s.by_severity = by_sev
    s.by_code = dict(sorted(by_code.items()))


def stale_warnings(stale: Sequence[Entry], source: str) -> list[str]:
    if not stale:
        return []
    n = len(stale)
    lines = [
        f"baseline {source}: {n} stale entr{'y' if n == 1 else 'ies'} (the finding is gone): "
        "run `mlaudit check --write-baseline` to drop " + ("it" if n == 1 else "them")
    ]
    lines += [f"stale baseline entry: {e.describe()}" for e in stale[:MAX_LISTED]]
    if n > MAX_LISTED:
        lines.append(f"... and {n - MAX_LISTED} more stale baseline entries")
    return lines


def apply(
    report: Report, entries: Sequence[Entry], scope: Scope = everything, source: str = ""
) -> tuple[Report, Match]:
    """Hide the findings the baseline accounts for; record stale entries as warnings and a count."""
    m = match(report.findings, entries, scope)
    out = hide(report, m.baselined)
    out.summary.stale_baseline = len(m.stale)
    out.warnings.extend(stale_warnings(m.stale, source or "file"))
    return out, m


@dataclass
class Rewrite:
    entries: list[Entry]
    removed: list[Entry]
    added: list[Entry]
    not_added: list[Finding]

    @property
    def changed(self) -> bool:
        return bool(self.removed or self.added)


def rewrite(old: Sequence[Entry], findings: Sequence[Finding], scope: Scope, *, allow_new: bool) -> Rewrite:
    """The next baseline: only ever shrinks (stale entries go), grows only with ``allow_new``."""
    m = match(findings, old, scope)
    added = [Entry.of(f) for f in m.new] if allow_new else []
    entries = sorted([*m.out_of_scope, *m.matched, *added])
    return Rewrite(entries=entries, removed=m.stale, added=added, not_added=[] if allow_new else m.new)
