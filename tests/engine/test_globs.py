"""``engine.globs.Globs`` answers as ``pathspec.GitIgnoreSpec`` does, with one regular expression when
no pattern negates."""

from __future__ import annotations

import itertools

import pathspec
import pytest

from mlaudit.config.schema import DEFAULT_EXCLUDES, Settings
from mlaudit.engine.globs import Globs, _combined

PATTERN_SETS = [
    list(DEFAULT_EXCLUDES),
    *[list(p) for p in Settings().role_patterns().values()],
    ["*.py", "*.pyi", "*.ipynb"],
    ["/build/", "docs/**/conf.py", "a/*/b.py", "**/gen_*.py", "data?.py", "[ab]c.py", "dir/"],
    ["*.py", "!keep.py", "vendor/", "!vendor/ours/"],  # negations: pathspec's own matching
    ["# a comment", "", "   "],
    [],
]
PATHS = [
    "train.py", "pkg/train.py", "tests/test_x.py", "test_x.py", "src/pkg/models/m.py", "models/",
    "build/", "build/x.py", "x/build/y.py", "docs/a/b/conf.py", "docs/conf.py", "a/z/b.py", "a/z/q/b.py",
    "x/gen_one.py", "data1.py", "data12.py", "ac.py", "cc.py", "dir/", "dir", "keep.py", "vendor/",
    "vendor/ours/", "vendor/ours/x.py", ".git/", "node_modules/", "wandb/run.py", "outputs/", "./train.py",
    "notebooks/a.ipynb", "pkg/config.py", "pkg/settings.pyc", "scripts/run.py", "a b/c d.py",
]


@pytest.mark.parametrize("patterns", PATTERN_SETS)
def test_same_answers_as_pathspec(patterns: list[str]) -> None:
    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    globs = Globs(patterns)
    for path in PATHS * 2:
        assert globs.match_file(path) == spec.match_file(path), (patterns, path)


def test_one_regex_unless_a_pattern_negates() -> None:
    assert _combined(pathspec.GitIgnoreSpec.from_lines(["*.py", "tests/"])) is not None
    assert _combined(pathspec.GitIgnoreSpec.from_lines(["*.py", "!keep.py"])) is None
    empty = Globs([])
    assert not any(empty.match_file("x.py") for _ in range(40)) and empty.regex is not None
    plain = Globs(["*.py", "# comment", "", "tests/"])
    assert plain.regex is not None and plain._spec is None  # no pattern compiled on its own
    negated = Globs(["*.py", "!keep.py"])
    assert negated.regex is None and negated._spec is not None


def test_a_bad_pattern_fails_when_the_set_is_built() -> None:
    for bad in (["*.py", "!"], ["a\\"], ["[z-a]"]):  # pathspec refuses the first two, ``re`` the last
        with pytest.raises(Exception) as expected:
            pathspec.GitIgnoreSpec.from_lines(bad)
        with pytest.raises(type(expected.value)):
            Globs(bad)


def test_generated_paths_agree() -> None:
    patterns = ["tests/", "test_*.py", "*_test.py", "conftest.py", "**/fixtures/**", "/top.py"]
    spec, globs = pathspec.GitIgnoreSpec.from_lines(patterns), Globs(patterns)
    parts = ["tests", "test_a.py", "a_test.py", "conftest.py", "fixtures", "top.py", "src", "x.py"]
    for n in (1, 2, 3):
        for combo in itertools.product(parts, repeat=n):
            path = "/".join(combo)
            assert globs.match_file(path) == spec.match_file(path), path
            assert globs.match_file(path + "/") == spec.match_file(path + "/"), path
