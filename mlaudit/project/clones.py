"""Clone index: type-2 clones (equal up to identifier names and literal values) of statement sequences
across files, notebook cells and within one file, found by hashing - never by pairwise comparison.

Input: ``CloneBlock``s of normalised ``CloneStmt``s (the per-file extractor computes the digests).

1. Every window of ``min_statements`` consecutive statement digests gets a rolling hash; windows are
   bucketed by hash and the buckets split by exact content, so a hash collision can never join
   different code. A bucket with two or more windows is a *seed*.
2. A seed grows left and right while all its copies keep agreeing, which yields an exact maximal
   group (every copy the same length, statements aligned). A seed whose copies are exactly the
   continuation of the previous window's bucket is skipped: it would grow into the same group, and
   skipping it keeps the work linear in the code plus the size of the groups found. Should that size
   explode (adversarial nesting), a work budget switches to plain windows, which step 4 still merges
   into the same regions.
3. Copies of one group that overlap inside one block are a run of a repeated shorter pattern
   (``x = 1`` a thousand times), not a copy: each run keeps its first copy only. This is also what
   stops pathological inputs from producing quadratic output.
4. Groups that share code (a block copied in ``train.py`` and ``serve.py``, six of its statements also
   in a notebook) are merged into one ``CloneGroup`` so each duplicated region is reported once; a copy
   is then the union of the overlapping regions in its block. Literal divergence (MLA502) is computed
   on the exact, aligned groups and attached to the merged one.

Notebook cells: a block marked ``continues`` (a notebook's module-level code in the next code cell) is
indexed as one sequence with the blocks before it, so a copy may span cells; such a copy is reported in
pieces, one per cell (``CloneCopy.continuation``), so that every span stays inside one cell.

Determinism: files are processed in path order and every output is sorted; the primary copy is the
first in (path, line, column) order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from mlaudit.facts.data_code import copy_is_data
from mlaudit.facts.model import CloneBlock, CloneStmt, FileFacts, Span

DEFAULT_MIN_STATEMENTS = 6

_MOD = (1 << 61) - 1  # Mersenne prime: cheap modulus for the rolling hash
_BASE = 1_000_003
# Growing seeds costs (copies x statements) of the groups found; beyond this budget per input
# statement the input is adversarial and the index falls back to plain windows (see _grow_seeds).
_WORK_PER_STATEMENT = 32
_MIN_WORK = 100_000


@dataclass(frozen=True, slots=True)
class SourceBlock:
    """One block with where it comes from (``index`` = position in ``FileFacts.clone_blocks``)."""

    path: str
    index: int
    block: CloneBlock


@dataclass(frozen=True, slots=True)
class CloneCopy:
    path: str
    block: int
    start: int
    """Index of the first statement in the block."""
    length: int
    span: Span
    """The span of the copy, or of its first piece when it runs on into further notebook cells."""
    cell: int | None = None
    continuation: tuple[CloneCopy, ...] = ()
    """The pieces of the copy in the following notebook cells, each inside one cell."""

    @property
    def sort_key(self) -> tuple[str, int, int, int, int]:
        return (self.path, self.span.line, self.span.col, self.block, self.start)


@dataclass(frozen=True, slots=True)
class LiteralSite:
    path: str
    span: Span
    """The span of the statement holding the literal."""
    value: str
    cell: int | None = None
    literal: Span | None = None
    """The span of the literal itself, when recorded."""


@dataclass(frozen=True, slots=True)
class LiteralDivergence:
    """One literal slot whose value differs between aligned copies: the ``position``-th literal of the
    ``offset``-th statement of an exact group; one site per copy of that group, in copy order."""

    offset: int
    position: int
    sites: tuple[LiteralSite, ...]
    data: bool = False
    """The statement holding the literal calls a data-transformation API (in some copy)."""
    kind: str = ""
    """The statement's ``data_code`` kind (``other`` when it is in some copy, else ``data``...)."""
    quiet: bool = False
    """The literal is a shape, axis or display setting in some copy."""

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(site.value for site in self.sites)


@dataclass(frozen=True, slots=True)
class CloneGroup:
    copies: tuple[CloneCopy, ...]
    """At least two, sorted by (path, line, column); ``copies[0]`` is the primary."""
    statements: int
    """Statements of the longest copy."""
    data: bool
    """Every copy is data-transformation code (``data_code.copy_is_data``): MLA501 reports only these."""
    divergences: tuple[LiteralDivergence, ...] = ()

    @property
    def primary(self) -> CloneCopy:
        return self.copies[0]

    @property
    def diverges(self) -> bool:
        """The copies differ in literal values (MLA502)."""
        return bool(self.divergences)


