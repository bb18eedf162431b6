"""Reading a file shipped inside the code's own package: package data, not I/O worth a finding.

``open(os.path.join(os.path.dirname(__file__), "vocab.json"))``, ``(Path(__file__).parent / "labels.txt")
.read_text()``, ``gzip.open(bpe_path)`` whose path defaults to such a location (CLIP's tokenizer vocabulary),
or a path from ``importlib.resources`` / ``pkg_resources`` / ``pkgutil``: the file travels with the code
(always present, found whatever the working directory), like the ``VERSION`` and ``README`` reads MLA103
already leaves alone. Only plain file reads count (``open``-like calls, ``Path.read_text``/``read_bytes``/
``open``): loading a data set or a model (``pandas.read_csv``, ``joblib.load``) stays data or model loading
wherever the file is, and a path that leaves the module's folder (``..``, ``dirname(dirname(__file__))``,
``Path(__file__).parent.parent``, ``parents[1]``) is the repository's data, not the package's.

A name in the path is followed (a few steps, inside the file only) to its assignments in the function or at
module level, to a parameter's default, or to the ``return`` of a module-level function called without
arguments (``default_bpe()``). Pure functions of the file's CST.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.facts.ml_apis import OPEN_APIS, READ, Api

_RESOURCE_APIS = (
    "importlib.resources.",
    "importlib_resources.",
    "pkg_resources.resource_filename",
    "pkg_resources.resource_stream",
    "pkg_resources.resource_string",
    "pkgutil.get_data",
)
_RECEIVER_READS = (".read_text", ".read_bytes", ".open")
"""``Path`` methods whose receiver is the path (``p.read_text()``)."""
_MAX_STEPS = 4


@dataclass(slots=True)
class _Location:
    """What a path expression was found to be built from."""

    package: bool = False
    """From ``__file__`` or a package-resource API."""
    levels: int = 0
    """Folders climbed from the module file (``dirname``, ``.parent``, ``parents[n]``)."""
    escapes: bool = False
    """A ``..`` component, or something that is not followed."""
    opened: bool = False
    """Through an ``open``-like call: a handle (``json.load(f)`` after ``with open(...) as f``)."""

    def inside(self) -> bool:
        return self.package and not self.escapes and self.levels <= 1


@dataclass(slots=True)
class _ModuleIndex:
    assigns: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)


@lru_cache(maxsize=2)
def _index(module: cst.Module) -> _ModuleIndex:
    """Module-level functions and assignments (not inside functions or classes); once per file (libcst
    nodes hash by identity)."""
    assigns = _LocalAssigns()
    module.visit(assigns)
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    return _ModuleIndex(assigns.assigns, functions)


def _collect_assigns(stmt: cst.SimpleStatementLine, into: dict[str, list[cst.BaseExpression]]) -> None:
    for small in stmt.body:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                if isinstance(target.target, cst.Name):
                    into.setdefault(target.target.value, []).append(small.value)
        elif (
            isinstance(small, cst.AnnAssign)
            and small.value is not None
            and isinstance(small.target, cst.Name)
        ):
            into.setdefault(small.target.value, []).append(small.value)


class _LocalAssigns(cst.CSTVisitor):
    """Simple ``name = value`` assignments and ``with ... as name`` in one body (not in nested functions or
    classes)."""

    def __init__(self) -> None:
        self.assigns: dict[str, list[cst.BaseExpression]] = {}

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        _collect_assigns(node, self.assigns)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and isinstance(node.asname.name, cst.Name):
            self.assigns.setdefault(node.asname.name.value, []).append(node.item)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


class _Returns(cst.CSTVisitor):
    def __init__(self) -> None:
        self.values: list[cst.BaseExpression | None] = []

    def visit_Return(self, node: cst.Return) -> None:
        self.values.append(node.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _body_of(function: cst.FunctionDef, visitor: cst.CSTVisitor) -> None:
    function.body.visit(visitor)


def _param_default(function: cst.FunctionDef, name: str) -> cst.BaseExpression | None:
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            return param.default
    return None


def _path_expression(call: cst.Call, api: Api) -> cst.BaseExpression | None:
    if api.name.endswith(_RECEIVER_READS) and api.name not in OPEN_APIS:
        return call.func.value if isinstance(call.func, cst.Attribute) else None
    position = api.path_arg if api.path_arg is not None else 0
    if api.path_kw is not None:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == api.path_kw:
                return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position].value if position < len(positional) else None


class _Walker:
    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.module = _index(ctx.wrapper.module)
        scope = ctx.function
        node = scope.node if scope is not None else None
        self.function = node if isinstance(node, cst.FunctionDef) else None
        self._locals: dict[str, list[cst.BaseExpression]] | None = None

    def local_assigns(self) -> dict[str, list[cst.BaseExpression]]:
        if self._locals is None:
            visitor = _LocalAssigns()
            if self.function is not None:
                _body_of(self.function, visitor)
            self._locals = visitor.assigns
        return self._locals

    def locate(self, expr: cst.BaseExpression, steps: int, function: cst.FunctionDef | None) -> _Location:
        found = _Location()
        self._walk(expr, steps, function, found)
        return found

    def _merge(
        self,
        found: _Location,
        values: list[cst.BaseExpression | None],
        steps: int,
        function: cst.FunctionDef | None,
    ) -> None:
        """Every value a name may hold must be inside the package; the deepest one counts."""
        if not values or steps <= 0:
            found.escapes = True
            return
        deepest = 0
        for value in values:
            sub = self.locate(value, steps - 1, function) if value is not None else _Location(escapes=True)
            if not sub.package or sub.escapes:
                found.escapes = True
                return
            deepest = max(deepest, sub.levels)
            found.opened = found.opened or sub.opened
        found.package = True
        found.levels += deepest

    def _walk(
        self, node: cst.CSTNode, steps: int, function: cst.FunctionDef | None, found: _Location
    ) -> None:
        if isinstance(node, cst.Name):
            self._name(node.value, steps, function, found)
            return
        if isinstance(node, cst.SimpleString | cst.FormattedStringText):
            text = node.evaluated_value if isinstance(node, cst.SimpleString) else node.value
            if isinstance(text, bytes):
                text = text.decode("latin-1")
            if ".." in text.replace("\\", "/").split("/"):
                found.escapes = True
            return
        if isinstance(node, cst.Attribute) and node.attr.value == "parent":
            found.levels += 1
        elif isinstance(node, cst.Attribute) and node.attr.value == "parents":
            pass  # counted by the subscript
        elif (
            isinstance(node, cst.Subscript)
            and isinstance(node.value, cst.Attribute)
            and node.value.attr.value == "parents"
        ):
            index = node.slice[0].slice if len(node.slice) == 1 else None
            number = index.value if isinstance(index, cst.Index) else None
            if isinstance(number, cst.Integer):
                found.levels += int(number.value) + 1
            else:
                found.escapes = True
            self._walk(node.value.value, steps, function, found)
            return
        elif isinstance(node, cst.Call):
            self._call(node, steps, function, found)
            return
        if isinstance(node, cst.Attribute):
            self._walk(node.value, steps, function, found)  # not the attribute's own name
            return
        for child in node.children:
            self._walk(child, steps, function, found)

    def _call(self, node: cst.Call, steps: int, function: cst.FunctionDef | None, found: _Location) -> None:
        resolved = self.ctx.resolve(node.func) or ""
        if resolved.startswith(_RESOURCE_APIS):
            found.package = True
            return
        if isinstance(node.func, cst.Name) and not node.args and node.func.value in self.module.functions:
            returns = _Returns()
            target = self.module.functions[node.func.value]
            _body_of(target, returns)
            self._merge(found, list(returns.values), steps, target)
            return
        if resolved.endswith("dirname"):
            found.levels += 1
        if resolved in OPEN_APIS or resolved.endswith(_RECEIVER_READS):
            found.opened = True
        if isinstance(node.func, cst.Attribute):
            self._walk(
                node.func.value, steps, function, found
            )  # the receiver: `Path(__file__).with_name(...)`
        for arg in node.args:
            self._walk(arg.value, steps, function, found)

    def _name(self, name: str, steps: int, function: cst.FunctionDef | None, found: _Location) -> None:
        if name == "__file__":
            found.package = True
            return
        if function is not None:
            local = self.local_assigns() if function is self.function else _local_assigns_of(function)
            if name in local:
                self._merge(found, list(local[name]), steps, function)
                return
            default = _param_default(function, name)
            if default is not None:
                self._merge(found, [default], steps, function)
                return
            if _is_param(function, name):
                found.escapes = True
                return
        if name in self.module.assigns:
            self._merge(found, list(self.module.assigns[name]), steps, None)
            return
        if name in self.ctx.names.table:
            return  # an imported module or name (`os` of `os.path.join`): not a value of the path
        found.escapes = True


def _local_assigns_of(function: cst.FunctionDef) -> dict[str, list[cst.BaseExpression]]:
    visitor = _LocalAssigns()
    _body_of(function, visitor)
    return visitor.assigns


def _is_param(function: cst.FunctionDef, name: str) -> bool:
    params = function.params
    star = [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return any(
        p.name.value == name for p in (*params.posonly_params, *params.params, *params.kwonly_params, *star)
    )


def reads_package_data(ctx: FileContext, call: cst.Call, api: Api) -> bool:
    """A plain file read (``open``-like, ``Path.read_text``, or a reader given such a file's handle:
    ``json.load(f)``) of a file inside the module's own folder or package (see the module docstring)."""
    if api.kind != READ:
        return False
    expr = _path_expression(call, api)
    if expr is None:
        return False
    walker = _Walker(ctx)
    found = walker.locate(expr, _MAX_STEPS, walker.function)
    plain = api.name in OPEN_APIS or api.name.endswith(_RECEIVER_READS) or found.opened
    return plain and found.inside()
