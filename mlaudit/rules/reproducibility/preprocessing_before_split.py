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

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, FileRule, RawFinding, RelatedSite, RuleOptions
from mlaudit.facts import ml_steps
from mlaudit.facts.dataflow import Leak, find_leaks, is_test_data
from mlaudit.model import Severity


class PreprocessingBeforeSplit(FileRule):
    code = "MLA702"
    name = "preprocessing-before-split"
    category = "reproducibility"
    severity = Severity.ERROR
    # Opt-in: pooled blind reviews of held-out repositories found it right on 3 of 6 (heldout7: 0/3, a Kaggle
    # solution's deliberate unsupervised fit on train + competition test features); below the 90% bar of
    # the default selection (rules.md, "Precision bar"). See after.md.
    default_enabled = False
    message = (
        "Preprocessing fitted before the train/test split: fit it on the training part only, "
        "or inside a Pipeline that is cross-validated"
    )
    applies_to = frozenset({PRODUCTION, EXPERIMENT})
    requires_imports = ml_steps.STEP_PACKAGES

    def __init__(self, ctx: FileContext, options: RuleOptions) -> None:
        super().__init__(ctx, options)
        self._fitting: set[int] = set()
        """Scopes (function nodes; 0 for the module) holding a ``fit``-like call."""
        self._splitting: set[int] = set()
        """Scopes holding a call that may split or cross-validate, or a fit on test-looking data."""

    def _scope(self) -> int:
        scope = self.ctx.function
        return id(scope.node) if scope is not None else 0

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        if last in ml_steps.FIT_METHODS:
            self._fitting.add(self._scope())
            if is_test_data(node):
                self._splitting.add(self._scope())
        elif last == "split" or last in ml_steps.SPLITTING_NAMES or self._aliased_split(func):
            self._splitting.add(self._scope())

    def _aliased_split(self, func: cst.BaseExpression) -> bool:
        """``from sklearn.model_selection import train_test_split as tts``: ``tts(...)``."""
        if not isinstance(func, cst.Name) or func.value in self.ctx.names.defs:
            return False
        name = self.ctx.resolve(func)
        return name is not None and name.rpartition(".")[2] in ml_steps.SPLITTING_NAMES

    def _wanted(self, scope: int) -> bool:
        """Only scopes that fit a step and split (or fit on test data) are analysed: a cheap gate."""
        return scope in self._fitting and scope in self._splitting

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if self._wanted(id(original_node)) and isinstance(original_node.body, cst.IndentedBlock):
            self._check(original_node.body.body)

    def leave_Module(self, original_node: cst.Module) -> None:
        if self._wanted(0):
            self._check(original_node.body)

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
