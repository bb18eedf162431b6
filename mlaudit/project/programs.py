"""Programs: the independent programs a repository may hold (rule contract, section "Programs").

A folder below the project root with its own packaging (``pyproject.toml``, ``setup.py``, ``setup.cfg``,
``requirements*.txt``, ``environment.yml``, ``Pipfile``) or a run entry of its own (an MLflow
``MLproject``; a ``main.py``/``run.py`` or a script named after the folder, in a folder that is not a
package and not a conventional source, script or notebook folder) is a program of its own: a course with
one folder per lesson, a collection of example projects. Every file belongs to its innermost program;
``""`` is the project root's.

So is one of a numbered series of sibling folders (``lab01``, ``lab02``; ``week1``, ``week2``;
``01-intro``, ``02-tracking``), a versioned copy of a sibling (``notebooks_v1`` beside ``notebooks``), or
a folder holding its own copy of a package that a sibling folder holds too (``starter/recommender/``
beside ``solution/recommender/``: two snapshots of one project, never run together).
A file with PEP 723 inline script metadata (``# /// script`` declaring its dependencies) is a program
of its own. Below a folder of examples (``examples/``, ``tutorials/``, ``docs/``...), each file outside a deeper
program folder is a program of its own.

Whole-project rules (drift, clones, cycles, layers) compare code within one program, and across two
programs only where one imports the other. Everything here is a pure function: discovery supplies the
directory listings (``program_root``), the project index the files' programs and imports
(``ProgramMap``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # discovery imports this module: a warm run builds no fact record
    from mlaudit.facts.model import FileFacts

PACKAGING_MARKERS: tuple[str, ...] = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "requirements*.txt",
    "environment.yml",
    "environment.yaml",
    "Pipfile",
    "MLproject",
)
"""File names (globs) that make their folder a program of its own."""

RUN_ENTRIES: tuple[str, ...] = ("main.py", "run.py")
"""Run entries that make a folder a program, unless it is a package or a conventional folder."""

EXAMPLE_FOLDERS = frozenset(
    {"examples", "example", "demos", "demo", "tutorials", "tutorial", "gallery", "samples", "docs", "doc"}
)  # fmt: skip
"""Folders of independent examples: each file below one (outside a deeper program folder) is a program
of its own (a library's example gallery: every script demonstrates something else, with its own values)."""

NOT_PROGRAM_FOLDERS = frozenset(
    {"src", "lib", "scripts", "script", "tools", "bin", "notebooks", "notebook", "tests", "test",
     "experiments", "docs", "doc", "examples"}
)  # fmt: skip
"""Folders whose run entries are part of the surrounding program (``src/main.py``, ``scripts/run.py``)."""


def is_program_folder(name: str, entries: Collection[str]) -> bool:
    """A folder called ``name`` holding the file names ``entries`` is a program of its own."""
    if any(fnmatchcase(entry, marker) for entry in entries for marker in PACKAGING_MARKERS):
        return True
    if "__init__.py" in entries or name.lower() in NOT_PROGRAM_FOLDERS:
        return False
    return any(entry in RUN_ENTRIES for entry in entries) or f"{name}.py" in entries


_VERSION_SUFFIX = re.compile(r"^(?P<stem>.+?)[-_.]?v(?:er(?:sion)?)?[-_.]?\d+$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<stem>[^\d]*)\d")


def is_snapshot_folder(name: str, siblings: Collection[str]) -> bool:
    """A folder that is one of a numbered series (``lab01``/``lab02``, ``week1``/``week2``,
    ``01-intro``/``02-tracking``, ``chapter-03-churn``/``chapter-04-eval``) or a versioned copy of a
    sibling (``notebooks_v1`` beside ``notebooks``): one lesson, chapter or snapshot of a course or
    book, a program of its own whether or not it has its own packaging."""
    version = _VERSION_SUFFIX.match(name)
    if version is not None and version.group("stem") in siblings:
        return True
    numbered = _NUMBERED.match(name)
    if numbered is None:
        return False
    stem = numbered.group("stem")
    return any(
        other != name and (m := _NUMBERED.match(other)) is not None and m.group("stem") == stem
        for other in siblings
        if "." not in other
    )


def _packages(folder: str, listing: Callable[[str], Collection[str]]) -> set[str]:
    """The regular packages directly inside ``folder`` (project-relative; ``""`` is the root)."""
    prefix = f"{folder}/" if folder else ""
    return {
        entry
        for entry in listing(folder)
        if "." not in entry and not entry.startswith("_") and "__init__.py" in listing(prefix + entry)
    }


def holds_package_copy(folder: str, listing: Callable[[str], Collection[str]]) -> bool:
    """A folder (not itself a package, nor a conventional source/test/script folder) holding a top-level
    package that a sibling folder holds too (``lab01/text_recognizer/`` beside ``lab02/text_recognizer/``,
    ``starter/recommender/`` beside ``solution/recommender/``): each is its own copy of the package, a
    snapshot of a course or a version of a project, and the two copies never run together (both import as
    ``text_recognizer``). Generic package names (``utils``, ``common``, ``app``) are no evidence: a training
    job and a service may each have their own, and their duplicated code is what MLA501/MLA502 look for."""
    path = PurePosixPath(folder)
    name = path.name
    if name.lower() in NOT_PROGRAM_FOLDERS or "__init__.py" in listing(folder):
        return False
    mine = _packages(folder, listing)
    if not mine:
        return False
    parent = path.parent.as_posix()
    parent = "" if parent == "." else parent
    prefix = f"{parent}/" if parent else ""
    for sibling in listing(parent):
        if sibling == name or "." in sibling or sibling.lower() in NOT_PROGRAM_FOLDERS:
            continue
        other = prefix + sibling
        if "__init__.py" in listing(other):
            continue
        for package in mine & _packages(other, listing):
            if _same_package(f"{folder}/{package}", f"{other}/{package}", listing):
                return True
    return False


GENERIC_PACKAGES = frozenset(
    {"utils", "util", "common", "shared", "lib", "core", "helpers", "src", "app", "api", "tests", "test"}
)
"""Package names two unrelated programs (a training job and a service) both use for their own code."""


def _same_package(a: str, b: str, listing: Callable[[str], Collection[str]]) -> bool:
    """``a`` and ``b`` are copies of one package: a specific name, and at least two modules or
    subpackages of the same names besides ``__init__.py`` (``data/``, ``models/``, ``util.py``)."""
    if PurePosixPath(a).name.lower() in GENERIC_PACKAGES:
        return False
    shared = (set(listing(a)) & set(listing(b))) - {"__init__.py", "__pycache__"}
    return len(shared) >= 2


# Discovery asks about the same folders for every file below them: each answer is computed once.
_is_program_folder = lru_cache(maxsize=4096)(is_program_folder)
_is_snapshot_folder = lru_cache(maxsize=4096)(is_snapshot_folder)


def program_root(rel_path: str, listing: Callable[[str], Collection[str]]) -> str:
    """The innermost program folder (project-relative POSIX path, ``""`` for the root) holding the file
    ``rel_path``; ``listing(folder)`` gives the entry names of a project-relative folder (``""``: the
    root)."""
    found = folder_program(PurePosixPath(rel_path).parent.as_posix(), listing)
    return rel_path if found is None else found


def folder_program(folder_path: str, listing: Callable[[str], Collection[str]]) -> str | None:
    """``program_root`` of every file directly in the project-relative folder ``folder_path`` (the same
    for all of them, so discovery asks once per folder); None when each such file is a program of its
    own (inside an examples folder)."""
    start = PurePosixPath(folder_path)
    for folder in (start, *start.parents):
        text = folder.as_posix()
        if text in (".", "") or text.startswith(".."):
            break
        if _is_program_folder(folder.name, frozenset(listing(text))):
            return text
        parent = folder.parent.as_posix()
        if _is_snapshot_folder(folder.name, frozenset(listing("" if parent == "." else parent))):
            return text
        if holds_package_copy(text, listing):
            return text
    if any(part.lower() in EXAMPLE_FOLDERS for part in start.parts):
        return None
    return ""


_INLINE_METADATA = re.compile(r"^# /// script\s*$", re.MULTILINE)


def declares_dependencies(text: str) -> bool:
    """The file carries PEP 723 inline script metadata (``# /// script`` with its own dependencies): a
    standalone program, run with ``uv run``/``pipx run`` rather than inside its repository's project."""
    return _INLINE_METADATA.search(text) is not None


def is_mirror(rel_path: str, listing: Callable[[str], Collection[str]]) -> bool:
    """A ``.py`` file beside a notebook of the same name: the notebook exported or paired (jupytext,
    ``nbconvert --to script``), a mirror rather than code of its own; rules that compare files read the
    notebook only (whether or not the notebook itself could be parsed)."""
    path = PurePosixPath(rel_path)
    if path.suffix != ".py":
        return False
    folder = path.parent.as_posix()
    return f"{path.stem}.ipynb" in listing("" if folder == "." else folder)


def mirrors(facts: Iterable[FileFacts]) -> set[str]:
    """The paths of the files that mirror a notebook (``is_mirror``)."""
    return {f.path for f in facts if f.mirror}


def _imported_elsewhere(
    facts: FileFacts, owners: dict[str, list[str]], program: dict[str, str], own: dict[str, set[str]]
) -> Iterable[str]:
    """The files of other programs that ``facts`` imports (a module name its own program also defines
    resolves to its own, even where the two programs' module names got different prefixes:
    ``lab01/text_recognizer/x.py`` and ``lab02/text_recognizer/x.py`` both define ``text_recognizer.x``)."""
    mine = program[facts.path]
    for imp in facts.imports:
        for target in (imp.target, *(f"{imp.target}.{n}" for n in imp.names)):
            found = owners.get(target, [])
            if target in own.get(mine, ()):
                continue
            if all(program[path] != mine for path in found):
                yield from _nearest_copy(found, program, mine)


def _nearest_copy(found: list[str], program: dict[str, str], mine: str) -> list[str]:
    """The files of the one program, among several defining the imported module (copies of one package in
    ``section-05/`` and ``section-07/``), that the importer's program shares the longest folder prefix with
    (``section-07/api`` imports ``section-07/model-package``'s copy); none when that is a tie: the import
    then names an installed package, and linking every copy would merge independent programs."""
    by_program: dict[str, list[str]] = defaultdict(list)
    for path in found:
        by_program[program[path]].append(path)
    if len(by_program) < 2:
        return found
    depth = {p: _shared_depth(p, mine) for p in by_program}
    best = max(depth.values())
    nearest = [p for p, d in depth.items() if d == best]
    return by_program[nearest[0]] if len(nearest) == 1 else []


def _shared_depth(a: str, b: str) -> int:
    """How many leading folders two program paths share."""
    n = 0
    for x, y in zip(PurePosixPath(a).parts, PurePosixPath(b).parts, strict=False):
        if x != y:
            break
        n += 1
    return n


def _module_tails(files: Iterable[FileFacts], program: dict[str, str]) -> dict[str, set[str]]:
    """Per program, every dotted tail of its modules' names (``a.b.c`` gives ``c``, ``b.c``, ``a.b.c``)."""
    tails: dict[str, set[str]] = defaultdict(set)
    for f in files:
        if f.module and not f.is_notebook:
            parts = f.module.split(".")
            tails[program[f.path]].update(".".join(parts[i:]) for i in range(len(parts)))
    return tails


@dataclass
class ProgramMap:
    """Which program each file is in, and which programs import one another."""

    program: dict[str, str] = field(default_factory=dict)
    """File path -> program folder."""
    links: set[frozenset[str]] = field(default_factory=set)
    """Pairs of programs of which one imports the other."""
    imported_by: dict[str, set[str]] = field(default_factory=dict)
    """File path -> the other programs that import it."""

    @classmethod
    def from_facts(cls, facts: Iterable[FileFacts]) -> ProgramMap:
        files = list(facts)
        program = {f.path: (f.path if f.standalone else f.program) for f in files}
        if len(set(program.values())) < 2:
            return cls(program)
        owners: dict[str, list[str]] = defaultdict(list)
        for f in files:
            if f.module and not f.is_notebook:
                owners[f.module].append(f.path)
        links: set[frozenset[str]] = set()
        imported_by: dict[str, set[str]] = defaultdict(set)
        own = _module_tails(files, program)
        for f in files:
            mine = program[f.path]
            for other in _imported_elsewhere(f, owners, program, own):
                links.add(frozenset((mine, program[other])))
                imported_by[other].add(mine)
        return cls(program, links, dict(imported_by))

    def of(self, path: str) -> str:
        return self.program.get(path, "")

    def linked(self, a: str, b: str) -> bool:
        """Files ``a`` and ``b`` may be compared: same program, or one's program imports the other file
        (an example project is compared with the library modules it imports, not with the library's
        own scripts)."""
        pa, pb = self.of(a), self.of(b)
        return pa == pb or pa in self.imported_by.get(b, ()) or pb in self.imported_by.get(a, ())

    def components(self) -> list[set[str]]:
        """The programs grouped by import links (connected components), sorted; one set when the project
        is one program."""
        parent = {p: p for p in self.program.values()}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for link in self.links:
            a, b = sorted(link)
            if a in parent and b in parent:
                parent[find(b)] = find(a)
        groups: dict[str, set[str]] = defaultdict(set)
        for p in parent:
            groups[find(p)].add(p)
        return sorted(groups.values(), key=min)

    def partition(self, paths: Iterable[str]) -> list[list[str]]:
        """``paths`` split into the groups that may be compared with each other (connected through same
        program or import links), in first-seen order."""
        groups: list[list[str]] = []
        for path in paths:
            joined = [g for g in groups if any(self.linked(path, other) for other in g)]
            merged = [x for g in joined for x in g] + [path]
            groups = [g for g in groups if g not in joined]
            groups.append(merged)
        return groups
