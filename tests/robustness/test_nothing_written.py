"""Nothing written unasked (issue 7, item 4). ``mlaudit check`` in every output format leaves every file
of the project, of ``$HOME`` and of ``$TMPDIR`` exactly as it was (content, mode and mtime), except its
own cache directory; a read-only project and an unwritable cache still give the full report, with
exactly one warning.

Root ignores file permissions, so when the suite runs as root the read-only cases run the CLI
without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH (``setpriv``): the project really is read-only then. The
cache-under-a-regular-file case needs no privileges at all (no one can create a directory there).
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mlaudit.reporters import FORMATS
from tests.conftest import notebook, write_files
from tests.robustness.helpers import Run, audit, drop_dac_prefix, tree_digest

CI_VARIABLES = ("GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS", "GITLAB_CI", "CI", "CI_PROJECT_DIR")


def ml_project(root: Path) -> Path:
    """A small project with findings of several rules, a notebook, a broken file and 40+ modules (so
    that the process pool runs too)."""
    files: dict[str, str | bytes] = {
        "pyproject.toml": '[project]\nname = "demo"\n',
        ".gitignore": "data/\n",
        "src/demo/__init__.py": "",
        "src/demo/features.py": (
            "import pandas as pd\n\nCACHE = {}\n\n\ndef build_features(df):\n"
            "    extra = pd.read_csv('data/extra.csv')\n    CACHE['n'] = len(df)\n    return df.join(extra)\n"
        ),
        "src/demo/train.py": (
            "from sklearn.linear_model import LogisticRegression\n\nCOUNT = 0\n\n\ndef train(x, y):\n"
            "    global COUNT\n    COUNT += 1\n    return LogisticRegression(C=0.5, max_iter=200).fit(x, y)\n"
        ),
        "src/demo/broken.py": "def f(:\n",
        "notebooks/explore.ipynb": notebook(
            "import pandas as pd\n%matplotlib inline\ndf = pd.read_csv('x.csv')\n"
        ),
        "tests/test_train.py": "def test_it():\n    assert True\n",
        "data/model.pkl": b"\x80\x04K\x01.",
    }
    for i in range(40):
        files[f"src/demo/gen/m{i:02}.py"] = f"def step_{i}(x):\n    return x + {i}\n"
    write_files(root, files)
    (root / "src" / "demo" / "gen" / "__init__.py").write_text("")
    return root


def environment(tmp: Path) -> tuple[dict[str, str], Path, Path]:
    home, tmpdir = tmp / "home", tmp / "tmpdir"
    home.mkdir()
    tmpdir.mkdir()
    env = {"HOME": str(home), "TMPDIR": str(tmpdir), "XDG_CACHE_HOME": str(home / ".cache")}
    return env, home, tmpdir


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI runner's step-summary file is an asked-for output; keep it out of this test."""
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_output_format_leaves_the_project_home_and_tmp_untouched(tmp_path: Path, fmt: str) -> None:
    project = ml_project(tmp_path / "project")
    env, home, tmpdir = environment(tmp_path)
    before = tree_digest(project)
    proc = audit(project, "-j", "2", isolated=False, fmt=fmt, env=env, cache=True)
    assert proc.code == 1, proc.stderr  # findings and a broken file
    assert proc.stdout.strip(), "the report goes to stdout"
    after = tree_digest(project, skip=(".mlaudit_cache",))
    assert after == before
    assert (project / ".mlaudit_cache" / "CACHEDIR.TAG").is_file()
    assert list(home.iterdir()) == [], "nothing in $HOME"
    assert list(tmpdir.iterdir()) == [], "nothing left in $TMPDIR"


def test_no_cache_writes_nothing_at_all(tmp_path: Path) -> None:
    project = ml_project(tmp_path / "project")
    env, home, tmpdir = environment(tmp_path)
    before = tree_digest(project)
    audit(project, isolated=False, env=env)  # audit() passes --no-cache
    assert tree_digest(project) == before
    assert not (project / ".mlaudit_cache").exists()
    assert list(home.iterdir()) == [] and list(tmpdir.iterdir()) == []


def test_output_file_is_the_only_other_write(tmp_path: Path) -> None:
    project = ml_project(tmp_path / "project")
    before = tree_digest(project)
    audit(project, "-o", "report.json", "--report", "sarif:out/report.sarif", isolated=False)
    after = tree_digest(project)
    assert set(after) - set(before) == {"report.json", "out", "out/report.sarif"}
    assert {k: v for k, v in after.items() if k in before} == before


def full_report(run: Run) -> tuple[int, list[tuple[str, str, int, int]], dict[str, str]]:
    return run.code, run.findings(), run.errors


def reference(project: Path) -> tuple[int, list[tuple[str, str, int, int]], dict[str, str]]:
    """The report of a normal run (no cache): what every degraded run must still produce."""
    return full_report(audit(project, isolated=False))


def make_read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode
        path.chmod(stat.S_IMODE(mode) & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def make_writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(stat.S_IMODE(path.lstat().st_mode) | stat.S_IWUSR)


def test_read_only_project_gives_the_full_report_and_one_warning(tmp_path: Path) -> None:
    prefix = drop_dac_prefix()
    if prefix is None:
        pytest.skip("running as root without setpriv: a read-only project is writable by root")
    project = ml_project(tmp_path / "project")
    expected = reference(project)
    make_read_only(project)
    try:
        before = tree_digest(project)
        # With the cache on (no --no-cache): every entry fails to be written.
        run = audit(project, isolated=False, cache=True, prefix=prefix)
        assert tree_digest(project) == before
    finally:
        make_writable(project)
    assert full_report(run) == expected
    assert run.report is not None
    assert run.report["warnings"] == [
        f"cache directory {project.resolve() / '.mlaudit_cache'} is not writable: results were not cached"
    ]


def test_cache_dir_that_cannot_be_created_is_one_warning(tmp_path: Path) -> None:
    """Works even for root: no one can create a directory below a regular file."""
    project = ml_project(tmp_path / "project")
    expected = reference(project)
    (project / "blocker").write_text("a file, not a directory\n")
    before = tree_digest(project)
    run = audit(project, "--cache-dir", "blocker/cache", isolated=False, cache=True)
    assert tree_digest(project) == before
    assert full_report(run) == expected
    assert run.report is not None
    assert run.report["warnings"] == [
        f"cache directory {project.resolve() / 'blocker' / 'cache'} is not writable: results were not cached"
    ]
    text = audit(project, "--cache-dir", "blocker/cache", isolated=False, cache=True, fmt="full")
    assert (text.stdout + text.stderr).count("is not writable") == 1


def test_read_only_cache_directory_is_one_warning(tmp_path: Path) -> None:
    prefix = drop_dac_prefix()
    if prefix is None:
        pytest.skip("running as root without setpriv: a read-only directory is writable by root")
    project = ml_project(tmp_path / "project")
    expected = reference(project)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o555)
    try:
        run = audit(project, "--cache-dir", str(cache), isolated=False, cache=True, prefix=prefix)
    finally:
        cache.chmod(0o755)
    assert list(cache.iterdir()) == []
    assert full_report(run) == expected
    assert run.report is not None
    assert run.report["warnings"] == [f"cache directory {cache} is not writable: results were not cached"]
