"""MLA702 preprocessing-before-split: a fitted preprocessing step saw the data that is split afterwards.

The data flow is ``facts.dataflow`` (def-use facts over one block, in source order); this module chooses
the blocks (each function body, the module's top level: a script, or a notebook's code cells in order),
gives the analysis the file's name resolution, and turns leaks into findings, one per cause: every fit
whose output reaches the same split is one finding at the first fit, the other fits and the splits in
``related``; every fit on test data in one block is one finding.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, FileRule, RawFinding, RelatedSite
from mlaudit.facts import ml_steps
from mlaudit.facts.dataflow import Leak, find_leaks
from mlaudit.model import Severity


class PreprocessingBeforeSplit(FileRule):
    code = "MLA702"
    name = "preprocessing-before-split"
    category = "reproducibility"
    severity = Severity.ERROR
    message = (
        "Preprocessing fitted before the train/test split: fit it on the training part only, "
        "or inside a Pipeline that is cross-validated"
    )
    applies_to = frozenset({PRODUCTION, EXPERIMENT})
    requires_imports = ml_steps.STEP_PACKAGES

    def visit_Module(self, node: cst.Module) -> None:
        if "fit" in self.ctx.text:
            self._check(node.body)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if isinstance(node.body, cst.IndentedBlock) and "fit" in self.ctx.text:
            self._check(node.body.body)

    # --- names ------------------------------------------------------------------------------------
    def _resolve(self, expr: cst.BaseExpression) -> str | None:
        name = self.ctx.resolve(expr)
        if name is None and isinstance(expr, cst.Name) and expr.value in ml_steps.UNRESOLVED_NAMES:
            # `from sklearn.preprocessing import *`: an unbound table name is the table's class.
            if not self.ctx.is_local_name(expr.value) and expr.value not in self.ctx.names.table:
                return f"sklearn.{expr.value}"
        return name

    def _is_variable(self, name: str) -> bool:
        if self.ctx.is_local_name(name):
            return True
        names = self.ctx.names
        own = f"{names.module}.{name}" if names.module else name
        return names.table.get(name) == own and name not in names.defs

    # --- findings ---------------------------------------------------------------------------------
    def _check(self, body: Sequence[cst.CSTNode]) -> None:
        leaks = find_leaks(body, self._resolve, self._is_variable)
        on_test = [leak for leak in leaks if leak.fit.test_name is not None]
        if on_test:
            self._report_test(on_test)
        by_split: dict[int, list[Leak]] = {}
        for leak in leaks:
            if leak.fit.test_name is None and leak.splits:
                by_split.setdefault(id(leak.splits[0].call), []).append(leak)
        for group in by_split.values():
            self._report_split(group)

    def _where(self, node: cst.CSTNode) -> str:
        line = self.ctx.position(node).line
        cell = self.ctx.cell_of(line)
        if cell is None:
            return f"line {line}"
        return f"cell {cell}"

    def _report_split(self, group: list[Leak]) -> None:
        first = group[0]
        split = first.splits[0]
        more = f" (and {len(group) - 1} more fit(s) before it)" if len(group) > 1 else ""
        message = (
            f"`{first.fit.step}` ({first.fit.kind}) is fitted on data that `{split.what}` ({self._where(split.call)}) "
            f"splits afterwards{more}: the test rows leak into preprocessing; fit it on the training part "
            "only, or inside a Pipeline that is cross-validated"
        )
        related = [
            self._site(leak.fit.call, f"`{leak.fit.step}` also fitted before the split") for leak in group[1:]
        ]
        seen: set[int] = set()
        for leak in group:
            for s in leak.splits:
                if id(s.call) not in seen:
                    seen.add(id(s.call))
                    related.append(self._site(s.call, f"`{s.what}` splits the preprocessed data here"))
        self._add(first.fit.call, message, related)

    def _report_test(self, group: list[Leak]) -> None:
        first = group[0].fit
        more = f" (and {len(group) - 1} more fit(s) on test data)" if len(group) > 1 else ""
        message = (
            f"`{first.step}` ({first.kind}) is fitted on test data `{first.test_name}`{more}: fit it on the "
            "training data only and `transform` the test data with it"
        )
        related = [
            self._site(leak.fit.call, f"`{leak.fit.step}` fitted on `{leak.fit.test_name}`")
            for leak in group[1:]
        ]
        self._add(first.call, message, related)

    def _site(self, node: cst.CSTNode, message: str) -> RelatedSite:
        return RelatedSite(self.ctx.path, self.ctx.position(node), message)

    def _add(self, node: cst.CSTNode, message: str, related: list[RelatedSite]) -> None:
        span = self.ctx.position(node)
        self.findings.append(
            RawFinding(self.code, self.ctx.path, span, message, self.ctx.snippet(span), related)
        )
