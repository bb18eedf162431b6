"""``--diff-base REF``: report only findings that are absent at git revision ``REF``.

Comparing *findings* of two revisions, not filtering by changed lines (flake8 removed ``--diff``
because a change on one line can create a finding on an unchanged one, e.g. the use of an import
deleted): the project at ``REF`` is exported with ``git archive`` into a temporary directory (read
only for the repository: no worktree registration, no index lock, nothing left behind), analysed with
the *current* configuration, and the current findings are compared with it by fingerprint as a
multiset (a second copy of an old problem is new).

Renames: ``git diff --name-status -M REF`` pairs old and new paths, and the exported files are moved
to their new paths before the analysis, so a renamed file's findings carry the same path (and thus the
same fingerprint, which hashes the path) in both runs.

The current side is the working tree as it is, staged or not (what the user is editing, as ruff and
diff-cover compare); untracked files are analysed and count as new. Refused with a usage error: not a
git repository, an unknown ref.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import IO, Any

from mlaudit.model import Finding, Report

_GIT_ENV = {"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
"""Untranslated messages, never a credentials prompt, no optional locks (`git status` would refresh the index)."""


class DiffBaseError(Exception):
    """A usage error: the CLI prints it and exits 2."""


@dataclass
class DiffBase:
    ref: str
    sha: str
    toplevel: Path
    renames: dict[str, str] = field(default_factory=dict)
    """Old -> new path, relative to ``toplevel`` (POSIX)."""

    @property
    def short(self) -> str:
        return self.sha[:12]


def _git_env() -> dict[str, str]:
    return {**os.environ, **_GIT_ENV}


def _git(args: Sequence[str], cwd: Path, *, text: bool = True) -> subprocess.CompletedProcess[Any]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=text, env=_git_env(), check=False, timeout=600
        )
    except FileNotFoundError:
        raise DiffBaseError("--diff-base needs git, and `git` is not on PATH") from None
    except subprocess.TimeoutExpired:
        raise DiffBaseError(f"--diff-base: `git {' '.join(args)}` timed out") from None


def _rel(path: Path, toplevel: Path) -> str:
    return PurePosixPath(path.resolve().relative_to(toplevel).as_posix()).as_posix()


def prepare(ref: str, root: Path) -> DiffBase:
    """Validate the repository and the ref; collect renames (REF to the working tree). Raises DiffBaseError."""
    if not ref or ref.startswith("-"):
        raise DiffBaseError(f"--diff-base: invalid git ref {ref!r}")
    toplevel = _toplevel(root)
    sha = _commit(ref, root)
    scope = _rel(root, toplevel)
    pathspec = ["--", scope] if scope != "." else []
    diff = _git(["diff", "--name-status", "-M", "-z", sha, "--", *pathspec[1:]], toplevel)
    if diff.returncode != 0:
        raise DiffBaseError(f"--diff-base: `git diff` failed: {diff.stderr.strip()}")
    return DiffBase(ref=ref, sha=sha, toplevel=toplevel, renames=_renames(diff.stdout))


def _toplevel(root: Path) -> Path:
    top = _git(["rev-parse", "--show-toplevel"], root)
    if top.returncode != 0:
        raise DiffBaseError(f"--diff-base needs a git repository, and {root} is not inside one")
    return Path(top.stdout.strip()).resolve()


def _commit(ref: str, root: Path) -> str:
    """The full SHA of the commit ``ref`` names."""
    rev = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    if rev.returncode != 0 or not rev.stdout.strip():
        raise DiffBaseError(
            f"--diff-base: unknown git ref `{ref}` (a branch, tag or commit; in a shallow CI clone fetch it "
            "first, e.g. `git fetch --depth=1 origin main`)"
        )
    return str(rev.stdout.strip())


def _renames(name_status: str) -> dict[str, str]:
    items = name_status.split("\0")
    renames = {}
    i = 0
    while i < len(items):
        status = items[i]
        if not status:
            i += 1
            continue
        if status[0] in "RC":
            old, new = items[i + 1], items[i + 2]
            if status[0] == "R":
                renames[old] = new
            i += 3
        else:
            i += 2
    return renames


# --- exporting and analysing REF -----------------------------------------------------------------


def _safe_member(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """Regular files and directories inside ``dest`` only (links and odd members are skipped)."""
    data_filter: Callable[[tarfile.TarInfo, str], tarfile.TarInfo] | None = getattr(
        tarfile, "data_filter", None
    )
    if data_filter is not None:
        try:
            member = data_filter(member, dest)
        except tarfile.FilterError:
            return None
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
        return None
    return member


_ALWAYS = frozenset({".gitignore", "pyproject.toml", "mlaudit.toml", ".mlaudit.toml"})


def wanted_by(include: Sequence[str]) -> Callable[[str], bool]:
    """Which exported files the analysis can read: the ``include`` globs (``*.py``...) and the files
    that shape discovery and configuration. Data files and model binaries are skipped."""

    def wanted(name: str) -> bool:
        base = PurePosixPath(name).name
        return base in _ALWAYS or any(fnmatch(base, g) or fnmatch(name, g) for g in include)

    return wanted


def export(base: DiffBase, scope: str, dest: Path, wanted: Callable[[str], bool] = lambda name: True) -> None:
    """Write the tree of ``base.sha`` (below ``scope``) into ``dest``, renamed files at their new paths.

    ``git archive`` is streamed (never held in memory); only ``wanted`` regular files are written.
    """
    args = ["git", "archive", "--format=tar", base.sha]
    if scope != ".":
        args += ["--", scope]
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            args, cwd=base.toplevel, stdout=subprocess.PIPE, stderr=errors, env=_git_env()
        )
        assert proc.stdout is not None
        try:
            _extract(proc.stdout, dest, wanted)
        except tarfile.TarError as exc:
            proc.kill()
            proc.wait()
            message = _read_errors(errors) or str(exc)
            raise DiffBaseError(f"--diff-base: `git archive {base.ref}` failed: {message}") from None
        finally:
            proc.stdout.close()
        if proc.wait() != 0:
            raise DiffBaseError(f"--diff-base: `git archive {base.ref}` failed: {_read_errors(errors)}")
    _move_renamed(base.renames, dest)


def _extract(stream: IO[bytes], dest: Path, wanted: Callable[[str], bool]) -> None:
    """Write the ``wanted`` regular files of the tar ``stream`` (read once, front to back) below ``dest``."""
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            safe = _safe_member(member, str(dest))
            if safe is None or not safe.isfile() or not wanted(safe.name):
                continue
            source = tar.extractfile(safe)
            if source is None:
                continue
            target = dest / safe.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)


def _read_errors(errors: IO[bytes]) -> str:
    """What git wrote to its stderr file."""
    errors.seek(0)
    return errors.read().decode("utf-8", "replace").strip()


def _move_renamed(renames: dict[str, str], dest: Path) -> None:
    """Move exported files to their current paths, so that their findings have today's fingerprints."""
    for old, new in renames.items():
        src, dst = dest / old, dest / new
        if src.is_file() and not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            src.replace(dst)


