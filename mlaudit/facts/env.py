"""Environment-read facts (MLA302 scattered-env-access).

Every *read* of an environment variable in a non-test file, outside config models: ``os.environ["X"]``
(not as an assignment or ``del`` target), ``os.environ.get("X")``, ``os.getenv("X")`` and their ``environb``
/ ``getenvb`` twins, through any import form. Writes are not reads and are never recorded:
``os.environ["X"] = v``, ``os.environ["X"] += v``, ``del os.environ["X"]``, ``os.environ.setdefault(...)``,
``os.environ.update(...)``, ``os.environ.pop(...)``, ``os.putenv(...)``. Membership tests (``"X" in
os.environ``) and passing the whole environment along (``env=os.environ.copy()``) are not reads of a
setting either.

The variables the file *writes* are recorded too (``env_writes``, literal names only): ``os.environ["X"] =
v``, ``os.environ.update(X=..., **{"Y": ...})``, the same on a copy of the environment (``env =
os.environ.copy()``, ``dict(os.environ)``, ``{**os.environ}``) and the keys of a dict literal passed as
``env=`` to a call (``subprocess.run(cmd, env={**os.environ, "X": "1"})``). ``setdefault`` is not a write
there: it supplies a default for a setting the user may give.
"""

from __future__ import annotations

import libcst as cst

from mlaudit.engine.context import FileContext, FunctionScope
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.fallbacks import FallbackHooks, FallbackScope
from mlaudit.facts.frameworks import ENV_FORWARDING_DECORATORS
from mlaudit.facts.functions import string_value
from mlaudit.facts.hyperparams import ConfigScope
from mlaudit.facts.model import EnvReadFact

ENV_OBJECTS = frozenset({"os.environ", "os.environb"})
READ_FUNCTIONS = frozenset({"os.getenv", "os.getenvb", "os.environ.get", "os.environb.get"})
_READ_NAMES = frozenset({"getenv", "getenvb", "get"})


