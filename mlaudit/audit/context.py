"""What every audit check reads: ``check``'s report, the project's facts and the repository's files, plus
views derived from them once (production files, entry points, the training path, config models).

Pure: built from data, no I/O.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any

from mlaudit.audit.files import RepoFiles
from mlaudit.config.schema import AuditSettings
from mlaudit.facts.model import FileFacts
from mlaudit.model import Finding, Report
from mlaudit.project.callgraph import CallGraph
from mlaudit.project.index import ProjectIndex

CLI_APIS = (
    "argparse.ArgumentParser",
    "typer.Typer",
    "typer.run",
    "click.command",
    "click.group",
    "hydra.main",
    "fire.Fire",
    "absl.app.run",
    "jsonargparse.CLI",
    "jsonargparse.ArgumentParser",
    "lightning.pytorch.cli.LightningCLI",
    "pytorch_lightning.cli.LightningCLI",
    "transformers.HfArgumentParser",
    "simple_parsing.parse",
    "tyro.cli",
)
PYDANTIC_BASES = ("pydantic.BaseModel", "pydantic.v1.BaseModel", "pydantic.main.BaseModel")
SETTINGS_BASES = ("pydantic.BaseSettings", "pydantic_settings.BaseSettings", "pydantic.v1.BaseSettings")
TYPED_DECORATORS = (
    "dataclasses.dataclass",
    "attr.s",
    "attr.attrs",
    "attr.define",
    "attr.frozen",
    "attr.mutable",
    "attrs.define",
    "attrs.frozen",
    "attrs.mutable",
    "pydantic.dataclasses.dataclass",
    "flax.struct.dataclass",
    "chex.dataclass",
)
CONFIG_NAMES = ("*Config", "*Configs", "*Settings", "*Params", "*Hparams", "*HParams", "*Hyperparameters",
                "*HyperParameters", "*Arguments", "*Args", "Config", "Settings", "*Cfg", "CfgNode", "*ConfigNode")  # fmt: skip


@dataclass(frozen=True)
class Call:
    path: str
    module: str
    scope: str
    target: str
    line: int
    passes_config: bool
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClassDef:
    path: str
    module: str
    name: str
    line: int
    bases: tuple[str, ...]
    decorators: tuple[str, ...]

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}" if self.module else self.name

    @property
    def is_pydantic(self) -> bool:
        return any(b in PYDANTIC_BASES or b in SETTINGS_BASES for b in self.bases)

    @property
    def is_typed(self) -> bool:
        """A model with declared, typed fields: pydantic, a dataclass or an attrs class."""
        return self.is_pydantic or any(d in TYPED_DECORATORS for d in self.decorators)


@dataclass
class AuditInput:
    report: Report
    index: ProjectIndex
    repo: RepoFiles
    settings: AuditSettings
    rule_codes: frozenset[str]
    """Codes of the rules that exist (registry) - a check on an absent rule is n/a."""
    enabled_codes: frozenset[str] = frozenset()
    _memo: dict[str, Any] = field(default_factory=dict)

    # --- files ---------------------------------------------------------------------------------
    @cached_property
    def files(self) -> list[FileFacts]:
        return sorted(self.index, key=lambda f: f.path)

    def audit(self, facts: FileFacts) -> dict[str, Any]:
        data = facts.extra.get("audit")
        return data if isinstance(data, dict) else {}

    @staticmethod
    def is_test(facts: FileFacts) -> bool:
        return "test" in facts.roles

    @staticmethod
    def is_experiment(facts: FileFacts) -> bool:
        return "experiment" in facts.roles or facts.is_notebook

    @cached_property
    def production(self) -> list[FileFacts]:
        return [f for f in self.files if not self.is_test(f) and not self.is_experiment(f)]

    @cached_property
    def tests(self) -> list[FileFacts]:
        return [f for f in self.files if self.is_test(f)]

    @cached_property
    def experiments(self) -> list[FileFacts]:
        return [f for f in self.files if self.is_experiment(f) and not self.is_test(f)]

    def lines(self, facts: FileFacts) -> int:
        return int(self.audit(facts).get("code_lines", 0))

    def lines_of(self, files: Iterable[FileFacts]) -> int:
        return sum(self.lines(f) for f in files)

    @cached_property
    def production_kloc(self) -> float:
        return max(self.lines_of(self.production), 1) / 1000

    @cached_property
    def first_party(self) -> frozenset[str]:
        """Top-level names of first-party production modules and packages."""
        return frozenset(f.module.split(".")[0] for f in self.production if f.module)

    @cached_property
    def packages(self) -> dict[str, list[FileFacts]]:
        """Production modules that live in a package (a directory with ``__init__.py``), by top-level
        package."""
        package_roots = {f.module for f in self.files if f.is_package and f.module and "." not in f.module}
        out: dict[str, list[FileFacts]] = {}
        for f in self.production:
            top = f.module.split(".")[0] if f.module else ""
            if top in package_roots:
                out.setdefault(top, []).append(f)
        return out

    # --- findings ------------------------------------------------------------------------------
    def findings(self, *codes: str) -> list[Finding]:
        return [f for f in self.report.findings if f.code in codes]

    def present(self, *codes: str) -> list[str]:
        return [c for c in codes if c in self.rule_codes]

    def absent(self, *codes: str) -> list[str]:
        return [c for c in codes if c not in self.rule_codes or c not in self.enabled_codes]

    # --- calls, classes, entry points ----------------------------------------------------------
    def calls(self, files: Iterable[FileFacts] | None = None) -> Iterator[Call]:
        for f in self.files if files is None else files:
            for scope, target, line, passes, refs in self.audit(f).get("calls", ()):
                yield Call(f.path, f.module, scope, target, int(line), bool(passes), tuple(refs))

    @cached_property
    def classes(self) -> list[ClassDef]:
        out = []
        for f in self.files:
            for name, line, bases, decorators in self.audit(f).get("classes", ()):
                out.append(ClassDef(f.path, f.module, name, int(line), tuple(bases), tuple(decorators)))
        return out

    @cached_property
    def entry_points(self) -> list[FileFacts]:
        """Production and script modules run as programs: a main guard, or a CLI framework set up at
        module level (``typer.Typer()``, ``@hydra.main``, ``fire.Fire``)."""
        out = []
        for f in self.production:
            data = self.audit(f)
            cli = any(c.scope in ("", "__main__") and c.target.startswith(CLI_APIS) for c in self.calls([f]))
            if data.get("main_guard") or cli:
                out.append(f)
        return out

    @cached_property
    def call_graph(self) -> CallGraph:
        return CallGraph.build(self.files)

    def _job_seeds(self, f: FileFacts) -> tuple[set[str], set[tuple[str, str]]]:
        """(first-party functions a job module starts from, its own scopes on the job path)."""
        train = "train" in f.roles
        scopes = {(f.module, ""), (f.module, "__main__")}
        scopes |= {(f.module, d[0]) for d in self.audit(f).get("defs", ()) if train or d[0] in JOB_FUNCTIONS}
        seeds = {f"{f.module}.{scope}" if f.module else scope for _, scope in scopes}
        return (seeds | self._called_from(f, everywhere=train)) - {f.module, f"{f.module}.__main__"}, scopes

    def _called_from(self, f: FileFacts, *, everywhere: bool) -> set[str]:
        """First-party functions a module calls at module level (or anywhere, for a training module)."""
        graph = self.call_graph
        out = set()
        for call in self.calls([f]):
            if everywhere or call.scope in ("", "__main__"):
                out.add(graph.resolve(call.target) or graph.resolve(f"{call.target}.__init__") or "")
        return out - {""}

    @cached_property
    def training_path(self) -> set[tuple[str, str]]:
        """(module, scope) pairs that run when a job runs: entry points' module-level and main-guard code,
        every function of train-role modules, and the first-party functions they reach."""
        seeds: set[str] = set()
        scopes: set[tuple[str, str]] = set()
        jobs = {f.path: f for f in [*self.entry_points, *(f for f in self.production if "train" in f.roles)]}
        for f in jobs.values():
            more, own = self._job_seeds(f)
            seeds |= more
            scopes |= own
        for name in _reachable(self.call_graph, seeds):
            hit = self.call_graph.function(name)
            if hit is not None:
                scopes.add((hit[0].module, hit[1].qualname))
        return scopes

    def in_training_path(self, call: Call) -> bool:
        if not self.entry_points and not any("train" in f.roles for f in self.production):
            return True  # no job found: the whole production code is the path
        return (call.module, call.scope) in self.training_path

    def counter(self) -> Counter[str]:
        return Counter(f.code for f in self.report.findings)


JOB_FUNCTIONS = frozenset({"main", "cli", "run", "train"})


def _reachable(graph: CallGraph, seeds: set[str]) -> set[str]:
    """``seeds`` and every first-party function they call, transitively (breadth first)."""
    queue = deque(sorted(seeds))
    seen = set(seeds)
    while queue:
        for callee, _ in graph.edges.get(queue.popleft(), ()):
            if callee not in seen:
                seen.add(callee)
                queue.append(callee)
    return seen


def matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(name, p) for p in patterns)


@dataclass(frozen=True)
class Def:
    """A function or method signature (``audit`` facts)."""

    path: str
    qualname: str
    line: int
    public: bool
    params: int
    annotated: int
    returns: bool
    doc: bool
    transform: bool

    @property
    def typed(self) -> bool:
        """Every parameter annotated, and the return type (``__init__`` needs none)."""
        return self.annotated == self.params and (self.returns or self.qualname.endswith("__init__"))


def defs_of(inp: AuditInput, files: Iterable[FileFacts]) -> list[Def]:
    out = []
    for f in files:
        for d in inp.audit(f).get("defs", ()):
            name, line, public, params, annotated, returns, doc, transform = d
            out.append(Def(f.path, str(name), int(line), bool(public), int(params), int(annotated),
                           bool(returns), bool(doc), bool(transform)))  # fmt: skip
    return out
