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

``MutationFact.operation`` says what the mutation does; ``mutates(operation, kind)`` decides whether it
really changes an object of that kind (``df.add(x)`` returns a new frame, ``s.add(x)`` changes a set).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.model import MutationFact
from mlaudit.facts.names import _target_names, _walk_statements, dotted, import_bindings

LIST = "list"
DICT = "dict"
SET = "set"
DEQUE = "deque"
FRAME = "frame"
ARRAY = "array"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Calls (resolved through imports) that build a mutable object.
_NUMPY_ARRAYS = _words("zeros ones empty full array zeros_like ones_like empty_like full_like arange")
MUTABLE_FACTORIES: dict[str, str] = {
    "builtins.list": LIST,
    "builtins.bytearray": LIST,
    "builtins.dict": DICT,
    "builtins.dict.fromkeys": DICT,
    "builtins.set": SET,
    "collections.defaultdict": DICT,
    "collections.OrderedDict": DICT,
    "collections.Counter": DICT,
    "collections.ChainMap": DICT,
    "collections.deque": DEQUE,
    "pandas.DataFrame": FRAME,
    "pandas.Series": FRAME,
    "pandas.core.frame.DataFrame": FRAME,
    "pandas.core.series.Series": FRAME,
    **{f"numpy.{name}": ARRAY for name in _NUMPY_ARRAYS},
}

# In-place methods per kind. Methods that return a new object on that kind (``DataFrame.add``,
# ``ndarray.copy``) are deliberately absent.
METHODS: dict[str, frozenset[str]] = {
    LIST: _words(
        "append extend insert pop remove clear sort reverse __setitem__ __delitem__ __iadd__ __imul__"
    ),
    DICT: _words("update setdefault pop popitem clear move_to_end subtract __setitem__ __delitem__ __ior__"),
    SET: _words(
        "add discard remove pop clear update difference_update intersection_update "
        "symmetric_difference_update __ior__ __iand__ __isub__ __ixor__"
    ),
    DEQUE: _words("append appendleft extend extendleft pop popleft remove clear rotate insert reverse"),
    FRAME: _words("insert pop update __setitem__ __delitem__"),
    ARRAY: _words("sort fill resize put itemset partition setflags __setitem__"),
}
CONTAINER_METHODS = METHODS[LIST] | METHODS[DICT] | METHODS[SET] | METHODS[DEQUE]
ALL_METHODS = CONTAINER_METHODS | METHODS[FRAME] | METHODS[ARRAY]

# Functions that mutate their first argument in place, and the kinds they apply to.
FUNCTION_MUTATORS: dict[str, frozenset[str]] = {
    **{f"heapq.{n}": frozenset({LIST}) for n in _words("heappush heappop heapify heapreplace heappushpop")},
    **{f"bisect.{n}": frozenset({LIST}) for n in _words("insort insort_left insort_right")},
    "random.shuffle": frozenset({LIST, ARRAY}),
    "numpy.random.shuffle": frozenset({LIST, ARRAY}),
    **{f"numpy.{n}": frozenset({ARRAY}) for n in _words("copyto put place putmask fill_diagonal")},
}
_MUTATOR_NAMES = frozenset(name.rsplit(".", 1)[1] for name in FUNCTION_MUTATORS)

# Attribute accessors that still address the same object when assigned through:
# ``df.loc[i, "c"] = v`` mutates ``df``; ``arr.flat[0] = v`` mutates ``arr``.
_ACCESSORS = _words("loc iloc at iat flat T real imag values")


def mutates(operation: str, kind: str) -> bool:
    """Whether ``operation`` (a ``MutationFact.operation``) changes an object of ``kind`` in place."""
    op, _, detail = operation.partition(":")
    if op in ("setitem", "delitem", "setattr", "augassign"):
        return True
    if op == "method":
        return detail in METHODS.get(kind, frozenset())
    if op == "inplace":  # `df.drop(columns=c, inplace=True)`
        return kind in (FRAME, ARRAY)
    if op == "nested-method":  # `REGISTRY[key].append(fn)`: the inner object belongs to the state
        if kind in (LIST, DICT, SET, DEQUE):
            return detail in CONTAINER_METHODS
        return kind == ARRAY and detail in METHODS[ARRAY]
    if op == "nested-inplace":  # `FRAME["c"].fillna(0, inplace=True)`, `FRAMES[k].drop(..., inplace=True)`
        return kind in (FRAME, ARRAY, LIST, DICT)
    if op == "function":
        return kind in FUNCTION_MUTATORS.get(detail, frozenset())
    return False


def describe(operation: str) -> str:
    """A short human form of an operation for messages: ``.append()``, ``[...] =``."""
    op, _, detail = operation.partition(":")
    if op in ("method", "inplace", "nested-method", "nested-inplace"):
        return f".{detail}({'inplace=True' if 'inplace' in op else ''})"
    if op == "function":
        return f"{detail}()"
    return {"setitem": "item assignment", "delitem": "del", "setattr": "attribute assignment"}.get(
        op, "augmented assignment"
    )