@dataclass(slots=True)
class _Exact:
    """An exact maximal group: copies ``(block, start)`` of ``length`` equal-digest statements."""

    starts: list[tuple[int, int]]
    length: int


def blocks_of(facts: Iterable[FileFacts]) -> list[SourceBlock]:
    return [
        SourceBlock(f.path, index, block)
        for f in sorted(facts, key=lambda f: f.path)
        for index, block in enumerate(f.clone_blocks)
    ]


def find_clone_groups(
    facts: Iterable[FileFacts], *, min_statements: int = DEFAULT_MIN_STATEMENTS
) -> list[CloneGroup]:
    """Clone groups of at least ``min_statements`` statements in two or more places."""
    return find_clone_groups_in_blocks(blocks_of(facts), min_statements=min_statements)


def find_clone_groups_in_blocks(
    blocks: Iterable[SourceBlock], *, min_statements: int = DEFAULT_MIN_STATEMENTS
) -> list[CloneGroup]:
    if min_statements < 1:
        raise ValueError("min_statements must be at least 1")
    sources = _chains(sorted(blocks, key=lambda b: (b.path, b.index)))
    codes = _intern([s.statements for s in sources])
    window = min_statements
    bucket_of, buckets = _bucket_windows(codes, window)
    exact = _grow_seeds(codes, window, bucket_of, buckets)
    exact = [g for g in (_drop_runs(g) for g in exact) if len(g.starts) >= 2]
    built = (_build_group(sources, family) for family in _merge_overlapping(exact))
    return sorted((g for g in built if len(g.copies) >= 2), key=lambda g: tuple(c.sort_key for c in g.copies))


@dataclass(frozen=True, slots=True)
class _Chain:
    """Consecutive blocks of one file indexed as one statement sequence (a block and the blocks that
    ``continue`` it); ``offsets[k]`` is where ``parts[k]`` starts in ``statements``."""

    path: str
    parts: tuple[SourceBlock, ...]
    statements: tuple[CloneStmt, ...]
    offsets: tuple[int, ...]

    def part_of(self, i: int) -> int:
        return bisect_right(self.offsets, i) - 1

    def cell(self, i: int) -> int | None:
        return self.parts[self.part_of(i)].block.cell


def _chains(sources: Sequence[SourceBlock]) -> list[_Chain]:
    groups: list[list[SourceBlock]] = []
    for source in sources:
        previous = groups[-1][-1] if groups else None
        if (
            source.block.continues
            and previous is not None
            and previous.path == source.path
            and previous.index == source.index - 1
        ):
            groups[-1].append(source)
        else:
            groups.append([source])
    chains = []
    for parts in groups:
        offsets: list[int] = []
        statements: list[CloneStmt] = []
        for part in parts:
            offsets.append(len(statements))
            statements.extend(part.block.statements)
        chains.append(_Chain(parts[0].path, tuple(parts), tuple(statements), tuple(offsets)))
    return chains


def _intern(blocks: Sequence[Sequence[CloneStmt]]) -> list[list[int]]:
    ids: dict[str, int] = {}
    return [[ids.setdefault(stmt.digest, len(ids) + 1) for stmt in stmts] for stmts in blocks]


def _bucket_windows(
    codes: Sequence[Sequence[int]], window: int
) -> tuple[list[list[int]], list[list[tuple[int, int]]]]:
    """``bucket_of[b][i]``: id of the bucket of the window starting at statement ``i`` of block ``b``
    (-1 when no other window has the same content); ``buckets[id]``: its windows, in order."""
    by_hash: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for b, seq in enumerate(codes):
        for i, h in enumerate(_rolling_hashes(seq, window)):
            by_hash[h].append((b, i))
    bucket_of = [[-1] * max(len(seq) - window + 1, 0) for seq in codes]
    buckets: list[list[tuple[int, int]]] = []
    for positions in by_hash.values():
        for members in _split_by_content(codes, window, positions):
            for b, i in members:
                bucket_of[b][i] = len(buckets)
            buckets.append(members)
    return bucket_of, buckets


def _rolling_hashes(seq: Sequence[int], window: int) -> Iterator[int]:
    """The hash of every window of ``seq``, in order (Rabin-Karp)."""
    if len(seq) < window:
        return
    top = pow(_BASE, window - 1, _MOD)
    h = 0
    for code in seq[:window]:
        h = (h * _BASE + code) % _MOD
    yield h
    for i in range(1, len(seq) - window + 1):
        h = ((h - seq[i - 1] * top) * _BASE + seq[i + window - 1]) % _MOD
        yield h


