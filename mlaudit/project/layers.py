"""Layer contracts (import-linter style) checked against an ``ImportGraph``.

A contract is an ordered list of layers, HIGH to LOW; a module may import its own layer and any lower
one. One layer entry may hold several members: ``"a | b"`` makes them independent siblings (they must
not import each other), ``"a : b"`` puts them in one layer that may import each other.

Members are matched in one of two ways:

* ``by="module"``: dotted module globs. A member matches the named module and all its descendants;
  ``*`` matches one dotted component (or part of one: ``*_io``), ``**`` any number (zero included).
  With ``containers``, members are relative to each container (``data`` in container ``pkg`` is
  ``pkg.data``) and only imports inside one container are checked. A module matched by several
  members belongs to the most specific one (most literal components, then contract order).
* ``by="role"``: role names from ``FileFacts.roles`` (the default ML contract). Roles are a set, so a
  module with two layer roles (``serving/model.py``: serve and model) spans both layers; an import is
  upward only when *every* layer of the importer lies below *every* layer of the imported module, so
  such a module never yields a false positive.

``TYPE_CHECKING`` imports never count; lazy (function-level) imports do by default, because a layer
contract is about dependencies, not import time.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from mlaudit.project.import_graph import ImportEdge, ImportGraph

DEFAULT_ML_LAYERS: tuple[str, ...] = ("serve", "train", "model", "features", "data", "config")
"""The default ML contract, high to low (rules.md: config < data < features < model < train < serve)."""

NON_LAYERED_ROLES: frozenset[str] = frozenset({"test", "experiment"})

ViolationKind = Literal["upward", "sibling"]


@dataclass(frozen=True, slots=True)
class Layer:
    members: tuple[str, ...]
    independent: bool = True
    """Members are independent siblings (``|``) rather than one shared layer (``:``)."""

    @classmethod
    def parse(cls, entry: str) -> Layer:
        if "|" in entry and ":" in entry:
            raise ValueError(f"layer {entry!r} mixes '|' and ':'")
        separator = ":" if ":" in entry else "|"
        members = tuple(part.strip() for part in entry.split(separator))
        if not all(members):
            raise ValueError(f"layer {entry!r} has an empty member")
        return cls(members, independent=separator == "|")

    def __str__(self) -> str:
        return (" | " if self.independent else " : ").join(self.members)


@dataclass(frozen=True, slots=True)
class LayerContract:
    layers: tuple[Layer, ...]
    """High to low."""
    by: Literal["module", "role"] = "module"
    containers: tuple[str, ...] = ()
    exclude_roles: frozenset[str] = frozenset()
    """Modules with one of these roles have no layer (tests and experiments in the default contract)."""
    include_function_level: bool = True

    @classmethod
    def from_strings(
        cls,
        layers: Sequence[str],
        *,
        by: Literal["module", "role"] = "module",
        containers: Sequence[str] = (),
        exclude_roles: Sequence[str] = (),
        include_function_level: bool = True,
    ) -> LayerContract:
        return cls(
            layers=tuple(Layer.parse(entry) for entry in layers),
            by=by,
            containers=tuple(containers),
            exclude_roles=frozenset(exclude_roles),
            include_function_level=include_function_level,
        )


DEFAULT_ML_ALLOWED: tuple[tuple[str, str, str], ...] = (
    ("data", "features", "*transforms"),
    ("train", "serve", "*predict"),
)
"""Upward imports the default ML contract allows: (importer layer, imported layer, glob on the imported
module's dotted name). A dataset applies the sample transforms (augmentation, ``ToTensor``...) of a
``transforms`` module: torchvision's ``Dataset(transform=...)`` design, not a layering smell. Training
and evaluation score a model through the serving side's ``predict`` function: one prediction path for
both is what keeps them from drifting apart (train/serve skew)."""


def allowed_by_default(violation: LayerViolation) -> bool:
    """``violation`` is one of the default contract's allowed idioms (``DEFAULT_ML_ALLOWED``)."""
    return any(
        violation.importer_layer == low and violation.imported_layer == high
        and fnmatch.fnmatchcase(violation.imported, glob)
        for low, high, glob in DEFAULT_ML_ALLOWED
    )  # fmt: skip


def default_ml_contract() -> LayerContract:
    return LayerContract.from_strings(DEFAULT_ML_LAYERS, by="role", exclude_roles=sorted(NON_LAYERED_ROLES))


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a module sits: layer indexes counted from the LOW end (``low == high`` unless a module has
    several layer roles); ``sibling`` is the member index inside a single layer, if unambiguous."""

    low: int
    high: int
    label: str
    container: str = ""
    sibling: int | None = None


@dataclass(frozen=True, slots=True)
class LayerViolation:
    importer: str
    imported: str
    edge: ImportEdge
    importer_layer: str
    imported_layer: str
    kind: ViolationKind = "upward"


def match_module_glob(pattern: str, module: str) -> bool:
    """``pattern`` matches ``module`` or one of its ancestors (a layer includes descendants)."""
    return _match_prefix(pattern.split("."), module.split("."))


def match_module_exact(pattern: str, module: str) -> bool:
    """``pattern`` matches ``module`` itself (``*`` one component, ``**`` any number): import-linter's
    ``ignore_imports`` semantics, where ``a.b`` does not cover ``a.b.c``."""
    parts = module.split(".")
    return len(parts) in _states(pattern.split("."), parts)


def _match_prefix(pattern: Sequence[str], parts: Sequence[str]) -> bool:
    return bool(_states(pattern, parts))


def _states(pattern: Sequence[str], parts: Sequence[str]) -> set[int]:
    # positions in ``parts`` reachable after consuming the whole pattern (no backtracking blowup)
    states = {0}
    for token in pattern:
        if token == "**":
            states = set(range(min(states), len(parts) + 1)) if states else set()
        else:
            states = {i + 1 for i in states if i < len(parts) and fnmatch.fnmatchcase(parts[i], token)}
        if not states:
            return set()
    return states


@dataclass(frozen=True, slots=True)
class IgnoredImport:
    """One ``ignore-imports`` entry, ``importer -> imported`` with module globs."""

    importer: str
    imported: str

    @classmethod
    def parse(cls, entry: str) -> IgnoredImport:
        importer, arrow, imported = entry.partition("->")
        if not arrow or not importer.strip() or not imported.strip():
            raise ValueError(f"ignore-imports entry {entry!r} is not of the form 'importer -> imported'")
        return cls(importer.strip(), imported.strip())

    def matches(self, importer: str, imported: str) -> bool:
        return match_module_exact(self.importer, importer) and match_module_exact(self.imported, imported)


def _specificity(pattern: str) -> int:
    return sum(1 for token in pattern.split(".") if "*" not in token)


def _container_of(module: str, containers: Sequence[str]) -> str | None:
    matches = [c for c in containers if module == c or module.startswith(c + ".")]
    return max(matches, key=len) if matches else None


def place_module(graph: ImportGraph, module: str, contract: LayerContract) -> Placement | None:
    info = graph.info(module)
    if contract.exclude_roles.intersection(info.roles):
        return None
    container = ""
    if contract.containers:
        found = _container_of(module, contract.containers)
        if found is None:
            return None
        container = found
    if contract.by == "role":
        return _place_by_role(set(info.roles), contract, container)
    return _place_by_glob(module, contract, container)


def _place_by_glob(module: str, contract: LayerContract, container: str) -> Placement | None:
    """The most specific matching member wins (most literal components, then contract order)."""
    matches = [
        (-_specificity(pattern), order, member_index, member)
        for order, layer in enumerate(contract.layers)
        for member_index, member in enumerate(layer.members)
        if match_module_glob(pattern := f"{container}.{member}" if container else member, module)
    ]
    if not matches:
        return None
    _, order, member_index, member = min(matches)
    index = len(contract.layers) - 1 - order
    return Placement(index, index, member, container, member_index)


def _place_by_role(roles: set[str], contract: LayerContract, container: str) -> Placement | None:
    count = len(contract.layers)
    hits = [
        (count - 1 - order, member_index, member)
        for order, layer in enumerate(contract.layers)
        for member_index, member in enumerate(layer.members)
        if member in roles
    ]
    if not hits:
        return None
    indexes = [index for index, _, _ in hits]
    low, high = min(indexes), max(indexes)
    siblings = {member_index for _, member_index, _ in hits}
    sibling = siblings.pop() if low == high and len(siblings) == 1 else None
    label = "/".join(sorted({member for _, _, member in hits}))
    return Placement(low, high, label, container, sibling)


def _violation_kind(
    importer: Placement, imported: Placement, contract: LayerContract
) -> ViolationKind | None:
    if importer.container != imported.container:
        return None
    if importer.high < imported.low:
        return "upward"
    same_layer = importer.low == importer.high == imported.low == imported.high
    if (
        same_layer
        and contract.layers[len(contract.layers) - 1 - importer.low].independent
        and importer.sibling is not None
        and imported.sibling is not None
        and importer.sibling != imported.sibling
    ):
        return "sibling"
    return None


def find_layer_violations(graph: ImportGraph, contract: LayerContract) -> list[LayerViolation]:
    """Every import (one per statement) from a lower to a higher layer, or between independent
    siblings, sorted by importer, file and line."""
    placements = {module: place_module(graph, module, contract) for module in graph.modules}
    violations: list[LayerViolation] = []
    for edge in graph.edges:
        if not edge.counts(
            include_type_checking=False, include_function_level=contract.include_function_level
        ):
            continue
        source, target = placements[edge.importer], placements[edge.target]
        if source is None or target is None:
            continue
        kind = _violation_kind(source, target, contract)
        if kind is not None:
            violations.append(
                LayerViolation(edge.importer, edge.target, edge, source.label, target.label, kind)
            )
    return violations