def _is_true(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _strip_accessors(node: cst.BaseExpression) -> tuple[cst.BaseExpression, bool]:
    """``X[a][b]`` / ``X.loc[a]`` -> (``X``, True): the object whose contents an access reaches."""
    stripped = False
    while True:
        if isinstance(node, cst.Subscript):
            node, stripped = node.value, True
        elif stripped and isinstance(node, cst.Attribute) and node.attr.value in _ACCESSORS:
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

    # --- module-level bindings -----------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        for stmt in _walk_statements(node.body):
            for name, kind in self._bindings(stmt):
                self._kinds.setdefault(name, []).append(kind)

    def _bindings(self, stmt: cst.CSTNode) -> Iterator[tuple[str, str | None]]:
        ctx = self.ctx
        if isinstance(stmt, cst.Assign):
            for target in stmt.targets:
                yield from self._assigned(target.target, stmt.value)
        elif isinstance(stmt, cst.AnnAssign) and stmt.value is not None:
            yield from self._assigned(stmt.target, stmt.value)
        elif isinstance(stmt, cst.Import | cst.ImportFrom):
            for local, _ in import_bindings(stmt, ctx.module, ctx.is_package):
                yield local, None
        elif isinstance(stmt, cst.FunctionDef | cst.ClassDef):
            yield stmt.name.value, None
        elif isinstance(stmt, cst.For):
            for name in _target_names(stmt.target):
                yield name, None
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                if item.asname is not None:
                    for name in _target_names(item.asname.name):
                        yield name, None
        elif isinstance(stmt, cst.Try | cst.TryStar):
            for handler in stmt.handlers:
                if handler.name is not None and isinstance(handler.name.name, cst.Name):
                    yield handler.name.name.value, None
        # AugAssign keeps the object's type (`X += [1]` is still a list); `del` and `global` bind nothing.

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
        func = node.func
        if isinstance(func, cst.Attribute):
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
        name = (
            func.attr.value
            if isinstance(func, cst.Attribute)
            else func.value
            if isinstance(func, cst.Name)
            else ""
        )
        if name in _MUTATOR_NAMES and node.args and node.args[0].keyword is None and not node.args[0].star:
            resolved = self.ctx.resolve(func)
            if resolved in FUNCTION_MUTATORS:
                self._record(node.args[0].value, f"function:{resolved}", node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._body == 0:
            return
        for target in node.targets:
            self._store(target.target, node)
            self._global_rebind(target.target, node.value)

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

    def _store(self, target: cst.BaseExpression, stmt: cst.CSTNode) -> None:
        if isinstance(target, cst.Subscript):
            self._record(_strip_accessors(target)[0], "setitem", stmt)
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

    def _record(self, target: cst.BaseExpression, operation: str, node: cst.CSTNode) -> None:
        chain = dotted(target)
        if chain is None:
            return
        ctx = self.ctx
        root = chain.partition(".")[0]
        if any(root in names for names in self._comprehensions):
            return
        imported_locally = False
        for scope in reversed(ctx.functions):
            loc = ctx.function_locals(scope)
            if root in loc.imports:
                imported_locally = True
                break
            if root in loc.locals:
                return  # a parameter or local shadows the module-level name
            if root in loc.globals:
                break
        resolved = ctx.resolve(target)
        if resolved is None or resolved.startswith("builtins."):
            return
        own = f"{ctx.module}.{root}" if ctx.module else root
        origin = ctx.names.table.get(root)
        if imported_locally or (origin is not None and origin != own):
            binding, name, source = "import", chain, resolved
        elif origin == own and "." not in chain and root not in ctx.names.defs:
            binding, name, source = "global", root, resolved
        else:
            return
        if binding == "global" and None in self._kinds.get(name, [None]):
            return  # not a mutable module-level object (checked again in finish: functions may rebind it)
        outer = ctx.functions[0]
        function = ctx.function.qualname if ctx.function else ""
        self._pending.append(
            _Pending(
                name, binding, source, function, operation, node, None if outer.is_method else outer.name
            )
        )

    def finish(self) -> None:
        facts = self.ctx.facts
        if facts is None:
            return
        kinds: dict[str, str] = {}
        for name, seen in self._kinds.items():
            kind = seen[0]
            if kind is not None and all(k == kind for k in seen):
                kinds[name] = kind
        facts.mutable_kinds = dict(sorted(kinds.items()))
        facts.mutable_globals = sorted(kinds)
        # Functions used as decorators or called at import time build module state once (registries).
        builders = self._decorators | self._import_time_calls
        for p in self._pending:
            if p.binding == "global" and p.name not in kinds:
                continue
            if p.outer is not None and p.outer in builders:
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
                )
            )
