"""Resolve names to absolute dotted names through the module's import table, without full scope analysis.

``import pandas as pd_`` -> ``pd_.read_csv`` is ``pandas.read_csv``; ``from pandas import read_csv as rc``
-> ``rc`` is ``pandas.read_csv``; relative imports are resolved against the module's own dotted name;
a module-level ``def``/assignment or a function's local (parameter, assignment target, local import)
shadows an import. Function locals are collected lazily, by a walk of statements and targets only,
which is far cheaper than libcst's ScopeProvider (3-4 parses) or QualifiedNameProvider (7-8).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Sequence

import libcst as cst

BUILTIN_NAMES = frozenset(dir(builtins))

LOCAL = "<local>"
"""Marker binding for a name bound by plain assignment (its value is unknown)."""


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` as written, or None when the expression is not a plain name chain."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def module_of_import(node: cst.ImportFrom, module: str, is_package: bool) -> str | None:
    """The absolute module named by ``from X import ...`` (relative dots resolved), or None."""
    level = len(node.relative)
    target = dotted(node.module) if node.module is not None else ""
    if level == 0:
        return target
    parts = module.split(".") if module else []
    base = parts if is_package else parts[:-1]
    if level - 1 > len(base):
        return None
    base = base[: len(base) - (level - 1)]
    joined = ".".join(base)
    if target:
        return f"{joined}.{target}" if joined else target
    return joined or None


def _asname(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


def import_bindings(
    node: cst.Import | cst.ImportFrom, module: str, is_package: bool
) -> Iterator[tuple[str, str]]:
    """(local name, absolute dotted origin) bound by one import statement."""
    if isinstance(node, cst.Import):
        yield from _plain_import_bindings(node)
        return
    base = module_of_import(node, module, is_package)
    if base is None or isinstance(node.names, cst.ImportStar):
        return
    for alias in node.names:
        name = dotted(alias.name)
        if name is not None:
            yield _asname(alias) or name, f"{base}.{name}" if base else name


def _plain_import_bindings(node: cst.Import) -> Iterator[tuple[str, str]]:
    """`import a.b` binds `a`; `import a.b as x` binds `x` to `a.b`."""
    for alias in node.names:
        full = dotted(alias.name)
        if full is None:
            continue
        asname = _asname(alias)
        root = full.split(".")[0]
        yield (asname, full) if asname else (root, root)


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, cst.Tuple | cst.List):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)


def _walk_statements(body: Sequence[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """Yield small and compound statements of a block, descending into nested blocks but not into
    function or class bodies (they are scopes of their own)."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
            continue
        yield stmt
        if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
            continue
        for child in _blocks_of(stmt):
            yield from _walk_statements(child)


def _blocks_of(stmt: cst.CSTNode) -> Iterator[Sequence[cst.CSTNode]]:
    body = getattr(stmt, "body", None)
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        yield body.body
    for attr in ("orelse", "finalbody"):
        part = getattr(stmt, attr, None)
        if isinstance(part, cst.If):
            yield [part]
        elif part is not None and hasattr(part, "body"):
            yield from _blocks_of(part)
    for handler in getattr(stmt, "handlers", ()) or ():
        yield from _blocks_of(handler)
    for case in getattr(stmt, "cases", ()) or ():
        yield from _blocks_of(case)


def _targets_of(stmt: cst.CSTNode) -> Iterator[str]:
    """Names an assignment-like statement binds (plain locals)."""
    if isinstance(stmt, cst.Assign):
        for t in stmt.targets:
            yield from _target_names(t.target)
    elif isinstance(stmt, cst.AnnAssign | cst.AugAssign | cst.For):
        yield from _target_names(stmt.target)
    elif isinstance(stmt, cst.With):
        for item in stmt.items:
            if item.asname is not None:
                yield from _target_names(item.asname.name)
    elif isinstance(stmt, cst.Try | cst.TryStar):
        yield from _handler_names(stmt)


def _handler_names(stmt: cst.Try | cst.TryStar) -> Iterator[str]:
    for handler in stmt.handlers:
        if handler.name is not None and isinstance(handler.name.name, cst.Name):
            yield handler.name.name.value