def _split_by_content(
    codes: Sequence[Sequence[int]], window: int, positions: Sequence[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """The windows of one hash bucket grouped by exact content (a hash collision must not join
    different code); groups of one are dropped."""
    if len(positions) < 2:
        return []
    exact: dict[tuple[int, ...], list[tuple[int, int]]] = defaultdict(list)
    for b, i in positions:
        exact[tuple(codes[b][i : i + window])].append((b, i))
    return [members for members in exact.values() if len(members) >= 2]


def _is_continuation(
    members: Sequence[tuple[int, int]],
    bucket_of: Sequence[Sequence[int]],
    buckets: Sequence[Sequence[object]],
) -> bool:
    """The windows just before ``members`` form exactly one bucket of the same size: that bucket's
    group already covers this one."""
    previous = {bucket_of[b][i - 1] if i > 0 else -1 for b, i in members}
    if len(previous) != 1:
        return False
    (bucket,) = previous
    return bucket >= 0 and len(buckets[bucket]) == len(members)


def _agree(codes: Sequence[Sequence[int]], positions: Iterable[tuple[int, int]]) -> bool:
    values = set()
    for b, i in positions:
        if i < 0 or i >= len(codes[b]):
            return False
        values.add(codes[b][i])
        if len(values) > 1:
            return False
    return True


def _grow_seeds(
    codes: Sequence[Sequence[int]],
    window: int,
    bucket_of: Sequence[Sequence[int]],
    buckets: Sequence[Sequence[tuple[int, int]]],
) -> list[_Exact]:
    budget = _WORK_PER_STATEMENT * sum(len(seq) for seq in codes) + _MIN_WORK
    groups: dict[tuple[tuple[int, int], ...], _Exact] = {}
    for members in buckets:
        if _is_continuation(members, bucket_of, buckets):
            continue
        starts, length = _grow(codes, list(members), window)
        budget -= len(starts) * (length - window + 1)
        if budget < 0:
            # Adversarial nesting (copy k = statements k..M of one sequence, for every k) makes the
            # maximal groups cubic in size. Fall back to the windows themselves: the merge step
            # still unions overlapping windows into the same regions, only alignment is coarser.
            return [_Exact(list(members), window) for members in buckets]
        key = tuple(sorted(starts))
        if key not in groups or groups[key].length < length:
            groups[key] = _Exact(sorted(starts), length)
    return [groups[key] for key in sorted(groups)]


def _grow(
    codes: Sequence[Sequence[int]], starts: list[tuple[int, int]], length: int
) -> tuple[list[tuple[int, int]], int]:
    """Extend aligned copies left, then right, while all of them keep agreeing."""
    while _agree(codes, ((b, i - 1) for b, i in starts)):
        starts = [(b, i - 1) for b, i in starts]
        length += 1
    while _agree(codes, ((b, i + length) for b, i in starts)):
        length += 1
    return starts, length


def _drop_runs(group: _Exact) -> _Exact:
    """Keep the first copy of each run of overlapping copies inside one block (starts are sorted)."""
    kept: list[tuple[int, int]] = []
    run_end: dict[int, int] = {}
    for b, i in group.starts:
        if b in run_end and i < run_end[b]:
            run_end[b] = i + group.length  # still the same run
            continue
        kept.append((b, i))
        run_end[b] = i + group.length
    return _Exact(kept, group.length)


def _merge_overlapping(groups: Sequence[_Exact]) -> list[list[_Exact]]:
    """Union-find over groups whose copies overlap in some block."""
    parent = list(range(len(groups)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    intervals: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for g, group in enumerate(groups):
        for b, i in group.starts:
            intervals[b].append((i, i + group.length, g))
    for spans in intervals.values():
        spans.sort()
        end, owner = -1, -1
        for start, stop, g in spans:
            if start < end:
                parent[find(g)] = find(owner)
            if stop > end:
                end, owner = stop, g
    families: dict[int, list[_Exact]] = defaultdict(list)
    for g, group in enumerate(groups):
        families[find(g)].append(group)
    return list(families.values())


def _copy_span(stmts: Sequence[CloneStmt], start: int, stop: int) -> Span:
    first, last = stmts[start].span, stmts[stop - 1].span
    return Span(first.line, first.col, last.end_line, last.end_col)


def _build_group(sources: Sequence[_Chain], family: Sequence[_Exact]) -> CloneGroup:
    regions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for group in family:
        for b, i in group.starts:
            regions[b].append((i, i + group.length))
    copies: list[CloneCopy] = []
    data = True
    for b, spans in regions.items():
        chain = sources[b]
        for start, stop in _union(spans):
            copies.append(_copy(chain, start, stop))
            data = data and copy_is_data(stmt.kind for stmt in chain.statements[start:stop])
    copies.sort(key=lambda c: c.sort_key)
    return CloneGroup(
        copies=tuple(copies),
        statements=max(c.length for c in copies),
        data=data,
        divergences=_divergences(sources, family),
    )


def _copy(chain: _Chain, start: int, stop: int) -> CloneCopy:
    """The copy ``[start, stop)`` of a chain, split into one piece per block (notebook cell)."""
    pieces = []
    first, last = chain.part_of(start), chain.part_of(stop - 1)
    for k in range(first, last + 1):
        lo = max(start, chain.offsets[k])
        hi = min(stop, chain.offsets[k + 1]) if k + 1 < len(chain.offsets) else stop
        part = chain.parts[k]
        local = lo - chain.offsets[k]
        span = _copy_span(chain.statements, lo, hi)
        pieces.append(CloneCopy(chain.path, part.index, local, hi - lo, span, part.block.cell))
    head = pieces[0]
    if len(pieces) == 1:
        return head
    return CloneCopy(head.path, head.block, head.start, stop - start, head.span, head.cell, tuple(pieces[1:]))


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def _divergences(sources: Sequence[_Chain], family: Sequence[_Exact]) -> tuple[LiteralDivergence, ...]:
    """Differing literal slots of every exact group, minus those repeated by a larger group."""
    found: dict[frozenset[tuple[int, int, int]], LiteralDivergence] = {}
    for group in family:
        order = sorted(group.starts, key=lambda s: (_stmt_key(sources, s), s))
        for offset in range(group.length):
            found.update(_slot_divergences(sources, order, offset))
    kept = _maximal_sets(list(found))
    return tuple(
        sorted(
            (found[k] for k in kept),
            key=lambda d: (d.sites[0].path, d.sites[0].span.line, d.sites[0].span.col, d.position),
        )
    )


def _slot_divergences(
    sources: Sequence[_Chain], order: Sequence[tuple[int, int]], offset: int
) -> Iterator[tuple[frozenset[tuple[int, int, int]], LiteralDivergence]]:
    """The differing literal slots of the ``offset``-th statement of aligned copies (in ``order``)."""
    stmts = [sources[b].statements[i + offset] for b, i in order]
    for position in range(min(len(s.literals) for s in stmts)):
        values = [s.literals[position] for s in stmts]
        if len(set(values)) < 2:
            continue
        sites = tuple(
            _literal_site(sources[b], i + offset, stmt, position)
            for (b, i), stmt in zip(order, stmts, strict=True)
        )
        key = frozenset((b, i + offset, position) for b, i in order)
        quiet = any(position in stmt.quiet_literals for stmt in stmts)
        data = any(stmt.data for stmt in stmts)
        yield key, LiteralDivergence(offset, position, sites, data=data, kind=_kind(stmts), quiet=quiet)


def _literal_site(chain: _Chain, index: int, stmt: CloneStmt, position: int) -> LiteralSite:
    spans = stmt.literal_spans
    literal = spans[position] if position < len(spans) else None
    return LiteralSite(chain.path, stmt.span, stmt.literals[position], chain.cell(index), literal)


def _kind(stmts: Sequence[CloneStmt]) -> str:
    """The aligned statements' kind: ``other`` if any copy says so, else ``data``, ``weak``, ``const``."""
    kinds = {stmt.kind for stmt in stmts}
    return next((k for k in ("other", "data", "weak", "const") if k in kinds), "")


def _stmt_key(sources: Sequence[_Chain], position: tuple[int, int]) -> tuple[str, int, int]:
    b, i = position
    span = sources[b].statements[i].span
    return (sources[b].path, span.line, span.col)


def _maximal_sets(keys: list[frozenset[tuple[int, int, int]]]) -> list[frozenset[tuple[int, int, int]]]:
    """The keys that are not a strict subset of another key (candidates found through one site)."""
    by_site: dict[tuple[int, int, int], list[frozenset[tuple[int, int, int]]]] = defaultdict(list)
    for key in keys:
        for site in key:
            by_site[site].append(key)
    return [key for key in keys if not any(key < other for other in by_site[min(key)])]
