"""MLA201 io-in-transform: I/O inside a transform, directly or through first-party calls.

One finding per transform (rules.md v2, "One finding per cause"): at its first I/O site, the count and the
kinds in the message, every other site in ``related``. Entry points (rules.md, "Entry points": called from
the main guard, command/flow decorators, ``fire.Fire``, a module-level ``main``, console scripts) are
orchestrators, not transforms, and behave/pytest-bdd step files are tests. Framework stages (rules.md,
"Frameworks": a Prefect/Airflow ``@task``, ZenML ``@step``, Dagster ``@op``/``@asset``, Kedro node functions;
``mlaudit.facts.frameworks``) are units of work whose job may be I/O (a loader step, an ETL task staging a
file): not transforms either. A transform a stage *calls* still reports its own I/O. Nor are the functions
of a **pure script** (rules.md, "Scripts": no main guard, work inline at module level, imported by nothing):
importing it runs it, so its functions are steps of its run (a Kaggle job computing and writing its feature
files), not transforms anything can reuse.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase

from mlaudit.engine.rule import ProjectRule, RawFinding, RelatedSite
from mlaudit.facts.ml_apis import KIND_VERBS
from mlaudit.facts.model import FileFacts, FunctionFact, Span
from mlaudit.model import Severity
from mlaudit.project import scripts
from mlaudit.project.callgraph import CallGraph, IoChain
from mlaudit.project.index import ProjectIndex

_ADVICE = "do the I/O outside the transform and pass the data in"


def _short(name: str, module: str, home: str) -> str:
    """``pkg.lookups.load`` seen from ``pkg.features`` -> ``lookups.load``; same module -> ``load``."""
    if module and name.startswith(module + "."):
        qual = name[len(module) + 1 :]
        if module == home:
            return qual
        return f"{module.rpartition('.')[2]}.{qual}"
    return name


@dataclass(frozen=True, slots=True)
class _Site:
    span: Span
    snippet: str
    kind: str
    text: str
    """What the site does, for the message and ``related``."""
    chain: IoChain | None = None


class IoInTransform(ProjectRule):
    code = "MLA201"
    name = "io-in-transform"
    category = "purity"
    severity = Severity.ERROR
    # Opt-in: independent reviews of real ML repositories found its findings right on 0 of 4 (MLA201),
    # 0 of 15 (MLA202) and 2 of 16 (MLA203): real code rarely has the named transforms this rule
    # assumes, and augmentations are random and edit their sample by design. See after.md.
    default_enabled = False
    message = "I/O inside a transform: do the I/O outside the transform and pass the data in"
    requires_facts = frozenset({"functions"}) | scripts.REQUIRED_FACTS

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        graph = index.memo("callgraph", lambda: CallGraph.build(index))
        chains = index.memo("callgraph.io-chains", graph.io_chains)
        entries = {**scripts.entry_points(index), **dict.fromkeys(scripts.stages(index), "stage")}
        kinds = scripts.classify(index)
        named = _NamedTransforms(index.settings.transforms.all_names, index.settings.transforms.methods)
        for facts in index:
            if scripts.is_bdd(facts):
                continue
            kind = kinds.get(facts.path)
            if kind is not None and kind.pure_script:
                # Importing a pure script runs it: its functions are steps of its run (a Kaggle
                # feature-generation job writing its feature files), not transforms anything can reuse.
                continue
            yield from self._check_file(facts, graph, chains, entries, named if kind and kind.script else None)

    def _check_file(
        self,
        facts: FileFacts,
        graph: CallGraph,
        chains: dict[str, IoChain],
        entries: dict[str, str],
        named: _NamedTransforms | None,
    ) -> Iterator[RawFinding]:
        """``named`` is set for a script (a file run, not imported): its functions are the script's steps, and
        only those *named* as transforms are transforms; a module name such as ``preprocess.py`` makes every
        function of an imported features module a transform, not every helper of a run script."""
        for fn in facts.functions:
            if not fn.is_transform or _entry_point(facts, fn, entries) or (named and not named(fn.qualname)):
                continue
            sites = sorted(self._sites(facts, fn, graph, chains), key=lambda s: (s.span.line, s.span.col))
            if sites:
                yield self._finding(facts, fn, sites, graph)

    def _sites(
        self, facts: FileFacts, fn: FunctionFact, graph: CallGraph, chains: dict[str, IoChain]
    ) -> Iterator[_Site]:
        for site in fn.io_sites:
            verb = KIND_VERBS.get(site.kind, "does I/O")
            yield _Site(site.span, site.snippet, site.kind, f"{verb} (`{_display(site.api)}`)")
        for call in fn.calls:
            chain = self._reported_chain(call.target, graph, chains)
            if chain is not None:
                first = self._shorten(graph, chain.hops[0].caller, facts.module)
                verb = KIND_VERBS.get(chain.kind, "does I/O")
                yield _Site(call.span, call.snippet, chain.kind, f"calls `{first}`, which {verb}", chain)

    @staticmethod
    def _shorten(graph: CallGraph, name: str, home: str) -> str:
        node = graph.nodes.get(name)
        return _short(name, node.module if node else "", home)

    @staticmethod
    def _reported_chain(target: str, graph: CallGraph, chains: dict[str, IoChain]) -> IoChain | None:
        """The chain to report for a call in a transform; None when the callee does no I/O or is itself a
        production transform (which reports its own I/O: one root cause, one finding)."""
        callee = graph.resolve(target)
        chain = chains.get(callee) if callee else None
        found = graph.function(callee) if chain is not None and callee else None
        if found is not None and found[1].is_transform and ProjectIndex.is_production(found[0]):
            return None
        return chain

    def _finding(self, facts: FileFacts, fn: FunctionFact, sites: list[_Site], graph: CallGraph) -> RawFinding:
        first = sites[0]
        transform = fn.qualname
        if len(sites) == 1:
            message = f"transform `{transform}` {first.text}"
            if first.chain is not None:
                message += f": {self._path(graph, transform, first.chain, facts.module)}"
            message += f"; {_ADVICE}" if first.chain is not None else f": {_ADVICE}"
        else:
            kinds = ", ".join(sorted({KIND_VERBS.get(s.kind, "does I/O") for s in sites}))
            message = f"transform `{transform}` does I/O at {len(sites)} sites ({kinds}); the first {first.text}"
            if first.chain is not None:
                message += f": {self._path(graph, transform, first.chain, facts.module)}"
            message += f"; {_ADVICE}"
        related = [RelatedSite(facts.path, s.span, f"`{transform}` {s.text}") for s in sites[1:]]
        if first.chain is not None:
            related += self._hops(graph, first.chain, facts.module)
        return self.finding(facts.path, first.span, message, snippet=first.snippet, related=related)

    def _path(self, graph: CallGraph, transform: str, chain: IoChain, home: str) -> str:
        names = [transform, *(self._shorten(graph, h.caller, home) for h in chain.hops), _display(chain.api)]
        return " -> ".join(names)

    def _hops(self, graph: CallGraph, chain: IoChain, home: str) -> list[RelatedSite]:
        verb = KIND_VERBS.get(chain.kind, "does I/O")
        related = []
        for hop in chain.hops:
            caller = self._shorten(graph, hop.caller, home)
            if hop.kind:
                text = f"`{caller}` {verb} (`{_display(hop.callee)}`)"
            else:
                text = f"`{caller}` calls `{self._shorten(graph, hop.callee, home)}`"
            related.append(RelatedSite(hop.path, hop.span, text))
        return related


class _NamedTransforms:
    def __init__(self, names: tuple[str, ...], methods: tuple[str, ...]) -> None:
        self.names = names
        self.methods = methods

    def __call__(self, qualname: str) -> bool:
        parts = [p for p in qualname.split(".") if p != "<locals>"]
        return any(
            any(fnmatchcase(part, p) for p in self.names) or (i > 0 and part in self.methods)
            for i, part in enumerate(parts)
        )


def _entry_point(facts: FileFacts, fn: FunctionFact, entries: dict[str, str]) -> bool:
    name = f"{facts.module}.{fn.qualname}" if facts.module else fn.qualname
    return name in entries


def _display(name: str) -> str:
    return name.removeprefix("builtins.")
