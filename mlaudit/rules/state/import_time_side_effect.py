"""MLA103 import-time-side-effect: I/O, data or model loading in code that runs on ``import``."""

from __future__ import annotations

from fnmatch import fnmatchcase

import libcst as cst
from pydantic import Field

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FileRule, RuleOptions
from mlaudit.facts import ml_apis
from mlaudit.facts.names import _target_names, dotted
from mlaudit.model import Severity

_ADVICE = {
    ml_apis.READ: "reads data at import time: load it inside a function called from the entry point",
    ml_apis.MODEL_LOAD: "loads a model at import time: load it inside a function (cache it there if needed)",
    ml_apis.NETWORK: "makes a network call at import time: call it from a function run by the entry point",
    ml_apis.DATABASE: "connects to a database at import time: connect inside a function called from the entry point",
    ml_apis.SUBPROCESS: "runs a subprocess at import time: run it inside a function called from the entry point",
    ml_apis.WRITE: "writes files at import time: write inside a function called from the entry point",
}
# Calls that consume an object an already-reported call opened (``json.load(f)`` after ``open``).
_HANDLE_KINDS = frozenset({ml_apis.READ, ml_apis.WRITE, ml_apis.DATABASE})


class ImportTimeSideEffectOptions(RuleOptions):
    allowed_calls: tuple[str, ...] = Field(default=(), alias="allowed-calls")
    """Qualified names (globs) allowed at import time, e.g. ``["builtins.open", "myproj.io.*"]``."""
    tool_scripts: tuple[str, ...] = Field(
        default=("setup.py", "noxfile.py", "docs/conf.py", "doc/conf.py"), alias="tool-scripts"
    )
    """Files a tool executes rather than imports (setuptools, nox, Sphinx); globs without a ``/``
    match the file name, others the project-relative path (at any depth)."""


class ImportTimeSideEffect(FileRule):
    """Flags I/O, data and model loading at module level (outside functions, class bodies and the
    main guard), in default arguments and in decorator calls: all of these run on ``import``."""

    code = "MLA103"
    name = "import-time-side-effect"
    category = "state"
    severity = Severity.WARNING
    message = "I/O at import time: load data and models inside a function called from the entry point"
    Options = ImportTimeSideEffectOptions

    def __init__(self, ctx: FileContext, options: RuleOptions) -> None:
        super().__init__(ctx, options)
        assert isinstance(options, ImportTimeSideEffectOptions)
        self._allowed = options.allowed_calls
        self._bodies = 0  # function, lambda and class bodies being visited: they do not run on import
        self._inside_reported = 0  # nested calls of a reported call are one finding
        self._reported: set[int] = set()
        self._handles: set[str] = set()  # names bound to an already-reported open()/connect()
        self._memo: dict[int, tuple[str, str] | None] = {}
        self._tool_script = _matches_path(ctx.path, options.tool_scripts)

    # --- where code runs at import time --------------------------------------------------------------
    def _enter(self, node: cst.CSTNode) -> None:
        self._bodies += 1

    def _leave(self, node: cst.CSTNode) -> None:
        self._bodies -= 1

    visit_FunctionDef_body = visit_Lambda_body = visit_ClassDef_body = _enter
    leave_FunctionDef_body = leave_Lambda_body = leave_ClassDef_body = _leave

    @property
    def _import_time(self) -> bool:
        return self._bodies == 0 and not self.ctx.main_guard and not self.ctx.type_checking

    # --- what is I/O -----------------------------------------------------------------------------
    def _io(self, call: cst.Call) -> tuple[str, str] | None:
        """(display name, kind) of an I/O call, or None."""
        key = id(call)
        if key not in self._memo:
            self._memo[key] = self._classify(call)
        return self._memo[key]

    def _classify(self, call: cst.Call) -> tuple[str, str] | None:
        resolved = self.ctx.resolve(call.func)
        positional, keywords = _shape(call)
        if resolved is not None:
            name = ml_apis.canonical(resolved)
            if name in ml_apis.LAZY_CLIENTS or ml_apis.matches_any(name, self._allowed):
                return None
            api = ml_apis.lookup(resolved)
            if api is not None:
                return _table_io(api, positional, keywords)
        if isinstance(call.func, cst.Attribute):
            # A method on a receiver of unknown type: `Path(p).read_text()`, `df.to_csv("out.csv")`.
            kind = ml_apis.method_io(call.func.attr.value, len(positional), keywords)
            if kind in ml_apis.IO_KINDS:
                return dotted(call.func) or f".{call.func.attr.value}()", str(kind)
        return None

    def _uses_handle(self, call: cst.Call) -> bool:
        """``json.load(f)`` / ``con.execute(sql)`` on a handle whose opening was already reported."""
        if not self._handles:
            return False
        if call.args and call.args[0].keyword is None:
            first = call.args[0].value
            if isinstance(first, cst.Name) and first.value in self._handles:
                return True
        if isinstance(call.func, cst.Attribute):
            receiver = _root(call.func.value)
            if receiver is not None and receiver in self._handles:
                return True
        return False

    def _remember_handle(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(value, cst.Call):
            found = self._io(value)
            if found is not None and found[1] in _HANDLE_KINDS:
                self._handles.update(_target_names(target))

    # --- visitors --------------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        if self._import_time:
            for target in node.targets:
                self._remember_handle(target.target, node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self._import_time and node.asname is not None:
            self._remember_handle(node.asname.name, node.item)

    def visit_Call(self, node: cst.Call) -> None:
        if self._inside_reported or self._tool_script or not self._import_time:
            return
        found = self._io(node)
        if found is None:
            return
        api, kind = found
        if kind in _HANDLE_KINDS and self._uses_handle(node):
            return
        self._reported.add(id(node))
        self._inside_reported += 1
        self.report(node, f"`{api}` {_ADVICE[kind]}")

    def leave_Call(self, original_node: cst.Call) -> None:
        if id(original_node) in self._reported:
            self._inside_reported -= 1


def _matches_path(path: str, patterns: tuple[str, ...]) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(
        fnmatchcase(name, p) if "/" not in p else fnmatchcase(path, p) or fnmatchcase(path, f"*/{p}")
        for p in patterns
    )


def _shape(call: cst.Call) -> tuple[list[cst.Arg], frozenset[str]]:
    """Positional arguments and keyword names of a call."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keywords = frozenset(a.keyword.value for a in call.args if a.keyword is not None)
    return positional, keywords


def _table_io(
    api: ml_apis.Api, positional: list[cst.Arg], keywords: frozenset[str]
) -> tuple[str, str] | None:
    """(display name, kind) when this call of a table API is I/O: ``yaml.safe_load("a: 1")`` parses
    text and ``json.dump(obj)`` without a target writes nothing."""
    if api.kind not in ml_apis.IO_KINDS:
        return None
    first = positional[0].value if positional else None
    literal = first.evaluated_value if isinstance(first, cst.SimpleString) else None
    if not ml_apis.matches_shape(
        api, len(positional), keywords, literal if isinstance(literal, str) else None
    ):
        return None
    return _display(api.name), api.kind


def _root(node: cst.BaseExpression) -> str | None:
    """The name a chain of attributes, calls and subscripts starts from: ``con`` in
    ``con.execute(sql).fetchall``."""
    while isinstance(node, cst.Attribute | cst.Call | cst.Subscript):
        node = node.func if isinstance(node, cst.Call) else node.value
    return node.value if isinstance(node, cst.Name) else None


def _display(name: str) -> str:
    return name.removeprefix("builtins.")
