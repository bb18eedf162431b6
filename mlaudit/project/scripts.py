"""Scripts and entry points of the whole project (rules.md, "Entry points", "Scripts", "Frameworks"):
pure functions over ``FileFacts`` (``script`` facts from ``mlaudit.facts.scripts`` and ``imports`` facts).

* A **script** is a production ``.py`` file that no first-party module imports and that is run rather than
  imported: it has a main guard, a shebang, module-level work (inline work or a bare call of its own
  function), or it sits in ``scripts/``, ``tools/``, ``bin/`` or a cookiecutter-style ``hooks/`` folder.
* A **pure script** is a script with no main guard whose work is inline at module level (a notebook saved
  as ``.py``, a research ``train.py``): importing it is running it. A file that defines ``main()`` and calls
  it bare at module level is *not* a pure script (the guard is missing); one whose module level wires its
  helper functions to its state (``sub = DO(frm, to, 0)``, ``corr(first_file, second_file)`` after reading
  ``sys.argv``) is.
* A file is **tool-run** when a tool executes it (``setup.py``, ``noxfile.py``, ``docs/conf.py``,
  cookiecutter ``hooks/``, and the configurable ``tool-scripts``).
* A **notebook companion** is a module that no first-party module imports and exactly one notebook of the
  project imports (an exercise's checker imported by its exercise notebook, a notebook's helpers moved to
  a file): it is loaded only when that notebook runs, as part of it.
* **Entry points** by absolute name: each file's own (main guard, decorators, ``fire.Fire``, a module-level
  ``main``, a bare module-level call) plus console-script targets declared in ``setup.py``.

Rules that use this module must require the ``scripts`` and ``imports`` facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from mlaudit.facts import frameworks as fw
from mlaudit.facts.model import FileFacts, ScriptFact
from mlaudit.project.import_graph import ImportGraph, notebook_import_targets
from mlaudit.project.index import ProjectIndex

REQUIRED_FACTS = frozenset({"scripts", "imports"})


@dataclass(frozen=True, slots=True)
class FileKind:
    """How one file is run."""

    script: bool = False
    pure_script: bool = False
    tool_run: bool = False
    imported: bool = False
    reason: str = ""
    """Why it is a script (``main guard``, ``shebang``, ``module-level work``, ``scripts/ folder``)."""


def matches_path(path: str, patterns: tuple[str, ...]) -> bool:
    """Globs without ``/`` match the file name; others the project-relative path, at any depth."""
    name = path.rsplit("/", 1)[-1]
    return any(
        fnmatchcase(name, p) if "/" not in p else fnmatchcase(path, p) or fnmatchcase(path, f"*/{p}")
        for p in patterns
    )


def imported_modules(files: list[FileFacts]) -> frozenset[str]:
    """First-party modules some other first-party module imports (function-level and TYPE_CHECKING
    imports included: any import means the module is a module)."""
    graph = ImportGraph.from_facts(
        [f for f in files if f.module and not f.is_notebook and not f.path.endswith(".pyi")]
    )
    return frozenset(e.target for e in graph.edges if e.importer != e.target)


def notebook_companions(index: ProjectIndex) -> frozenset[str]:
    """Paths of the modules (not packages) that no first-party module imports and exactly one notebook imports."""

    def compute() -> frozenset[str]:
        files = list(index)
        modules = [f for f in files if f.module and not f.is_notebook and not f.path.endswith(".pyi")]
        imported = imported_modules(files)
        importers = notebook_import_targets(modules, [f for f in files if f.is_notebook and f.module])
        return frozenset(
            f.path
            for f in modules
            if not f.is_package and f.module not in imported and len(importers.get(f.module, ())) == 1
        )

    return index.memo("scripts.notebook-companions", compute)


def _in_script_folder(path: str) -> str | None:
    for part in path.split("/")[:-1]:
        if part in fw.SCRIPT_FOLDERS:
            return f"{part}/ folder"
    return None


def _script_reason(facts: FileFacts) -> str:
    fact = facts.script
    assert fact is not None
    if fact.main_guard:
        return "main guard"
    if fact.shebang:
        return "shebang"
    if fact.inline_work or fact.module_calls or fact.wired_calls:
        return "module-level work"
    return _in_script_folder(facts.path) or ""


def _wired_body(fact: ScriptFact) -> bool:
    """Module-level code that wires the file's helper functions to module-level state (``sub = DO(...)``,
    ``corr(first_file, second_file)`` after reading ``sys.argv``): the script's body is its module level,
    as in a pure script. Not for a web service or an AWS Lambda handler, whose module level is start-up."""
    return fact.wired_calls and not fact.web_app and not fact.lambda_handler


def _not_a_script(facts: FileFacts, imported: bool) -> bool:
    return (
        facts.script is None
        or imported
        or facts.is_notebook
        or not facts.path.endswith(".py")
        or facts.path.rsplit("/", 1)[-1] == "__init__.py"
    )


def classify_file(facts: FileFacts, imported: bool, tool_scripts: tuple[str, ...] = ()) -> FileKind:
    """The kind of one file, given whether a first-party module imports it (pure)."""
    tool_run = matches_path(facts.path, fw.TOOL_RUN_FILES + tool_scripts)
    if _not_a_script(facts, imported):
        return FileKind(tool_run=tool_run, imported=imported)
    reason = _script_reason(facts)
    if not reason:
        return FileKind(tool_run=tool_run)
    fact = facts.script
    assert fact is not None
    # A notebook saved as `.py` is the contract's first example of a pure script, even where its cells
    # call its own functions (ploomber's `# %%` tasks: `my_preprocessing_function(X_train, X_test)`).
    pure = not fact.main_guard and (fact.inline_work or _wired_body(fact) or fact.notebook_export)
    return FileKind(script=True, pure_script=pure, tool_run=tool_run, reason=reason)


def classify(index: ProjectIndex, tool_scripts: tuple[str, ...] = ()) -> dict[str, FileKind]:
    """Every file's kind, by path (computed once per run and shared by the rules that ask)."""

    def compute() -> dict[str, FileKind]:
        files = list(index)
        imported = imported_modules(files)
        return {f.path: classify_file(f, f.module in imported, tool_scripts) for f in files}

    return index.memo(("scripts.classify", tool_scripts), compute)


