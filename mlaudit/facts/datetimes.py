"""Datetime-parsing facts for MLA701 inconsistent-datetime-parsing.

One ``DatetimeParseFact`` per site that turns a named column into datetimes:

* ``pd.to_datetime(df["col"], ...)``: the options that change which instant a string means (``utc``,
  ``format``, ``dayfirst``, ``yearfirst``, ``unit``), plus a ``.dt.tz_localize(...)``/``.dt.tz_convert(...)``
  chained on the result;
* ``df["col"].astype("datetime64[ns]")`` / ``astype("datetime64[ns, UTC]")``;
* ``pd.read_csv(..., parse_dates=["a", "b"], date_format=...)`` (and ``read_table``/``read_excel``/
  ``read_sql``): one fact per listed column;
* ``df["col"].dt.tz_localize(...)``/``tz_convert(...)`` on its own: an *adjustment*, merged by the rule
  with the parses of the same column in the same function.

A column is a string key (``df["signup_at"]``); an option mlaudit cannot read (``utc=flag``, ``**kw``)
makes the site ``unknown`` and the rule never compares it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.functions import string_value
from mlaudit.facts.ml_apis import canonical
from mlaudit.facts.ml_repro import CSV_READERS_WITH_PARSE_DATES, DATETIME_PARSERS, PARSE_OPTIONS, TZ_METHODS
from mlaudit.facts.model import DatetimeParseFact

_DEFAULTS = frozenset({"utc=False", "dayfirst=False", "yearfirst=False", "unit=ns"})


def column_key(node: cst.BaseExpression) -> str | None:
    """``"signup_at"`` for ``df["signup_at"]`` / ``data.loc[:, "signup_at"]``; None for anything else."""
    if not isinstance(node, cst.Subscript) or not node.slice:
        return None
    index = node.slice[-1].slice
    if isinstance(index, cst.Index):
        value = string_value(index.value)
        return value if value else None
    return None


def literal(node: cst.BaseExpression) -> str | None:
    """Source form of a literal option value: ``True``, ``'%Y-%m-%d'``, ``'UTC'``, ``None``, ``1``."""
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return node.value
    text = string_value(node)
    if text is not None:
        return text
    if isinstance(node, cst.Integer):
        return node.value
    return None


_UTC_OBJECTS = frozenset({"pytz.utc", "pytz.UTC", "datetime.timezone.utc", "datetime.UTC", "dateutil.tz.UTC"})
_TZ_FACTORIES = frozenset({"pytz.timezone", "zoneinfo.ZoneInfo", "dateutil.tz.gettz"})

_READER_OPTIONS = {"date_format": "format", "dayfirst": "dayfirst", "date_parser": "date_parser"}
"""A reader's date options and the ``to_datetime`` option each stands for (``date_parser`` is code)."""


def _option_name(arg: cst.Arg, renames: Mapping[str, str] | None) -> str | None:
    keyword = arg.keyword.value if arg.keyword is not None else None
    if keyword is None or renames is None:
        return keyword
    return renames.get(keyword, keyword)


def parse_options(
    args: Sequence[cst.Arg], renames: Mapping[str, str] | None = None
) -> tuple[list[str], bool]:
    """(normalised options that change the parsed instant, whether some cannot be read)."""
    handling: list[str] = []
    unknown = False
    for arg in args:
        option = _option_name(arg, renames)
        if arg.star or option == "date_parser":
            unknown = True
        elif option in PARSE_OPTIONS:
            value = literal(arg.value)
            unknown = unknown or value is None
            if value is not None and f"{option}={value}" not in _DEFAULTS:
                handling.append(f"{option}={value}")
    return handling, unknown


