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
every mention in its own file is a direct call (not recursive, no ``**kwargs``); every other project
file that mentions its name imports it (``from pkg.features import build_features [as f]``) and only
calls it directly, and those calls get the keyword too (with the import the caller-side expression
needs, ``from datetime import datetime``, added when the name is free there); at least one call exists
in the project (a function nobody calls is an entry point or is called by a framework); a clock call
that moves is argument-free or has literal arguments only and its names are module-level imports (so
it means the same at the call sites); the parameter name is free in the transform. The new parameter is required and keyword-only, so a caller outside the
project that was missed fails loudly instead of silently.

Unsafe: the transform's signature changes (a public API gains a required keyword).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from mlaudit.facts import ml_apis
from mlaudit.facts.names import dotted, import_bindings
from mlaudit.fixes._cst import contains, remove_small
from mlaudit.fixes.base import FileEdit, FixSource, Proposal, Target

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


def _imports(tree: cst.Module, module: str) -> dict[str, str]:
    """Module-level import bindings: local name -> qualified name."""
    return {
        local: origin
        for stmt in tree.body
        if isinstance(stmt, cst.SimpleStatementLine)
        for small in stmt.body
        if isinstance(small, cst.Import | cst.ImportFrom)
        for local, origin in import_bindings(small, module, False)
    }


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


def _variables_in(node: cst.CSTNode) -> set[str]:
    """The names ``node`` uses as variables (not the attribute names of ``x.attr``)."""
    found: set[str] = set()

    class _V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.add(n.value)

        def visit_Attribute(self, n: cst.Attribute) -> bool:
            n.value.visit(self)
            return False

    node.visit(_V())
    return found


def _generator_default(call: cst.Call, qualified: str, imports: dict[str, str]) -> str | None:
    """``random.Random()`` / ``np.random.default_rng()`` for a draw that a generator's method can make."""
    if not isinstance(call.func, cst.Attribute):
        return None
    method = call.func.attr.value
    prefix = dotted(call.func.value) or ""  # `random`, `np.random`, an alias of numpy.random
    if qualified == f"random.{method}" and imports.get(prefix) == "random" and method != "Random":
        return f"{prefix}.Random()"
    numpy = qualified == f"numpy.random.{method}" and method in _GENERATOR_METHODS
    if numpy and prefix.partition(".")[0] in imports:
        return f"{prefix}.default_rng()"
    return None


def _plan_call(call: cst.Call, qualified: str, imports: dict[str, str]) -> tuple[str, str, str] | None:
    """(kind, default parameter name, caller-side expression) for a reported call, or None."""
    api = ml_apis.lookup(qualified)
    if api is not None and api.kind == ml_apis.CLOCK:
        return ("clock", "now", cst.Module([]).code_for_node(call)) if _literal_args(call) else None
    default = (
        _generator_default(call, qualified, imports)
        if api is not None and api.kind == ml_apis.RANDOM
        else None
    )
    return ("random", "rng", default) if default is not None else None


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
            for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                if _self_assignment(small, self.param):
                    return small
        raise LookupError("assignment not found")


def _self_assignment(small: cst.BaseSmallStatement, name: str) -> bool:
    """``name = name``."""
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return False
    target, value = small.targets[0].target, small.value
    return (
        isinstance(target, cst.Name) and isinstance(value, cst.Name) and target.value == value.value == name
    )


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


def _callers(tree: cst.Module, function: cst.FunctionDef, elsewhere: int = 0) -> list[cst.Call] | None:
    """Every call of ``function`` in the module, when those calls are its only uses and can take a
    keyword (None otherwise, or when there is none here nor ``elsewhere``)."""
    uses = _Uses(function.name.value)
    tree.visit(uses)
    if uses.other != 0 or not (uses.calls or elsewhere):
        return None
    if any(contains(function, c) for c in uses.calls):
        return None  # recursive
    if any(a.star == "**" for c in uses.calls for a in c.args):
        return None
    return uses.calls


def _passes_already(calls: list[cst.Call], param: str, default: str) -> bool:
    """Every call passes ``param=default`` (an earlier fix added the parameter)."""
    for c in calls:
        given = next(
            (a for a in c.args if isinstance(a.keyword, cst.Name) and a.keyword.value == param), None
        )
        if given is None or cst.Module([]).code_for_node(given.value) != default:
            return False
    return True


@dataclass(frozen=True)
class _Change:
    function: cst.FunctionDef
    call: cst.Call
    kind: str
    param: str
    default: str
    drop: cst.BaseSmallStatement | None


def _change(source: FixSource, call: cst.Call) -> _Change | None:
    function = _module_function(source.tree, call)
    if function is None or function.decorators or function.asynchronous is not None:
        return None
    imports = _imports(source.tree, source.module)
    qualified = _qualified(call.func, imports)
    planned = _plan_call(call, qualified, imports) if qualified is not None else None
    if planned is None:
        return None
    kind, param, default = planned
    drop = None
    assigned = _assigned_to(function, call) if kind == "clock" else None
    if assigned is not None and _stores(function, assigned[0]) == 1:
        param, drop = assigned
    return _Change(function, call, kind, param, default, drop)


def _import_line(local: str, origin: str) -> str:
    """The import statement binding ``local`` to ``origin`` (``from datetime import datetime``)."""
    if origin == local:
        return f"import {local}"
    if "." not in origin:
        return f"import {origin} as {local}"
    base, _, last = origin.rpartition(".")
    return f"from {base} import {last}" + (f" as {local}" if last != local else "")


