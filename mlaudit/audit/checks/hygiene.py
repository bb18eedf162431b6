"""Hygiene: tests that import the package, type hints, docstrings, complexity, tooling, CI, no large
files in git."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from mlaudit.audit.checks.base import (
    Outcome,
    at,
    capped,
    check,
    findings_per_kloc,
    na,
    pct,
    share,
)
from mlaudit.audit.context import AuditInput, Def, defs_of
from mlaudit.audit.model import Status
from mlaudit.facts.model import FileFacts

AREA = "hygiene"
COMPLEXITY = ("MLA601", "MLA602", "MLA603")
CI_GLOBS = (".github/workflows/*.yml", ".github/workflows/*.yaml", ".gitlab-ci.yml", ".circleci/config.yml",
            "azure-pipelines.yml", "Jenkinsfile", ".travis.yml", "bitbucket-pipelines.yml")  # fmt: skip
_TEST_STEP = re.compile(r"\b(pytest|py\.test|unittest|tox|nox|make\s+test|hatch\s+(run\s+)?test|"
                        r"poetry\s+run\s+pytest|uv\s+run\s+pytest|pixi\s+run\s+test|just\s+test)\b")  # fmt: skip


def _imports_project(t: FileFacts, first_party: frozenset[str]) -> bool:
    return any(i.target.split(".")[0] in first_party for i in t.imports)


def _test_files(inp: AuditInput) -> list[FileFacts]:
    return [t for t in inp.tests if not t.path.endswith("conftest.py")]


@check(
    "tests-import-package",
    AREA,
    "Tests exist and import the package",
    weight=3,
    threshold=0.2,
    fix="Add pytest tests that import the package's modules (not copies of the code); aim for at least one "
    "test line per five lines of production code.",
)
def tests_import_package(inp: AuditInput, threshold: float) -> Outcome:
    prod_lines = inp.lines_of(inp.production)
    if not prod_lines:
        return na("no production Python code")
    tests = _test_files(inp)
    if not tests:
        return Outcome(Status.FAIL, "no test files")
    importing = [t for t in tests if _imports_project(t, inp.first_party)]
    ratio = inp.lines_of(importing) / prod_lines
    summary = (
        f"{len(importing)} of {len(tests)} test files import the project; test-to-code ratio {ratio:.2f}"
    )
    if not importing:
        return Outcome(
            Status.FAIL, summary, [at("imports nothing of the project", t.path, None) for t in tests[:10]]
        )
    status = Status.PASS if ratio >= threshold else Status.PARTIAL
    return Outcome(status, summary, [at(f"{inp.lines(t)} lines", t.path, None) for t in importing[:10]])


@check(
    "type-hints",
    AREA,
    "Function signatures have type hints",
    weight=2,
    threshold=0.8,
    fix="Annotate parameters and return types of the package's functions; run a type checker in CI.",
)
def type_hints(inp: AuditInput, threshold: float) -> Outcome:
    defs = defs_of(inp, inp.production)
    if not defs:
        return na("no functions in production code")
    typed = [d for d in defs if d.typed]
    ratio = share(len(typed), len(defs))
    evidence = [at(f"`{d.qualname}` is not fully annotated", d.path, d.line) for d in defs if not d.typed][
        :10
    ]
    summary = f"{len(typed)} of {len(defs)} signatures fully annotated ({pct(ratio)})"
    if ratio >= threshold:
        return Outcome(Status.PASS, summary, evidence)
    return Outcome(Status.PARTIAL if ratio >= threshold / 2 else Status.FAIL, summary, evidence)


def _is_public(d: Def) -> bool:
    return d.public and not d.qualname.rsplit(".", 1)[-1].startswith("__")


@check(
    "docstrings",
    AREA,
    "Public functions have docstrings",
    weight=1,
    threshold=0.6,
    fix="Document what each public function takes, returns and assumes in a docstring.",
)
def docstrings(inp: AuditInput, threshold: float) -> Outcome:
    public = [d for d in defs_of(inp, inp.production) if _is_public(d)]
    if not public:
        return na("no public functions in production code")
    documented = [d for d in public if d.doc]
    ratio = share(len(documented), len(public))
    evidence = [at(f"`{d.qualname}` has no docstring", d.path, d.line) for d in public if not d.doc][:10]
    summary = f"{len(documented)} of {len(public)} public functions documented ({pct(ratio)})"
    if ratio >= threshold:
        return Outcome(Status.PASS, summary, evidence)
    return Outcome(Status.PARTIAL if ratio >= threshold / 2 else Status.FAIL, summary, evidence)


@check(
    "complexity",
    AREA,
    "Functions and modules stay simple",
    weight=2,
    threshold=1.0,
    rules=COMPLEXITY,
    fix="Split complex and long functions into named steps; test each step.",
)
def complexity(inp: AuditInput, threshold: float) -> Outcome:
    return findings_per_kloc(inp, COMPLEXITY, threshold, "complexity finding(s) (MLA601-603)")


_TOOL_FILES = ("pyproject.toml", "setup.cfg", "tox.ini", ".pre-commit-config.yaml", ".pre-commit-config.yml")
_LINTER_FILES = ("ruff.toml", ".ruff.toml", ".flake8", ".pylintrc", "pylintrc")
_LINTER = re.compile(r"\[tool\.(ruff|pylint|flake8)|\[flake8\]|\[pylint|\bruff\b|\bflake8\b|\bpylint\b")
_TYPE_CHECKER_FILES = ("mypy.ini", ".mypy.ini", "pyrightconfig.json")
_TYPE_CHECKER = re.compile(r"\[tool\.(mypy|pyright)|\[mypy\]|\bmypy\b|\bpyright\b")


def _configures(name: str, text: str, files: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
    """A dedicated config file, or a shared one (pyproject, setup.cfg, pre-commit) that mentions the tool."""
    return name in files or (name in _TOOL_FILES and bool(pattern.search(text)))


def is_ci(path: str) -> bool:
    return any(fnmatchcase(path, g) for g in CI_GLOBS)


def _tool_evidence(inp: AuditInput) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"linter": [], "type checker": [], "pre-commit": [], "mlaudit": []}
    for path, text in inp.repo.texts.items():
        name = path.rsplit("/", 1)[-1]
        checks = {
            "linter": _configures(name, text, _LINTER_FILES, _LINTER),
            "type checker": _configures(name, text, _TYPE_CHECKER_FILES, _TYPE_CHECKER),
            "pre-commit": name.startswith(".pre-commit-config"),
            "mlaudit": "mlaudit" in text and (name.startswith(".pre-commit-config") or is_ci(path)),
        }
        for kind, hit in checks.items():
            if hit:
                found[kind].append(path)
    return found


@check(
    "tooling",
    AREA,
    "A linter, a type checker and pre-commit are configured",
    weight=1,
    fix="Configure a linter (ruff), a type checker (mypy or pyright) and pre-commit hooks running them "
    "(and mlaudit).",
)
def tooling(inp: AuditInput, threshold: float) -> Outcome:
    found = _tool_evidence(inp)
    have = [k for k in ("linter", "type checker", "pre-commit") if found[k]]
    evidence = [at(kind, paths[0], None) for kind, paths in found.items() if paths]
    summary = f"{', '.join(have) or 'none'} configured; mlaudit in pre-commit/CI: {'yes' if found['mlaudit'] else 'no'}"
    status = Status.PASS if len(have) == 3 else Status.PARTIAL if have else Status.FAIL
    return Outcome(status, summary, evidence)


@check(
    "ci-runs-tests",
    AREA,
    "CI runs the tests",
    weight=2,
    fix="Add a CI workflow (e.g. .github/workflows/test.yml) that installs the project and runs pytest.",
)
def ci_runs_tests(inp: AuditInput, threshold: float) -> Outcome:
    ci = inp.repo.text_matching(*CI_GLOBS)
    if not ci:
        return Outcome(Status.FAIL, "no CI configuration found")
    runners = [p for p, t in ci.items() if _TEST_STEP.search(t)]
    if runners:
        return Outcome(
            Status.PASS,
            f"{len(runners)} of {len(ci)} CI file(s) run tests",
            [at("runs tests", p, None) for p in runners[:5]],
        )
    return Outcome(
        Status.PARTIAL,
        f"{len(ci)} CI file(s), none runs the tests",
        [at("CI without tests", p, None) for p in list(ci)[:5]],
    )


@check(
    "no-large-files",
    AREA,
    "No large data or model files in git",
    weight=2,
    threshold=2,
    fix="Remove data and model files from git (history too) and keep them in DVC, git-lfs or object storage.",
)
def no_large_files(inp: AuditInput, threshold: float) -> Outcome:
    if not inp.repo.git:
        return na("not a git repository (or git is not installed)")
    large = inp.repo.large_files
    limit = inp.settings.large_file_mb
    evidence = [at(f"{f.size / 1e6:.1f} MB in git history", f.path, None) for f in large]
    summary = f"{len(large)} file(s) over {limit:g} MB in git history"
    if not large:
        return Outcome(Status.PASS, summary)
    return Outcome(Status.PARTIAL if len(large) <= threshold else Status.FAIL, summary, capped(evidence))