class DatetimeParsesExtractor(FactExtractor):
    provides = frozenset({"datetime_parses"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.skip = ctx.is_test or "pandas" not in ctx.names.imported_packages()
        self._chained: dict[int, list[str]] = {}
        """tz operations chained on a parse call, by the parse call's id (outer calls are visited first)."""

    def visit_Call(self, node: cst.Call) -> None:
        if self.skip:
            return
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in TZ_METHODS:
            self._tz_method(node, func)
            return
        if isinstance(func, cst.Attribute) and func.attr.value == "astype":
            self._astype(node, func)
            return
        resolved = self.ctx.resolve(func)
        name = canonical(resolved) if resolved else None
        if name in DATETIME_PARSERS:
            self._to_datetime(node, name)
        elif name in CSV_READERS_WITH_PARSE_DATES:
            self._parse_dates(node, name)

    # --- the sites ---------------------------------------------------------------------------------------
    def _tz_method(self, node: cst.Call, func: cst.Attribute) -> None:
        target = func.value
        if isinstance(target, cst.Attribute) and target.attr.value == "dt":
            target = target.value
        arg = node.args[0].value if node.args and node.args[0].keyword is None else None
        value = self._timezone(arg) if arg is not None else None
        operation = f"{func.attr.value}({value if value is not None else '?'})"
        if isinstance(target, cst.Call):
            # `to_datetime(...).dt.tz_localize(...).dt.tz_convert(...)`: the outer operation was chained on
            # this call; pass the whole chain down to the parse call, in source order
            self._chained.setdefault(id(target), []).extend([operation, *self._chained.pop(id(node), [])])
            return
        column = column_key(target)
        if column is not None:
            operations = (operation, *self._chained.pop(id(node), []))
            self._record(
                node,
                column,
                f"Series.dt.{func.attr.value}",
                operations,
                any("?" in o for o in operations),
                adjusts=True,
            )

    def _timezone(self, node: cst.BaseExpression) -> str | None:
        """``"UTC"`` for ``"UTC"``, ``pytz.utc``, ``timezone.utc``; ``"Asia/Shanghai"`` for
        ``pytz.timezone("Asia/Shanghai")`` / ``ZoneInfo(...)``; None for what cannot be read (a variable)."""
        value = literal(node)
        if value is not None:
            return value
        if isinstance(node, cst.Call) and len(node.args) == 1:
            resolved = self.ctx.resolve(node.func)
            if resolved in _TZ_FACTORIES:
                return literal(node.args[0].value)
            return None
        resolved = self.ctx.resolve(node) if isinstance(node, cst.Attribute | cst.Name) else None
        return "UTC" if resolved in _UTC_OBJECTS else None

    def _astype(self, node: cst.Call, func: cst.Attribute) -> None:
        column = column_key(func.value)
        dtype = literal(node.args[0].value) if node.args else None
        if column is None or dtype is None or not dtype.startswith("datetime64"):
            return
        tz = dtype.partition(",")[2].rstrip("]").strip()
        handling = [f"tz={tz}"] if tz else []
        handling += self._chained.pop(id(node), [])
        self._record(node, column, "Series.astype", tuple(handling), False)

    def _to_datetime(self, node: cst.Call, name: str) -> None:
        first = node.args[0] if node.args else None
        if first is None or first.keyword is not None or first.star:
            return
        column = column_key(first.value)
        if column is None:
            return
        handling, unknown = parse_options(node.args[1:])
        handling += self._chained.pop(id(node), [])
        self._record(node, column, name, tuple(handling), unknown)

    def _parse_dates(self, node: cst.Call, name: str) -> None:
        columns: list[str] = []
        options: list[cst.Arg] = []
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "parse_dates" and isinstance(arg.value, cst.List | cst.Tuple):
                columns = [v for e in arg.value.elements if (v := string_value(e.value))]
            elif arg.star or keyword in _READER_OPTIONS:
                options.append(arg)
        handling, unknown = parse_options(options, renames=_READER_OPTIONS)
        for column in columns:
            self._record(node, column, f"{name}(parse_dates)", tuple(handling), unknown)

    def _record(
        self,
        node: cst.Call,
        column: str,
        api: str,
        handling: tuple[str, ...],
        unknown: bool,
        *,
        adjusts: bool = False,
    ) -> None:
        facts = self.ctx.facts
        assert facts is not None
        span = self.ctx.position(node)
        scope = self.ctx.function
        facts.datetime_parses.append(
            DatetimeParseFact(
                column=column,
                api=api,
                handling=handling,
                span=span,
                snippet=self.ctx.snippet(span),
                unknown=unknown,
                function=scope.qualname if scope is not None else "",
                adjusts=adjusts,
            )
        )
