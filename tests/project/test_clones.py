"""Clone index over hand-built normalised statements (digests stand in for the extractor's output)."""

from __future__ import annotations

import random
import time
from collections.abc import Mapping

import pytest

from mlaudit.facts.model import CloneBlock, CloneStmt, FileFacts, Span
from mlaudit.project import clones
from mlaudit.project.clones import CloneGroup, find_clone_groups

# The 6-statement preprocessing block of the anchors' fixture, as the extractor would normalise it:
# ``df = pd.read_csv(...)`` and ``frame = pd.read_csv(...)`` both become ``v0 = pd.read_csv(L)``.
PREP = [
    ("v0 = pandas.read_csv(L)", ("'data.csv'",), True),
    ("v0 = v0.dropna(subset=[L])", ("'age'",), True),
    ("v0[L] = v0[L].fillna(L)", ("'income'", "'income'", "0"), True),
    ("v0[L] = v0[L].clip(L, L)", ("'age'", "'age'", "0", "100"), True),
    ("v1 = v0[[L, L]].to_numpy()", ("'age'", "'income'"), True),
    ("v2 = sklearn.StandardScaler().fit_transform(v1)", (), True),
]


def stmt(digest: str, *literals: str, line: int = 1, data: bool = False) -> CloneStmt:
    return CloneStmt(
        digest, literals, Span(line, 5, line, 5 + len(digest)), data, kind="data" if data else ""
    )


def block(*stmts: CloneStmt, cell: int | None = None) -> CloneBlock:
    return CloneBlock(list(stmts), cell)


def seq(
    digests: list[str] | str,
    *,
    line: int = 1,
    literals: Mapping[int, tuple[str, ...]] | None = None,
    data: bool = False,
) -> list[CloneStmt]:
    """Statements with consecutive lines; ``digests`` may be a string of one-letter digests."""
    literals = literals or {}
    return [stmt(d, *literals.get(k, ()), line=line + k, data=data) for k, d in enumerate(digests)]


def prep(line: int = 1, overrides: dict[int, tuple[str, ...]] | None = None) -> list[CloneStmt]:
    overrides = overrides or {}
    return [
        stmt(digest, *overrides.get(k, lits), line=line + k, data=is_data)
        for k, (digest, lits, is_data) in enumerate(PREP)
    ]


def other(tag: str, n: int, line: int = 1) -> list[CloneStmt]:
    return seq([f"{tag}{k}" for k in range(n)], line=line)


def file(path: str, *blocks: CloneBlock, notebook: bool = False) -> FileFacts:
    module = path.rsplit(".", 1)[0].replace("/", ".")
    return FileFacts(module=module, path=path, is_notebook=notebook, clone_blocks=list(blocks))


def where(group: CloneGroup) -> list[tuple[str, int, int, int]]:
    return [(c.path, c.span.line, c.span.end_line, c.length) for c in group.copies]


# --- basic detection ------------------------------------------------------------------------------


def test_renamed_copy_in_a_script_and_a_notebook_is_one_group() -> None:
    facts = [
        file("scripts/prepare_b.py", block(*prep(line=3))),
        file(
            "notebooks/Untitled.ipynb",
            block(*other("nb", 2), cell=1),
            block(*prep(line=7), cell=2),
            notebook=True,
        ),
        file("scripts/prepare_a.py", block(*prep(line=3))),
    ]
    (group,) = find_clone_groups(facts)
    assert where(group) == [
        ("notebooks/Untitled.ipynb", 7, 12, 6),
        ("scripts/prepare_a.py", 3, 8, 6),
        ("scripts/prepare_b.py", 3, 8, 6),
    ]
    assert group.primary.path == "notebooks/Untitled.ipynb"
    assert group.primary.cell == 2
    assert (group.statements, group.data, group.diverges) == (6, True, False)
    assert group.primary.span == Span(7, 5, 12, 5 + len(PREP[-1][0]))


def test_blocks_under_the_threshold_are_ignored_and_the_threshold_is_configurable() -> None:
    facts = [file("a.py", block(*prep()[:5])), file("b.py", block(*prep()[:5]))]
    assert find_clone_groups(facts) == []
    (group,) = find_clone_groups(facts, min_statements=5)
    assert group.statements == 5
    with pytest.raises(ValueError):
        find_clone_groups(facts, min_statements=0)


