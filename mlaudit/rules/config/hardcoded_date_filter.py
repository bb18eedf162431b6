"""MLA305 hardcoded-date-filter: a literal date that decides which rows the model sees.

A date literal is a string shaped like a date (``"2023-01-01"``, ``"2023-01"``, ``"2023-01-01 12:00"``,
ISO with ``T``/``Z``/offset) or a date built from literals only (``pd.Timestamp("2023-01-01")``,
``pd.to_datetime("2023-01-01")``, ``datetime(2023, 1, 1)``, ``date(2023, 1, 1)``,
``np.datetime64("2023-01-01")``, ``datetime.strptime("2023-01-01", fmt)``). It is a filter when it is:

* compared with a column (``df["signup_at"] > "2023-01-01"``, ``df.date <= pd.Timestamp(...)``,
  ``df.index >= ...``, ``df["ts"].dt.date == date(2023, 1, 1)``): a subscript with a string key or an
  attribute of a data object (not ``self``/``cls`` or a config/argument object), possibly followed by
  ``.dt``/method calls;
* a bound of ``.between(...)`` or ``.truncate(before=..., after=...)``;
* a bound of a ``.loc[...]``/``[...]`` slice (``df.loc["2023-01-01":]``);
* a bound of a ``pd.date_range(...)`` used as a subscript (``df[pd.date_range(date(2017, 1, 1),
  date(2017, 8, 15))]``: the date window of a wide table whose columns are days);
* an argument of a call whose name says it splits or filters (``data_split(df, "2009-01-01",
  "2018-01-01")``, ``filter_by_date(df, "2020-01-01")``);
* inside a ``.query("signup_at >= '2023-01-01'")`` string next to a comparison.

Quiet in config modules and config models, tests and experiments (a notebook saved as ``.py``, such as a
jupytext percent script, is notebook code: rules.md, "Scripts"), for dates that filter nothing (a
constant, a log message, a default), and for comparisons against parameters or config values. Quiet too
for a filter evaluated in a class body: a class attribute computed once when the class is defined (the
expected answer of a course exercise's checker, ``_expected = [holidays.loc["2017":"2017-08-15"]]``, a
fixture table) is a fixed value of the program, not a step that a retrain runs again on new data. One finding
per function (or per script's module level), every other date filter of that function in ``related``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FileRule, RawFinding, RelatedSite, RuleOptions
from mlaudit.facts.functions import string_value
from mlaudit.facts.hyperparams import ConfigScope
from mlaudit.facts.ml_apis import canonical
from mlaudit.facts.ml_repro import (
    DATE_CONSTRUCTORS,
    DATE_FILTER_METHODS,
    DATE_RANGES,
    DATE_STRING,
    DATE_WINDOW_CALL_WORDS,
    words,
)
from mlaudit.facts.notebook_export import is_notebook_export
from mlaudit.model import Severity

_ORDERING = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual, cst.Equal, cst.NotEqual)
_NOT_DATA_RECEIVERS = frozenset(
    {
        "self",
        "cls",
        "args",
        "opt",
        "opts",
        "options",
        "config",
        "cfg",
        "conf",
        "settings",
        "params",
        "hparams",
    }
)
_QUERY_DATE = re.compile(
    r"""(<=|>=|<|>|==|!=)\s*["'`]?\d{4}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2}["'`]?\s*(<=|>=|<|>|==|!=)"""
)
_DATE_CONVERSIONS = frozenset({"date", "normalize", "to_datetime64", "to_pydatetime", "to_numpy"})
_NOW = frozenset({"now", "today", "", "nat"})


@dataclass(slots=True)
class _Scope:
    name: str
    sites: list[tuple[cst.CSTNode, str]] = field(default_factory=list)


def is_date_string(node: cst.BaseExpression) -> bool:
    value = string_value(node)
    return value is not None and DATE_STRING.match(value.strip()) is not None


def _literal_arguments(call: cst.Call, resolved: str) -> bool:
    """``pd.Timestamp("2023-01-01")``, ``strptime("01/02/2023", fmt)``, ``datetime(2023, 1, 1)``; not ``"now"``."""
    text = string_value(call.args[0].value)
    if text is not None:
        text = text.strip()
        return text.lower() not in _NOW and (DATE_STRING.match(text) is not None or resolved.endswith("strptime"))
    return len(call.args) >= 3 and all(
        isinstance(a.value, cst.Integer) and a.keyword is None and not a.star for a in call.args
    )


def _called_name(func: cst.BaseExpression) -> str | None:
    """``data_split`` for ``data_split(...)``, ``dp.data_split(...)`` and ``self.data_split(...)``."""
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def _strip_accessors(node: cst.BaseExpression) -> cst.BaseExpression:
    """``df["c"].dt.date`` -> ``df["c"]``; ``df["c"].dt.normalize()`` -> ``df["c"]``."""
    while True:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            node = node.func.value
        elif isinstance(node, cst.Attribute) and node.attr.value == "dt":
            node = node.value
        elif isinstance(node, cst.Attribute) and isinstance(node.value, cst.Attribute) and node.value.attr.value == "dt":
            node = node.value.value
        else:
            return node


