"""File-system facts the audit reads at the edge: the repository's files (not only Python), the small
configuration files it looks into (dependencies, tools, CI), and large files in git history.

Everything here reads files or runs ``git`` read-only; the checks are pure functions over the result.
Nothing is imported, executed or fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "env",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".mlaudit_cache",
        ".ipynb_checkpoints",
        "site-packages",
        ".eggs",
    }
)
MAX_FILES = 50_000
MAX_TEXT = 512_000
# Small text files whose content the checks read (matched against the relative path).
_TEXT_GLOBS = (
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "tox.ini",
    "noxfile.py",
    "Makefile",
    "justfile",
    ".flake8",
    "mypy.ini",
    ".mypy.ini",
    "pyrightconfig.json",
    "ruff.toml",
    ".ruff.toml",
    ".pylintrc",
    "pylintrc",
    ".pre-commit-config.yaml",
    ".pre-commit-config.yml",
    "requirements*.txt",
    "requirements/*.txt",
    "*requirements*.in",
    "environment.yml",
    "environment.yaml",
    "conda.yaml",
    "Pipfile",
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".gitlab-ci.yml",
    ".circleci/config.yml",
    "azure-pipelines.yml",
    "Jenkinsfile",
    ".travis.yml",
    "bitbucket-pipelines.yml",
    "dvc.yaml",
    ".gitattributes",
)


@dataclass(frozen=True)
class LargeFile:
    path: str
    size: int


@dataclass
class RepoFiles:
    root: Path
    files: list[str] = field(default_factory=list)
    """Every file under the root (relative, POSIX), tool and environment folders left out."""
    texts: dict[str, str] = field(default_factory=dict)
    """Content of the small configuration files the checks read."""
    git: bool = False
    """Whether ``git`` history could be read."""
    large_files: list[LargeFile] = field(default_factory=list)
    truncated: bool = False

    def matching(self, *globs: str) -> list[str]:
        return [f for f in self.files if any(fnmatchcase(f, g) for g in globs)]

    def text_matching(self, *globs: str) -> dict[str, str]:
        return {f: t for f, t in self.texts.items() if any(fnmatchcase(f, g) for g in globs)}


def _walk(root: Path) -> tuple[list[str], bool]:
    """Relative paths of the files under ``root`` (tool and environment folders left out), and whether
    the listing stopped at ``MAX_FILES``."""
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.endswith(".egg-info"))
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        files += [prefix + name for name in sorted(filenames)]
        if len(files) >= MAX_FILES:
            return files[:MAX_FILES], True
    return files, False


def gather(root: Path, *, large_file_mb: float = 5.0, use_git: bool = True) -> RepoFiles:
    files, truncated = _walk(root)
    out = RepoFiles(root=root, files=files, truncated=truncated)
    for rel in files:
        text = _read_text(root / rel) if any(fnmatchcase(rel, g) for g in _TEXT_GLOBS) else None
        if text is not None:
            out.texts[rel] = text
    large = git_large_files(root, int(large_file_mb * 1_000_000)) if use_git else None
    if large is not None:
        out.git, out.large_files = True, large
    return out


def _read_text(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_TEXT:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _git(
    root: Path, *args: str, stdin: str | None = None, timeout: float = 60.0
) -> subprocess.CompletedProcess[str]:
    """Run a read-only git command in ``root``: never fetch (a partial clone would download missing blobs
    lazily), never prompt, never take a lock."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1"}
    git = shutil.which("git") or "git"
    return subprocess.run(
        [git, "-C", str(root), *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=env,
        check=False,
    )  # fmt: skip


def git_large_files(root: Path, threshold: int) -> list[LargeFile] | None:
    """Blobs over ``threshold`` bytes anywhere in the history of the files under ``root`` (largest
    first, one entry per path); None when ``git`` or the repository is not there. Blobs missing from
    the clone (a shallow or filtered copy) are skipped."""
    if shutil.which("git") is None:
        return None
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        objects = _git(root, "rev-list", "--objects", "--all", "--missing=print", "--", ".")
        if objects.returncode != 0:
            return None
        prefix = _git(root, "rev-parse", "--show-prefix").stdout.strip()
        present = "".join(line + "\n" for line in objects.stdout.splitlines() if not line.startswith("?"))
        sizes = _git(root, "cat-file", "--batch-check=%(objecttype) %(objectsize) %(rest)", stdin=present)
    except (OSError, subprocess.SubprocessError):
        return None
    return _largest(sizes.stdout, threshold, prefix)


def _largest(batch_check: str, threshold: int, prefix: str) -> list[LargeFile]:
    """``git cat-file --batch-check`` lines (``type size path``) -> blobs over ``threshold`` under
    ``prefix``, largest first, the largest version of each path."""
    best: dict[str, int] = {}
    for line in batch_check.splitlines():
        kind, _, rest = line.partition(" ")
        size, _, path = rest.partition(" ")
        if kind == "blob" and path.startswith(prefix) and size.isdigit() and int(size) >= threshold:
            rel = path[len(prefix) :]
            best[rel] = max(int(size), best.get(rel, 0))
    return [LargeFile(p, s) for p, s in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))]