def test_different_code_is_not_a_clone() -> None:
    assert (
        find_clone_groups([file("a.py", block(*other("a", 10))), file("b.py", block(*other("b", 10)))]) == []
    )


def test_group_without_data_statements_is_flagged_as_such() -> None:
    facts = [file("a.py", block(*other("x", 7))), file("b.py", block(*other("x", 7)))]
    (group,) = find_clone_groups(facts)
    assert not group.data


# --- positions and extent -------------------------------------------------------------------------


def test_copy_embedded_in_a_longer_block() -> None:
    facts = [
        file("a.py", block(*other("a", 3), *prep(line=4), *other("z", 2, line=10))),
        file("b.py", block(*prep(line=1))),
    ]
    (group,) = find_clone_groups(facts)
    assert [(c.path, c.start, c.length, c.span.line) for c in group.copies] == [
        ("a.py", 3, 6, 4),
        ("b.py", 0, 6, 1),
    ]


def test_copy_starting_a_statement_later_than_its_twin() -> None:
    # the twins share the preprocessing but not the statement before it
    facts = [
        file("a.py", block(stmt("print(L)"), *prep(line=2))),
        file("b.py", block(stmt("v0 = L"), *prep(line=2))),
        file("c.py", block(*prep(line=1))),
    ]
    (group,) = find_clone_groups(facts)
    assert [(c.path, c.start) for c in group.copies] == [("a.py", 1), ("b.py", 1), ("c.py", 0)]


def test_match_is_extended_to_its_maximal_length() -> None:
    shared = other("s", 9)
    facts = [
        file("a.py", block(*other("a", 2), *shared, *other("a9", 1))),
        file("b.py", block(*shared, *other("b", 4))),
    ]
    (group,) = find_clone_groups(facts)
    assert group.statements == 9
    assert [(c.path, c.start, c.length) for c in group.copies] == [("a.py", 2, 9), ("b.py", 0, 9)]


def test_partial_third_copy_is_merged_into_one_group() -> None:
    long = prep() + seq(["v3 = v2.mean()", "v4 = v2.std()"], line=7, data=True)
    facts = [
        file("train.py", block(*long)),
        file(
            "serve.py",
            block(*other("s", 1), *[stmt(s.digest, *s.literals, line=s.span.line + 1) for s in long]),
        ),
        file("explore.ipynb", block(*prep(), cell=0), notebook=True),
    ]
    (group,) = find_clone_groups(facts)
    assert group.statements == 8
    assert [(c.path, c.length) for c in group.copies] == [
        ("explore.ipynb", 6),
        ("serve.py", 8),
        ("train.py", 8),
    ]


def test_superset_group_with_extra_tail_is_not_lost() -> None:
    # a, b and c share six statements; a and b also share a seventh: a 7-statement copy exists
    facts = [
        file("a.py", block(*seq("ABCDEFG"))),
        file("b.py", block(*seq("ABCDEFG"))),
        file("c.py", block(*seq("ABCDEFX"))),
    ]
    (group,) = find_clone_groups(facts)
    assert [(c.path, c.length) for c in group.copies] == [("a.py", 7), ("b.py", 7), ("c.py", 6)]


def test_clone_within_one_file_in_two_functions_and_in_one_block() -> None:
    facts = [
        file("a.py", block(*prep(line=2)), block(*prep(line=20))),
        file("b.py", block(*seq("ABCDEF", line=1), *other("x", 1, line=7), *seq("ABCDEF", line=8))),
    ]
    first, second = find_clone_groups(facts)
    assert where(first) == [("a.py", 2, 7, 6), ("a.py", 20, 25, 6)]
    assert where(second) == [("b.py", 1, 6, 6), ("b.py", 8, 13, 6)]


def test_unrelated_groups_are_reported_separately_and_sorted() -> None:
    facts = [
        file("z.py", block(*seq("ABCDEF")), block(*seq("UVWXYZ", line=10))),
        file("a.py", block(*seq("UVWXYZ")), block(*seq("ABCDEF", line=10))),
    ]
    groups = find_clone_groups(facts)
    assert [where(g) for g in groups] == [
        [("a.py", 1, 6, 6), ("z.py", 10, 15, 6)],
        [("a.py", 10, 15, 6), ("z.py", 1, 6, 6)],
    ]