def analyse(
    base: DiffBase,
    root: Path,
    paths: Sequence[Path],
    options: Any,
    config_path: Path | None,
    check: Callable[[Sequence[Path], Any], Report],
    include: Sequence[str] = ("*.py", "*.pyi", "*.ipynb"),
) -> Report | None:
    """The report of the project at ``base`` with the current configuration; None if no path existed there.

    ``root`` is the project root, ``options`` the run's ``api.CheckOptions``, ``config_path`` the config
    file in effect (None: built-in defaults), ``check`` is ``api.check`` (passed in to keep this
    module free of the engine) and ``include`` the source globs of the settings.
    """
    _require_inside([root, *paths, *([config_path] if config_path else [])], base.toplevel)
    rels = [_rel(p, base.toplevel) for p in paths]
    scope = _export_scope(root, paths, base.toplevel)
    with tempfile.TemporaryDirectory(prefix="mlaudit-diff-base-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        export(base, scope, tree, wanted_by(include))
        changes = _options_at_base(options, config_path, tree, base.toplevel)
        mapped = [tree / r if r != "." else tree for r in rels]
        mapped = [m for m in mapped if m.exists()]
        if not mapped:
            return None
        return check(mapped, dataclasses.replace(options, **changes))


def _require_inside(paths: Sequence[Path], toplevel: Path) -> None:
    for p in paths:
        try:
            p.resolve().relative_to(toplevel)
        except ValueError:
            raise DiffBaseError(f"--diff-base: {p} is outside the git repository {toplevel}") from None


def _export_scope(root: Path, paths: Sequence[Path], toplevel: Path) -> str:
    """The one directory to export: the deepest one holding the project root and every checked path."""
    dirs = [_rel(root, toplevel)] + [_rel(p if p.is_dir() else p.parent, toplevel) for p in paths]
    return _common_dir(dirs)


def _options_at_base(options: Any, config_path: Path | None, tree: Path, toplevel: Path) -> dict[str, Any]:
    """The changes to ``options`` for the run on the exported ``tree``."""
    changes: dict[str, Any] = {"config_path": None, "isolated": True}
    if config_path is not None:
        # The current configuration for both runs: only changes in the code count as new.
        ref_config = tree / _rel(config_path, toplevel)
        ref_config.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config_path, ref_config)
        changes = {"config_path": ref_config, "isolated": False}
    if "no_cache" in {f.name for f in dataclasses.fields(options)}:
        changes["no_cache"] = True  # the temporary tree would only pollute the cache
    return changes


def _common_dir(dirs: Sequence[str]) -> str:
    """The deepest directory holding every one of ``dirs`` (``.`` for the whole repository)."""
    parts = [PurePosixPath(d).parts if d != "." else () for d in dirs]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    if any(len(p) < len(common) for p in parts):
        common = common[: min(len(p) for p in parts)]
    return "/".join(common) or "."


def new_findings(
    current: Sequence[Finding], at_base: Sequence[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """(new, preexisting): a multiset match by fingerprint (N old copies absorb at most N current ones)."""
    pool = Counter((f.code, f.filename, f.fingerprint) for f in at_base)
    new, old = [], []
    for f in current:
        key = (f.code, f.filename, f.fingerprint)
        if pool[key] > 0:
            pool[key] -= 1
            old.append(f)
        else:
            new.append(f)
    return new, old
