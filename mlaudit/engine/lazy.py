"""Rules and fact extractors known from the rule manifest, imported only where they run.

File rules and fact extractors are libcst visitors: importing one imports the parser (most of a warm
run's start-up). A run whose files all come from the cache never runs them, so the registry built from
the manifest (``engine.manifest.registry``) holds *stand-ins* for every rule and extractor: plain
classes with the same metadata (code, name, severity, ``applies_to``, ``provides``, ``requires_facts``,
default options) and the same ``__module__``/``__qualname__``, so selection, cache keys and reports are
the same as with the real classes. ``materialize`` swaps the real classes in (importing their modules)
just before files are analysed, ``real`` before a project rule runs; a run whose files and project
findings all come from the cache imports no rule module.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from pydantic import ConfigDict

from mlaudit.engine.options import options_type
from mlaudit.engine.results import RunPlan
from mlaudit.engine.rule import ProjectRule, Rule, RuleOptions

T = TypeVar("T")

_MARK = "__mlaudit_stand_in__"
"""Set on a stand-in class itself (not inherited): the source file of the module it stands for."""
_DEFAULTS = "__mlaudit_default_options__"
_KIND = "__mlaudit_kind__"


class PendingOptions(RuleOptions):
    """A file rule's default options as the manifest recorded them (``model_dump`` is the real default
    options' dump, so the cache key is the same); the real ``Options`` replaces them in ``materialize``."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)


def is_stand_in(cls: type[Any]) -> bool:
    return _MARK in vars(cls)


def source_file(cls: type[Any]) -> str | None:
    """The file defining ``cls`` (for cache keys), without importing a stand-in's module."""
    if is_stand_in(cls):
        return str(vars(cls)[_MARK]) or None
    return getattr(sys.modules.get(cls.__module__), "__file__", None)


def stand_in(
    module: str, qualname: str, origin: str, attrs: Mapping[str, Any], base: type[Any] = object
) -> type[Any]:
    """A class that stands for ``module.qualname`` with the given class attributes."""
    namespace = {**attrs, "__module__": module, "__qualname__": qualname, _MARK: origin}
    return type(qualname.rpartition(".")[2], (base,), namespace)


def stand_in_rule(
    module: str,
    qualname: str,
    origin: str,
    attrs: Mapping[str, Any],
    *,
    kind: str,
    options: Mapping[str, Any] | None,
) -> type[Rule]:
    """A rule's stand-in: a ``ProjectRule`` for a project rule (its ``requires_facts`` in ``attrs``), else
    a plain ``Rule`` that ``is_file_rule`` recognises by its ``kind``."""
    base = ProjectRule if kind == "project" else Rule
    return stand_in(module, qualname, origin, {**attrs, _DEFAULTS: options, _KIND: kind}, base=base)


def kind(cls: type[Any]) -> str | None:
    """``file``, ``project`` or ``meta`` for a rule's stand-in; None for a real class."""
    return vars(cls).get(_KIND) if is_stand_in(cls) else None


def default_options(rule: type[Rule]) -> RuleOptions | None:
    """A stand-in's default options (None for a real class: its ``Options`` validates)."""
    if not is_stand_in(rule):
        return None
    defaults = vars(rule)[_DEFAULTS]
    return RuleOptions() if defaults is None else PendingOptions(**defaults)


def real(cls: type[T]) -> type[T]:
    """The class a stand-in stands for (its module imported now); a real class as it is."""
    return cls if not is_stand_in(cls) else import_class(cls.__module__, cls.__qualname__)


def import_class(module: str, qualname: str) -> Any:
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def real_options(rule: type[Rule], options: RuleOptions) -> RuleOptions:
    return options_type(real(rule))() if isinstance(options, PendingOptions) else options


@cache
def materialize(plan: RunPlan) -> RunPlan:
    """``plan`` with real classes and options (the same object when it has no stand-in)."""
    rules = [rule for rule, _ in plan.file_rules]
    if not any(is_stand_in(c) for c in [*rules, *plan.extractors]):
        return plan
    return RunPlan(
        settings=plan.settings,
        file_rules=tuple((real(rule), real_options(rule, options)) for rule, options in plan.file_rules),
        extractors=tuple(real(x) for x in plan.extractors),
        rule_keys=plan.rule_keys,
    )
