"""MLA202 nondeterministic-transform: take ``now`` (or ``rng``) as a parameter; the callers pass the
call the transform used to make.

For a clock read such as ``datetime.now()``: the transform gets a keyword-only parameter ``now`` (or
the name the read was assigned to, ``today = date.today()`` giving ``today``, that statement removed),
the read becomes that name, and every call of the transform gets ``now=datetime.now()``: the current
call, moved to the caller. For a draw from a global generator: ``random.X(...)`` becomes
``rng.X(...)`` with callers passing ``rng=random.Random()``, and NumPy's legacy ``np.random.X(...)``
(for the functions a ``Generator`` has with the same signature: ``normal``, ``uniform``, ``choice``,
``permutation``, ``shuffle``, ...) becomes ``rng.X(...)`` with callers passing
``rng=np.random.default_rng()``. The behaviour is unchanged; the decision moves one level up, where
a caller that is itself a transform is reported in turn and fixed on the next round, until the entry
point, where a fixed timestamp or a seeded generator belongs (``default_rng(cfg.seed)``).

Offered only when every use of the transform can be rewritten: a module-level, undecorated ``def``;
no other project file mentions its name; every mention in its own file is a direct call (not
recursive, no ``**kwargs``); at least one such call exists (a function nobody in the file calls is an
entry point or is called by a framework); a clock call that moves is argument-free or has literal arguments
only and its names are module-level imports (so it means the same at the call sites); the parameter name is
free in the transform. The new parameter is required and keyword-only, so a caller outside the
project that was missed fails loudly instead of silently.

Unsafe: the transform's signature changes (a public API gains a required keyword).
"""

from __future__ import annotations

import libcst as cst

from mlaudit.facts import ml_apis
from mlaudit.facts.names import dotted
from mlaudit.fixes._cst import contains, remove_small
from mlaudit.fixes.base import UNSAFE, FixSource, FixSpec, Proposal, Target

_GENERATOR_METHODS = frozenset(
    [
        "normal",
        "uniform",
        "choice",
        "permutation",
        "shuffle",
        "binomial",
        "poisson",
        "exponential",
        "beta",
        "gamma",
        "standard_normal",
        "random",
        "lognormal",
        "laplace",
        "logistic",
        "geometric",
        "multinomial",
        "dirichlet",
        "multivariate_normal",
        "chisquare",
        "triangular",
    ]
)


def _imports(tree: cst.Module) -> dict[str, str]:
    """Module-level import bindings: local name -> qualified name."""
    out: dict[str, str] = {}
    for stmt in tree.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    full = dotted(alias.name) or ""
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        out[alias.asname.name.value] = full
                    else:
                        out[full.partition(".")[0]] = full.partition(".")[0]
            elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
                if isinstance(small.names, cst.ImportStar):
                    continue
                module = dotted(small.module) or ""
                for alias in small.names:
                    name = dotted(alias.name) or ""
                    local = (
                        alias.asname.name.value
                        if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                        else name
                    )
                    out[local] = f"{module}.{name}"
    return out


def _qualified(func: cst.BaseExpression, imports: dict[str, str]) -> str | None:
    name = dotted(func)
    if name is None:
        return None
    root, _, rest = name.partition(".")
    if root not in imports:
        return None
    return imports[root] + ("." + rest if rest else "")


def _literal_args(call: cst.Call) -> bool:
    class _Names(cst.CSTVisitor):
        found = False

        def visit_Name(self, node: cst.Name) -> None:
            if node.value not in ("True", "False", "None"):
                self.found = True

    for arg in call.args:
        if arg.star:
            return False
        visitor = _Names()
        arg.value.visit(visitor)
        if visitor.found:
            return False
    return True