def statement_bindings(
    body: Sequence[cst.CSTNode], module: str, is_package: bool
) -> Iterator[tuple[str, str, bool]]:
    """(name, origin, is_global_decl) for every binding made directly in a block.

    ``origin`` is an absolute dotted name for imports and ``<local>`` for anything else; ``def``/``class``
    give ``<def>`` so callers can tell first-party definitions apart.
    """
    for stmt in _walk_statements(body):
        if isinstance(stmt, cst.Import | cst.ImportFrom):
            for local, origin in import_bindings(stmt, module, is_package):
                yield local, origin, False
        elif isinstance(stmt, cst.FunctionDef | cst.ClassDef):
            yield stmt.name.value, "<def>", False
        elif isinstance(stmt, cst.Global | cst.Nonlocal):
            for name_item in stmt.names:
                yield name_item.name.value, "<global>", True
        else:
            for name in _targets_of(stmt):
                yield name, LOCAL, False


def parameter_names(params: cst.Parameters) -> Iterator[str]:
    for p in (*params.posonly_params, *params.params, *params.kwonly_params):
        yield p.name.value
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            yield star.name.value


_MODEL_BASES = frozenset({"Module", "LightningModule", "Model", "Layer", "PreTrainedModel", "ModelMixin"})


def _model_classes(module_node: cst.Module) -> frozenset[str]:
    found: set[str] = set()
    for stmt in module_node.body:
        if isinstance(stmt, cst.ClassDef):
            bases = {(dotted(arg.value) or "").rpartition(".")[2] for arg in stmt.bases}
            if bases & (_MODEL_BASES | found):
                found.add(stmt.name.value)
    return frozenset(found)


class ModuleNames:
    """The module-level binding table: local name -> absolute dotted origin."""

    def __init__(self, module_node: cst.Module, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.table: dict[str, str] = {}
        self.defs: set[str] = set()
        self.model_classes: frozenset[str] = _model_classes(module_node)
        """Top-level classes that are models or layers (``nn.Module``, ``LightningModule``, ``keras.Model``
        subclasses, and their subclasses in this module): their methods compute, they do not transform data."""
        for name, origin, _ in statement_bindings(module_node.body, module, is_package):
            if origin == "<def>":
                self.defs.add(name)
                self.table[name] = f"{module}.{name}" if module else name
            elif origin == LOCAL:
                # A module-level assignment rebinds the name to a first-party global.
                self.table[name] = f"{module}.{name}" if module else name
            else:
                self.table[name] = origin

    def imported_packages(self) -> frozenset[str]:
        return frozenset(v.split(".")[0] for v in self.table.values())


class FunctionLocals:
    """Names bound inside one function (parameters, targets, local imports), minus ``global`` ones."""

    __slots__ = ("globals", "imports", "locals")

    def __init__(self, node: cst.FunctionDef | cst.Lambda, module: str, is_package: bool) -> None:
        self.locals: set[str] = set(parameter_names(node.params))
        self.imports: dict[str, str] = {}
        self.globals: set[str] = set()
        body = node.body
        stmts: Iterable[cst.CSTNode]
        stmts = body.body if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else ()
        for name, origin, is_global in statement_bindings(list(stmts), module, is_package):
            if is_global:
                self.globals.add(name)
            elif origin in (LOCAL, "<def>"):
                self.locals.add(name)
            else:
                self.imports[name] = origin
        self.locals -= self.globals
        for name in self.globals:
            self.imports.pop(name, None)


def resolve_chain(
    chain: str,
    module_names: ModuleNames,
    scopes: Sequence[FunctionLocals],
) -> str | None:
    """Resolve a dotted chain as written (``pd.read_csv``) to an absolute name, innermost scope first.

    Returns None when the root is a local variable (its type is unknown), else the absolute name;
    unbound builtins resolve to ``builtins.<name>``.
    """
    root, _, rest = chain.partition(".")
    for scope in reversed(scopes):
        if root in scope.imports:
            origin = scope.imports[root]
            return f"{origin}.{rest}" if rest else origin
        if root in scope.locals:
            return None
    bound = module_names.table.get(root)
    if bound is None:
        if root not in BUILTIN_NAMES:
            return None
        bound = f"builtins.{root}"
    return f"{bound}.{rest}" if rest else bound
