"""The libcst half of the rule API: ``FileRule`` (a libcst visitor run in the one batched pass per file)
and ``FactExtractor`` (a visitor that records plain facts). Import them from ``mlaudit.engine.rule``,
which loads this module on first use (so that importing the rest of the rule API does not import libcst).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic

import libcst as cst

from mlaudit.engine.options import OptionsT
from mlaudit.engine.rule import RawFinding, Rule

if TYPE_CHECKING:
    from mlaudit.engine.context import FileContext


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