class EnvReadsExtractor(FallbackHooks, FactExtractor):
    provides = frozenset({"env"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.config = ConfigScope(ctx)
        self.skip = ctx.is_test
        self._stores: set[int] = set()
        self._seen_definition = False
        self.fallback = FallbackScope(ctx)
        self._loops: list[int] = [0]  # loop depth per function body (module level first)
        self._decorating = 0  # inside a function's decorators: they run in the enclosing scope
        self._forwarded: list[frozenset[str]] = [frozenset()]  # per function: variables its decorators set
        self._copies: set[str] = set()  # names bound to a copy of the environment (`env = os.environ.copy()`)

    # --- where are we ----------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.config.enter(node)
        if len(self.ctx.classes) == 1 and not self.ctx.functions:
            self._seen_definition = True

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.config.leave()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if len(self.ctx.functions) == 1 and not self.ctx.classes:
            self._seen_definition = True
        self._loops.append(0)
        self._forwarded.append(self._forwarded_by(node))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._loops.pop()
        self._forwarded.pop()

    def _forwarded_by(self, node: cst.FunctionDef) -> frozenset[str]:
        """The variables a decorator of ``node`` sets where it runs: the literal keys of Metaflow's
        ``@environment(vars={...})`` (``ENV_FORWARDING_DECORATORS``)."""
        out: set[str] = set()
        for decorator in node.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call):
                continue
            keyword = ENV_FORWARDING_DECORATORS.get(self.ctx.resolve(call.func) or "")
            for arg in call.args if keyword else ():
                if arg.keyword is not None and arg.keyword.value == keyword and isinstance(arg.value, cst.Dict):
                    for element in arg.value.elements:
                        key = string_value(element.key) if isinstance(element, cst.DictElement) else None
                        if key:
                            out.add(key)
        return frozenset(out)

    # --- decorators: evaluated once where the function is defined, not when it is called --------------
    # ``@batch(image=os.getenv("IMAGE"))`` on a Metaflow step is read at class definition, in the enclosing
    # scope (the module for a method of a top-level class), not inside the decorated method.
    def visit_FunctionDef_decorators(self, node: cst.FunctionDef) -> None:
        self._decorating += 1

    def leave_FunctionDef_decorators(self, node: cst.FunctionDef) -> None:
        self._decorating -= 1

    def _scope(self) -> FunctionScope | None:
        """The function a read runs in: the enclosing one for a read in a function's decorators."""
        functions = self.ctx.functions
        if self._decorating and functions:
            return functions[-2] if len(functions) >= 2 else None
        return functions[-1] if functions else None

    # --- loops: a read in a loop body runs again on every iteration -----------------------------------
    def _enter_loop(self, node: cst.CSTNode) -> None:
        self._loops[-1] += 1

    def _leave_loop(self, node: cst.CSTNode) -> None:
        self._loops[-1] -= 1

    visit_For_body = visit_While_body = _enter_loop
    leave_For_body = leave_While_body = _leave_loop

    # --- writes: remember their targets before the subscript itself is visited ---------------------
    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._stores.add(id(node.target))
        target = node.target
        if isinstance(target, cst.Subscript) and len(target.slice) == 1 and self._environment(target.value):
            index = target.slice[0].slice
            self._write(string_value(index.value) if isinstance(index, cst.Index) else None)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._is_copy(node.value):
            self._copies.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))

    def _environment(self, node: cst.BaseExpression) -> bool:
        """``os.environ`` or a name bound to a copy of it."""
        if isinstance(node, cst.Name) and node.value in self._copies:
            return True
        return _ends_with(node, ("environ", "environb")) and self.ctx.resolve(node) in ENV_OBJECTS

    def _is_copy(self, node: cst.BaseExpression) -> bool:
        """``os.environ.copy()``, ``dict(os.environ)``, ``{**os.environ, ...}``."""
        if isinstance(node, cst.Dict):
            return any(
                isinstance(e, cst.StarredDictElement) and self._environment(e.value) for e in node.elements
            )
        if not isinstance(node, cst.Call):
            return False
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "copy" and not node.args:
            return self._environment(func.value)
        return (
            isinstance(func, cst.Name)
            and func.value == "dict"
            and len(node.args) == 1
            and self._environment(node.args[0].value)
        )

    def _write(self, variable: str | None) -> None:
        facts = self.ctx.facts
        if variable and facts is not None and not self.skip and variable not in facts.env_writes:
            facts.env_writes.append(variable)

    def _dict_keys(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Dict):
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    self._write(string_value(element.key))

    def _record_writes(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "update" and self._environment(func.value):
            for arg in node.args:
                if arg.keyword is not None:
                    self._write(arg.keyword.value)
                else:
                    self._dict_keys(arg.value)
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "env":
                self._dict_keys(arg.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._stores.add(id(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._stores.add(id(node.target))

    def visit_Del(self, node: cst.Del) -> None:
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
        for target in targets:
            self._stores.add(id(target.value if isinstance(target, cst.Element) else target))

    # --- reads -----------------------------------------------------------------------------------
    def visit_Subscript(self, node: cst.Subscript) -> None:
        if self.skip or id(node) in self._stores or not _ends_with(node.value, ("environ", "environb")):
            return
        resolved = self.ctx.resolve(node.value)
        if resolved in ENV_OBJECTS and len(node.slice) == 1:
            index = node.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            self._record(node, key or "", f"{resolved}[...]")

    def visit_Call(self, node: cst.Call) -> None:
        if not self.skip:
            self._record_writes(node)
        if self.skip or not _ends_with(node.func, _READ_NAMES):
            return
        resolved = self.ctx.resolve(node.func)
        if resolved not in READ_FUNCTIONS:
            return
        first = node.args[0] if node.args else None
        key = string_value(first.value) if first is not None and first.keyword is None else None
        self._record(node, key or "", f"{resolved}(...)")

    def _record(self, node: cst.CSTNode, variable: str, api: str) -> None:
        if self.config.inside:
            return  # a config model reading its fields from the environment
        ctx = self.ctx
        facts = ctx.facts
        assert facts is not None
        scope = self._scope()
        if scope is not None:
            where, qualname = "function", scope.qualname
        elif ctx.main_guard:
            where, qualname = "main", ""
        else:
            where, qualname = "module", ""
        span = ctx.position(node)
        facts.env_reads.append(
            EnvReadFact(
                variable=variable,
                span=span,
                scope=where,
                function=qualname,
                top=where == "module" and not ctx.classes and not self._seen_definition,
                api=api,
                snippet=ctx.snippet(span),
                fallback=self.fallback.inside,
                in_loop=self._loops[-2 if self._decorating and len(self._loops) > 1 else -1] > 0,
                forwarded=not self._decorating and variable in self._forwarded[-1],
            )
        )


def _ends_with(node: cst.BaseExpression, names: tuple[str, ...] | frozenset[str]) -> bool:
    if isinstance(node, cst.Attribute):
        return node.attr.value in names
    return isinstance(node, cst.Name) and node.value in names