# --- literal divergence (MLA502) ------------------------------------------------------------------


def test_copies_with_different_fill_and_clip_values_diverge() -> None:
    facts = [
        file("train.py", block(*prep(line=10))),
        file(
            "serve.py",
            block(
                *prep(
                    line=30, overrides={2: ("'income'", "'income'", "-1"), 3: ("'age'", "'age'", "0", "99")}
                )
            ),
        ),
    ]
    (group,) = find_clone_groups(facts)
    assert group.diverges
    assert [(d.offset, d.position, d.values) for d in group.divergences] == [
        (2, 2, ("-1", "0")),
        (3, 3, ("99", "100")),
    ]
    fill = group.divergences[0]
    assert [(s.path, s.span.line) for s in fill.sites] == [("serve.py", 32), ("train.py", 12)]


def test_equal_literals_do_not_diverge() -> None:
    facts = [file("a.py", block(*prep())), file("b.py", block(*prep()))]
    (group,) = find_clone_groups(facts)
    assert not group.diverges


def test_divergence_lists_every_copy_in_copy_order() -> None:
    facts = [
        file("c.py", block(*prep(overrides={0: ("'c.csv'",)}))),
        file("a.py", block(*prep(overrides={0: ("'a.csv'",)}))),
        file("b.py", block(*prep())),
    ]
    (group,) = find_clone_groups(facts)
    (divergence,) = group.divergences
    assert divergence.values == ("'a.csv'", "'data.csv'", "'c.csv'")


def test_divergence_of_a_merged_group_is_not_repeated() -> None:
    # a and b share 7 statements, c shares 6; b differs at statement 1: one divergence over 3 copies
    lits = {1: ("1",)}
    facts = [
        file("a.py", block(*seq("ABCDEFG", literals=lits))),
        file("b.py", block(*seq("ABCDEFG", literals={1: ("2",)}))),
        file("c.py", block(*seq("ABCDEFX", literals=lits))),
    ]
    (group,) = find_clone_groups(facts)
    assert [d.values for d in group.divergences] == [("1", "2", "1")]


# --- robustness -----------------------------------------------------------------------------------


def test_thousands_of_identical_statements_in_one_block_are_not_a_clone() -> None:
    started = time.perf_counter()
    facts = [file("a.py", block(*[stmt("v0 = L", "1", line=k + 1) for k in range(5000)]))]
    assert find_clone_groups(facts) == []
    assert time.perf_counter() - started < 30  # a cubic blow-up takes minutes; a loaded CI machine seconds


def test_two_long_runs_are_one_small_group() -> None:
    started = time.perf_counter()
    facts = [
        file(f"f{i}.py", block(*[stmt("v0 = L", "1", line=k + 1) for k in range(3000)])) for i in range(2)
    ]
    (group,) = find_clone_groups(facts)
    assert [(c.path, c.start) for c in group.copies] == [("f0.py", 0), ("f1.py", 0)]
    assert time.perf_counter() - started < 30  # a cubic blow-up takes minutes; a loaded CI machine seconds


def test_periodic_block_repeats_are_separate_copies() -> None:
    (group,) = find_clone_groups([file("a.py", block(*seq("ABCDEF" * 3)))])
    assert [(c.start, c.length) for c in group.copies] == [(0, 6), (6, 6), (12, 6)]


def test_many_files_with_one_long_shared_block_scale_linearly() -> None:
    shared = other("s", 40)
    facts = [file(f"pkg/m{i:03d}.py", block(*other(f"h{i}", 3), *shared)) for i in range(300)]
    started = time.perf_counter()
    (group,) = find_clone_groups(facts)
    assert len(group.copies) == 300
    assert group.statements == 40
    assert time.perf_counter() - started < 30  # a cubic blow-up takes minutes; a loaded CI machine seconds


def test_hash_collisions_never_join_different_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clones, "_MOD", 1)  # every window hashes to 0
    facts = [
        file("a.py", block(*seq("ABCDEFGH"))),
        file("b.py", block(*seq("ABCDEFGH"))),
        file("c.py", block(*seq("QRSTUVWX"))),
    ]
    (group,) = find_clone_groups(facts)
    assert [(c.path, c.length) for c in group.copies] == [("a.py", 8), ("b.py", 8)]


