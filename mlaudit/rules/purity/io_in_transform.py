"""MLA201 io-in-transform: I/O inside a transform, directly or through first-party calls."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mlaudit.engine.rule import ProjectRule, RawFinding, RelatedSite
from mlaudit.facts.ml_apis import KIND_VERBS
from mlaudit.facts.model import FileFacts, Span
from mlaudit.model import Severity
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


class IoInTransform(ProjectRule):
    code = "MLA201"
    name = "io-in-transform"
    category = "purity"
    severity = Severity.ERROR
    message = "I/O inside a transform: do the I/O outside the transform and pass the data in"
    requires_facts = frozenset({"functions"})

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        graph = CallGraph.build(index)
        chains = graph.io_chains()
        for facts in index:
            if not ProjectIndex.is_production(facts):
                continue
            yield from self._check_file(facts, graph, chains)

    def _check_file(
        self, facts: FileFacts, graph: CallGraph, chains: dict[str, IoChain]
    ) -> Iterator[RawFinding]:
        for fn in facts.functions:
            if not fn.is_transform:
                continue
            for site in fn.io_sites:
                verb = KIND_VERBS.get(site.kind, "does I/O")
                yield self.finding(
                    facts.path,
                    site.span,
                    f"transform `{fn.qualname}` {verb} (`{site.api}`): {_ADVICE}",
                    snippet=site.snippet,
                )
            for call in fn.calls:
                chain = self._reported_chain(call.target, graph, chains)
                if chain is not None:
                    yield self._chain_finding(
                        facts, fn.qualname, call.span, call.snippet, chain, graph, facts.module
                    )

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

    def _chain_finding(
        self,
        facts: FileFacts,
        transform: str,
        span: Span,
        snippet: str,
        chain: IoChain,
        graph: CallGraph,
        home: str,
    ) -> RawFinding:
        def short(name: str) -> str:
            node = graph.nodes.get(name)
            return _short(name, node.module if node else "", home)

        names = [transform, *(short(h.caller) for h in chain.hops), chain.api]
        verb = KIND_VERBS.get(chain.kind, "does I/O")
        first = short(chain.hops[0].caller)
        message = f"transform `{transform}` calls `{first}`, which {verb}: {' -> '.join(names)}; {_ADVICE}"
        related = []
        for hop in chain.hops:
            if hop.kind:
                text = f"`{short(hop.caller)}` {verb} (`{hop.callee}`)"
            else:
                text = f"`{short(hop.caller)}` calls `{short(hop.callee)}`"
            related.append(RelatedSite(hop.path, hop.span, text))
        return self.finding(facts.path, span, message, snippet=snippet, related=related)
