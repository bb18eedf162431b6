"""MLA304 hyperparameter-drift: one hyperparameter, different literal values in different files.

What counts as "the same hyperparameter" (documented in the rule's README):

* the same name, exactly (``lr`` and ``learning_rate`` are different names; module constants match the
  vocabulary case-insensitively, so ``LEARNING_RATE = 3e-4`` is ``learning_rate``);
* and the same knob: two keywords are comparable only when their callees have the same last name
  component (``LogisticRegression(C=1.0)`` and ``SVC(C=0.5)`` are different knobs, ``train_test_split(
  test_size=0.2)`` in a script and in a notebook are the same one); module constants and config-model
  fields configure the name wherever it is used, so they compare with every keyword of the name, and with
  each other when both are hardcoded; params dicts compare with each other only; a parameter default
  belongs to its function (a class's ``__init__`` to the class) and compares only with the calls of that
  function that override it.

Drift is a pair of comparable sites in different files of one program (two hardcoded production sites
count only when one file imports the other or both import a common first-party module: independent
scripts are independent) with different values of which at least one is in production code (two notebooks disagreeing is exploration; a notebook disagreeing with the training
code is the point) and at least one is hardcoded (not in a config module/model, not a parameter
default): two config files
that differ are variants by design. Not compared: the values 0 and 1 (they switch a mechanism off or make
it trivial, ``max_iter=1`` for one pass, rather than tune it), layer constructor arguments (``torch.nn``,
keras layers) and, by default, architecture hyperparameters (``ignore-names``): they define models, which
legitimately differ. Nor is a knob, or a name, whose conflicting sites carry more than ``max-values`` (default 3)
distinct values: that is a parameter tuned per use (a folder of independent examples, a model zoo), not a
copied value that diverged.
Test files are ignored; notebooks and experiments count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from pydantic import Field

from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, ProjectRule, RawFinding, RelatedSite, RuleOptions
from mlaudit.facts.values import is_degenerate, numeric_value
from mlaudit.facts.model import FileFacts, HyperparamFact
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex
from mlaudit.project.programs import mirrors

ARCHITECTURE_NAMES: tuple[str, ...] = (
    "hidden_size",
    "hidden_dim",
    "num_layers",
    "num_heads",
    "embedding_dim",
)


@dataclass(frozen=True, slots=True, eq=False)
class _Site:
    path: str
    fact: HyperparamFact
    value: float
    hardcoded: bool
    production: bool

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.path, self.fact.span.line, self.fact.span.col)


def _spread(sites: Iterable[_Site]) -> tuple[int, int]:
    """(distinct values, distinct files)."""
    items = list(sites)
    return len({s.value for s in items}), len({s.path for s in items})


class _Links:
    """Which files belong to one program: one imports the other, or both import a common first-party
    module other than a package's public API (its ``__init__``: two scripts that both use a library
    are independent uses of it). Two independent scripts that set the same knob differently are not
    drifting copies."""

    def __init__(self, index: ProjectIndex) -> None:
        modules = {f.module for f in index if f.module and not f.is_notebook and not f.is_package}
        self.module: dict[str, str] = {f.path: f.module for f in index}
        self.deps: dict[str, frozenset[str]] = {f.path: _first_party_imports(f, modules) for f in index}
        self._memo: dict[tuple[str, str], bool] = {}
        self.programs = index.programs

    def connected(self, a: str, b: str) -> bool:
        key = (a, b) if a < b else (b, a)
        if key not in self._memo:
            da, db = self.deps.get(a, frozenset()), self.deps.get(b, frozenset())
            self._memo[key] = bool(da & db) or self.module.get(a) in db or self.module.get(b) in da
        return self._memo[key]


def _first_party_imports(facts: FileFacts, modules: set[str]) -> frozenset[str]:
    """The modules of ``modules`` that ``facts`` imports (``from p import m`` names ``p.m``)."""
    names = (t for imp in facts.imports for t in (imp.target, *(f"{imp.target}.{n}" for n in imp.names)))
    return frozenset(t for t in names if t in modules)


def _pair(x: _Site, y: _Site, links: _Links) -> bool:
    """Drift: other file, other value, one of the two hardcoded, one of the two in production, both in
    one program (or in programs of which one imports the other: ``project.programs``); and two hardcoded
    production sites only when their files are linked by imports (notebooks and configured values compare
    with the whole program: a notebook disagreeing with the training code, a literal disagreeing with
    the config)."""
    if x.path == y.path or x.value == y.value or not _complementary(x, y):
        return False
    if not links.programs.linked(x.path, y.path):
        return False
    plain = x.hardcoded and x.production and y.hardcoded and y.production
    return not plain or links.connected(x.path, y.path)


def _complementary(x: _Site, y: _Site) -> bool:
    return (x.hardcoded or y.hardcoded) and (x.production or y.production)


def _involved(group: Sequence[_Site], max_values: int, links: _Links) -> set[_Site]:
    """Sites of ``group`` in a conflicting pair (see ``_pair``). A group with more than ``max_values``
    distinct values is tuned per use, not drifting."""
    values, files = _spread(group)
    if values < 2 or values > max_values or files < 2:
        return set()
    by_value: dict[float, list[_Site]] = defaultdict(list)
    for s in group:
        by_value[s.value].append(s)
    found: set[_Site] = set()
    for a, b in combinations(sorted(by_value), 2):
        found |= _cross(by_value[a], by_value[b], max_values, links)
    return found


def _cross(a: Sequence[_Site], b: Sequence[_Site], max_values: int, links: _Links) -> set[_Site]:
    """Sites of ``a`` and ``b`` in a conflicting pair (one from each)."""
    if _spread((*a, *b))[0] > max_values:
        return set()
    found: set[_Site] = set()
    for x in a:
        partners = [y for y in b if _pair(x, y, links)]
        if partners:
            found.add(x)
            found.update(partners)
    return found


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _comparable(hp: HyperparamFact, ignored: frozenset[str]) -> float | None:
    """The numeric value of a site drift compares (not a layer argument, an ignored name, 0 or 1)."""
    value = numeric_value(hp.value)
    if value is None or hp.context == "layer" or hp.name in ignored or is_degenerate(hp.value):
        return None
    return value


class Options(RuleOptions):
    ignore_names: tuple[str, ...] = ARCHITECTURE_NAMES
    """Hyperparameters drift does not compare. By default the architecture ones: they differ between models by
    design, and a mismatch between training and serving fails loudly when the weights are loaded."""
    max_values: int = Field(default=3, ge=2)
    """A knob set to more distinct values than this across the project is tuned per use (independent
    examples, a model zoo), not a copied value that drifted, and is not reported."""


class HyperparameterDrift(ProjectRule[Options]):
    code = "MLA304"
    name = "hyperparameter-drift"
    category = "config"
    severity = Severity.WARNING
    message = (
        "Hyperparameter set to different literal values in different files: define it once in configuration"
    )
    applies_to = frozenset({PRODUCTION, EXPERIMENT})
    requires_facts = frozenset({"hyperparams", "imports"})
    # Opt-in: on the real-world corpus 0 of 15 findings before and 0 of 3 after (independent review) were
    # worth raising; notebooks trying other values are exploration, not drift. See after.md.
    default_enabled = False

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        by_name: dict[str, list[_Site]] = defaultdict(list)
        for site in self._sites(index):
            by_name[site.fact.name].append(site)
        links = _Links(index)
        for name in sorted(by_name):
            involved = _conflicts(by_name[name], self.options.max_values, links)
            if involved:
                yield self._finding(name, involved)

    def _sites(self, index: ProjectIndex) -> Iterator[_Site]:
        ignored = frozenset(self.options.ignore_names)
        exports = mirrors(index)
        for facts in index:
            if "test" in facts.roles or facts.path in exports:
                continue
            production = ProjectIndex.is_production(facts)
            config_module = "config" in facts.roles
            for hp in facts.hyperparams:
                value = _comparable(hp, ignored)
                if value is not None:
                    yield _Site(facts.path, hp, value, not (hp.exempt or config_module), production)

    def _finding(self, name: str, involved: set[_Site]) -> RawFinding:
        ordered = sorted(involved, key=lambda s: s.key)
        # Report at a hardcoded site, production code first: that is the line to change.
        primary = min(ordered, key=lambda s: (not s.hardcoded, not s.production, s.key))
        values = Counter(s.value for s in ordered)
        summary = ", ".join(
            f"{_fmt(v)} ({n} site{'s' if n > 1 else ''})"
            for v, n in sorted(values.items(), key=lambda kv: kv[0])
        )
        files = len({s.path for s in ordered})
        message = (
            f"hyperparameter `{name}` has different literal values in {files} files: {summary}; "
            "define it once in configuration and use that everywhere"
        )
        related = [
            RelatedSite(s.path, s.fact.span, f"`{name}` = {s.fact.value} ({s.fact.context})")
            for s in ordered
            if s is not primary
        ]
        return self.finding(
            primary.path, primary.fact.span, message, snippet=primary.fact.snippet, related=related
        )


def _kinds(
    sites: list[_Site],
) -> tuple[list[_Site], list[_Site], dict[str, list[_Site]], dict[str, list[_Site]]]:
    """(constants and config fields, params dicts, keyword calls by knob, parameter defaults by function)."""
    wildcards: list[_Site] = []
    dicts: list[_Site] = []
    calls: dict[str, list[_Site]] = defaultdict(list)
    defaults: dict[str, list[_Site]] = defaultdict(list)
    for s in sites:
        if s.fact.context == "dict":
            dicts.append(s)
        elif not s.fact.target:
            wildcards.append(s)
        else:
            (defaults if s.fact.context == "default" else calls)[s.fact.target].append(s)
    return wildcards, dicts, calls, defaults


def _conflicts(sites: list[_Site], max_values: int, links: _Links) -> set[_Site]:
    """Every site of one name that is in a conflicting pair of comparable sites (none when they carry more
    than ``max_values`` distinct values: then the name is tuned per use)."""
    wildcards, dicts, calls, defaults = _kinds(sites)
    # Calls of one knob with each other and with the name's constants/config fields; a function's default
    # with the calls that override it (not with constants: those are passed in, by design). Without a
    # callee on either side (constants, config fields) both must be hardcoded: two configured values of a
    # name in different places are variants or different knobs. Params dicts feed one unknown callee
    # each, so they are compared only with each other.
    hard_wildcards = [s for s in wildcards if s.hardcoded]
    involved = _involved(hard_wildcards, max_values, links) | _involved(dicts, max_values, links)
    for target, group in calls.items():
        involved |= _involved(group + wildcards, max_values, links)
        # a default is overridden on purpose by production callers; an experiment that overrides it
        # is the exploration that diverged from what production runs
        overriding = [s for s in group if not s.production]
        involved |= _cross(overriding, defaults.get(target, []), max_values, links)
    return involved if _spread(involved)[0] <= max_values else set()
