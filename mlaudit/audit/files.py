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


def gather(root: Path, *, large_file_mb: float = 5.0, use_git: bool = True) -> RepoFiles:
    out = RepoFiles(root=root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.endswith(".egg-info"))
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        for name in sorted(filenames):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            out.files.append(rel)
            if len(out.files) >= MAX_FILES:
                out.truncated = True
                break
        if out.truncated:
            break
    for rel in out.files:
        if any(fnmatchcase(rel, g) for g in _TEXT_GLOBS):
            text = _read_text(root / rel)
            if text is not None:
                out.texts[rel] = text
    if use_git:
        large = git_large_files(root, int(large_file_mb * 1_000_000))
        if large is not None:
            out.git = True
            out.large_files = large
    return out


def _read_text(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_TEXT:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def git_large_files(root: Path, threshold: int, timeout: float = 60.0) -> list[LargeFile] | None:
    """Blobs over ``threshold`` bytes anywhere in the history of the files under ``root`` (largest
    first, one entry per path); None when ``git`` or the repository is not there."""
    git = shutil.which("git")
    if git is None:
        return None
    # Never fetch (a partial clone would lazily download missing blobs), never prompt, never lock.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1"}
    try:
        inside = subprocess.run(
            [git, "-C", str(root), "rev-parse", "--is-inside-work-tree"],
            capture_output=True, text=True, timeout=timeout, env=env, check=False,
        )  # fmt: skip
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        objects = subprocess.run(
            [git, "-C", str(root), "rev-list", "--objects", "--all", "--missing=print", "--", "."],
            capture_output=True, text=True, timeout=timeout, env=env, check=False,
        )  # fmt: skip
        if objects.returncode != 0:
            return None
        prefix = subprocess.run(
            [git, "-C", str(root), "rev-parse", "--show-prefix"],
            capture_output=True, text=True, timeout=timeout, env=env, check=False,
        ).stdout.strip()  # fmt: skip
        sizes = subprocess.run(
            [git, "-C", str(root), "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize) %(rest)"],
            input="".join(line + "\n" for line in objects.stdout.splitlines() if not line.startswith("?")),
            capture_output=True, text=True, timeout=timeout, env=env, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    best: dict[str, int] = {}
    for line in sizes.stdout.splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 4 or parts[1] != "blob":
            continue
        size, path = int(parts[2]), parts[3]
        if size < threshold or not path:
            continue
        if prefix and not path.startswith(prefix):
            continue
        rel = path[len(prefix) :]
        best[rel] = max(size, best.get(rel, 0))
    return [LargeFile(p, s) for p, s in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))]
