"""MLA701 inconsistent-datetime-parsing: make the minority of a column's sites agree with the majority's
``utc`` choice.

The finding lists every site that parses the column (the reported one and its ``related`` sites, in
this file or in other project files) with its timezone handling. The fix applies when the sites differ
*only* by ``utc=True`` (every other option, chained ``tz_localize``/``tz_convert`` and any explicit
format agreeing), one choice has a strict majority, and every site of the minority is a
``pd.to_datetime(...)`` call: it adds ``utc=True`` to those calls (or turns an explicit ``utc=False``
into ``utc=True``), or removes their ``utc=True``. A tie, a difference in another option (``dayfirst``,
a format, a ``tz_localize``) or a minority site that is an ``astype``/``parse_dates`` has no fix: which
instant a string means is then a decision for the team.

The edits of the other files are part of the same proposal: the engine applies them with the same
checks as the reported file's (round trip, compile, notebooks in place) or not at all.

Unsafe: the minority sites then produce timezone-aware (or naive) values, which changes comparisons,
arithmetic and what is written downstream of them; that is the point, but code after those sites may
depend on the old kind.
"""

from __future__ import annotations

import re
from collections import Counter

import libcst as cst

from mlaudit.fixes._cst import append_keyword, remove_keyword
from mlaudit.fixes.base import FileEdit, FixSource, Hunk, Proposal, Site, Target

UTC = "utc=True"
_PLAIN = "no timezone handling"
_SUMMARY = re.compile(r" places: (?P<summary>.*); parse it in one shared function")
_COUNT = re.compile(r"^(?P<describe>.*) \((?P<n>\d+) sites?\)$")


def _handling(describe: str) -> tuple[frozenset[str], str | None]:
    """(timezone options, format) of a site's description (the rule's ``_Site.describe``)."""
    if describe == _PLAIN:
        return frozenset(), None
    head, sep, fmt = describe.partition("format=")
    parts = [p for p in head.split(", ") if p]
    if sep and head and not head.endswith(", "):
        return frozenset(), "?"  # "format=" inside another option: do not guess
    return frozenset(parts), fmt if sep else None


def _describe(site: Site) -> str | None:
    return site.message.partition("`: ")[2] or None


def _primary(target: Target) -> str | None:
    """The reported site's description: the summary's counts minus the related sites'."""
    match = _SUMMARY.search(target.message)
    if match is None:
        return None
    counts: Counter[str] = Counter()
    for part in match.group("summary").split("; "):
        entry = _COUNT.match(part)
        if entry is None:
            return None
        counts[entry.group("describe")] += int(entry.group("n"))
    for site in target.related:
        described = _describe(site)
        if described is None:
            return None
        counts[described] -= 1
    left = [d for d, n in counts.items() if n > 0]
    return left[0] if len(left) == 1 and counts[left[0]] == 1 else None


def _is_to_datetime(call: cst.Call) -> bool:
    func = call.func
    name = (
        func.attr.value
        if isinstance(func, cst.Attribute)
        else func.value
        if isinstance(func, cst.Name)
        else ""
    )
    return name == "to_datetime" and not any(a.star for a in call.args)


def _utc_arg(call: cst.Call) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == "utc"), None)


class _Edit(cst.CSTTransformer):
    def __init__(self, calls: dict[cst.Call, bool]) -> None:
        self.calls = calls
        self.failed = False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        want = self.calls.get(original_node)
        if want is None:
            return updated_node
        current = _utc_arg(updated_node)
        if not want:
            return remove_keyword(updated_node, "utc")
        if current is not None:
            return updated_node.with_changes(
                args=[
                    a.with_changes(value=cst.Name("True")) if a is current else a for a in updated_node.args
                ]
            )
        new, _ = append_keyword(updated_node, "utc", "True")
        self.failed = self.failed or new is updated_node
        return new


def _hunks(source: FixSource, spans: list[Site], utc: bool) -> tuple[Hunk, ...] | None:
    """The edits making the calls at ``spans`` of ``source`` parse with ``utc`` (None: not possible)."""
    calls: dict[cst.Call, bool] = {}
    for site in spans:
        call = source.node_at(site.span, (cst.Call,))
        if not isinstance(call, cst.Call) or not _is_to_datetime(call):
            return None
        calls[call] = utc
    edit = _Edit(calls)
    new_tree = source.tree.visit(edit)
    if edit.failed:
        return None
    proposal = source.rewrite_tree(new_tree, "")
    return proposal.hunks if proposal is not None else None


def propose(source: FixSource, target: Target) -> Proposal | None:
    primary = _primary(target)
    if primary is None:
        return None
    sites = [Site(source.rel, target.span, primary), *target.related]
    handled: list[tuple[Site, frozenset[str], str | None]] = []
    for i, site in enumerate(sites):
        described = primary if i == 0 else _describe(site)
        if described is None:
            return None
        options, fmt = _handling(described)
        handled.append((site, options, fmt))
    if len({options - {UTC} for _, options, _ in handled}) != 1:
        return None  # another option differs: not a utc choice
    if len({fmt for _, _, fmt in handled if fmt is not None}) > 1 or "?" in {f for *_, f in handled}:
        return None
    with_utc = [s for s, options, _ in handled if UTC in options]
    without = [s for s, options, _ in handled if UTC not in options]
    if len(with_utc) == len(without) or not with_utc or not without:
        return None
    utc = len(with_utc) > len(without)
    minority = without if utc else with_utc
    by_file: dict[str, list[Site]] = {}
    for site in minority:
        by_file.setdefault(site.rel, []).append(site)
    hunks: tuple[Hunk, ...] = ()
    others: list[FileEdit] = []
    for rel, spans in sorted(by_file.items()):
        other = source if rel == source.rel else source.project.source(rel)
        if other is None:
            return None
        found = _hunks(other, spans, utc)
        if not found:
            return None
        if rel == source.rel:
            hunks = found
        else:
            others.append(FileEdit(rel, found))
    n = len(minority)
    elsewhere = sorted(rel for rel in by_file if rel != source.rel)
    where = f" (in {', '.join(elsewhere)})" if elsewhere else ""
    verb = "add `utc=True` to" if utc else "remove `utc=True` from"
    message = (
        f"{verb} {n} `to_datetime` call{'s' if n > 1 else ''}{where}: "
        f"{len(with_utc if utc else without)} of {len(sites)} sites parse {'with' if utc else 'without'} it"
    )
    return Proposal(message, hunks, tuple(others))
