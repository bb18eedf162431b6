"""Global-state facts for MLA102 mutated-module-state.

Per file, two things are recorded:

- ``FileFacts.mutable_globals`` / ``mutable_kinds``: module-level names bound to a mutable object (a
  list/dict/set literal or comprehension, ``list()``, ``dict()``, ``defaultdict()``, ``deque()``,
  ``pd.DataFrame()``, ``np.zeros()``...). A name counts only when *every* binding of it we can see is
  such a constructor: ``X = []`` later rebound to ``tuple(X)``, to an import, a ``def`` or a loop
  variable is not reported (precision first).
- ``FileFacts.mutations``: mutations, inside a function body, of a name bound outside the function:
  a module-level name of this module (``binding="global"``) or an imported one (``binding="import"``,
  ``source`` is the absolute origin such as ``pkg.state.CACHE``). Whether the imported name really is a
  first-party mutable global is decided by the project rule, which sees every file.

``MutationFact.operation`` says what the mutation does; ``mlaudit.facts.mutability.mutates(operation,
kind)`` decides whether it really changes an object of that kind (``df.add(x)`` returns a new frame,
``s.add(x)`` changes a set).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.memo import memo_stores
from mlaudit.facts.model import MutationFact
from mlaudit.facts.mutability import (
    ACCESSORS,
    ALL_METHODS,
    CONTAINER_METHODS,
    DICT,
    FUNCTION_MUTATORS,
    LIST,
    MUTABLE_FACTORIES,
    MUTATOR_NAMES,
    SET,
)
from mlaudit.facts.names import _target_names, _walk_statements, dotted, import_bindings
from mlaudit.facts.registry import registration_stores


def _is_true(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _strip_accessors(node: cst.BaseExpression) -> tuple[cst.BaseExpression, bool]:
    """``X[a][b]`` / ``X.loc[a]`` -> (``X``, True): the object whose contents an access reaches."""
    stripped = False
    while True:
        if isinstance(node, cst.Subscript):
            node, stripped = node.value, True
        elif stripped and isinstance(node, cst.Attribute) and node.attr.value in ACCESSORS:
            node = node.value
        else:
            return node, stripped


def _comprehension_targets(
    node: cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp,
) -> frozenset[str]:
    names: set[str] = set()
    comp: cst.CompFor | None = node.for_in
    while comp is not None:
        names.update(_target_names(comp.target))
        comp = comp.inner_for_in
    return frozenset(names)


@dataclass(slots=True)
class _Pending:
    name: str
    binding: str
    source: str
    function: str
    operation: str
    node: cst.CSTNode
    outer: str | None
    """Name of the outermost enclosing function unless it is a method (for the registry exemption)."""
    memo: bool = False
    registration: bool = False


def _other_bound_names(stmt: cst.CSTNode) -> Iterator[str]:
    """Names bound by a ``def``/``class``, a loop target, ``with ... as`` or ``except ... as``."""
    if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
        yield stmt.name.value
    elif isinstance(stmt, cst.For):
        yield from _target_names(stmt.target)
    elif isinstance(stmt, cst.With):
        for item in stmt.items:
            if item.asname is not None:
                yield from _target_names(item.asname.name)
    elif isinstance(stmt, cst.Try | cst.TryStar):
        for handler in stmt.handlers:
            if handler.name is not None and isinstance(handler.name.name, cst.Name):
                yield handler.name.name.value


class StateExtractor(FactExtractor):
    """Records mutable module-level names and mutations of outside names inside functions."""

    provides = frozenset({"state"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._body = 0  # depth of function/lambda bodies: default arguments and decorators run at import time
        self._comprehensions: list[frozenset[str]] = []
        # Kinds of every binding of each module-level name (None: not a mutable constructor).
        self._kinds: dict[str, list[str | None]] = {}
        self._pending: list[_Pending] = []
        self._decorators: set[str] = set()
        self._import_time_calls: set[str] = set()
        self._memo: dict[int, frozenset[int]] = {}
        self._registrations: dict[int, frozenset[int]] = {}
        """Per function node: the memo stores of its body (``mlaudit.facts.memo``)."""

    # --- module-level bindings -----------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        for stmt in _walk_statements(node.body):
            for name, kind in self._bindings(stmt):
                self._kinds.setdefault(name, []).append(kind)

    def _bindings(self, stmt: cst.CSTNode) -> Iterator[tuple[str, str | None]]:
        if isinstance(stmt, cst.Assign):
            for target in stmt.targets:
                yield from self._assigned(target.target, stmt.value)
        elif isinstance(stmt, cst.AnnAssign) and stmt.value is not None:
            yield from self._assigned(stmt.target, stmt.value)
        elif isinstance(stmt, cst.Import | cst.ImportFrom):
            for local, _ in import_bindings(stmt, self.ctx.module, self.ctx.is_package):
                yield local, None
        else:
            # AugAssign keeps the object's type (`X += [1]` is still a list); `del`/`global` bind nothing.
            for name in _other_bound_names(stmt):
                yield name, None

    def _assigned(
        self, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> Iterator[tuple[str, str | None]]:
        if isinstance(target, cst.Name):
            yield target.value, self._classify(value)
        elif isinstance(target, cst.Tuple | cst.List):
            values: Sequence[cst.BaseElement] | None = None
            if isinstance(value, cst.Tuple | cst.List) and len(value.elements) == len(target.elements):
                values = value.elements
            for i, element in enumerate(target.elements):
                if values is not None and not isinstance(element, cst.StarredElement):
                    yield from self._assigned(element.value, values[i].value)
                else:
                    for name in _target_names(element.value):
                        yield name, None

    def _classify(self, value: cst.BaseExpression) -> str | None:
        if isinstance(value, cst.List | cst.ListComp):
            return LIST
        if isinstance(value, cst.Dict | cst.DictComp):
            return DICT
        if isinstance(value, cst.Set | cst.SetComp):
            return SET
        if isinstance(value, cst.Call):
            name = self.ctx.resolve(value.func)
            return MUTABLE_FACTORIES.get(name) if name else None
        if (
            isinstance(value, cst.BinaryOperation)
            and isinstance(value.operator, cst.Add | cst.Multiply)
            and (isinstance(value.left, cst.List) or isinstance(value.right, cst.List))
        ):
            return LIST  # `[0] * n`, `[a] + rest`
        return None

    # --- scopes ----------------------------------------------------------------------------------
    def visit_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        self._body += 1

    def leave_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        self._body -= 1

    def visit_Lambda_body(self, node: cst.Lambda) -> None:
        self._body += 1

    def leave_Lambda_body(self, node: cst.Lambda) -> None:
        self._body -= 1

    def _enter_comprehension(
        self, node: cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp
    ) -> None:
        self._comprehensions.append(_comprehension_targets(node))

    def _leave_comprehension(
        self, node: cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp
    ) -> None:
        self._comprehensions.pop()

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _enter_comprehension
    leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _leave_comprehension  # type: ignore[assignment]

    def visit_Decorator(self, node: cst.Decorator) -> None:
        expr = node.decorator.func if isinstance(node.decorator, cst.Call) else node.decorator
        if isinstance(expr, cst.Name):
            self._decorators.add(expr.value)

    # --- mutations ---------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if self._body == 0:
            # A module-level function called at import time builds state once, like a decorator.
            if isinstance(node.func, cst.Name) and not self.ctx.main_guard:
                self._import_time_calls.add(node.func.value)
            return
        if isinstance(node.func, cst.Attribute):
            self._method_call(node, node.func)
        self._mutator_call(node)

    def _method_call(self, node: cst.Call, func: cst.Attribute) -> None:
        """``X.append(v)``, ``X[k].add(v)``, ``X.drop(..., inplace=True)``."""
        method = func.attr.value
        inplace = any(
            arg.keyword is not None and arg.keyword.value == "inplace" and _is_true(arg.value)
            for arg in node.args
        )
        target, nested = _strip_accessors(func.value)
        prefix = "nested-" if nested else ""
        if inplace:
            self._record(target, f"{prefix}inplace:{method}", node)
        elif method in (CONTAINER_METHODS if nested else ALL_METHODS):
            self._record(target, f"{prefix}method:{method}", node)

    def _mutator_call(self, node: cst.Call) -> None:
        """``heapq.heappush(X, v)``, ``random.shuffle(X)``: functions that change their first argument."""
        func = node.func
        name = (
            func.attr.value
            if isinstance(func, cst.Attribute)
            else func.value
            if isinstance(func, cst.Name)
            else ""
        )
        if (
            name not in MUTATOR_NAMES
            or not node.args
            or node.args[0].keyword is not None
            or node.args[0].star
        ):
            return
        resolved = self.ctx.resolve(func)
        if resolved in FUNCTION_MUTATORS:
            self._record(node.args[0].value, f"function:{resolved}", node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._body == 0:
            return
        memo = self._is_memo_store(node)
        for target in node.targets:
            self._store(target.target, node, memo=memo)
            self._global_rebind(target.target, node.value)

    def _is_memo_store(self, node: cst.Assign) -> bool:
        """``CACHE[key] = value`` where ``key`` is known absent from ``CACHE`` (``mlaudit.facts.memo``)."""
        scope = self.ctx.function
        if scope is None:
            return False
        stores = self._memo.get(id(scope.node))
        if stores is None:
            stores = self._memo[id(scope.node)] = memo_stores(scope.node)
        return id(node) in stores

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self._body == 0 or node.value is None:
            return
        self._store(node.target, node)
        self._global_rebind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if self._body == 0:
            return
        target = node.target
        if isinstance(target, cst.Name):
            # Without `global X`, `X += ...` makes X local: only a declared global is module state.
            scope = self.ctx.function
            if scope is not None and target.value in self.ctx.function_locals(scope).globals:
                self._record(target, "augassign", node)
        else:
            self._store(target, node)

    def visit_Del(self, node: cst.Del) -> None:
        if self._body == 0:
            return
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
        for element in targets:
            target = element.value if isinstance(element, cst.BaseElement) else element
            if isinstance(target, cst.Subscript):
                self._record(_strip_accessors(target)[0], "delitem", node)
            elif isinstance(target, cst.Attribute):
                self._record(target.value, "setattr", node)

    def _store(self, target: cst.BaseExpression, stmt: cst.CSTNode, *, memo: bool = False) -> None:
        if isinstance(target, cst.Subscript):
            self._record(_strip_accessors(target)[0], "setitem", stmt, memo=memo)
        elif isinstance(target, cst.Attribute):
            self._record(target.value, "setattr", stmt)
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._store(element.value, stmt)
        elif isinstance(target, cst.StarredElement):
            self._store(target.value, stmt)

    def _global_rebind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """``global X; X = ...`` in a function rebinds the module-level name: it counts as a binding."""
        scope = self.ctx.function
        if scope is None or not isinstance(target, cst.Name):
            return
        name = target.value
        if name in self._kinds and name in self.ctx.function_locals(scope).globals:
            self._kinds[name].append(self._classify(value))

    def _scope_of(self, root: str) -> str | None:
        """How the innermost enclosing functions bind ``root``: ``local`` (a parameter, local or
        comprehension variable shadows the module name), ``import`` (a local import) or None (the
        module-level binding applies)."""
        if any(root in names for names in self._comprehensions):
            return "local"
        for scope in reversed(self.ctx.functions):
            loc = self.ctx.function_locals(scope)
            if root in loc.imports:
                return "import"
            if root in loc.locals:
                return "local"
            if root in loc.globals:
                return None
        return None

    def _binding(self, chain: str, local_import: bool) -> str | None:
        """``global`` for a name of this module, ``import`` for an imported one, else None."""
        ctx = self.ctx
        root = chain.partition(".")[0]
        own = f"{ctx.module}.{root}" if ctx.module else root
        origin = ctx.names.table.get(root)
        if local_import or (origin is not None and origin != own):
            return "import"
        # A name some module-level binding of which is not a mutable constructor is never state
        # (checked again in finish: a function may rebind it with `global`).
        if (
            origin == own
            and "." not in chain
            and root not in ctx.names.defs
            and None not in self._kinds.get(root, [None])
        ):
            return "global"
        return None

    def _record(self, target: cst.BaseExpression, operation: str, node: cst.CSTNode, *, memo: bool = False) -> None:
        chain = dotted(target)
        if chain is None:
            return
        scope = self._scope_of(chain.partition(".")[0])
        if scope == "local":
            return
        resolved = self.ctx.resolve(target)
        if resolved is None or resolved.startswith("builtins."):
            return
        binding = self._binding(chain, scope == "import")
        if binding is None:
            return
        name = chain if binding == "import" else chain.partition(".")[0]
        outer = self.ctx.functions[0]
        function = self.ctx.function.qualname if self.ctx.function else ""
        self._pending.append(
            _Pending(
                name,
                binding,
                resolved,
                function,
                operation,
                node,
                None if outer.is_method else outer.name,
                memo,
                self._is_registration(node),
            )
        )

    def _is_registration(self, node: cst.CSTNode) -> bool:
        """``REGISTRY[cls.NAME] = cls`` in a plugin-discovery function (``mlaudit.facts.registry``)."""
        scope = self.ctx.function
        if scope is None or not isinstance(scope.node, cst.FunctionDef):
            return False
        stores = self._registrations.get(id(scope.node))
        if stores is None:
            defs = frozenset(self.ctx.names.defs)
            stores = self._registrations[id(scope.node)] = registration_stores(scope.node, defs)
        return id(node) in stores

    def _mutable_kinds(self) -> dict[str, str]:
        """Names every binding of which is a mutable constructor of one kind."""
        kinds: dict[str, str] = {}
        for name, seen in sorted(self._kinds.items()):
            kind = seen[0]
            if kind is not None and all(k == kind for k in seen):
                kinds[name] = kind
        return kinds

    def finish(self) -> None:
        facts = self.ctx.facts
        if facts is None:
            return
        kinds = self._mutable_kinds()
        facts.mutable_kinds = kinds
        facts.mutable_globals = list(kinds)
        # Functions used as decorators or called at import time build module state once (registries).
        builders = self._decorators | self._import_time_calls
        for p in self._pending:
            if (p.binding == "global" and p.name not in kinds) or (
                p.outer is not None and p.outer in builders
            ):
                continue
            span = self.ctx.position(p.node)  # positions only for kept facts: they cost a parse or two
            facts.mutations.append(
                MutationFact(
                    name=p.name,
                    binding=p.binding,
                    source=p.source,
                    function=p.function,
                    span=span,
                    snippet=self.ctx.snippet(span),
                    operation=p.operation,
                    memo=p.memo,
                    registration=p.registration,
                )
            )
