"""Find the files to analyse: ``.py`` and ``.ipynb`` under the given paths, minus excludes and
gitignored files; module names from package roots; module roles from path globs."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mlaudit.config.schema import DEFAULT_EXCLUDES, Settings
from mlaudit.engine.globs import Globs, normalized
from mlaudit.engine.vendored import THIRD_PARTY_PACKAGES, project_additions, vendored_folder
from mlaudit.project.programs import folder_program

SUFFIXES = (".py", ".pyi", ".ipynb")


class DiscoveryError(Exception):
    """A usage error such as a path that does not exist (exit code 2)."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    """Absolute path."""
    rel: str
    """Project-relative POSIX path (what reports show)."""
    module: str
    roles: frozenset[str]
    is_package: bool
    is_notebook: bool
    program: str = ""
    """Project-relative folder of the program the file belongs to (``mlaudit.project.programs``)."""
    mirror: bool = False
    """A ``.py`` export of the notebook beside it (``mlaudit.project.programs.is_mirror``)."""


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(relative path, message) for entries that exist but cannot be read as files (dangling links)."""
    vendored: list[tuple[str, str, int]] = field(default_factory=list)
    """(relative folder, why, number of Python files) for each vendored folder skipped."""


def _spec(patterns: Iterable[str]) -> Globs:
    return Globs(patterns)


_MAIN_GUARD = re.compile(r"^if\s+__name__\s*==", re.M)
_DEFINITION = re.compile(r"^(?:async\s+def|def|class)\s", re.M)


def _reads_as_script(path: Path) -> bool:
    """A module written to be run: a main guard, or module-level code with no function or class."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(_MAIN_GUARD.search(text)) or not _DEFINITION.search(text)


def relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, root)).as_posix()


def _prefix(folder: Path) -> str:
    """The text every path below ``folder`` starts with."""
    text = str(folder)
    return text if text.endswith("/") else text + "/"


class _Gitignores:
    """``.gitignore`` files found while walking (each applies below its own directory) plus
    ``.git/info/exclude`` of the project root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.specs: dict[Path, Globs] = {}
        self._prefixes: dict[Path, str] = {}
        exclude = root / ".git" / "info" / "exclude"
        lines: list[str] = []
        if exclude.is_file():
            lines += self._read(exclude)
        if (root / ".gitignore").is_file():
            lines += self._read(root / ".gitignore")
        if lines:
            self.specs[root] = _spec(lines)

    @staticmethod
    def _read(path: Path) -> list[str]:
        try:
            return path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []

    def add_dir(self, directory: Path) -> None:
        if directory != self.root and directory not in self.specs and (directory / ".gitignore").is_file():
            self.specs[directory] = _spec(self._read(directory / ".gitignore"))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        text = str(path)
        for base, spec in self.specs.items():
            prefix = self._prefixes.get(base)
            if prefix is None:
                prefix = self._prefixes[base] = _prefix(base)
            if text.startswith(prefix) and os.sep == "/":  # below ``base`` (these paths are normalised)
                rel = text[len(prefix) :]
            elif base == path or base not in path.parents:
                continue
            else:
                rel = path.relative_to(base).as_posix()
            if spec.match_file(rel + ("/" if is_dir else "")):
                return True
        return False