class _Uses(cst.CSTVisitor):
    """Every ``Name`` node with a given value, with whether it is the callee of a call."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.calls: list[cst.Call] = []
        self.other = 0
        self._callees: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == self.name:
            self.calls.append(node)
            self._callees.add(id(node.func))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name and id(node) not in self._callees:
            self.other += 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value == self.name:
            self.other -= 1  # the definition's own name


def _names_in(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class _V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.add(n.value)

    node.visit(_V())
    return found


def _plan_call(call: cst.Call, qualified: str, imports: dict[str, str]) -> tuple[str, str, str] | None:
    """(kind, default parameter name, caller-side expression) for a reported call, or None."""
    api = ml_apis.lookup(qualified)
    if api is None:
        return None
    if api.kind == ml_apis.CLOCK:
        return "clock", "now", cst.Module([]).code_for_node(call)
    if api.kind != ml_apis.RANDOM or not isinstance(call.func, cst.Attribute):
        return None
    method = call.func.attr.value
    prefix = dotted(call.func.value) or ""  # `random`, `np.random`, an alias of numpy.random
    root = prefix.partition(".")[0]
    if qualified == f"random.{method}" and imports.get(prefix) == "random" and method != "Random":
        return "random", "rng", f"{prefix}.Random()"
    if qualified == f"numpy.random.{method}" and method in _GENERATOR_METHODS and root in imports:
        return "random", "rng", f"{prefix}.default_rng()"
    return None


class _Rewrite(cst.CSTTransformer):
    def __init__(
        self,
        function: cst.FunctionDef,
        call: cst.Call,
        param: str,
        kind: str,
        default: str,
        drop: cst.BaseSmallStatement | None,
        add_param: bool,
    ) -> None:
        super().__init__()
        self.function = function
        self.call = call
        self.param = param
        self.kind = kind
        self.default = default
        self.drop = drop
        self.add_param = add_param
        self.callers = 0

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node is self.call:
            if self.kind == "clock":
                return cst.Name(self.param)
            assert isinstance(updated_node.func, cst.Attribute)
            return updated_node.with_changes(func=updated_node.func.with_changes(value=cst.Name(self.param)))
        func = original_node.func
        if isinstance(func, cst.Name) and func.value == self.function.name.value:
            if any(
                isinstance(a.keyword, cst.Name) and a.keyword.value == self.param for a in updated_node.args
            ):
                return updated_node
            self.callers += 1
            return updated_node.with_changes(
                args=_with_keyword(list(updated_node.args), self.param, self.default)
            )
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if original_node is not self.function:
            return updated_node
        if self.drop is not None and isinstance(updated_node.body, cst.IndentedBlock):
            dropped = self._dropped(updated_node)
            body = remove_small(updated_node.body.body, updated_node.body.body, dropped)
            if body is not None:
                updated_node = updated_node.with_changes(body=updated_node.body.with_changes(body=body))
        if not self.add_param:
            return updated_node
        params = updated_node.params
        new = cst.Param(cst.Name(self.param))
        if isinstance(params.star_arg, cst.Param | cst.ParamStar):
            kwonly = [*params.kwonly_params, new]
            params = params.with_changes(kwonly_params=_fix_commas(kwonly))
        else:
            params = params.with_changes(star_arg=cst.ParamStar(), kwonly_params=[new])
        return updated_node.with_changes(params=params)

    def _dropped(self, updated: cst.FunctionDef) -> cst.BaseSmallStatement:
        """The assignment ``name = <call>`` after the call was replaced (``name = name``)."""
        assert isinstance(updated.body, cst.IndentedBlock)
        for stmt in updated.body.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if (
                        isinstance(small, cst.Assign)
                        and isinstance(small.value, cst.Name)
                        and small.value.value == self.param
                        and len(small.targets) == 1
                        and isinstance(small.targets[0].target, cst.Name)
                        and small.targets[0].target.value == self.param
                    ):
                        return small
        raise LookupError("assignment not found")


def _fix_commas(params: list[cst.Param]) -> list[cst.Param]:
    out = []
    for i, p in enumerate(params):
        if i < len(params) - 1 and p.comma == cst.MaybeSentinel.DEFAULT:
            p = p.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        out.append(p)
    return out


def _with_keyword(args: list[cst.Arg], name: str, value: str) -> list[cst.Arg]:
    new = cst.Arg(
        value=cst.parse_expression(value),
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if args and isinstance(args[-1].comma, cst.Comma):
        last = args[-1]
        new = new.with_changes(comma=last.comma)
        between = (
            args[-2].comma
            if len(args) > 1 and isinstance(args[-2].comma, cst.Comma)
            else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        args[-1] = last.with_changes(comma=between)
    return [*args, new]


def _module_function(tree: cst.Module, node: cst.CSTNode) -> cst.FunctionDef | None:
    for stmt in tree.body:
        if isinstance(stmt, cst.FunctionDef) and contains(stmt, node):
            inner = [f for f in _functions(stmt) if f is not stmt and contains(f, node)]
            return None if inner else stmt
    return None


def _functions(node: cst.CSTNode) -> list[cst.FunctionDef]:
    found: list[cst.FunctionDef] = []

    class _V(cst.CSTVisitor):
        def visit_FunctionDef(self, f: cst.FunctionDef) -> None:
            found.append(f)

    node.visit(_V())
    return found


def _assigned_to(function: cst.FunctionDef, call: cst.Call) -> tuple[str, cst.BaseSmallStatement] | None:
    """``name`` when the call is the whole value of ``name = <call>`` directly in the body."""
    if not isinstance(function.body, cst.IndentedBlock):
        return None
    for stmt in function.body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if (
                    isinstance(small, cst.Assign)
                    and small.value is call
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                ):
                    return small.targets[0].target.value, small
    return None


def _stores(function: cst.FunctionDef, name: str) -> int:
    count = 0

    class _V(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            nonlocal count
            if name in _names_in(node.target):
                count += 1

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            nonlocal count
            if name in _names_in(node.target):
                count += 2

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            nonlocal count
            if name in _names_in(node.target):
                count += 2

        def visit_For(self, node: cst.For) -> None:
            nonlocal count
            if name in _names_in(node.target):
                count += 2

    function.body.visit(_V())
    return count


def _parameters(function: cst.FunctionDef) -> list[str]:
    p = function.params
    names = [x.name.value for x in (*p.posonly_params, *p.params, *p.kwonly_params)]
    for star in (p.star_arg, p.star_kwarg):
        if isinstance(star, cst.Param):
            names.append(star.name.value)
    return names


def propose(source: FixSource, target: Target) -> Proposal | None:
    call = source.node_at(target.span, (cst.Call,))
    if not isinstance(call, cst.Call):
        return None
    tree = source.tree
    function = _module_function(tree, call)
    if function is None or function.decorators or function.asynchronous is not None:
        return None
    imports = _imports(tree)
    qualified = _qualified(call.func, imports)
    if qualified is None:
        return None
    planned = _plan_call(call, qualified, imports)
    if planned is None:
        return None
    kind, param, default = planned
    if kind == "clock" and not _literal_args(call):
        return None  # the call moves to the callers: it must mean the same there
    name = function.name.value
    if source.project.mentions(name, besides=source.rel):
        return None
    uses = _Uses(name)
    tree.visit(uses)
    if uses.other != 0 or not uses.calls:
        return None
    if any(contains(function, c) for c in uses.calls):
        return None  # recursive
    if any(a.star == "**" for c in uses.calls for a in c.args):
        return None
    drop = None
    if kind == "clock":
        assigned = _assigned_to(function, call)
        if assigned is not None and _stores(function, assigned[0]) == 1:
            param, drop = assigned
    existing = _parameters(function)
    body_names = _names_in(function.body)
    if param in existing:
        # Added by an earlier fix (or by hand): every caller must already pass this same value.
        for c in uses.calls:
            given = next(
                (a for a in c.args if isinstance(a.keyword, cst.Name) and a.keyword.value == param), None
            )
            if given is None or cst.Module([]).code_for_node(given.value) != default:
                return None
        add_param = False
    else:
        if param in body_names and drop is None:
            return None
        add_param = True
    rewrite = _Rewrite(function, call, param, kind, default, drop, add_param)
    new_tree = tree.visit(rewrite)
    what = "timestamp" if kind == "clock" else "random generator"
    return source.rewrite_tree(
        new_tree, f"Take the {what} as parameter `{param}` of `{name}`; its callers pass `{param}={default}`"
    )


FIX = FixSpec(
    code="MLA202",
    availability="Sometimes",
    applicability=UNSAFE,
    title="Add a `now` (or `rng`) parameter; the callers pass the current call instead",
    propose=propose,
)
