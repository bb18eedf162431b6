"""MLA704 unseeded-randomness: pass ``random_state=`` to the unseeded calls of the finding.

For each unseeded call of the finding (the reported one and the others of the same function, its
``related``), adds ``random_state=<seed>`` as the last argument. The seed is the nearest configuration
value in scope:

* a name bound in the enclosing function (a parameter, or an assignment before the call), then in the
  enclosing functions, then at module level (an assignment or an import: ``from config import SEED``),
  among ``random_state``, ``RANDOM_STATE``, ``seed``, ``SEED``, ``random_seed``, ``RANDOM_SEED``;
* else an attribute of a configuration object bound there (``cfg``, ``config``, ``args``, ``hparams``,
  ...): ``cfg.seed`` when the file already reads that attribute or declares it (``add_argument("--seed")``),
  ``config.SEED`` when ``config`` is an imported first-party module that defines ``SEED``;
* else the literal ``42`` with a comment ``# fixed seed (mlaudit --fix): move to config`` on the line.

A name is used only where Python would find it: not when an inner function binds it after the call
(it would be an unbound local), nor a class attribute seen from a method.

Not offered for ``torch.utils.data.random_split`` (its seed is a ``generator=``, an object), for a
polars/pyspark ``sample`` (other keywords), nor for the training-loop finding (seeding a run is a
decision about where the run starts, not a keyword): availability ``Sometimes``.

Unsafe: the result changes (the same split or model every run instead of a new one), which is the
point, and a literal seed is a placeholder the team should move to configuration.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst
import libcst.metadata as meta

from mlaudit.fixes._cst import append_keyword
from mlaudit.fixes.base import FixSource, Proposal, Target

_NAMES = ("random_state", "RANDOM_STATE", "seed", "SEED", "random_seed", "RANDOM_SEED")
_CONFIG_OBJECTS = (
    "cfg",
    "config",
    "conf",
    "args",
    "opt",
    "opts",
    "options",
    "hparams",
    "hp",
    "params",
    "settings",
    "CFG",
    "CONFIG",
)
_CONFIG_ATTRIBUTES = ("random_state", "seed", "random_seed", "RANDOM_STATE", "SEED", "RANDOM_SEED")
_NO_FIX = frozenset({"random_split", "backward"})
COMMENT = "# fixed seed (mlaudit --fix): move to config"
LITERAL = "42"


def _last(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""


def _imports(tree: cst.Module) -> set[str]:
    found: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    found |= {cst.Module([]).code_for_node(a.name).partition(".")[0] for a in small.names}
                elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
                    found.add(cst.Module([]).code_for_node(small.module).partition(".")[0])
    return found


def _keyword(call: cst.Call, source: FixSource) -> str | None:
    """The seed keyword this call takes (None: no keyword fix)."""
    last = _last(call.func)
    if last in _NO_FIX:
        return None
    if last == "sample":  # DataFrame.sample: pandas, dask and modin take random_state; polars seed
        imports = source.memo.setdefault(("MLA704", "imports"), _imports(source.tree))
        assert isinstance(imports, set)
        if "pyspark" in imports and "pandas" not in imports:
            return None
        if "polars" in imports:
            return None if "pandas" in imports else "seed"
    if any(a.star == "**" for a in call.args):
        return None
    return "random_state"


# --- where the seed comes from --------------------------------------------------------------------------


class _Scopes:
    """libcst scopes of the file (computed once per pass)."""

    def __init__(self, source: FixSource) -> None:
        wrapper = meta.MetadataWrapper(source.tree, unsafe_skip_copy=True)
        self.scopes = wrapper.resolve(meta.ScopeProvider)
        self.source = source
        self.attributes = _attribute_reads(source.tree)
        self.flags = _argparse_flags(source.tree)


def _words(source: FixSource) -> set[str]:
    key = ("MLA704", "words")
    found = source.memo.get(key)
    if not isinstance(found, set):
        found = source.memo[key] = set(re.findall(r"\w+", source.text))
    return found


def _scopes(source: FixSource) -> _Scopes:
    key = ("MLA704", "scopes")
    found = source.memo.get(key)
    if not isinstance(found, _Scopes):
        found = source.memo[key] = _Scopes(source)
    return found


def _attribute_reads(tree: cst.Module) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()

    class _Visit(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            if isinstance(node.value, cst.Name):
                found.add((node.value.value, node.attr.value))

    tree.visit(_Visit())
    return found


def _argparse_flags(tree: cst.Module) -> set[str]:
    """Destinations of ``parser.add_argument("--seed", ...)`` (dashes as underscores)."""
    found: set[str] = set()

    class _Visit(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if _last(node.func) != "add_argument":
                return
            for arg in node.args:
                if arg.keyword is None and isinstance(arg.value, cst.SimpleString):
                    text = arg.value.evaluated_value
                    if isinstance(text, str) and text.startswith("--"):
                        found.add(text[2:].replace("-", "_"))

    tree.visit(_Visit())
    return found


def _chain(scope: meta.Scope | None) -> Iterator[meta.Scope]:
    """The scopes Python searches for a free name, innermost first (class bodies skipped above the first)."""
    first = True
    while scope is not None:
        if first or not isinstance(scope, meta.ClassScope):
            yield scope
        first = False
        if isinstance(scope, meta.GlobalScope | meta.BuiltinScope):
            return
        scope = scope.parent


def _before(assignment: meta.BaseAssignment, line: int, source: FixSource) -> bool:
    node = getattr(assignment, "node", None)
    if not isinstance(node, cst.CSTNode):
        return False
    if isinstance(node, cst.Param):
        return True
    try:
        return source.span(node).line < line
    except KeyError:
        return False


def _binding(
    name: str, scope: meta.Scope, line: int, source: FixSource
) -> tuple[int, list[meta.BaseAssignment]] | None:
    """(depth of the scope that binds ``name`` as the call sees it, its assignments), or None when the
    name is unbound there or may be unbound at the call (a local assigned only after it)."""
    for depth, s in enumerate(_chain(scope)):
        own = list(s.assignments[name])
        if not own:
            continue
        if isinstance(s, meta.GlobalScope) and depth > 0:
            return depth, own  # a module binding seen from a function: set by the time it runs
        if any(_before(a, line, source) for a in own):
            return depth, own
        return None
    return None


def _imported_module(assignments: list[meta.BaseAssignment], source: FixSource) -> str | None:
    """The first-party module an ``import config`` / ``from pkg import config`` binding names."""
    for a in assignments:
        node = getattr(a, "node", None)
        name = getattr(a, "name", "")
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = cst.Module([]).code_for_node(alias.name)
                bound = (
                    alias.asname.name.value
                    if alias.asname and isinstance(alias.asname.name, cst.Name)
                    else None
                )
                if bound == name or (bound is None and full == name):
                    return full
        if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            base = cst.Module([]).code_for_node(node.module) if node.module is not None else ""
            if node.relative:
                package = source.module.split(".")
                package = package[: len(package) - len(node.relative)]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                bound = (
                    alias.asname.name.value
                    if alias.asname and isinstance(alias.asname.name, cst.Name)
                    else None
                )
                own = cst.Module([]).code_for_node(alias.name)
                if (bound or own) == name:
                    return f"{base}.{own}" if base else own
    return None


def seed_value(call: cst.Call, source: FixSource) -> str | None:
    """The nearest configuration value in scope at ``call`` (None: none, use a literal)."""
    words = _words(source)
    if not words & {*_NAMES, *_CONFIG_OBJECTS}:
        return None  # no candidate in the file: skip the scope analysis
    scopes = _scopes(source)
    scope = scopes.scopes.get(call)
    if scope is None:
        return None
    line = source.span(call).line
    best: tuple[int, int, str] | None = None
    for rank, name in enumerate(_NAMES):
        found = _binding(name, scope, line, source) if name in words else None
        if found is not None and (best is None or (found[0], rank) < best[:2]):
            best = (found[0], rank, name)
    for rank, obj in enumerate(_CONFIG_OBJECTS, start=len(_NAMES)):
        found = _binding(obj, scope, line, source) if obj in words else None
        if found is None or (best is not None and best[0] <= found[0]):
            continue
        module = _imported_module(found[1], source)
        for attr in _CONFIG_ATTRIBUTES:
            known = (
                source.project.defines(module, attr)
                if module is not None
                else (obj, attr) in scopes.attributes or (obj == "args" and attr in scopes.flags)
            )
            if known:
                best = (found[0], rank, f"{obj}.{attr}")
                break
    return best[2] if best is not None else None


# --- the edit -------------------------------------------------------------------------------------------


def _with_comment(ws: cst.TrailingWhitespace) -> cst.TrailingWhitespace:
    if ws.comment is None:
        return ws.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(COMMENT))
    return ws.with_changes(comment=cst.Comment(f"{ws.comment.value}  {COMMENT}"))


class _Rewrite(cst.CSTTransformer):
    """Adds the seed to each planned call; the literal's comment goes on its argument's line or, for a
    call written on one line, at the end of the statement (or compound-statement header) holding it."""

    def __init__(self, plan: dict[cst.Call, tuple[str, str, bool]]) -> None:
        self.plan = plan
        self.need_comment: list[bool] = []
        self.failed = False

    def _open(self) -> None:
        self.need_comment.append(False)

    def _close_line(self, ws: cst.TrailingWhitespace) -> cst.TrailingWhitespace:
        return _with_comment(ws) if self.need_comment.pop() else ws

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._open()

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        return updated_node.with_changes(
            trailing_whitespace=self._close_line(updated_node.trailing_whitespace)
        )

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._open()

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        return updated_node.with_changes(
            trailing_whitespace=self._close_line(updated_node.trailing_whitespace)
        )

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseCompoundStatement) and isinstance(
            getattr(node, "body", None), cst.IndentedBlock
        ):
            self._open()  # the header's slot: a call in it (``for a, b in KFold(...).split(X):``)
        return super().on_visit(node)

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        out = super().on_leave(original_node, updated_node)
        if isinstance(original_node, cst.BaseCompoundStatement) and isinstance(
            getattr(original_node, "body", None), cst.IndentedBlock
        ):
            need = self.need_comment.pop()
            if (
                need
                and isinstance(out, cst.BaseCompoundStatement)
                and isinstance(out.body, cst.IndentedBlock)
            ):
                out = out.with_changes(body=out.body.with_changes(header=_with_comment(out.body.header)))
        return out

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        planned = self.plan.get(original_node)
        if planned is None:
            return updated_node
        keyword, value, literal = planned
        new, placed = append_keyword(updated_node, keyword, value, COMMENT if literal else None)
        if new is updated_node:
            self.failed = True
            return updated_node
        if literal and not placed:
            if not self.need_comment:
                self.failed = True
            else:
                self.need_comment[-1] = True
        return new


def _calls(source: FixSource, target: Target) -> list[cst.Call]:
    spans = [target.span, *(s.span for s in target.related if s.rel == source.rel)]
    found = [source.node_at(span, (cst.Call,)) for span in spans]
    return [c for c in found if isinstance(c, cst.Call)]


def propose(source: FixSource, target: Target) -> Proposal | None:
    if target.message.startswith("training loop"):
        return None
    plan: dict[cst.Call, tuple[str, str, bool]] = {}
    values: list[str] = []
    for call in _calls(source, target):
        keyword = _keyword(call, source)
        if keyword is None:
            continue
        value = seed_value(call, source)
        plan[call] = (keyword, value or LITERAL, value is None)
        values.append(f"{keyword}={value or LITERAL}")
    if not plan:
        return None
    rewrite = _Rewrite(plan)
    new_tree = source.tree.visit(rewrite)
    if rewrite.failed:
        return None
    n = len(plan)
    what = ", ".join(dict.fromkeys(values))
    message = f"pass {what} to {'the unseeded call' if n == 1 else f'{n} unseeded calls'}"
    return source.rewrite_tree(new_tree, message)
