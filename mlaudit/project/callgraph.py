"""The first-party call graph and I/O reachability (MLA201): pure functions over ``FileFacts``.

Nodes are functions by absolute dotted name (``pkg.mod.func``, ``pkg.mod.Class.method``,
``pkg.mod.outer.<locals>.inner``). An edge is a ``CallFact`` whose target resolves to a known function:

* directly (``pkg.lookups.load_mcc_table``);
* a class to its ``__init__`` (``pkg.mod.Tokenizer`` -> ``pkg.mod.Tokenizer.__init__``);
* through re-exports (``pkg.helper`` where ``pkg/__init__`` does ``from .util import helper``), a few
  levels deep.

Targets that resolve to nothing are third-party or unknown and are dropped.

Reachability is a multi-source breadth-first search from the functions with direct I/O sites over
reversed edges, so every function is visited once (cycles terminate) and gets its *shortest* chain to an
I/O site. Ties are broken by source position (then by name), so the chain does not depend on file order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from mlaudit.facts.model import CallFact, FileFacts, FunctionFact, Span

_MAX_REEXPORT_HOPS = 8


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a chain: a site inside ``caller`` that calls ``callee`` (a function's absolute name) or,
    for the last hop, performs I/O (``callee`` is then the API name and ``kind`` its kind)."""

    caller: str
    callee: str
    path: str
    span: Span
    snippet: str = ""
    kind: str = ""


@dataclass(frozen=True, slots=True)
class IoChain:
    hops: tuple[Hop, ...]

    @property
    def io(self) -> Hop:
        return self.hops[-1]

    @property
    def api(self) -> str:
        return self.hops[-1].callee

    @property
    def kind(self) -> str:
        return self.hops[-1].kind

    def names(self) -> list[str]:
        """Function names along the chain, ending with the I/O API."""
        return [h.caller for h in self.hops] + [self.hops[-1].callee]


def _site_key(span: Span) -> tuple[int, int]:
    return (span.line, span.col)


@dataclass(slots=True)
class _Node:
    name: str
    module: str
    facts: FileFacts
    function: FunctionFact


_SRC_PACKAGE = "src."
"""The default source root's name, as a package prefix some projects import through (``src.data``)."""


class CallGraph:
    """Functions by absolute name plus resolved edges; build once per run with ``CallGraph.build``."""

    def __init__(self, files: Iterable[FileFacts]) -> None:
        ordered = sorted(files, key=lambda f: f.path)
        self.nodes: dict[str, _Node] = {}
        self.exports: dict[str, dict[str, str]] = {}
        for facts in ordered:
            if facts.module and not facts.is_notebook:
                self.exports.setdefault(facts.module, facts.exports)
            for fn in facts.functions:
                name = f"{facts.module}.{fn.qualname}" if facts.module else fn.qualname
                self.nodes.setdefault(name, _Node(name, facts.module, facts, fn))
        self._resolved: dict[str, str | None] = {}
        self.edges: dict[str, list[tuple[str, CallFact]]] = {}
        for name, node in self.nodes.items():
            out = []
            for call in node.function.calls:
                callee = self.resolve(call.target)
                if callee is not None and callee != name:
                    out.append((callee, call))
            out.sort(key=lambda e: (_site_key(e[1].span), e[0]))
            self.edges[name] = out

    @classmethod
    def build(cls, files: Iterable[FileFacts]) -> CallGraph:
        return cls(files)

    def function(self, name: str) -> tuple[FileFacts, FunctionFact] | None:
        node = self.nodes.get(name)
        return (node.facts, node.function) if node else None

    def resolve(self, target: str) -> str | None:
        """The known function a call target names, or None (third-party, unknown)."""
        if target in self._resolved:
            return self._resolved[target]
        result = self._resolve(target)
        self._resolved[target] = result
        return result

    def _resolve(self, target: str) -> str | None:
        found = self._resolve_name(target)
        if found is None and target.startswith(_SRC_PACKAGE):
            # `from src.predictor import Predictor` where `src/` (a package) is also the source root its
            # modules are named from (`predictor`): the same module.
            found = self._resolve_name(target[len(_SRC_PACKAGE) :])
        return found

    def _resolve_name(self, target: str) -> str | None:
        seen = set()
        current = target
        for _ in range(_MAX_REEXPORT_HOPS):
            if current in self.nodes:
                return current
            init = f"{current}.__init__"
            if init in self.nodes:
                return init
            seen.add(current)
            redirected = self._through_exports(current)
            if redirected is None or redirected in seen:
                return None
            current = redirected
        return None

    def _through_exports(self, name: str) -> str | None:
        """``pkg.helper`` -> ``pkg.util.helper`` when module ``pkg`` re-exports ``helper``."""
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            exports = self.exports.get(module)
            if exports is None:
                continue
            origin = exports.get(parts[cut])
            if origin is None:
                return None
            rest = parts[cut + 1 :]
            return ".".join([origin, *rest])
        return None

    def io_chains(self) -> dict[str, IoChain]:
        """For every function that reaches I/O, its shortest chain to an I/O site."""
        first_site = {
            name: min(node.function.io_sites, key=lambda s: (_site_key(s.span), s.api))
            for name, node in self.nodes.items()
            if node.function.io_sites
        }
        dist = self._distances(sorted(first_site))
        chains: dict[str, IoChain] = {}
        # By increasing distance, so the next hop's chain is always known; the next hop is the first
        # edge (in source order) that gets one step closer to I/O.
        for name in sorted(dist, key=lambda n: (dist[n], n)):
            path = self.nodes[name].facts.path
            if dist[name] == 0:
                site = first_site[name]
                chains[name] = IoChain((Hop(name, site.api, path, site.span, site.snippet, site.kind),))
                continue
            callee, call = next((c, f) for c, f in self.edges[name] if dist.get(c) == dist[name] - 1)
            hop = Hop(name, callee, path, call.span, call.snippet)
            chains[name] = IoChain((hop, *chains[callee].hops))
        return chains

    def _distances(self, sources: list[str]) -> dict[str, int]:
        """Breadth-first over reversed edges from ``sources``: each function once, so cycles terminate."""
        callers: dict[str, set[str]] = {}
        for caller, out in self.edges.items():
            for callee, _ in out:
                callers.setdefault(callee, set()).add(caller)
        dist = dict.fromkeys(sources, 0)
        queue = deque(sources)
        while queue:
            current = queue.popleft()
            for caller in sorted(callers.get(current, ())):
                if caller not in dist:
                    dist[caller] = dist[current] + 1
                    queue.append(caller)
        return dist


def io_reachability(files: Iterable[FileFacts]) -> dict[str, IoChain]:
    """Every function that reaches an I/O site, directly or through first-party calls, with its shortest
    chain. Pure: the same facts in any order give the same result."""
    return CallGraph.build(files).io_chains()
