"""MLA701 inconsistent-datetime-parsing: one column, parsed to datetimes with different timezone handling.

Every site that parses a column by its string key (see ``facts.datetimes``) is compared with the other
sites of that key across the project, notebooks and experiments included (tests are not). A site's
*timezone handling* is its ``utc``/``dayfirst``/``yearfirst``/``unit`` options, an ``astype`` dtype's
timezone and the ``tz_localize``/``tz_convert`` applied to the column in the same function; its *format* is
an explicit ``format=``/``date_format=``. Two sites conflict when their timezone handling differs, or when
both give a format and the formats differ (a site without a format is not compared on formats: pandas
infers the same one from the same data).

Sites are compared only within one program: files in the same folder, files linked by imports (one
imports the other, or both import a common first-party module), and notebooks/experiments with the code
of their folder (a notebook at the root or in a root-level ``notebooks/`` folder, with everything). A site
whose options cannot be read (``utc=flag``, ``**kwargs``) is never compared. One finding per column (per
group of related files), at the first production site, every other site in ``related``.
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mlaudit.engine.rule import PRODUCTION, ProjectRule, RawFinding, RelatedSite
from mlaudit.facts.model import DatetimeParseFact, FileFacts
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex
from mlaudit.rules.reproducibility._program import Reach, reach


@dataclass(frozen=True, slots=True, eq=False)
class _Site:
    facts: FileFacts
    fact: DatetimeParseFact
    tz: tuple[str, ...]
    fmt: str | None

    @property
    def key(self) -> tuple[bool, str, int, int]:
        return (
            not ProjectIndex.is_production(self.facts),
            self.facts.path,
            self.fact.span.line,
            self.fact.span.col,
        )

    def describe(self) -> str:
        parts = [*self.tz, *([f"format={self.fmt}"] if self.fmt is not None else [])]
        return ", ".join(parts) if parts else "no timezone handling"


def _adjustments(facts: FileFacts) -> dict[tuple[str, str], list[str]]:
    """tz operations applied to an already parsed column, by (function, column)."""
    adjustments: dict[tuple[str, str], list[str]] = defaultdict(list)
    for fact in facts.datetime_parses:
        if fact.adjusts:
            adjustments[(fact.function, fact.column)].extend(fact.handling)
    return adjustments


def _sites(facts: FileFacts) -> Iterator[_Site]:
    adjustments = _adjustments(facts)
    for fact in facts.datetime_parses:
        extra = adjustments.get((fact.function, fact.column), [])
        if fact.adjusts or fact.unknown or any("?" in h for h in extra):
            continue
        handling = [*fact.handling, *extra]
        fmt = next((h.partition("=")[2] for h in handling if h.startswith("format=")), None)
        tz = tuple(sorted(h for h in handling if not h.startswith("format=")))
        yield _Site(facts, fact, tz, fmt)


def _conflict(a: _Site, b: _Site) -> bool:
    return a.tz != b.tz or (a.fmt is not None and b.fmt is not None and a.fmt != b.fmt)


def _top(path: str) -> str:
    return path.split("/", 1)[0] if "/" in path else ""


class _Links:
    def __init__(self, index: ProjectIndex, paths: Reach) -> None:
        self.paths = paths
        self.imported = {
            f.path: frozenset(i.target for i in f.imports)
            | frozenset(f"{i.target}.{n}" for i in f.imports for n in i.names)
            for f in index
            if f.is_notebook
        }

    def related(self, a: FileFacts, b: FileFacts) -> bool:
        if a.path == b.path or posixpath.dirname(a.path) == posixpath.dirname(b.path):
            return True
        if a.is_notebook or b.is_notebook or "experiment" in a.roles or "experiment" in b.roles:
            return self._exploration(a, b) or self._exploration(b, a)
        reach_a = self.paths.related(a.module)
        if b.module in reach_a:
            return True
        return bool(self.paths.imports(a.module) & self.paths.imports(b.module) - {a.module, b.module})

    def _exploration(self, nb: FileFacts, other: FileFacts) -> bool:
        if not (nb.is_notebook or "experiment" in nb.roles):
            return False
        if other.module and other.module in self.imported.get(nb.path, frozenset()):
            return True
        depth = nb.path.count("/")
        return depth == 0 or (depth == 1 and "experiment" in nb.roles) or _top(nb.path) == _top(other.path)


def _groups(sites: list[_Site], links: _Links) -> list[list[_Site]]:
    """Connected groups of related sites (union-find over related pairs)."""
    parent = list(range(len(sites)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(sites)):
        for j in range(i + 1, len(sites)):
            if find(i) != find(j) and links.related(sites[i].facts, sites[j].facts):
                parent[find(i)] = find(j)
    groups: dict[int, list[_Site]] = defaultdict(list)
    for i, site in enumerate(sites):
        groups[find(i)].append(site)
    return list(groups.values())


def _candidates(index: ProjectIndex) -> dict[str, list[_Site]]:
    """Sites by column, for the columns with at least one conflicting pair (tests are left out)."""
    by_column: dict[str, list[_Site]] = defaultdict(list)
    for facts in index:
        if "test" not in facts.roles:
            for site in _sites(facts):
                by_column[site.fact.column].append(site)
    return {c: s for c, s in by_column.items() if len(s) > 1 and any(_conflict(s[0], x) for x in s)}


class InconsistentDatetimeParsing(ProjectRule):
    code = "MLA701"
    name = "inconsistent-datetime-parsing"
    category = "reproducibility"
    severity = Severity.WARNING
    message = (
        "Column parsed to datetimes with different timezone handling in different places: parse it in one "
        "shared function"
    )
    # Reported at the first production site (a group without one is not reported); notebooks and experiments
    # are compared, tests are not (``_candidates``).
    applies_to = frozenset({PRODUCTION})
    requires_facts = frozenset({"datetime_parses", "imports"})

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        candidates = _candidates(index)
        if not candidates:
            return
        links = _Links(index, reach(index))
        for column in sorted(candidates):
            for group in _groups(candidates[column], links):
                finding = self._finding(column, group)
                if finding is not None:
                    yield finding

    def _finding(self, column: str, group: list[_Site]) -> RawFinding | None:
        ordered = sorted(group, key=lambda s: s.key)
        if not any(_conflict(a, b) for a in ordered for b in ordered) or not any(
            ProjectIndex.is_production(s.facts) for s in ordered
        ):
            return None
        primary = ordered[0]
        counts = Counter(s.describe() for s in ordered)
        summary = "; ".join(f"{d} ({n} site{'s' if n > 1 else ''})" for d, n in sorted(counts.items()))
        message = (
            f"column `{column}` is parsed to datetimes with different timezone handling in {len(ordered)} "
            f"places: {summary}; parse it in one shared function so every stage sees the same instants"
        )
        related = [RelatedSite(s.facts.path, s.fact.span, f"`{column}`: {s.describe()}") for s in ordered[1:]]
        return self.finding(
            primary.facts.path, primary.fact.span, message, snippet=primary.fact.snippet, related=related
        )