class _CallerRewrite(cst.CSTTransformer):
    """A caller file: every call of the transform (by its local names) passes ``param=default``; the
    imports the default needs are added after the file's last top-level import."""

    def __init__(self, locals_: set[str], param: str, default: str, imports: list[str]) -> None:
        super().__init__()
        self.locals = locals_
        self.param = param
        self.default = default
        self.imports = imports
        self.calls = 0

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = original_node.func
        if not (isinstance(func, cst.Name) and func.value in self.locals):
            return updated_node
        if any(isinstance(a.keyword, cst.Name) and a.keyword.value == self.param for a in updated_node.args):
            return updated_node
        self.calls += 1
        return updated_node.with_changes(
            args=_with_keyword(list(updated_node.args), self.param, self.default)
        )

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.imports:
            return updated_node
        body = list(updated_node.body)
        at = 0
        for i, stmt in enumerate(body):
            if isinstance(stmt, cst.SimpleStatementLine) and all(
                isinstance(small, cst.Import | cst.ImportFrom) for small in stmt.body
            ):
                at = i + 1
            elif at or not _docstring(stmt):
                break
            else:
                at = i + 1  # after the module docstring
        new = [cst.parse_statement(line + "\n") for line in self.imports]
        return updated_node.with_changes(body=[*body[:at], *new, *body[at:]])


def _docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _import_names(tree: cst.Module) -> list[str]:
    """The ``Name`` values inside import statements (not uses of what they bind)."""
    found: list[str] = []

    class _V(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> bool:
            found.extend(_names_list(node))
            return False

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            found.extend(_names_list(node))
            return False

    tree.visit(_V())
    return found


def _names_list(node: cst.CSTNode) -> list[str]:
    found: list[str] = []

    class _V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.append(n.value)

    node.visit(_V())
    return found


def _caller_file(
    other: FixSource, source: FixSource, change: _Change, imports: dict[str, str]
) -> tuple[Proposal | None, int] | None:
    """The edits making another project file's calls of the transform pass the new keyword, with the
    number of calls; None when one of its mentions of the name is not a plain call of the imported
    function (an attribute, a reference, a re-export, a notebook)."""
    name = change.function.name.value
    if other.is_notebook or not source.module:
        return None
    theirs = {
        local: origin
        for stmt in other.tree.body
        if isinstance(stmt, cst.SimpleStatementLine)
        for small in stmt.body
        if isinstance(small, cst.Import | cst.ImportFrom)
        for local, origin in import_bindings(small, other.module, other.rel.endswith("__init__.py"))
    }
    locals_ = {local for local, origin in theirs.items() if origin == f"{source.module}.{name}"}
    if not locals_:
        return None
    every = _names_list(other.tree)
    words = {*locals_, name}
    in_imports = sum(1 for n in _import_names(other.tree) if n in words)
    calls = 0
    for local in locals_:
        uses = _Uses(local)
        other.tree.visit(uses)
        if any(a.star == "**" for c in uses.calls for a in c.args):
            return None
        calls += len(uses.calls)
    if not calls or sum(1 for n in every if n in words) > calls + in_imports:
        return None  # imported and not called (a re-export), or used otherwise (a reference, an attribute)
    needed: list[str] = []
    for root in sorted(_variables_in(cst.parse_expression(change.default))):
        if root not in imports:
            continue  # a builtin or a literal
        if theirs.get(root) == imports[root]:
            continue
        if root in theirs or root in every:
            return None  # the name means something else there
        needed.append(_import_line(root, imports[root]))
    rewrite = _CallerRewrite(locals_, change.param, change.default, needed)
    new_tree = other.tree.visit(rewrite)
    return other.rewrite_tree(new_tree, ""), rewrite.calls


def _callers_elsewhere(source: FixSource, change: _Change) -> tuple[tuple[FileEdit, ...], int] | None:
    """Edits to the other project files that call the transform (None: one cannot be rewritten)."""
    name = change.function.name.value
    files = source.project.mentioning(name, besides=source.rel)
    if files is None:
        return None
    imports = _imports(source.tree, source.module)
    edits: list[FileEdit] = []
    calls = 0
    for rel in files:
        other = source.project.source(rel)
        planned = _caller_file(other, source, change, imports) if other is not None else None
        if planned is None:
            return None
        proposal, n = planned
        calls += n
        if proposal is not None:
            edits.append(FileEdit(rel, proposal.hunks))
    return tuple(edits), calls


def propose(source: FixSource, target: Target) -> Proposal | None:
    call = source.node_at(target.span, (cst.Call,))
    change = _change(source, call) if isinstance(call, cst.Call) else None
    if change is None:
        return None
    elsewhere = _callers_elsewhere(source, change)
    if elsewhere is None:
        return None
    others, outside = elsewhere
    calls = _callers(source.tree, change.function, outside)
    if calls is None:
        return None
    if change.param in _parameters(change.function):
        if others or not _passes_already(calls, change.param, change.default):
            return None
        add_param = False
    elif change.param in _variables_in(change.function.body) and change.drop is None:
        return None
    else:
        add_param = True
    rewrite = _Rewrite(
        change.function, change.call, change.param, change.kind, change.default, change.drop, add_param
    )
    what = "timestamp" if change.kind == "clock" else "random generator"
    name = change.function.name.value
    where = (
        f" (and {outside} call{'s' if outside > 1 else ''} in {len(others)} other file{'s' if len(others) > 1 else ''})"
        if others
        else ""
    )
    proposal = source.rewrite_tree(
        source.tree.visit(rewrite),
        f"Take the {what} as parameter `{change.param}` of `{name}`; its callers pass `{change.param}={change.default}`{where}",
    )
    if proposal is None:
        return None
    return Proposal(proposal.message, proposal.hunks, others)

