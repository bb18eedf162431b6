"""Shared by MLA501 and MLA502: the clone groups of one run (computed once) and how to describe them."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from mlaudit.engine.rule import RelatedSite
from mlaudit.facts.model import FileFacts
from mlaudit.project.clones import CloneCopy, CloneGroup, LiteralDivergence, find_clone_groups
from mlaudit.project.index import ProjectIndex
from mlaudit.project.programs import ProgramMap, mirrors


@dataclass(frozen=True, slots=True)
class CloneCluster:
    """The clone groups shared by one set of files: reported as one finding (a forked file pair is one
    cause however many blocks the two files share). ``groups[0]`` holds the primary copy."""

    groups: tuple[CloneGroup, ...]

    @property
    def primary(self) -> CloneCopy:
        return self.groups[0].primary

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.path for c in self.groups[0].copies))


def clone_clusters(index: ProjectIndex, min_statements: int) -> list[CloneCluster]:
    """Data-transformation clone groups outside test files, within one program (or programs that import
    one another), grouped by the set of files they share (both rules share one computation per run)."""

    return index.memo(
        ("duplication.clone-clusters", min_statements), lambda: _clusters(index, min_statements)
    )


def _clusters(index: ProjectIndex, min_statements: int) -> list[CloneCluster]:
    facts = _compared_files(index)
    notebooks = {f.path for f in facts if f.is_notebook}
    production = {f.path for f in facts if ProjectIndex.is_production(f)}
    by_files: dict[tuple[str, ...], list[CloneGroup]] = defaultdict(list)
    for group in find_clone_groups(facts, min_statements=min_statements):
        for part in _reported_parts(group, index.programs, notebooks, production):
            by_files[tuple(sorted({c.path for c in part.copies}))].append(part)
    clusters = [CloneCluster(tuple(members)) for members in by_files.values()]
    return sorted(clusters, key=lambda c: c.primary.sort_key)


def _compared_files(index: ProjectIndex) -> list[FileFacts]:
    """Files with clone blocks, minus tests and notebook exports (``project.programs.mirrors``)."""
    exports = mirrors(index)
    return [f for f in index if "test" not in f.roles and f.clone_blocks and f.path not in exports]


def _reported_parts(
    group: CloneGroup, programs: ProgramMap, notebooks: set[str], production: set[str]
) -> list[CloneGroup]:
    """The parts of a data-transformation group, one per set of linked programs, that have a production
    copy and are not all in one notebook."""
    if not group.data:
        return []
    return [
        part
        for part in _within_programs(group, programs)
        if not _one_notebook(part, notebooks)
        and _has_production_copy(part, production)
        and not _notebook_twin(part)
    ]


def _notebook_twin(group: CloneGroup) -> bool:
    """The only copies are a notebook and a ``.py`` of the same stem (``notebooks/302_classification.ipynb``
    and ``src/302_classification.py``): one program kept in two formats on purpose, not drift."""
    paths = {c.path for c in group.copies}
    if len(paths) != 2:
        return False
    stems = {PurePosixPath(p).stem for p in paths}
    suffixes = {PurePosixPath(p).suffix for p in paths}
    return len(stems) == 1 and suffixes == {".py", ".ipynb"}


def _one_notebook(group: CloneGroup, notebooks: set[str]) -> bool:
    """Every copy is in one notebook: redoing a step with a variation further down is how notebooks
    explore (a copy in another file is what goes stale)."""
    paths = {c.path for c in group.copies}
    return len(paths) == 1 and paths <= notebooks


def _has_production_copy(group: CloneGroup, production: set[str]) -> bool:
    """Copies only in notebooks and experiments are exploration (each lesson notebook re-deriving its
    inputs); the copy that goes stale is the one in production code."""
    return any(c.path in production for c in group.copies)


def _within_programs(group: CloneGroup, programs: ProgramMap) -> list[CloneGroup]:
    """``group`` split into the parts whose copies may be compared (see ``ProgramMap.partition``)."""
    parts = programs.partition(dict.fromkeys(c.path for c in group.copies))
    if len(parts) == 1:
        return [group]
    out = []
    for part in parts:
        paths = set(part)
        copies = tuple(c for c in group.copies if c.path in paths)
        if len(copies) >= 2:
            out.append(replace(group, copies=copies, divergences=_divergences_within(group, paths)))
    return out


def _divergences_within(group: CloneGroup, paths: set[str]) -> tuple[LiteralDivergence, ...]:
    """The group's divergences restricted to the copies in ``paths`` (those still differing)."""
    kept = []
    for divergence in group.divergences:
        sites = tuple(s for s in divergence.sites if s.path in paths)
        if len({s.value for s in sites}) > 1:
            kept.append(replace(divergence, sites=sites))
    return tuple(kept)


def pieces(copy: CloneCopy) -> list[CloneCopy]:
    """A copy as its pieces, one per notebook cell (a plain copy is one piece), each with its own length."""
    if not copy.continuation:
        return [copy]
    head = replace(copy, length=copy.length - sum(p.length for p in copy.continuation), continuation=())
    return [head, *copy.continuation]


def related_sites(copy: CloneCopy, message: str) -> list[RelatedSite]:
    """``related`` entries for one copy: the copy itself, then where it continues in later cells."""
    parts = pieces(copy)
    sites = [RelatedSite(parts[0].path, parts[0].span, message)]
    sites += [RelatedSite(p.path, p.span, f"{message}, continued in cell {p.cell}") for p in parts[1:]]
    return sites


def where(copy: CloneCopy) -> str:
    """``scripts/prep.py:12`` or ``notebooks/eda.ipynb cell 3`` (``cells 3-4`` when it spans cells)."""
    if copy.cell is not None:
        last = copy.continuation[-1].cell if copy.continuation else None
        return (
            f"{copy.path} cells {copy.cell}-{last}" if last is not None else f"{copy.path} cell {copy.cell}"
        )
    return f"{copy.path}:{copy.span.line}"


def places(copies: tuple[CloneCopy, ...], limit: int = 3) -> str:
    shown = ", ".join(where(c) for c in copies[:limit])
    more = len(copies) - limit
    return f"{shown} and {more} more" if more > 0 else shown


def fingerprint(files: dict[str, FileFacts], copy: CloneCopy) -> str:
    """A line-independent identity of a copy: the hash of its normalised statements."""
    digests = []
    for piece in pieces(copy):
        block = files[piece.path].clone_blocks[piece.block]
        digests += [s.digest for s in block.statements[piece.start : piece.start + piece.length]]
    digest = hashlib.blake2b("".join(digests).encode(), digest_size=8).hexdigest()
    return f"clone {copy.length} statements {digest}"