class HardcodedDateFilter(FileRule):
    code = "MLA305"
    name = "hardcoded-date-filter"
    category = "config"
    severity = Severity.WARNING
    # Opt-in: the blind reviews of the two latest held-out sets (heldout4/5, review/) found it right on 1 of 3 (fixed windows of static course datasets);
    # below the 90% bar of the default selection (rules.md, "Precision bar"). See after.md.
    default_enabled = False
    message = "Hard-coded date filter: take the cut-off date from configuration or a parameter"

    def __init__(self, ctx: FileContext, options: RuleOptions) -> None:
        super().__init__(ctx, options)
        self._scopes: list[_Scope] = [_Scope("")]
        self._config = ConfigScope(ctx)
        self._off = ctx.is_config_module or is_notebook_export(ctx.text)
        self._bodies: list[bool] = []
        """One entry per enclosing class (True) or function (False) body."""

    # --- scopes -----------------------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._config.enter(node)
        self._bodies.append(True)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._config.leave()
        self._bodies.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = self.ctx.function
        self._scopes.append(_Scope(scope.qualname if scope is not None else node.name.value))
        self._bodies.append(False)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._bodies.pop()
        self._decide(self._scopes.pop())

    def leave_Module(self, original_node: cst.Module) -> None:
        self._decide(self._scopes[0])

    def _add(self, node: cst.CSTNode, what: str) -> None:
        in_class_body = bool(self._bodies) and self._bodies[-1]
        if not self._off and not self._config.inside and not in_class_body:
            self._scopes[-1].sites.append((node, what))

    # --- date literals ------------------------------------------------------------------------------------
    def _date_literal(self, node: cst.BaseExpression) -> bool:
        if is_date_string(node):
            return True
        if not isinstance(node, cst.Call):
            return False
        if not node.args and isinstance(node.func, cst.Attribute) and node.func.attr.value in _DATE_CONVERSIONS:
            return self._date_literal(node.func.value)  # datetime(2023, 3, 1).date()
        resolved = self.ctx.resolve(node.func)
        if not node.args or resolved is None or canonical(resolved) not in DATE_CONSTRUCTORS:
            return False
        return _literal_arguments(node, resolved)

    def _column(self, node: cst.BaseExpression) -> bool:
        """A column or index of a data object: ``df["c"]``, ``df.c``, ``df.index``, ``df["c"].dt.date``,
        ``df["c"].dt.normalize()``."""
        node = _strip_accessors(node)
        if isinstance(node, cst.Subscript):
            return any(
                isinstance(e.slice, cst.Index) and string_value(e.slice.value) is not None for e in node.slice
            )
        if not isinstance(node, cst.Attribute):
            return False
        root: cst.BaseExpression = node.value
        while isinstance(root, cst.Attribute | cst.Subscript):
            root = root.value
        return isinstance(root, cst.Name) and root.value not in _NOT_DATA_RECEIVERS and not self._imported(root.value)

    def _imported(self, name: str) -> bool:
        """``datetime.max``, ``pd.Timestamp.min``: an attribute of an imported module or class, not a column
        (a script's own module-level ``df`` is data)."""
        if self.ctx.is_local_name(name):
            return False
        names = self.ctx.names
        origin = names.table.get(name)
        own = f"{names.module}.{name}" if names.module else name
        return origin is not None and (origin != own or name in names.defs)

    # --- filters --------------------------------------------------------------------------------------------
    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for target in node.comparisons:
            right = target.comparator
            if isinstance(target.operator, _ORDERING) and (
                (self._date_literal(right) and self._column(left))
                or (self._date_literal(left) and self._column(right))
            ):
                self._add(node, "comparison")
                return
            left = right

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = _called_name(func)
        window = name is not None and DATE_WINDOW_CALL_WORDS & set(words(name)) and name not in DATE_FILTER_METHODS
        if window and any(self._date_literal(a.value) for a in node.args):
            self._add(node, f"`{name}`")
            return
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method in DATE_FILTER_METHODS:
            if any(self._date_literal(a.value) for a in node.args):
                self._add(node, f"`{method}`")
        elif method == "query" and node.args:
            text = string_value(node.args[0].value)
            if text is not None and _QUERY_DATE.search(text):
                self._add(node, "`query`")

    def visit_Subscript(self, node: cst.Subscript) -> None:
        for element in node.slice:
            index = element.slice
            if isinstance(index, cst.Slice) and any(
                bound is not None and self._date_literal(bound) for bound in (index.lower, index.upper)
            ):
                self._add(node, "slice")
                return
            if isinstance(index, cst.Index) and self._literal_date_range(index.value):
                self._add(node, "`date_range` selection")
                return

    def _literal_date_range(self, node: cst.BaseExpression) -> bool:
        """``pd.date_range(date(2017, 1, 1), date(2017, 8, 15))``, ``pd.date_range("2017-08-16", periods=16)``:
        a start or end bound (the first two positional arguments, ``start=``/``end=``) is a date literal."""
        if not isinstance(node, cst.Call):
            return False
        resolved = self.ctx.resolve(node.func)
        if resolved is None or canonical(resolved) not in DATE_RANGES:
            return False
        positional = [a.value for a in node.args if a.keyword is None and not a.star][:2]
        bounds = positional + [
            a.value for a in node.args if a.keyword is not None and a.keyword.value in ("start", "end")
        ]
        return any(self._date_literal(b) for b in bounds)

    # --- decision ---------------------------------------------------------------------------------------
    def _decide(self, scope: _Scope) -> None:
        if not scope.sites:
            return
        node, what = scope.sites[0]
        span = self.ctx.position(node)
        where = f" in `{scope.name}`" if scope.name else ""
        more = len(scope.sites) - 1
        extra = f" (and {more} more)" if more else ""
        message = (
            f"hard-coded date filter ({what}){where}{extra}: take the cut-off date from configuration or a "
            "parameter, so a retrain does not silently keep the old window"
        )
        related = [
            RelatedSite(self.ctx.path, self.ctx.position(n), f"date filter ({w})") for n, w in scope.sites[1:]
        ]
        self.findings.append(
            RawFinding(self.code, self.ctx.path, span, message, self.ctx.snippet(span), related)
        )
