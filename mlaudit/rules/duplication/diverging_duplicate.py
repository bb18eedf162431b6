"""MLA502 diverging-duplicate: copies of duplicated preprocessing that differ in literal values.

The groups are MLA501's (data-transformation clones outside test files); a group is reported when an
aligned literal differs between copies in different files, e.g. ``fillna(0)`` in training and
``fillna(-1)`` in serving: the classic train/serve skew. A differing string in a statement that calls no data API (a ``print`` or
log message, a plot title) is not a divergence, nor are differing file paths (the same steps applied to
``train.csv`` and ``serve.csv``); differing numbers, booleans and ``None`` always are.
The finding sits on the first differing literal of the first copy; ``related`` lists the same literal
in every other copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import Field

from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, ProjectRule, RawFinding, RelatedSite, RuleOptions
from mlaudit.model import Severity
from mlaudit.facts.data_code import DATA, WEAK
from mlaudit.project.clones import DEFAULT_MIN_STATEMENTS, LiteralDivergence, LiteralSite
from mlaudit.project.index import ProjectIndex
from mlaudit.rules.duplication._groups import clone_clusters, fingerprint, places

_MAX_SHOWN = 3
_MAX_RELATED = 50


class DivergingDuplicateOptions(RuleOptions):
    min_statements: int = Field(default=DEFAULT_MIN_STATEMENTS, ge=2)
    """Smallest duplicated block considered, in statements (keep it equal to MLA501's)."""


_PATH_LIKE = re.compile(r"[/\\]|\.[A-Za-z][A-Za-z0-9]{0,7}$")


def _is_string(value: str) -> bool:
    return value[:1] in ("'", '"') or value[:2] in ("b'", 'b"')


def _is_path(value: str) -> bool:
    return _is_string(value) and bool(_PATH_LIKE.search(value.rstrip("'\"")))


def _counts(divergence: LiteralDivergence) -> bool:
    """A literal in a statement that does not operate on data (a message, a plot, a ``name = literal``
    setting) or that is a shape or display setting is not a parameter; differing file paths are
    different inputs (``train.csv``/``serve.csv``), not different processing; a number against a string
    is two settings; and the value must differ between two *files*: variants in one file (``eig`` and
    ``eigvals``) are written side by side on purpose, while skew is a copy elsewhere that drifted."""
    if divergence.kind not in (DATA, WEAK) or divergence.quiet or not _same_type(divergence.values):
        return False
    sites = divergence.sites
    return any(a.path != b.path and a.value != b.value for a in sites for b in sites)


def _same_type(values: tuple[str, ...]) -> bool:
    """All numbers, or all strings that are not all file paths."""
    strings = [_is_string(v) for v in values]
    if not any(strings):
        return True
    return all(strings) and not all(_is_path(v) for v in values)


def _values(divergence: LiteralDivergence) -> str:
    distinct = list(dict.fromkeys(divergence.values))
    return " vs ".join(distinct)


class DivergingDuplicate(ProjectRule[DivergingDuplicateOptions]):
    code = "MLA502"
    name = "diverging-duplicate"
    category = "duplication"
    severity = Severity.WARNING
    # Opt-in: independent reviews of real ML repositories found it right on 0 of 1 (different join keys grouped as drift), with MLA501 whose groups it refines;
    # below the 90% bar of the default selection (rules.md, "Precision bar"). See after.md.
    default_enabled = False
    message = (
        "Copies of duplicated preprocessing use different literal values (a train/serve skew if they must "
        "agree): share one function and pass the values explicitly"
    )
    applies_to = frozenset({PRODUCTION, EXPERIMENT})
    requires_facts = frozenset({"clones", "imports"})  # imports: which programs are linked

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        for cluster in clone_clusters(index, self.options.min_statements):
            group = cluster.groups[0]
            divergences = sorted(
                (d for g in cluster.groups for d in g.divergences if _counts(d)),
                key=lambda d: (d.sites[0].path, d.sites[0].span.line, d.sites[0].span.col, d.position),
            )
            if not divergences:
                continue
            site = divergences[0].sites[0]
            shown = "; ".join(_values(d) for d in divergences[:_MAX_SHOWN])
            if len(divergences) > _MAX_SHOWN:
                shown += f" and {len(divergences) - _MAX_SHOWN} more"
            yield self.finding(
                site.path,
                site.literal or site.span,
                f"This preprocessing is duplicated in {len(group.copies)} places ({places(group.copies)}) with "
                f"different literal values ({shown}): a train/serve skew if the copies must agree; share one "
                "function and pass the values explicitly",
                snippet=f"diverging {fingerprint(index.files, group.copies[0])}",
                related=_related(divergences, site)[:_MAX_RELATED],
            )


def _related(divergences: Iterable[LiteralDivergence], primary: LiteralSite) -> list[RelatedSite]:
    """Every other differing literal, once, with its value."""
    seen = {(primary.path, primary.literal or primary.span)}
    related = []
    for divergence in divergences:
        for site in divergence.sites:
            span = site.literal or site.span
            if (site.path, span) not in seen:
                seen.add((site.path, span))
                related.append(RelatedSite(site.path, span, f"`{site.value}` here"))
    return related
