"""The rule API: ``FileRule`` (a libcst visitor run in the one batched pass per file), ``ProjectRule`` (a
pure function of the project index) and ``FactExtractor`` (a visitor that records plain facts).

Metadata lives on the class; built-in rules are found by walking ``mlaudit.rules`` and third-party
packs through the ``mlaudit.rules`` entry-point group (see ``engine.registry``).

This module does not import libcst: ``FileRule`` and ``FactExtractor`` live in ``engine.visitor`` and
are loaded on first access, so importing a project rule, the registry's metadata or a cached run never
imports the parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic

from mlaudit.engine.options import OptionsT
from mlaudit.engine.options import RuleOptions as RuleOptions  # re-exported: rules and packs import it here
from mlaudit.engine.rule_docs import DOCS_BASE, rule_doc_path, rule_doc_url
from mlaudit.facts.span import Span
from mlaudit.model import Severity

if TYPE_CHECKING:
    from mlaudit.engine.visitor import FactExtractor, FileRule
    from mlaudit.project.index import ProjectIndex

__all__ = [
    "CODE_RE",
    "DOCS_BASE",
    "EXPERIMENT",
    "NAME_RE",
    "PRODUCTION",
    "TEST",
    "FactExtractor",
    "FileRule",
    "ProjectRule",
    "RawFinding",
    "RelatedSite",
    "Rule",
    "RuleOptions",
    "role_class",
    "rule_doc_path",
    "rule_doc_url",
]

CODE_RE = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

# Module roles a rule can apply to. "production" = first-party code that is neither test nor experiment.
PRODUCTION = "production"
TEST = "test"
EXPERIMENT = "experiment"


def role_class(roles: Iterable[str]) -> str:
    """The one role a module's roles count as for ``applies_to``: a test whatever else it is, then an
    experiment (notebooks, generated code), else production. The engine applies a rule's ``applies_to``
    to this class, for file rules (the file analysed) and project rules (the file a finding is in)."""
    roles = frozenset(roles)
    if TEST in roles:
        return TEST
    if EXPERIMENT in roles:
        return EXPERIMENT
    return PRODUCTION


@dataclass(slots=True)
class RelatedSite:
    path: str
    span: Span
    message: str = ""


@dataclass(slots=True)
class RawFinding:
    """A finding before suppressions, in virtual-module coordinates of ``path``."""

    code: str
    path: str
    span: Span
    message: str
    snippet: str = ""
    related: list[RelatedSite] = field(default_factory=list)


class Rule:
    """Metadata shared by every rule kind."""

    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    message: ClassVar[str]
    """One line that says what to do; the default message of a finding."""
    fix: ClassVar[str] = "None"
    """Fix availability: ``Always``, ``Sometimes`` or ``None`` (ruff's vocabulary)."""
    applies_to: ClassVar[frozenset[str]] = frozenset({PRODUCTION})
    """Roles of modules the rule reports in: ``production``, ``test``, ``experiment`` (``role_class``). The
    engine enforces it for every rule kind: a file rule runs only on files of these roles, and a project
    finding is kept only when the file it is located in (its ``path``, not its related sites) has one."""
    default_enabled: ClassVar[bool] = True

    @classmethod
    def validate_metadata(cls) -> list[str]:
        problems = []
        for attr in ("code", "name", "category", "message"):
            if not isinstance(getattr(cls, attr, None), str):
                problems.append(f"{cls.__qualname__}: missing `{attr}`")
        if problems:
            return problems
        if not CODE_RE.match(cls.code):
            problems.append(f"{cls.__qualname__}: code {cls.code!r} is not like MLA123")
        if not NAME_RE.match(cls.name):
            problems.append(f"{cls.__qualname__}: name {cls.name!r} is not kebab-case")
        if "\n" in cls.message:
            problems.append(f"{cls.__qualname__}: message must be one line")
        if cls.fix not in ("Always", "Sometimes", "None"):
            problems.append(f"{cls.__qualname__}: fix must be Always, Sometimes or None")
        return problems


# FileRule and FactExtractor (libcst visitors) are defined in engine.visitor: see __getattr__ below.


class ProjectRule(Rule, Generic[OptionsT]):
    """A whole-project rule: a pure function of the project index built from every file's facts."""

    requires_facts: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, options: OptionsT) -> None:
        self.options = options

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        raise NotImplementedError

    def finding(
        self,
        path: str,
        span: Span,
        message: str | None = None,
        *,
        snippet: str = "",
        related: Sequence[RelatedSite] = (),
    ) -> RawFinding:
        return RawFinding(
            code=self.code,
            path=path,
            span=span,
            message=message or self.message,
            snippet=snippet,
            related=list(related),
        )


_LAZY = frozenset({"FileRule", "FactExtractor"})


def __getattr__(name: str) -> Any:
    """``FileRule`` and ``FactExtractor`` are libcst visitors (``engine.visitor``): loaded on first use."""
    if name in _LAZY:
        from mlaudit.engine import visitor

        return getattr(visitor, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
