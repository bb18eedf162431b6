"""MLA203 transform-mutates-input: copy the parameter before the first in-place change.

Inserts ``df = df.copy()`` (``x = x.clone()`` for a torch tensor) in the transform's body, right
before the top-level statement that holds the reported mutation (so a loop or branch around it is not
entered first, and no earlier statement of the body mutates or rebinds the parameter: the rule reports
the first change and stops tracking a rebound name).

Unsafe: the caller no longer sees the change (that is the point, but a caller relying on it breaks),
the copy costs memory, and the type is inferred: ``.copy()`` for pandas/NumPy/dicts/lists,
``.clone()`` when the parameter is annotated as a ``Tensor`` or the module imports torch and neither
pandas nor NumPy. Not offered when the type is ambiguous (torch and pandas/NumPy both imported and no
annotation), when the change goes through a nested element (``d["a"]["b"] = 1``: a shallow copy would
still share it), or for an attribute store on an object that is not a pandas frame attribute.
"""

from __future__ import annotations

import libcst as cst

from mlaudit.fixes._cst import contains
from mlaudit.fixes.base import FixSource, Proposal, Target

_INDEXERS = frozenset({"loc", "iloc", "at", "iat"})
_FRAME_ATTRIBUTES = frozenset({"columns", "index", "name", "names", "dtypes"})
_COPY_TYPES = ("DataFrame", "Series", "ndarray", "dict", "Dict", "list", "List", "MutableMapping", "array")


def _root(node: cst.BaseExpression) -> str | None:
    while isinstance(node, cst.Subscript | cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _shallow_enough(target: cst.BaseExpression) -> bool:
    """A change a copy of the parameter isolates: ``p[k] = v``, ``p.loc[...] = v``, ``p.columns = v``."""
    if isinstance(target, cst.Subscript):
        inner = target.value
        if isinstance(inner, cst.Name):
            return True
        return (
            isinstance(inner, cst.Attribute)
            and isinstance(inner.value, cst.Name)
            and inner.attr.value in _INDEXERS
        )
    if isinstance(target, cst.Attribute):
        return isinstance(target.value, cst.Name) and target.attr.value in _FRAME_ATTRIBUTES
    return False


def _imports(tree: cst.Module) -> set[str]:
    found: set[str] = set()

    class _Visit(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                found.add(cst.Module([]).code_for_node(alias.name).partition(".")[0])

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.module is not None and not node.relative:
                found.add(cst.Module([]).code_for_node(node.module).partition(".")[0])

    tree.visit(_Visit())
    return found


def copy_method(annotation: str | None, imports: set[str]) -> str | None:
    if annotation:
        if "Tensor" in annotation:
            return "clone"
        if any(t in annotation for t in _COPY_TYPES):
            return "copy"
    torch = "torch" in imports
    tabular = bool({"pandas", "numpy"} & imports)
    if torch and tabular:
        return None
    return "clone" if torch else "copy"


def _parameter(function: cst.FunctionDef, name: str) -> cst.Param | None:
    params = function.params
    for p in (*params.posonly_params, *params.params, *params.kwonly_params):
        if p.name.value == name:
            return p
    return None


class _Insert(cst.CSTTransformer):
    def __init__(self, function: cst.FunctionDef, anchor: cst.BaseStatement, line: cst.BaseStatement) -> None:
        super().__init__()
        self.function = function
        self.anchor = anchor
        self.line = line

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if original_node is not self.function or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        body = list(updated_node.body.body)
        original_body = original_node.body.body if isinstance(original_node.body, cst.IndentedBlock) else ()
        index = next(i for i, s in enumerate(original_body) if s is self.anchor)
        anchor = body[index]
        # Blank lines above the anchor go above the copy; its comment lines stay with it.
        leading = list(getattr(anchor, "leading_lines", ()))
        blank = 0
        while blank < len(leading) and leading[blank].comment is None:
            blank += 1
        body[index : index + 1] = [
            self.line.with_changes(leading_lines=leading[:blank]),
            anchor.with_changes(leading_lines=leading[blank:]),
        ]
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))


def _changed_by_call(call: cst.Call) -> str | None:
    """``df.fillna(0, inplace=True)``, ``df.loc[m].fillna(..., inplace=True)``: the parameter changed."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    receiver = func.value
    if isinstance(receiver, cst.Name):
        return receiver.value
    if isinstance(receiver, cst.Subscript | cst.Attribute) and _shallow_enough(receiver):
        return _root(receiver)
    return None


def _mutation(source: FixSource, target: Target) -> tuple[cst.CSTNode, str] | None:
    """The reported node and the parameter it changes."""
    node = source.node_at(target.span, (cst.Subscript, cst.Attribute, cst.Call))
    if isinstance(node, cst.Call):
        name = _changed_by_call(node)
    elif isinstance(node, cst.Subscript | cst.Attribute) and _shallow_enough(node):
        name = _root(node)
    else:
        return None
    return (node, name) if node is not None and name else None


def _enclosing(tree: cst.Module, node: cst.CSTNode) -> cst.FunctionDef | None:
    """The innermost ``def`` holding ``node``."""
    best: cst.FunctionDef | None = None

    class _Visit(cst.CSTVisitor):
        def visit_FunctionDef(self, f: cst.FunctionDef) -> None:
            nonlocal best
            if contains(f, node):
                best = f

    tree.visit(_Visit())
    return best


def propose(source: FixSource, target: Target) -> Proposal | None:
    found = _mutation(source, target)
    if found is None:
        return None
    node, name = found
    function = _enclosing(source.tree, node)
    if function is None or not isinstance(function.body, cst.IndentedBlock):
        return None
    param = _parameter(function, name)
    if param is None:
        return None
    annotation = cst.Module([]).code_for_node(param.annotation.annotation) if param.annotation else None
    method = copy_method(annotation, _imports(source.tree))
    if method is None:
        return None
    anchor = next((s for s in function.body.body if contains(s, node)), None)
    if anchor is None:
        return None
    line = cst.parse_statement(f"{name} = {name}.{method}()\n")
    new_tree = source.tree.visit(_Insert(function, anchor, line))
    return source.rewrite_tree(new_tree, f"Copy `{name}` before changing it (`{name} = {name}.{method}()`)")

