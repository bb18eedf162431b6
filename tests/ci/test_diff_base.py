"""--diff-base REF: only findings absent at a git revision are reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mlaudit import gitdiff
from tests.ci.conftest import commit_all, git, write

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CONFIG = {"mlaudit.toml": 'select = ["XCI", "MLA0"]\n'}
BASE = {
    **CONFIG,
    "pkg/__init__.py": "",
    "pkg/a.py": "def f():\n    return legacy_call(1)\n",
    "pkg/b.py": "import shared_dep\n",
    "pkg/c.py": "import shared_dep\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root, BASE)
    commit_all(root, "base")
    return root


def _findings(
    run: Any, root: Path, *args: str
) -> tuple[int, list[tuple[str, int, str]], dict[str, Any], str]:
    result = run("check", ".", "--output-format", "json", "--diff-base", *args, cwd=root, isolated=False)
    assert result.code != 2, result.err
    report = json.loads(result.out)
    rows = [(f["filename"], f["location"]["row"], f["code"]) for f in report["findings"]]
    return result.code, rows, report["summary"], result.err


def test_nothing_new(repo: Path, run: Any) -> None:
    code, rows, summary, err = _findings(run, repo, "HEAD")
    assert (code, rows) == (0, [])
    assert summary["baselined"] == 2  # XCI001 in a.py, XCI002 (a.py... b.py/c.py)
    assert "2 findings already present there not reported; 0 new" in err


def test_new_finding_in_a_commit_and_staged(repo: Path, run: Any) -> None:
    write(repo, {"pkg/d.py": "legacy_call(4)\n"})
    git(repo, "add", "pkg/d.py")  # staged is fine (pre-commit checks the index)
    code, rows, _, _ = _findings(run, repo, "HEAD")
    assert (code, rows) == (1, [("pkg/d.py", 1, "XCI001")])
    commit_all(repo, "add d")
    assert _findings(run, repo, "HEAD~1")[1] == [("pkg/d.py", 1, "XCI001")]
    assert _findings(run, repo, "HEAD")[1] == []


def test_untracked_files_are_new(repo: Path, run: Any) -> None:
    write(repo, {"pkg/new.py": "legacy_call()\n"})
    assert _findings(run, repo, "HEAD")[1] == [("pkg/new.py", 1, "XCI001")]


def test_moved_lines_are_not_new_but_a_second_copy_is(repo: Path, run: Any) -> None:
    write(repo, {"pkg/a.py": "import os\n\n\ndef f():\n    return legacy_call(1)\n"})
    commit_all(repo, "move")
    assert _findings(run, repo, "HEAD~1")[1] == []
    write(
        repo,
        {
            "pkg/a.py": "import os\n\n\ndef f():\n    return legacy_call(1)\n\n\ndef g():\n    return legacy_call(1)\n"
        },
    )
    commit_all(repo, "copy")
    assert _findings(run, repo, "HEAD~1")[1] == [("pkg/a.py", 9, "XCI001")]


def test_renamed_files_keep_their_findings(repo: Path, run: Any) -> None:
    git(repo, "mv", "pkg/a.py", "pkg/renamed.py")
    commit_all(repo, "rename")
    code, rows, summary, _ = _findings(run, repo, "HEAD~1")
    assert (code, rows) == (0, [])
    assert summary["baselined"] == 2


def test_renamed_and_edited_file(repo: Path, run: Any) -> None:
    """A rename is what git detects (similarity >= 50%, as `git diff -M`)."""
    body = "".join(f"def helper_{i}(x):\n    return x + {i}\n\n\n" for i in range(8))
    write(repo, {"pkg/a.py": body + "def f():\n    return legacy_call(1)\n"})
    commit_all(repo, "grow")
    git(repo, "mv", "pkg/a.py", "pkg/renamed.py")
    write(
        repo,
        {
            "pkg/renamed.py": body
            + "def f():\n    return legacy_call(1)\n\n\ndef g():\n    return legacy_call(2)\n"
        },
    )
    git(repo, "add", "-A")
    assert _findings(run, repo, "HEAD")[1] == [("pkg/renamed.py", 38, "XCI001")]


def test_current_configuration_applies_to_both_revisions(repo: Path, run: Any) -> None:
    write(repo, {"mlaudit.toml": 'select = ["MLA0"]\n'})
    commit_all(repo, "only meta rules")
    write(repo, {"mlaudit.toml": 'select = ["XCI", "MLA0"]\n'})
    commit_all(repo, "enable the probes")
    # Enabling a rule does not make the old code's findings "new": only code changes do.
    assert _findings(run, repo, "HEAD~1")[1] == []


def test_project_in_a_subdirectory(tmp_path: Path, run: Any) -> None:
    root = tmp_path / "mono"
    root.mkdir()
    git(root, "init", "-q")
    write(root / "services" / "ml", BASE)
    write(root, {"README.md": "hi\n"})
    commit_all(root, "base")
    write(root / "services" / "ml", {"pkg/d.py": "legacy_call()\n"})
    write(root, {"other/x.py": "dirty = 1\n"})
    commit_all(root, "more")
    project = root / "services" / "ml"
    assert _findings(run, project, "HEAD~1")[1] == [("pkg/d.py", 1, "XCI001")]


def test_leaves_the_repository_untouched(repo: Path, run: Any) -> None:
    write(repo, {"pkg/d.py": "legacy_call()\n"})
    status = git(repo, "status", "--porcelain")
    _findings(run, repo, "HEAD")
    assert git(repo, "worktree", "list").count("\n") == 1
    assert git(repo, "status", "--porcelain") == status
    assert not list(repo.glob("**/.mlaudit_cache"))


# --- refusals -----------------------------------------------------------------------------------------


def test_unstaged_changes_are_compared_as_they_are(repo: Path, run: Any) -> None:
    """Editing without staging: the working tree is what is compared with the ref (not refused)."""
    before = run("check", ".", "--diff-base", "HEAD", cwd=repo, isolated=False)
    assert before.code == 0, before.err
    write(repo, {"pkg/b.py": "import shared_dep\nlegacy_call()\nlegacy_call()\n"})
    result = run("check", ".", "--diff-base", "HEAD", cwd=repo, isolated=False)
    assert result.code == 1, result.err
    assert "pkg/b.py" in result.out and "Traceback" not in result.err


def test_unknown_ref(repo: Path, run: Any) -> None:
    result = run("check", ".", "--diff-base", "no-such-branch", cwd=repo, isolated=False)
    assert result.code == 2 and "unknown git ref `no-such-branch`" in result.err
    result = run("check", ".", "--diff-base=--output=x", cwd=repo, isolated=False)
    assert result.code == 2 and "invalid git ref" in result.err


def test_not_a_repository(tmp_path: Path, run: Any) -> None:
    root = write(tmp_path / "plain", BASE)
    result = run("check", ".", "--diff-base", "HEAD", cwd=root, isolated=False)
    assert result.code == 2 and "needs a git repository" in result.err


def test_parsers() -> None:
    assert gitdiff._renames("M\0a.py\0R087\0old.py\0new.py\0A\0n.py\0") == {"old.py": "new.py"}
    assert gitdiff._common_dir(["a/b", "a/b/c", "a/b"]) == "a/b"
    assert gitdiff._common_dir(["a/b", "x"]) == "."
    assert gitdiff._common_dir(["."]) == "."


def test_export_streams_only_what_the_analysis_reads(repo: Path, tmp_path: Path) -> None:
    write(repo, {"data/train.csv": "a,b\n1,2\n", "pkg/notes.md": "x\n", ".gitignore": "*.pkl\n"})
    (repo / "model.bin").write_bytes(b"\x00" * 1024)
    sha = commit_all(repo, "data")
    git(repo, "mv", "pkg/a.py", "pkg/moved.py")
    base = gitdiff.prepare("HEAD", repo)
    assert base.sha == sha and base.renames == {"pkg/a.py": "pkg/moved.py"}
    dest = tmp_path / "out"
    dest.mkdir()
    gitdiff.export(base, ".", dest, gitdiff.wanted_by(("*.py", "*.pyi", "*.ipynb")))
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert files == [".gitignore", "mlaudit.toml", "pkg/__init__.py", "pkg/b.py", "pkg/c.py", "pkg/moved.py"]