class Finder:
    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings
        # The built-in excludes (run folders such as `wandb/`, `outputs/`, build trees) are guesses about
        # what is not source code: they never hide a Python package (a folder with `__init__.py`), which
        # is first-party code whatever its name. Excludes the user wrote are applied as written.
        defaults = settings.exclude == DEFAULT_EXCLUDES
        self.exclude = _spec(settings.extend_exclude if defaults else settings.all_excludes)
        self.default_exclude = _spec(DEFAULT_EXCLUDES) if defaults else None
        self.include = _spec(settings.include)
        self.gitignore = _Gitignores(root) if settings.respect_gitignore else None
        conditional = settings.conditional_experiment_patterns()
        self.roles = {
            role: _spec(p if role != "experiment" else [x for x in p if x not in conditional])
            for role, p in settings.role_patterns().items()
        }
        self.short_experiment = {p.strip("/") for p in conditional}
        self._script_folders: dict[str, bool] = {}
        self._listings: dict[str, frozenset[str]] = {}
        # Asked for every file, answered per folder: each folder's answer is computed once per run.
        self._bases: dict[Path, Path] = {}
        self._programs: dict[str, str | None] = {}
        self._folders: dict[Path, tuple[str, tuple[str, ...] | None]] = {}
        self._root_prefix = _prefix(root)
        self.src_roots = sorted(
            {(root / s).resolve() for s in settings.src}, key=lambda p: len(p.parts), reverse=True
        )

    # --- classification --------------------------------------------------------------------
    def excluded(self, path: Path, is_dir: bool) -> bool:
        rel = self.relpath(path)
        if rel.startswith("../"):
            rel = path.name
        key = rel + ("/" if is_dir else "")
        if self.exclude.match_file(key):
            return True
        if self._default_excluded(path, is_dir):
            return True
        return self.gitignore is not None and self.gitignore.ignored(path, is_dir)

    def _default_excluded(self, path: Path, is_dir: bool) -> bool:
        """The built-in patterns are names (no slash): matched against this entry's own name, since the
        walk never enters an excluded directory and ``excluded_explicit`` checks every parent."""
        if self.default_exclude is None or not self.default_exclude.match_file(
            path.name + ("/" if is_dir else "")
        ):
            return False
        return not (is_dir and (path / "__init__.py").is_file())

    def relpath(self, path: Path) -> str:
        """``relpath(path, self.root)``; for a path below the root (every file the walk finds) by
        slicing its text, which is what ``relative_to`` gives for these normalised paths."""
        text = str(path)
        if text.startswith(self._root_prefix) and os.sep == "/":
            return text[len(self._root_prefix) :]
        return relpath(path, self.root)

    def module_name(self, path: Path) -> tuple[str, bool]:
        """Dotted module name from package roots: walk up while ``__init__.py`` exists, else relative
        to the deepest configured source root (``src/`` layouts, namespace packages, scripts)."""
        is_package = path.stem == "__init__"
        base = self._bases.get(path.parent)
        if base is None:
            base = self._bases[path.parent] = self._module_base(path.parent)
        try:
            parts = list(path.relative_to(base).with_suffix("").parts)
        except ValueError:
            parts = [path.stem]
        return ".".join(parts[:-1] if is_package else parts), is_package

    def _module_base(self, directory: Path) -> Path:
        """The directory module names are relative to: the parent of the outermost package, unless a
        configured source root lies deeper."""
        src_base = next((s for s in self.src_roots if s == directory or s in directory.parents), None)
        package_base = self._package_base(directory)
        if package_base is None:
            return src_base or self.root
        deeper_src = src_base is not None and len(src_base.parts) > len(package_base.parts)
        return src_base if deeper_src and src_base is not None else package_base

    def _package_base(self, directory: Path) -> Path | None:
        """The parent of the outermost package containing ``directory`` (None outside packages)."""
        if not (directory / "__init__.py").is_file():
            return None
        top = directory
        while (top / "__init__.py").is_file() and top != self.root and top.parent != top:
            top = top.parent
        return top

    def vendored(self, path: Path) -> str | None:
        """Why the directory ``path`` is skipped as vendored third-party code (None: it is not)."""
        if not self.settings.exclude_vendored or self.root not in path.parents:
            return None
        try:
            return vendored_folder(path, self.root)
        except OSError:  # an unreadable folder: the walk reports it
            return None

    def excluded_explicit(self, path: Path) -> bool:
        """For ``--force-exclude``: the file or one of its directories below the root is excluded."""
        if self.excluded(path, False):
            return True
        return any(
            self.excluded(p, True) or self.vendored(p) is not None for p in path.parents if self.root in p.parents
        )

    def listing(self, folder: str) -> frozenset[str]:
        """The entry names of a project-relative folder (read once per run; empty if unreadable)."""
        names = self._listings.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(self.root / folder))
            except OSError:
                names = frozenset()
            self._listings[folder] = names
        return names

    def roles_of(self, rel: str) -> frozenset[str]:
        if normalized(rel):  # every discovered file's: normalised once for the nine sets
            roles = {role for role, spec in self.roles.items() if spec.match_normalized(rel)}
        else:
            roles = {role for role, spec in self.roles.items() if spec.match_file(rel)}
        if "experiment" not in roles and self._in_experiment_folder(rel):
            roles.add("experiment")
        return frozenset(roles)

    def _in_experiment_folder(self, rel: str) -> bool:
        """Below an ``exp/`` or ``exps/`` folder (``SHORT_EXPERIMENT_FOLDERS``) of experiment scripts, not
        the project's package of experiment runners."""
        parts = rel.split("/")[:-1]
        return any(
            name in self.short_experiment and self._holds_scripts("/".join(parts[: i + 1]))
            for i, name in enumerate(parts)
        )

    def _holds_scripts(self, folder: str) -> bool:
        """A folder of experiment scripts: not a package, and some module in it (or one folder down) is run
        rather than imported (a main guard, or no function or class at all). LTSF-Linear's `exp/` (no `__init__.py`)
        holds only the `Exp_*` classes its run script imports."""
        held = self._script_folders.get(folder)
        if held is None:
            names = self.listing(folder)
            modules = [f"{folder}/{n}" for n in sorted(names) if n.endswith(".py")]
            for sub in sorted(n for n in names if "." not in n):  # `exps/exp001/train.py`
                modules += [f"{folder}/{sub}/{n}" for n in sorted(self.listing(f"{folder}/{sub}")) if n.endswith(".py")]
            held = "__init__.py" not in names and any(_reads_as_script(self.root / m) for m in modules)
            self._script_folders[folder] = held
        return held

    def _program(self, rel: str) -> str:
        """``programs.program_root`` of the file ``rel``, from its folder's answer."""
        folder = rel.rpartition("/")[0]
        if folder not in self._programs:
            self._programs[folder] = folder_program(folder, self.listing)
        found = self._programs[folder]
        return rel if found is None else found

    def source_file(self, path: Path) -> SourceFile:
        """The file's record. What depends only on its folder (the folder's relative path, its module
        prefix, its program) is computed once per folder: discovery asks this for every project file."""
        parent = path.parent
        folder = self._folders.get(parent)
        if folder is None:
            folder = self._folders[parent] = self._folder(parent)
        folder_rel, prefix = folder
        rel = f"{folder_rel}/{path.name}" if folder_rel else path.name
        stem = path.stem
        is_package = stem == "__init__"
        if prefix is None:  # outside its module base (an explicit file elsewhere): as ``module_name``
            module = "" if is_package else stem
        else:
            module = ".".join(prefix if is_package else (*prefix, stem))
        return SourceFile(
            path=path,
            rel=rel,
            module=module,
            roles=self.roles_of(rel),
            is_package=is_package,
            is_notebook=path.suffix == ".ipynb",
            program=self._program(rel),
            mirror=path.suffix == ".py" and f"{stem}.ipynb" in self.listing(folder_rel),  # ``is_mirror``
        )

    def _folder(self, directory: Path) -> tuple[str, tuple[str, ...] | None]:
        """(relative path, "" for the root; the module name parts of the folder, None when the folder
        is outside its module base) of a folder holding discovered files: ``module_name``'s answer for
        a file in it is these parts plus the file's stem (without it for ``__init__``)."""
        rel = self.relpath(directory)
        base = self._bases.get(directory)
        if base is None:
            base = self._bases[directory] = self._module_base(directory)
        try:
            parts: tuple[str, ...] | None = directory.relative_to(base).parts
        except ValueError:
            parts = None
        return ("" if rel == "." else rel), parts

    # --- walking ---------------------------------------------------------------------------
    def walk(self, directory: Path, out: Discovery) -> Iterator[Path]:
        """Files below ``directory`` in sorted order; directory symlinks are followed once."""
        seen: set[tuple[int, int]] = set()
        stack = [directory]
        while stack:
            current = stack.pop()
            entries = self._enter(current, seen, out)
            subdirs: list[Path] = []
            for entry in entries:
                yield from self._classify(entry, subdirs, out)
            stack.extend(reversed(subdirs))

    def _enter(self, current: Path, seen: set[tuple[int, int]], out: Discovery) -> list[os.DirEntry[str]]:
        """The sorted entries of a directory not visited before (a loop or an unreadable one gives none)."""
        where = relpath(current, self.root)
        try:
            st = current.stat()
            key = (st.st_dev, st.st_ino)
            if key in seen:
                out.warnings.append(f"{where}: directory symlink loop, not followed")
                return []
            seen.add(key)
            if self.gitignore is not None:
                self.gitignore.add_dir(current)
            return sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            # An error, not a warning: the files in it are unknown, so the run cannot be clean.
            out.problems.append((where, f"cannot read directory: {exc.strerror}"))
            return []

    def _classify(self, entry: os.DirEntry[str], subdirs: list[Path], out: Discovery) -> Iterator[Path]:
        """Yield ``entry`` if it is a file to analyse; queue it in ``subdirs`` if it is a directory to walk."""
        path = Path(entry.path)
        if _is_dir(entry):
            subdirs += self._to_walk(entry, path, out)
            return
        if not entry.name.endswith(SUFFIXES) or self.excluded(path, False):
            return
        if entry.is_symlink() and not path.exists():
            out.problems.append((relpath(path, self.root), "dangling symlink: target does not exist"))
        elif self.include.match_file(entry.name):
            yield path

    def _to_walk(self, entry: os.DirEntry[str], path: Path, out: Discovery) -> list[Path]:
        """The directory itself, nothing, or for a vendored copy the project's own packages inside it."""
        why = None if self.excluded(path, True) else self.vendored(path)
        if why is None:
            return [path] if self._walkable(entry, path, out) else []
        try:
            kept = project_additions(path) if path.name in THIRD_PARTY_PACKAGES else []
        except OSError:
            kept = []
        skipped = _count_sources(path) - sum(_count_sources(k) for k in kept)
        out.vendored.append((relpath(path, self.root), why, skipped))
        out.warnings += [
            f"{relpath(k, self.root)}/ analysed although inside the vendored {relpath(path, self.root)}/: "
            "it holds data files, so it is the project's own code added to the copy"
            for k in kept
        ]
        return kept

    def _walkable(self, entry: os.DirEntry[str], path: Path, out: Discovery) -> bool:
        if self.excluded(path, True):
            return False
        if entry.is_symlink() and self._loops(path):
            out.warnings.append(f"{relpath(path, self.root)}: directory symlink loop, not followed")
            return False
        return True

    @staticmethod
    def _loops(path: Path) -> bool:
        try:
            target = path.resolve()
        except (OSError, RuntimeError):
            return True
        return target == path.parent.resolve() or target in path.parent.resolve().parents


