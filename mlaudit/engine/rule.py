"""The rule API: ``FileRule`` (a libcst visitor run in the one batched pass per file), ``ProjectRule`` (a
pure function of the project index) and ``FactExtractor`` (a visitor that records plain facts).

Metadata lives on the class; built-in rules are found by walking ``mlaudit.rules`` and third-party
packs through the ``mlaudit.rules`` entry-point group (see ``engine.registry``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic

import libcst as cst

from mlaudit.engine.options import OptionsT
from mlaudit.engine.options import RuleOptions as RuleOptions  # re-exported: rules and packs import it here
from mlaudit.facts.model import Span
from mlaudit.model import Severity

if TYPE_CHECKING:
    from mlaudit.engine.context import FileContext
    from mlaudit.project.index import ProjectIndex

CODE_RE = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

# Module roles a rule can apply to. "production" = first-party code that is neither test nor experiment.
PRODUCTION = "production"
TEST = "test"
EXPERIMENT = "experiment"


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
    """Roles of modules the rule reports in: ``production``, ``test``, ``experiment``."""
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


class FileRule(Rule, cst.BatchableCSTVisitor, Generic[OptionsT]):
    """A per-file rule: a libcst visitor. One instance per file, so state cannot leak between files.

    Use ``self.ctx`` for the file's module name, roles, import resolution (``ctx.resolve``) and the
    enclosing scopes; call ``self.report(node)`` for a finding. Declare ``METADATA_DEPENDENCIES`` only
    when a libcst provider is really needed (each costs whole-file passes); positions are resolved
    lazily by the engine, only for reported nodes.
    """

    requires_imports: ClassVar[frozenset[str]] = frozenset()
    """Cheap gate: when set, the rule runs only on files importing one of these top-level packages."""

    def __init__(self, ctx: FileContext, options: OptionsT) -> None:
        super().__init__()
        self.ctx = ctx
        self.options = options
        self.findings: list[RawFinding] = []

    def report(self, node: cst.CSTNode, message: str | None = None, *, snippet: str | None = None) -> None:
        span = self.ctx.position(node)
        self.findings.append(
            RawFinding(
                code=self.code,
                path=self.ctx.path,
                span=span,
                message=message or self.message,
                snippet=snippet if snippet is not None else self.ctx.snippet(span),
            )
        )


class FactExtractor(cst.BatchableCSTVisitor):
    """Records plain facts into ``ctx.facts`` during the batched pass. ``provides`` names the facts it
    fills; it runs only when an enabled project rule ``requires_facts`` one of them."""

    provides: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx

    def finish(self) -> None:
        """Called after the traversal (e.g. to resolve deferred facts)."""


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


DOCS_BASE = "https://github.com/mlaudit/mlaudit/blob/main/rules"
"""Where the rule catalogue is published: a report's ``url`` must resolve wherever the report is read
(an installed wheel has no ``rules/`` folder beside the user's project)."""


def rule_doc_path(rule: type[Rule] | Any) -> str:
    """The rule's page in the catalogue, relative to the repository root (links inside the repository)."""
    return f"rules/{rule.category}/{rule.code}-{rule.name}/README.md"


def rule_doc_url(rule: type[Rule] | Any) -> str:
    return f"{DOCS_BASE}/{rule.category}/{rule.code}-{rule.name}/README.md"
