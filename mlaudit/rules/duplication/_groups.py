"""Shared by MLA501 and MLA502: the clone groups of one run (computed once) and how to describe them."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from mlaudit.engine.rule import RelatedSite
from mlaudit.facts.model import FileFacts
from mlaudit.project.clones import CloneCopy, CloneGroup, find_clone_groups
from mlaudit.project.index import ProjectIndex


def clone_groups(index: ProjectIndex, min_statements: int) -> list[CloneGroup]:
    """Data-transformation clone groups outside test files (both rules share one computation per run)."""

    def compute() -> list[CloneGroup]:
        facts = [f for f in index if "test" not in f.roles and f.clone_blocks]
        return [g for g in find_clone_groups(facts, min_statements=min_statements) if g.data]

    return index.memo(("duplication.clone-groups", min_statements), compute)


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
