"""Fallback values: code that supplies the default of a parameter (or an attribute set from one) that the
caller did not give. The configuration rules treat such a value like a parameter default (rules.md, MLA301
"parameter defaults"): the caller can pass the value in, the function only fills the gap.

Recognised shapes, where ``x`` is a parameter of the enclosing function or an attribute of ``self``/``cls``:

* ``x = x or <fallback>``;
* ``<fallback> if x is None else x`` and ``x if x is not None else <fallback>``;
* ``if x is None: <fallback block>`` (also ``if not x:`` and ``elif x is None:``), and the ``else`` block of
  ``if x is not None: ... else: <fallback block>``;
* the ``default=`` of a call (``parser.add_argument("--dir", default=os.getenv("LOGDIR"))``,
  ``typer.Option(default=...)``): the default of a command-line option.

``FallbackScope`` follows a ``libcst`` traversal; an extractor mixes in ``FallbackHooks`` (which forwards the
visits to its ``self.fallback``) and asks ``self.fallback.inside`` where it records a value.
"""

from __future__ import annotations

import libcst as cst

from mlaudit.engine.context import FileContext

_RECEIVERS = frozenset({"self", "cls"})


def _parameters(node: cst.FunctionDef | cst.Lambda) -> frozenset[str]:
    params = node.params
    every = (*params.posonly_params, *params.params, *params.kwonly_params)
    return frozenset(p.name.value for p in every)


class FallbackScope:
    """Whether the node being visited is a fallback value (see the module docstring)."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self._stack: list[bool] = []
        self._defaults = 0

    @property
    def inside(self) -> bool:
        return self._defaults > 0 or any(self._stack)

    # --- what is a subject ---------------------------------------------------------------------------
    def _subject(self, node: cst.BaseExpression) -> bool:
        """A parameter of the enclosing function, or ``self.attr``/``cls.attr``."""
        if isinstance(node, cst.Attribute):
            return isinstance(node.value, cst.Name) and node.value.value in _RECEIVERS
        if not isinstance(node, cst.Name) or not self.ctx.functions:
            return False
        return node.value in _parameters(self.ctx.functions[-1].node)

    def _test(self, test: cst.BaseExpression) -> str | None:
        """``missing`` for ``x is None``/``not x``, ``given`` for ``x is not None``; else None."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            return "missing" if self._subject(test.expression) else None
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return None
        comp = test.comparisons[0]
        none = isinstance(comp.comparator, cst.Name) and comp.comparator.value == "None"
        if not none or not self._subject(test.left):
            return None
        if isinstance(comp.operator, cst.Is):
            return "missing"
        return "given" if isinstance(comp.operator, cst.IsNot) else None

    # --- hooks ---------------------------------------------------------------------------------------
    def enter_if_body(self, node: cst.If) -> None:
        self._stack.append(self._test(node.test) == "missing")

    def enter_if_orelse(self, node: cst.If) -> None:
        self._stack.append(isinstance(node.orelse, cst.Else) and self._test(node.test) == "given")

    def enter_ifexp_body(self, node: cst.IfExp) -> None:
        self._stack.append(self._test(node.test) == "missing")

    def enter_ifexp_orelse(self, node: cst.IfExp) -> None:
        self._stack.append(self._test(node.test) == "given")

    def enter_or_right(self, node: cst.BooleanOperation) -> None:
        self._stack.append(isinstance(node.operator, cst.Or) and self._subject(node.left))

    def leave(self, node: cst.CSTNode) -> None:
        self._stack.pop()

    def enter_arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value == "default":
            self._defaults += 1

    def leave_arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value == "default":
            self._defaults -= 1


class FallbackHooks:
    """Visitor hooks that keep ``self.fallback`` (a ``FallbackScope``) in step: mix into a ``FactExtractor``."""

    fallback: FallbackScope

    def visit_If_body(self, node: cst.If) -> None:
        self.fallback.enter_if_body(node)

    def leave_If_body(self, node: cst.If) -> None:
        self.fallback.leave(node)

    def visit_If_orelse(self, node: cst.If) -> None:
        self.fallback.enter_if_orelse(node)

    def leave_If_orelse(self, node: cst.If) -> None:
        self.fallback.leave(node)

    def visit_IfExp_body(self, node: cst.IfExp) -> None:
        self.fallback.enter_ifexp_body(node)

    def leave_IfExp_body(self, node: cst.IfExp) -> None:
        self.fallback.leave(node)

    def visit_IfExp_orelse(self, node: cst.IfExp) -> None:
        self.fallback.enter_ifexp_orelse(node)

    def leave_IfExp_orelse(self, node: cst.IfExp) -> None:
        self.fallback.leave(node)

    def visit_BooleanOperation_right(self, node: cst.BooleanOperation) -> None:
        self.fallback.enter_or_right(node)

    def leave_BooleanOperation_right(self, node: cst.BooleanOperation) -> None:
        self.fallback.leave(node)

    def visit_Arg(self, node: cst.Arg) -> None:
        self.fallback.enter_arg(node)

    def leave_Arg(self, original_node: cst.Arg) -> None:
        self.fallback.leave_arg(original_node)