def test_results_do_not_depend_on_file_order() -> None:
    rng = random.Random(7)
    alphabet = "ABCDEFGHIJKLMNOP"
    facts = [
        file(
            f"m{i}.py",
            *(block(*seq("".join(rng.choices(alphabet[:4], k=rng.randint(4, 30))))) for _ in range(3)),
        )
        for i in range(20)
    ]
    expected = find_clone_groups(facts)
    assert expected
    for seed in range(5):
        shuffled = list(facts)
        random.Random(seed).shuffle(shuffled)
        assert find_clone_groups(shuffled) == expected


def windows(facts: list[FileFacts], n: int) -> dict[tuple[str, ...], list[tuple[str, int, int]]]:
    found: dict[tuple[str, ...], list[tuple[str, int, int]]] = {}
    for f in facts:
        for b, blk in enumerate(f.clone_blocks):
            digests = [s.digest for s in blk.statements]
            for i in range(len(digests) - n + 1):
                found.setdefault(tuple(digests[i : i + n]), []).append((f.path, b, i))
    return found


@pytest.mark.parametrize("seed", range(20))
def test_against_brute_force(seed: int) -> None:
    """Every window that recurs in another block lies inside a copy of one group (complete), and every
    statement of every copy lies in a recurring window inside that copy (sound)."""
    rng = random.Random(seed)
    n = 3
    facts = [
        file(f"m{i}.py", *(block(*seq(rng.choices("ABCDEFGH", k=rng.randint(2, 25)))) for _ in range(2)))
        for i in range(6)
    ]
    groups = find_clone_groups(facts, min_statements=n)
    covered = {
        (c.path, c.block, c.start + k): g
        for g, grp in enumerate(groups)
        for c in grp.copies
        for k in range(c.length)
    }
    table = windows(facts, n)
    for occurrences in table.values():
        blocks_seen = {(path, b) for path, b, _ in occurrences}
        if len(blocks_seen) < 2 or len(blocks_seen) != len(occurrences):
            continue  # recurs only inside one block, or repeats there (runs are collapsed on purpose)
        owners = {covered.get((path, b, i + k)) for path, b, i in occurrences for k in range(n)}
        assert len(owners) == 1 and None not in owners, occurrences
    for grp in groups:
        assert len(grp.copies) >= 2
        for c in grp.copies:
            digests = [s.digest for s in facts_by_path(facts)[c.path].clone_blocks[c.block].statements]
            for k in range(c.length):
                assert any(
                    len(table[tuple(digests[i : i + n])]) >= 2
                    for i in range(
                        max(c.start, c.start + k - n + 1), min(c.start + k, c.start + c.length - n) + 1
                    )
                )


def facts_by_path(facts: list[FileFacts]) -> dict[str, FileFacts]:
    return {f.path: f for f in facts}


def test_adversarial_nested_copies_stay_fast() -> None:
    # copy k is statements k..M of one sequence, for every k: maximal groups would be cubic in size
    size = 400
    base = other("u", size)
    facts = [file(f"n{k:03d}.py", block(*base[k:])) for k in range(size - 6)]
    started = time.perf_counter()
    (group,) = find_clone_groups(facts)
    assert time.perf_counter() - started < 30  # a cubic blow-up takes minutes; a loaded CI machine seconds
    # u0 exists only in the first file; everything else recurs
    assert group.statements == size - 1
    assert [(c.start, c.length) for c in group.copies] == [(1, size - 1)] + [
        (0, size - k) for k in range(1, size - 6)
    ]


@pytest.mark.parametrize("seed", range(5))
def test_window_fallback_finds_the_same_regions(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    facts = [
        file(f"m{i}.py", *(block(*seq(rng.choices("ABCDEFGH", k=rng.randint(2, 25)))) for _ in range(2)))
        for i in range(6)
    ]
    expected = [(where(g), g.data) for g in find_clone_groups(facts, min_statements=3)]
    monkeypatch.setattr(clones, "_WORK_PER_STATEMENT", 0)
    monkeypatch.setattr(clones, "_MIN_WORK", 0)
    assert [(where(g), g.data) for g in find_clone_groups(facts, min_statements=3)] == expected
