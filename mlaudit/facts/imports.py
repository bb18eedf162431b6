"""Import facts: every import statement with its resolved target, position, and whether it sits under
``if TYPE_CHECKING:`` or inside a function; plus the module's top-level names and re-exports."""

from __future__ import annotations

import libcst as cst

from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.model import ImportFact
from mlaudit.facts.names import dotted, import_bindings, module_of_import


class ImportsExtractor(FactExtractor):
    provides = frozenset({"imports"})

    def _record(self, node: cst.Import | cst.ImportFrom, target: str, names: tuple[str, ...]) -> None:
        ctx = self.ctx
        assert ctx.facts is not None
        span = ctx.position(node)
        ctx.facts.imports.append(
            ImportFact(
                target=target,
                names=names,
                span=span,
                type_checking=ctx.type_checking > 0,
                # an import under the main guard runs, like a function's, only after the module has
                # finished initialising (and only when it runs as a script): it cannot close a cycle
                in_function=bool(ctx.functions) or ctx.main_guard > 0,
                snippet=ctx.snippet(span),
            )
        )

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            target = dotted(alias.name)
            if target:
                self._record(node, target, ())
        self._export(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        target = module_of_import(node, self.ctx.module, self.ctx.is_package)
        if target is None:
            return
        if isinstance(node.names, cst.ImportStar):
            names: tuple[str, ...] = ("*",)
        else:
            names = tuple(n for a in node.names if (n := dotted(a.name)))
        self._record(node, target, names)
        self._export(node)

    def _export(self, node: cst.Import | cst.ImportFrom) -> None:
        ctx = self.ctx
        if ctx.functions or ctx.classes or ctx.facts is None:
            return
        for local, origin in import_bindings(node, ctx.module, ctx.is_package):
            ctx.facts.exports[local] = origin

    def finish(self) -> None:
        facts = self.ctx.facts
        if facts is not None:
            facts.top_level_names = sorted(self.ctx.names.table)