def discover(
    paths: Sequence[Path], root: Path, settings: Settings, *, force_exclude: bool = False
) -> Discovery:
    """Files under ``paths`` (default: the root). Explicit files are kept even when excluded, unless
    ``force_exclude``; a path that does not exist is a usage error."""
    finder = Finder(root, settings)
    force = force_exclude or settings.force_exclude
    out = Discovery()
    found: dict[Path, None] = {}
    for raw in paths or [root]:
        path = Path(os.path.normpath(raw if raw.is_absolute() else Path.cwd() / raw))
        if path.is_dir():
            found.update(dict.fromkeys(finder.walk(path, out)))
        elif path.exists():
            found.update(dict.fromkeys(_explicit(finder, path, force)))
        elif path.is_symlink():
            out.problems.append((relpath(path, root), "dangling symlink: target does not exist"))
        else:
            raise DiscoveryError(f"{raw}: no such file or directory")
    out.files = sorted((finder.source_file(p) for p in found), key=lambda f: f.rel)
    out.warnings += [_vendored_warning(*v) for v in out.vendored if v[2]]
    return out


def _vendored_warning(folder: str, why: str, count: int) -> str:
    return (
        f"skipped {count} file{'s' if count != 1 else ''} in {folder}/ as {why}; "
        "set `exclude-vendored = false` to analyse them"
    )


def _count_sources(directory: Path) -> int:
    """The Python files and notebooks below a skipped folder (for the summary; links are not followed)."""
    return sum(name.endswith(SUFFIXES) for _, _, names in os.walk(directory) for name in names)


def _explicit(finder: Finder, path: Path, force: bool) -> list[Path]:
    """An explicitly passed file: analysed unless it is not Python or ``--force-exclude`` excludes it."""
    if path.suffix not in SUFFIXES or (force and finder.excluded_explicit(path)):
        return []
    return [path]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def is_within(path: PurePosixPath | str, patterns: Sequence[str]) -> bool:
    return _spec(patterns).match_file(str(path))
