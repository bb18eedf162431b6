"""Rule registry: rules are found, never listed by hand.

Built-ins come from walking a package (``mlaudit.rules``, passed in by the API) for ``Rule``
subclasses; third-party packs register a module or class under the entry-point group ``mlaudit.rules``.
Selectors accept a code (``MLA201``), a code prefix (``MLA2``), a name (``io-in-transform``) or ``ALL``.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from types import ModuleType
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from mlaudit.config.schema import Settings
from mlaudit.engine import lazy
from mlaudit.engine.options import RuleOptions, options_problems, options_type
from mlaudit.engine.rule import ProjectRule, Rule
from mlaudit.model import Severity

if TYPE_CHECKING:
    from mlaudit.engine.visitor import FactExtractor

ENTRY_POINT_GROUP = "mlaudit.rules"


class RegistryError(Exception):
    """A usage error in rule selection or rule options (exit code 2)."""


def _classes_in(module: ModuleType) -> Iterator[type[Any]]:
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if obj.__module__ == module.__name__:
            yield obj


def _is_concrete_rule(cls: type[Any]) -> bool:
    return issubclass(cls, Rule) and cls not in (Rule, ProjectRule) and "code" in vars(cls)


def _visitor_base(name: str) -> type[Any] | None:
    """``FileRule`` or ``FactExtractor`` when ``engine.visitor`` was imported; None before that, when no
    class can derive from them yet (asking must not import libcst)."""
    return getattr(sys.modules.get("mlaudit.engine.visitor"), name, None)


def is_file_rule(cls: type[Any]) -> bool:
    if lazy.is_stand_in(cls):
        return lazy.kind(cls) == "file"
    base = _visitor_base("FileRule")
    return base is not None and issubclass(cls, base)


def _is_extractor(cls: type[Any]) -> bool:
    base = _visitor_base("FactExtractor")
    return base is not None and issubclass(cls, base) and cls is not base and bool(cls.provides)


def _modules_of(package: ModuleType) -> list[ModuleType]:
    modules = [package]
    if hasattr(package, "__path__"):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            modules.append(importlib.import_module(info.name))
    return modules


def walk_package(package: ModuleType) -> tuple[list[type[Rule]], list[type[FactExtractor]]]:
    """Import every module below ``package`` and collect concrete rules and fact extractors."""
    classes = [cls for module in _modules_of(package) for cls in _classes_in(module)]
    return [c for c in classes if _is_concrete_rule(c)], [c for c in classes if _is_extractor(c)]


def load_plugins() -> tuple[list[type[Rule]], list[type[FactExtractor]], list[str]]:
    """Rules from installed packs; a broken pack becomes a warning, not a crash."""
    rules: list[type[Rule]] = []
    extractors: list[type[FactExtractor]] = []
    warnings: list[str] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            obj = ep.load()
        except Exception as exc:  # a third-party import error must not stop the run
            warnings.append(f"rule pack `{ep.name}` ({ep.value}) failed to load: {exc}")
            continue
        if inspect.ismodule(obj):
            found, found_extractors = walk_package(obj)
            rules.extend(found)
            extractors.extend(found_extractors)
        elif inspect.isclass(obj) and issubclass(obj, Rule):
            rules.append(obj)
        else:
            warnings.append(f"rule pack `{ep.name}` is neither a module nor a Rule subclass")
    return rules, extractors, warnings


@dataclass
class Registry:
    rules: list[type[Rule]]
    extractors: list[type[FactExtractor]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        problems = [p for r in self.rules for p in [*r.validate_metadata(), *options_problems(r)]]
        problems += unknown_facts(self.rules, self.extractors)
        by_code: dict[str, type[Rule]] = {}
        by_name: dict[str, type[Rule]] = {}
        for rule in self.rules:
            for key, table in ((rule.code, by_code), (rule.name, by_name)):
                other = table.get(key)
                if other is not None and other is not rule:
                    problems.append(f"{key} is defined twice ({other.__module__} and {rule.__module__})")
                table[key] = rule
        if problems:
            raise RegistryError("invalid rules:\n" + "\n".join(problems))
        self.rules = sorted(set(self.rules), key=lambda r: r.code)
        self.by_code = by_code
        self.by_name = by_name

    def get(self, key: str) -> type[Rule] | None:
        return self.by_code.get(key.upper()) or self.by_name.get(key.lower())

    def expand(self, selector: str, source: str = "selector") -> list[type[Rule]]:
        sel = selector.strip()
        if sel.upper() == "ALL":
            return list(self.rules)
        rule = self.get(sel)
        if rule is not None:
            return [rule]
        if sel.isalnum():
            prefixed = [r for r in self.rules if r.code.startswith(sel.upper())]
            if prefixed:
                return prefixed
        candidates = [r.code for r in self.rules] + [r.name for r in self.rules]
        hint = difflib.get_close_matches(sel, candidates, n=1)
        suggestion = f"; did you mean `{hint[0]}`?" if hint else ""
        raise RegistryError(f"{source}: unknown rule selector `{selector}`{suggestion}")

    def keys(self) -> set[str]:
        return {r.code for r in self.rules} | {r.name for r in self.rules}


def unknown_facts(rules: Sequence[type[Rule]], extractors: Sequence[type[FactExtractor]]) -> list[str]:
    """A project rule that requires a fact no extractor provides would silently never run: an error
    naming the rule (a typo in ``requires_facts`` is caught when the registry is built)."""
    provided = frozenset().union(*(x.provides for x in extractors))
    problems = []
    for rule in rules:
        if not issubclass(rule, ProjectRule):
            continue
        for fact in sorted(rule.requires_facts - provided):
            hint = difflib.get_close_matches(fact, sorted(provided), n=1)
            suggestion = f"; did you mean `{hint[0]}`?" if hint else ""
            problems.append(
                f"{rule.code} ({rule.__module__}) requires fact `{fact}`, which no extractor provides{suggestion}"
            )
    return problems


def build_registry(packages: Sequence[ModuleType], *, plugins: bool = True) -> Registry:
    """Rules and extractors from the built-in ``packages`` plus, optionally, installed packs."""
    rules: list[type[Rule]] = []
    extractors: list[type[FactExtractor]] = []
    for package in packages:
        found, found_extractors = walk_package(package)
        rules.extend(found)
        extractors.extend(found_extractors)
    warnings: list[str] = []
    if plugins:
        more, more_extractors, warnings = load_plugins()
        rules.extend(more)
        extractors.extend(more_extractors)
    return Registry(rules=rules, extractors=extractors, warnings=warnings)


@dataclass(frozen=True)
class EnabledRule:
    rule: type[Rule]
    options: RuleOptions
    severity: Severity


def _selected(registry: Registry, settings: Settings, source: str) -> list[type[Rule]]:
    def expand(selectors: Iterable[str], key: str) -> list[type[Rule]]:
        return [r for s in selectors for r in registry.expand(s, f"{source}: {key}")]

    if settings.select is None:
        base = [r for r in registry.rules if r.default_enabled]
    else:
        base = expand(settings.select, "select")
    chosen = {r.code: r for r in [*base, *expand(settings.extend_select, "extend-select")]}
    for r in expand(settings.ignore, "ignore"):
        chosen.pop(r.code, None)
    return [chosen[c] for c in sorted(chosen)]


def _rule_tables(registry: Registry, settings: Settings, source: str) -> dict[str, dict[str, Any]]:
    """``[rules.<name>]`` tables by rule code; unknown rules are usage errors."""
    tables: dict[str, dict[str, Any]] = {}
    for key, table in settings.rules.items():
        rule = registry.get(key)
        if rule is None:
            hint = difflib.get_close_matches(key, sorted(registry.keys()), n=1)
            suggestion = f"; did you mean `{hint[0]}`?" if hint else ""
            raise RegistryError(f"{source}: unknown rule `rules.{key}`{suggestion}")
        if not isinstance(table, dict):
            raise RegistryError(f"{source}: `rules.{key}` must be a table")
        tables[rule.code] = table
    return tables


def _severity(rule: type[Rule], value: object, source: str) -> Severity | None:
    """The configured severity; None for ``off``."""
    if value is None:
        return rule.severity
    if value == "off":
        return None
    try:
        return Severity.parse(str(value))
    except ValueError:
        raise RegistryError(
            f"{source}: `rules.{rule.name}.severity` must be error, warning, info or off, not {value!r}"
        ) from None


def _options(rule: type[Rule], table: dict[str, Any], source: str) -> RuleOptions:
    defaults = lazy.default_options(rule)  # a stand-in's: its module is imported only to validate a table
    if defaults is not None and not table:
        return defaults
    rule = lazy.real(rule)
    try:
        return options_type(rule).model_validate(table)
    except ValidationError as exc:
        raise RegistryError("\n".join(_option_error(rule, err, source) for err in exc.errors())) from None


def _option_error(rule: type[Rule], err: Any, source: str) -> str:
    loc = ".".join(str(p) for p in err["loc"])
    if err["type"] != "extra_forbidden":
        return f"{source}: invalid value for `rules.{rule.name}.{loc}`: {err['msg']}"
    fields = [f.alias or n for n, f in options_type(rule).model_fields.items()]
    hint = difflib.get_close_matches(loc, [*fields, "severity"], n=1)
    suggestion = f"; did you mean `{hint[0]}`?" if hint else ""
    return f"{source}: unknown option `rules.{rule.name}.{loc}`{suggestion}"


def enabled_rules(registry: Registry, settings: Settings, source: str = "config") -> list[EnabledRule]:
    """Resolve selection, severities and validated options. Raises ``RegistryError`` on bad input."""
    tables = _rule_tables(registry, settings, source)
    for selectors in settings.per_file_ignores.values():
        for sel in selectors:
            registry.expand(sel, f"{source}: per-file-ignores")
    result = []
    selected = _selected(registry, settings, source)
    for rule in selected:
        table = dict(tables.get(rule.code, {}))
        severity = _severity(rule, table.pop("severity", None), source)
        if severity is not None:
            result.append(EnabledRule(rule=rule, options=_options(rule, table, source), severity=severity))
    # A table for a rule that is not selected (an opt-in rule) is still checked: a typo there must not
    # wait until the day the rule is selected.
    for code in sorted(set(tables) - {r.code for r in selected}):
        unselected = registry.get(code)
        assert unselected is not None
        table = dict(tables[code])
        _severity(unselected, table.pop("severity", None), source)
        _options(unselected, table, source)
    return result


def file_rules(enabled: Sequence[EnabledRule]) -> list[EnabledRule]:
    return [e for e in enabled if is_file_rule(e.rule)]


def project_rules(enabled: Sequence[EnabledRule]) -> list[EnabledRule]:
    return [e for e in enabled if issubclass(e.rule, ProjectRule)]


def needed_extractors(
    enabled: Iterable[EnabledRule], extractors: Sequence[type[FactExtractor]]
) -> list[type[FactExtractor]]:
    wanted: set[str] = set()
    for e in enabled:
        if issubclass(e.rule, ProjectRule):
            wanted |= e.rule.requires_facts
    return [x for x in extractors if x.provides & wanted]
