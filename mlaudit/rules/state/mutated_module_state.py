"""MLA102 mutated-module-state: a module-level mutable object mutated inside a function, in the same
module or through an import from another first-party module (``from .state import CACHE``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase

from mlaudit.engine.rule import ProjectRule, RawFinding, RelatedSite, RuleOptions
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
    message = (
        "Module-level state mutated in a function: pass it in and return the result, or keep it in an object"
    )
    requires_facts = frozenset({"state", "imports"}) | scripts.REQUIRED_FACTS

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        by_module = index.by_module
        for facts in index:
            if index.is_production(facts) and facts.mutations and not scripts.is_bdd(facts):
                for (function, label), sites in self._groups(facts, by_module).items():
                    yield self._finding(facts, function, label, sites)

    def _groups(
        self, facts: FileFacts, by_module: dict[str, FileFacts]
    ) -> dict[tuple[str, str], list[tuple[MutationFact, str]]]:
        """Real mutations of module-level mutable objects, by (function, object)."""
        patterns = self.options.registration_functions
        groups: dict[tuple[str, str], list[tuple[MutationFact, str]]] = defaultdict(list)
        lifespan = set(facts.script.lifespan) if facts.script else set()
        for m in facts.mutations:
            if _is_registration(m.function, patterns) or m.function.partition(".")[0] in lifespan:
                continue  # registration at import; FastAPI start-up code and dependency providers
            origin = _origin(m, facts, by_module)
            if origin is None:
                continue
            owner, name = origin
            kind = owner.mutable_kinds.get(name)
            if kind is not None and mutates(m.operation, kind):
                label = name if owner is facts else f"{owner.module}.{name}"
                groups[(m.function, label)].append((m, kind))
        return groups

    def _finding(
        self, facts: FileFacts, function: str, label: str, sites: list[tuple[MutationFact, str]]
    ) -> RawFinding:
        sites.sort(key=lambda s: (s[0].span.line, s[0].span.col))
        first, kind = sites[0]
        where = "module-level" if first.binding == "global" else "imported module-level"
        what = f"`{label}` ({where} {_KIND_NAMES.get(kind, kind)})"
        extra = f" ({len(sites)} mutations here)" if len(sites) > 1 else ""
        message = (
            f"{what} is mutated in `{function}` by {describe(first.operation)}{extra}: "
            "pass it in and return the result, or keep it in an object the caller owns"
        )
        related = [
            RelatedSite(facts.path, m.span, f"`{label}` also mutated here by {describe(m.operation)}")
            for m, _ in sites[1:]
        ]
        return self.finding(facts.path, first.span, message, snippet=first.snippet, related=related)


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