def entry_points(index: ProjectIndex) -> dict[str, str]:
    """Absolute name -> reason of every entry-point function of the project."""

    def compute() -> dict[str, str]:
        out: dict[str, str] = {}
        for facts in index:
            if facts.script is None:
                continue
            for entry in facts.script.entry_points:
                name = f"{facts.module}.{entry.qualname}" if facts.module else entry.qualname
                out.setdefault(name, entry.reason)
        for facts in index:
            for target in facts.script.console_scripts if facts.script else ():
                out.setdefault(target, "console-script")
        return out

    return index.memo("scripts.entry-points", compute)


def stages(index: ProjectIndex) -> frozenset[str]:
    """Absolute names of framework stages (decorated steps/tasks, Kedro nodes): inputs arrive as copies."""

    def compute() -> frozenset[str]:
        out: set[str] = set()
        for facts in index:
            if facts.script is None:
                continue
            out.update(f"{facts.module}.{q}" if facts.module else q for q in facts.script.stages)
            out.update(facts.script.stage_refs)
        return frozenset(out)

    return index.memo("scripts.stages", compute)


def map_functions(index: ProjectIndex) -> frozenset[str]:
    """Absolute names of functions passed to Hugging Face ``Dataset.map`` and friends."""
    return index.memo(
        "scripts.map-functions",
        lambda: frozenset(n for f in index if f.script for n in f.script.map_functions),
    )


def is_bdd(facts: FileFacts) -> bool:
    """A behave/pytest-bdd step or hook file: test code, although it sits in a ``features/`` folder."""
    if matches_path(facts.path, fw.BDD_FILES) and "features" in facts.path.split("/"):
        return True
    return any(i.target.partition(".")[0] in fw.BDD_PACKAGES for i in facts.imports)
