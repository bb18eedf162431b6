"""MLA102 mutated-module-state: a module-level mutable object mutated inside a function, in the same
module or through an import from another first-party module (``from .state import CACHE``).

One finding per function (rules.md, "One finding per cause"): a function that mutates three module-level
lists is one cause, reported at its first mutation with every site in ``related``.

Quiet where module state is not shared beyond one run (rules.md, "Scripts", "Frameworks"):

* a **script** (a file no first-party module imports, run rather than imported: a benchmark, an example,
  a training script): its module state lives exactly as long as its one run, like ``main``'s locals.
  Unless the script is a long-running process that calls its functions many times (it imports an
  orchestrator or a web framework: Prefect flows, Airflow DAGs, a Flask app): there state accumulates;
* **files run by a tool** (``setup.py``, ``docs/conf.py``, ...);
* a **web service's own state**: in a module that binds a web application (``app = FastAPI()``), an object
  of that module mutated only by its route handlers (and start-up code) is the service's state (an
  in-memory model cache refreshed by a ``/models`` endpoint), the framework's documented pattern.

Quiet also for a **memo cache**: ``if key not in CACHE: CACHE[key] = compute(key)`` (or after ``if key in
CACHE: return CACHE[key]``) fills a module-level dict keyed by the function's inputs and never changes a
value a caller already saw, like ``functools.lru_cache`` (``mlaudit.facts.memo``). Any other mutation of
the same dict (``CACHE.clear()``, an update of a present key, ``CACHE[key] += 1``) is still reported.

Quiet too for a **registry fill** by name (``mlaudit.facts.registry``): ``REGISTRY[cls.NAME] = cls`` in a
plugin-discovery ``init()``, like a ``register`` decorator done by a loop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase

from mlaudit.engine.rule import ProjectRule, RawFinding, RelatedSite, RuleOptions
from mlaudit.facts import frameworks as fw
from mlaudit.facts.model import FileFacts, MutationFact
from mlaudit.facts.mutability import describe, mutates
from mlaudit.model import Severity
from mlaudit.project import scripts
from mlaudit.project.index import ProjectIndex

_MAX_REEXPORT_HOPS = 8
_KIND_NAMES = {"frame": "DataFrame", "array": "array"}


class MutatedModuleStateOptions(RuleOptions):
    registration_functions: tuple[str, ...] = ("register*", "_register*", "__init_subclass__")
    """Globs of function names whose mutations are import-time registration (``def register(fn):
    REGISTRY[fn.__name__] = fn``; ``__init_subclass__`` registers each subclass as it is defined).
    Functions used as decorators, or called at module level, in the module that defines them are always
    treated as registration."""


class MutatedModuleState(ProjectRule[MutatedModuleStateOptions]):
    """Flags mutation of module-level lists, dicts, sets, frames and arrays from inside functions."""

    code = "MLA102"
    name = "mutated-module-state"
    category = "state"
    severity = Severity.WARNING
    # Opt-in: the blind reviews (review/heldout*-verdicts.json) found it right on 0.5 of 4 on the fresh heldout6 (plugin registries);
    # below the 90% bar of the default selection (rules.md, "Precision bar"). See after.md.
    default_enabled = False
    message = (
        "Module-level state mutated in a function: pass it in and return the result, or keep it in an object"
    )
    requires_facts = frozenset({"state", "imports"}) | scripts.REQUIRED_FACTS

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        by_module = index.by_module
        kinds: dict[str, scripts.FileKind] | None = None
        for facts in index:
            if not facts.mutations or scripts.is_bdd(facts):
                continue
            kinds = kinds if kinds is not None else scripts.classify(index)
            if _run_once(facts, kinds.get(facts.path)):
                continue
            for function, sites in self._groups(facts, by_module).items():
                yield self._finding(facts, function, sites)

    def _groups(
        self, facts: FileFacts, by_module: dict[str, FileFacts]
    ) -> dict[str, list[tuple[MutationFact, str, str]]]:
        """Real mutations of module-level mutable objects, by function: (mutation, kind, object label)."""
        patterns = self.options.registration_functions
        groups: dict[str, list[tuple[MutationFact, str, str]]] = defaultdict(list)
        lifespan = set(facts.script.lifespan) if facts.script else set()
        service_state = _service_state(facts)
        for m in facts.mutations:
            if _is_registration(m.function, patterns) or m.function.partition(".")[0] in lifespan:
                continue  # registration at import; FastAPI start-up code and dependency providers
            if m.binding == "global" and m.name in service_state:
                continue  # a web service's own state, changed by its route handlers
            if m.registration:
                continue  # `REGISTRY[cls.NAME] = cls` filled by a plugin-discovery function: registration
            if m.memo:
                continue  # `if key not in CACHE: CACHE[key] = compute(key)`: a memo cache keyed by its inputs
            origin = _origin(m, facts, by_module)
            if origin is None:
                continue
            owner, name = origin
            kind = owner.mutable_kinds.get(name)
            if kind is not None and mutates(m.operation, kind):
                label = name if owner is facts else f"{owner.module}.{name}"
                groups[m.function].append((m, kind, label))
        return groups

    def _finding(self, facts: FileFacts, function: str, sites: list[tuple[MutationFact, str, str]]) -> RawFinding:
        sites.sort(key=lambda s: (s[0].span.line, s[0].span.col))
        first, kind, label = sites[0]
        labels = list(dict.fromkeys(s[2] for s in sites))
        if len(labels) == 1:
            where = "module-level" if first.binding == "global" else "imported module-level"
            what = f"`{label}` ({where} {_KIND_NAMES.get(kind, kind)}) is"
            extra = f" ({len(sites)} mutations here)" if len(sites) > 1 else ""
        else:
            shown = ", ".join(f"`{name}`" for name in labels[:-1]) + f" and `{labels[-1]}`"
            what = f"{len(labels)} module-level objects, {shown}, are"
            extra = f" ({len(sites)} mutations here)"
        message = (
            f"{what} mutated in `{function}`, first by {describe(first.operation)}{extra}: "
            "pass them in and return the result, or keep them in an object the caller owns"
            if len(labels) > 1
            else f"{what} mutated in `{function}` by {describe(first.operation)}{extra}: "
            "pass it in and return the result, or keep it in an object the caller owns"
        )
        related = [
            RelatedSite(facts.path, m.span, f"`{name}` also mutated here by {describe(m.operation)}")
            for m, _, name in sites[1:]
        ]
        return self.finding(facts.path, first.span, message, snippet=first.snippet, related=related)


def _run_once(facts: FileFacts, kind: scripts.FileKind | None) -> bool:
    """A script whose module state lives for its one run, or a file run by a tool."""
    if kind is None:
        return False
    if kind.tool_run:
        return True
    if not kind.script:
        return False
    packages = {i.target.partition(".")[0] for i in facts.imports}
    return not packages & fw.LONG_RUNNING_PACKAGES


def _service_state(facts: FileFacts) -> frozenset[str]:
    """Module-level names of a web-service module mutated only by its route handlers and start-up code."""
    script = facts.script
    if script is None or not script.web_app or not script.routes:
        return frozenset()
    allowed = set(script.routes) | set(script.lifespan)
    functions: dict[str, set[str]] = defaultdict(set)
    for m in facts.mutations:
        if m.binding == "global":
            functions[m.name].add(m.function.partition(".")[0])
    return frozenset(name for name, owners in functions.items() if owners <= allowed)


def _is_registration(qualname: str, patterns: tuple[str, ...]) -> bool:
    parts = [p for p in qualname.split(".") if p != "<locals>"]
    return any(fnmatchcase(part, pattern) for part in parts for pattern in patterns)


def _origin(
    m: MutationFact, facts: FileFacts, by_module: dict[str, FileFacts]
) -> tuple[FileFacts, str] | None:
    """The file that defines the mutated object and its module-level name there."""
    if m.binding == "global":
        return facts, m.name
    source = m.source
    for _ in range(_MAX_REEXPORT_HOPS):
        found = _split(source, by_module)
        if found is None:
            return None
        owner, rest = found
        head, _, tail = rest.partition(".")
        if head in owner.mutable_kinds:
            return (owner, head) if not tail else None
        origin = owner.exports.get(head)
        if origin is None or origin == f"{owner.module}.{head}":
            return None
        # A re-export (`pkg/__init__.py: from .state import CACHE`) or a submodule import: follow it.
        source = f"{origin}.{tail}" if tail else origin
    return None


def _split(source: str, by_module: dict[str, FileFacts]) -> tuple[FileFacts, str] | None:
    """``pkg.state.CACHE`` -> (facts of ``pkg.state``, ``CACHE``), longest module prefix first."""
    for prefix, rest in _prefixes(source):
        owner = by_module.get(prefix)
        if owner is not None:
            return owner, rest
    return None


def _prefixes(source: str) -> Iterator[tuple[str, str]]:
    parts = source.split(".")
    for i in range(len(parts) - 1, 0, -1):
        yield ".".join(parts[:i]), ".".join(parts[i:])
