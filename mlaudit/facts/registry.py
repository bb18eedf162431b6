"""Registry fills inside a function (MLA102): plugin discovery that registers what it finds by name.

``init()``/``load_plugins()`` that imports ``feat_*`` modules and stores each class under the name it
declares is registration, like a ``register`` decorator, only done by a loop instead of at each definition:

* ``REGISTRY[cls.NAME] = cls`` (also ``cls.__name__``, ``cls.name``): a value stored under a key read from
  the value itself. Storing it again stores the same entry, so no caller sees a value change;
* ``REGISTRY["resnet"] = ResNet``: a module-level class or function stored under a string literal;
* ``LIBRARIES.update(cls.LIBRARIES)``: a mapping merged in that only the registered value declares.

``registration_stores(function, defs)`` gives the ids of those statements (``Assign`` nodes and ``update``
calls). Any other store into the same dict (``REGISTRY[key] = value`` for a computed value, a counter, a
``clear()``) is not one and stays module state.
"""

from __future__ import annotations

import libcst as cst


def _names(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

        def visit_Attribute(self, attr: cst.Attribute) -> bool:
            attr.value.visit(self)
            return False

    node.visit(_Collect())
    return found


def _own_nodes(function: cst.FunctionDef) -> tuple[list[cst.Assign], list[cst.Call]]:
    """The assignments and calls of ``function``'s own body (not of nested functions or classes)."""

    class _Walk(cst.CSTVisitor):
        def __init__(self) -> None:
            self.assigns: list[cst.Assign] = []
            self.calls: list[cst.Call] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is function

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Assign(self, node: cst.Assign) -> None:
            self.assigns.append(node)

        def visit_Call(self, node: cst.Call) -> None:
            self.calls.append(node)

    walk = _Walk()
    function.visit(walk)
    return walk.assigns, walk.calls


def _assigns(function: cst.FunctionDef) -> list[cst.Assign]:
    return _own_nodes(function)[0]


def _calls(function: cst.FunctionDef) -> list[cst.Call]:
    return _own_nodes(function)[1]


def _self_keyed(node: cst.Assign, defs: frozenset[str]) -> str | None:
    """``R[v.NAME] = v`` or ``R["literal"] = SomeClass``: the registered name, else ``None``."""
    if len(node.targets) != 1 or not isinstance(node.value, cst.Name):
        return None
    target = node.targets[0].target
    if not isinstance(target, cst.Subscript) or len(target.slice) != 1:
        return None
    index = target.slice[0].slice
    key = index.value if isinstance(index, cst.Index) else None
    value = node.value.value
    if isinstance(key, cst.Attribute) and isinstance(key.value, cst.Name) and key.value.value == value:
        return value
    if isinstance(key, cst.SimpleString) and value in defs:
        return value
    return None


def registration_stores(function: cst.FunctionDef, defs: frozenset[str]) -> frozenset[int]:
    """Ids of the registry fills of ``function`` (see the module docstring); ``defs`` are the names of the
    module's own classes and functions."""
    found: set[int] = set()
    registered: set[str] = set()
    for node in _assigns(function):
        name = _self_keyed(node, defs)
        if name is not None:
            found.add(id(node))
            registered.add(name)
    if not registered:
        return frozenset(found)
    for call in _calls(function):
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "update" and len(call.args) == 1):
            continue
        arg = call.args[0].value
        arg_names = _names(arg)
        if arg_names and arg_names <= registered and not isinstance(arg, cst.Name):
            found.add(id(call))  # LIBRARIES.update(cls.LIBRARIES.items()): declared by the registered value
    return frozenset(found)
