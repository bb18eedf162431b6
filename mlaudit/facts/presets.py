"""Preset factories (MLA301): functions whose literals are a named configuration, like a config file.

* **Registry factories**: a function registered under its name by a registry decorator (timm's
  ``@register_model``, ``@MODELS.register_module()``, ``@registry.register("vit_b")``, ``@register_backbone``):
  ``def deit_tiny_patch16_224(pretrained=False, **kwargs)`` *is* the architecture preset it builds; its
  ``num_heads=3`` is what the name means.
* **Build-and-return factories**: a function taking only optional arguments that builds one object from a
  constructor call, binds it to a name, may set attributes on it and load weights into it, and returns it
  (``model = ViT(depth=12, num_heads=12, **kw); model.default_cfg = cfg; if pretrained: ...; return model``).
  The bare ``return ViT(...)`` and ``x = ViT(...); return x`` shapes are ``hyperparams._preset_call``'s.

Pure functions over one ``FunctionDef``.
"""

from __future__ import annotations

import libcst as cst

from mlaudit.facts.names import dotted

# Statements a build-and-return factory may hold between the construction and the return.
_MAX_FACTORY_STATEMENTS = 15


def is_registry_decorator(deco: cst.Decorator) -> bool:
    """``@register_model``, ``@register_backbone``, ``@MODELS.register_module()``, ``@registry.register("x")``."""
    expr = deco.decorator.func if isinstance(deco.decorator, cst.Call) else deco.decorator
    text = dotted(expr)
    if text is None:
        return False
    last = text.rpartition(".")[2]
    return last == "register" or last.startswith("register_")


def is_registry_factory(node: cst.FunctionDef) -> bool:
    """A function registered under its name by a registry decorator."""
    return any(is_registry_decorator(d) for d in node.decorators)


def _only_optional_parameters(node: cst.FunctionDef) -> bool:
    params = node.params
    return all(p.default is not None for p in (*params.posonly_params, *params.params, *params.kwonly_params))


def _body(node: cst.FunctionDef) -> list[cst.BaseStatement]:
    body = list(node.body.body) if isinstance(node.body, cst.IndentedBlock) else []
    if body and _is_docstring(body[0]):
        body = body[1:]
    return body


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _single(statement: cst.BaseStatement) -> cst.BaseSmallStatement | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def _construction(statement: cst.BaseStatement) -> tuple[str, cst.Call] | None:
    """``model = Ctor(...)`` -> (``model``, the call)."""
    small = _single(statement)
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and isinstance(small.value, cst.Call)
    ):
        return small.targets[0].target.value, small.value
    return None


class _Rebinds(cst.CSTVisitor):
    """Whether a statement rebinds ``name`` or returns (a factory's middle part only decorates the object)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_Return(self, node: cst.Return) -> None:
        self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested helper's names are its own

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def _target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name) and target.value == self.name:
            self.found = True
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._target(element.value)


def built_object_call(node: cst.FunctionDef) -> cst.Call | None:
    """The constructor call of a build-and-return factory (see the module docstring), else None."""
    if not _only_optional_parameters(node):
        return None
    body = _body(node)
    if len(body) < 2 or len(body) > _MAX_FACTORY_STATEMENTS:
        return None
    built = _construction(body[0])
    last = _single(body[-1])
    if (
        built is None
        or not isinstance(last, cst.Return)
        or not isinstance(last.value, cst.Name)
        or last.value.value != built[0]
    ):
        return None
    for statement in body[1:-1]:
        visitor = _Rebinds(built[0])
        statement.visit(visitor)
        if visitor.found or not _decorates(statement, built[0]):
            return None
    return built[1]


# Methods that prepare a built object rather than use it (``model.fit(X, y)`` trains: not a preset).
_PREPARING_WORDS = ("load", "init", "tie", "reset", "register")
_PREPARING = frozenset({"eval", "train", "to", "cuda", "cpu", "half", "float", "apply", "requires_grad_"})


def _decorates(statement: cst.BaseStatement, name: str) -> bool:
    """A statement between the construction and the return that only prepares the object: an ``if`` block
    (``if pretrained: ...load...``), an assignment to one of its attributes or to a helper name, or a
    preparing method call on it (``model.load_state_dict(...)``, ``model.eval()``)."""
    if isinstance(statement, cst.If):
        return True
    small = _single(statement)
    if isinstance(small, cst.Assign | cst.AnnAssign):
        return True
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        if isinstance(func, cst.Attribute) and (dotted(func.value) or "").partition(".")[0] == name:
            method = func.attr.value
            return method in _PREPARING or any(w in method for w in _PREPARING_WORDS)
    return False
