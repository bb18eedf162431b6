"""Normalisation of one statement for type-2 clone detection (used by ``facts.clones``).

Tokens are the statement's syntax without whitespace, comments and brackets; identifiers are renamed by
first occurrence within the statement (``v0``, ``v1``...), literals are replaced by a placeholder and
their values kept apart, and names bound by imports are resolved (``pd.read_csv`` -> ``@pandas.read_csv``)
rather than renamed, like builtins, attribute names, keyword names and the functions and classes the
file defines at module level (which function is called matters; what a variable is called does not).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from functools import cache
from typing import Any

import libcst as cst

from mlaudit.facts import data_code, ml_apis
from mlaudit.facts.model import Span
from mlaudit.facts.names import FunctionLocals, ModuleNames, dotted, resolve_chain

# Syntax that carries no meaning for a clone: whitespace, comments, brackets and separators.
_NOISE: tuple[type[cst.CSTNode], ...] = (
    cst.BaseParenthesizableWhitespace,
    cst.EmptyLine,
    cst.TrailingWhitespace,
    cst.Newline,
    cst.Comment,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Comma,
    cst.Semicolon,
    cst.AssignEqual,
    cst.Colon,
    cst.Dot,
)
_CONSTANT_NAMES = frozenset({"True", "False", "None"})


@cache
def _content_fields(node_type: type[cst.CSTNode]) -> tuple[str, ...]:
    """Fields of a node type that can hold meaning (everything but whitespace/bracket slots)."""
    skip = ("whitespace", "lpar", "rpar", "lbracket", "rbracket", "lbrace", "rbrace", "comma", "semicolon")
    return tuple(
        f.name
        for f in fields(node_type)
        if not any(part in f.name for part in skip)
        and f.name not in ("leading_lines", "lines_after_decorators", "header", "footer", "newline")
    )


_NUMBERS = (cst.Integer, cst.Float, cst.Imaginary)


_Constant = cst.Integer | cst.Float | cst.Imaginary | cst.SimpleString | cst.ConcatenatedString


def _constant(node: _Constant) -> str | None:
    """A number's or string's value (``'a'`` and ``"a"`` are equal, so are ``1`` and ``1.0``); its text
    if it cannot be evaluated."""
    try:
        value = node.evaluated_value
    except (ValueError, SyntaxError, OverflowError):  # exotic literal: fall back to its text
        return getattr(node, "value", None)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(int(value))
    return None if value is None else repr(value)


def literal_value(node: cst.CSTNode) -> str | None:
    """The value of a literal (numbers, strings, ``True``/``False``/``None``, ``-1``), or None."""
    if isinstance(node, (*_NUMBERS, cst.SimpleString, cst.ConcatenatedString)):
        return _constant(node)
    if isinstance(node, cst.Name):
        return node.value if node.value in _CONSTANT_NAMES else None
    if isinstance(node, cst.UnaryOperation):
        return _negative(node)
    return None


def _negative(node: cst.UnaryOperation) -> str | None:
    """``-1`` and ``-0.5`` are one literal each."""
    if isinstance(node.operator, cst.Minus) and isinstance(node.expression, _NUMBERS):
        inner = _constant(node.expression)
        return None if inner is None else f"-{inner}"
    return None


class Normaliser:
    """Turns one statement (or statement header) into tokens; renames identifiers by first occurrence.

    ``scopes`` are the enclosing functions' locals (innermost last): a name bound there is an identifier,
    not the import it shadows. ``imports_data``: the file imports a data package (see ``ml_apis``)."""

    def __init__(
        self,
        names: ModuleNames,
        module: str,
        scopes: Sequence[FunctionLocals],
        *,
        imports_data: bool,
        position: Callable[[cst.CSTNode], Span] | None = None,
    ) -> None:
        self.position = position
        self.literal_spans: list[Span] = []
        self.quiet_literals: list[int] = []
        """Indices of literals that are shapes, axes or display settings (``view(-1, 784)``, ``figsize``)."""
        self._quiet = 0
        self.names = names
        self.module = module
        self.scopes = scopes
        self.imports_data = imports_data
        self.tokens: list[str] = []
        self.literals: list[str] = []
        self.renames: dict[str, str] = {}
        self.shadowed: set[str] = set()
        self.data = False
        self.kinds: list[str] = []
        """What the statement's calls and subscripts do (``facts.data_code`` kinds)."""

    # --- names ---------------------------------------------------------------------------------
    def _local(self, name: str) -> str:
        renamed = self.renames.get(name)
        if renamed is None:
            renamed = self.renames[name] = f"v{len(self.renames)}"
        return renamed

    def _resolve(self, chain: str) -> str | None:
        """Absolute name of a chain rooted in an import (or a builtin), else None."""
        root = chain.partition(".")[0]
        if root in self.shadowed:
            return None
        resolved = resolve_chain(chain, self.names, self.scopes)
        if resolved is None:
            return None
        own = f"{self.module}.{root}" if self.module else root
        if resolved == own or resolved.startswith(own + "."):
            return None  # a module-level variable or def of this file: an identifier like any other
        return resolved

    def _is_module_binding(self, name: str) -> bool:
        """``name`` here means the module-level binding (no local, parameter or lambda shadows it)."""
        if name in self.shadowed:
            return False
        resolved = resolve_chain(name, self.names, self.scopes)
        return resolved == (f"{self.module}.{name}" if self.module else name)

    def name(self, node: cst.Name) -> None:
        value = node.value
        if value in _CONSTANT_NAMES:
            self.literal(value, node)
            return
        resolved = self._resolve(value)
        if resolved is None and value in self.names.defs and self._is_module_binding(value):
            # a function or class of this file: which one is called matters (``scale_rows(X)`` and
            # ``scale_columns(X)`` in two branches are a dispatch, not a copy)
            self.tokens.append("def:" + value)
        elif resolved is None:
            self.tokens.append(self._local(value))
            if data_code.is_data_name(value):
                self.kinds.append(data_code.MENTION)
        elif resolved.startswith("builtins."):
            self.tokens.append(value)
        else:
            self.tokens.append("@" + ml_apis.canonical(resolved))

    def literal(self, value: str, node: cst.CSTNode) -> None:
        self.tokens.append("L")
        if self._quiet:
            self.quiet_literals.append(len(self.literals))
        self.literals.append(value)
        if self.position is not None:
            self.literal_spans.append(self.position(node))

    # --- expressions -----------------------------------------------------------------------------
    def visit(self, node: cst.CSTNode) -> None:
        if isinstance(node, _NOISE):
            return
        if isinstance(node, cst.Name):
            self.name(node)
            return
        value = literal_value(node)
        if value is not None:
            self.literal(value, node)
            return
        handler = _HANDLERS.get(type(node))
        if handler is not None:
            handler(self, node)
            return
        self.generic(node)

    def generic(self, node: cst.CSTNode) -> None:
        self.tokens.append(type(node).__name__)
        for name in _content_fields(type(node)):
            self.visit_value(getattr(node, name))
        self.tokens.append(")")

    def visit_value(self, value: object) -> None:
        if isinstance(value, cst.CSTNode):
            self.visit(value)
        elif isinstance(value, (list, tuple)):
            self.tokens.append("[")
            for item in value:
                if isinstance(item, cst.CSTNode):
                    self.visit(item)
            self.tokens.append("]")
        elif isinstance(value, str):
            self.tokens.append(repr(value))

    def attribute(self, node: cst.Attribute) -> None:
        value = node.value
        if node.attr.value in data_code.INDEXERS or (
            isinstance(value, cst.Attribute) and value.attr.value in data_code.ACCESSORS
        ):
            self.kinds.append(data_code.DATA)  # ``df.loc``, ``df["t"].dt.hour``
        chain = dotted(node)
        resolved = self._resolve(chain) if chain is not None else None
        if resolved is not None and not resolved.startswith("builtins."):
            self.tokens.append("@" + ml_apis.canonical(resolved))
            return
        self.visit(node.value)
        self.tokens.append("." + node.attr.value)

    def call(self, node: cst.Call) -> None:
        func = node.func
        chain = dotted(func)
        resolved = self._resolve(chain) if chain is not None else None
        if not self.data:
            self.data = _calls_data_api(func, resolved, self.imports_data)
        called = _called_name(func, resolved or chain)
        self.kinds.append(data_code.plumbing(self._call_kind(func, resolved), called))
        self.tokens.append("Call(")
        self.visit(func)
        quiet = data_code.is_shape_call(called)
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else ""
            hush = quiet or data_code.is_quiet_keyword(keyword)
            self._quiet += hush
            self.arg(arg)
            self._quiet -= hush
        self.tokens.append(")")

    def _call_kind(self, func: cst.BaseExpression, resolved: str | None) -> str:
        if resolved is not None:
            return data_code.resolved_kind(ml_apis.canonical(resolved))
        if isinstance(func, cst.Attribute):
            value = func.value
            accessor = isinstance(value, cst.Attribute) and value.attr.value in data_code.ACCESSORS
            return data_code.method_kind(
                func.attr.value, receiver_name(value), accessor=accessor, imports_data=self.imports_data
            )
        if isinstance(func, cst.Name):
            return data_code.function_kind(func.value)
        return ""

    def subscript(self, node: cst.Subscript) -> None:
        receiver = receiver_name(node.value)
        if receiver is not None and (data_code.is_data_name(receiver) or _masks(node, receiver)):
            self.kinds.append(data_code.DATA)  # a column, or rows selected by a mask on the frame itself
        self.generic(node)

    def arg(self, node: cst.Arg) -> None:
        star = node.star if isinstance(node.star, str) else ""
        keyword = f"{node.keyword.value}=" if node.keyword is not None else ""
        self.tokens.append(f"Arg{star}{keyword}")
        self.visit(node.value)

    def formatted(self, node: cst.FormattedString) -> None:
        self.tokens.append("F(")
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                self.literal(repr(part.value), part)
            elif isinstance(part, cst.FormattedStringExpression):
                self.visit(part.expression)
                conversion = part.conversion if isinstance(part.conversion, str) else ""
                self.tokens.append(f"!{conversion}")
                if part.format_spec:
                    for spec in part.format_spec:
                        self.visit(spec)
        self.tokens.append(")")

    def _bind_locally(self, names: Iterator[str], node: cst.CSTNode) -> None:
        saved = set(self.shadowed)
        self.shadowed.update(names)
        self.generic(node)
        self.shadowed = saved

    def lambda_(self, node: cst.Lambda) -> None:
        params = node.params
        names = (p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params))
        self._bind_locally(names, node)

    def comprehension(self, node: cst.CSTNode) -> None:
        self._bind_locally(_comprehension_targets(node), node)


def _calls_data_api(func: cst.BaseExpression, resolved: str | None, imports_data: bool) -> bool:
    """The ``CloneStmt.data`` flag: a resolved data-transformation API or a DataFrame-style method."""
    if resolved is not None:
        return ml_apis.is_data_transform(resolved)
    if isinstance(func, cst.Attribute):
        return ml_apis.is_data_method(func.attr.value, generic_too=imports_data)
    return False


def _called_name(func: cst.BaseExpression, chain: str | None) -> str:
    """The last component of what is called (``vstack`` of ``np.vstack``, ``fillna`` of ``df.a.fillna``)."""
    name = (chain or "").rpartition(".")[2]
    if not name and isinstance(func, cst.Attribute):
        return func.attr.value
    return name


def _masks(node: cst.Subscript, receiver: str) -> bool:
    """``frame[frame.duration >= 1]``: rows of a table selected by a comparison on its own columns."""
    for element in node.slice:
        index = element.slice
        if isinstance(index, cst.Index):
            for found in _comparisons(index.value):
                if receiver_name(found.left) == receiver:
                    return True
    return False


def _comparisons(node: cst.BaseExpression) -> Iterator[cst.Comparison]:
    """Comparisons combined by ``&``, ``|`` and ``~`` (a pandas boolean mask)."""
    if isinstance(node, cst.Comparison):
        yield node
    elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitAnd, cst.BitOr)):
        yield from _comparisons(node.left)
        yield from _comparisons(node.right)
    elif isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
        yield from _comparisons(node.expression)


def receiver_name(node: cst.BaseExpression) -> str | None:
    """The leftmost name of a chain (``df`` in ``df["a"].str.lower``, ``self`` in ``self.model(x)``)."""
    while True:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        elif isinstance(node, cst.Call):
            node = node.func
        else:
            return None


def _comprehension_targets(node: cst.CSTNode) -> Iterator[str]:
    comp = getattr(node, "for_in", None)
    while isinstance(comp, cst.CompFor):
        yield from _names_in(comp.target)
        comp = comp.inner_for_in


def _names_in(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _names_in(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _names_in(target.value)


_HANDLERS: dict[type[cst.CSTNode], Callable[[Normaliser, Any], None]] = {
    cst.Attribute: Normaliser.attribute,
    cst.Call: Normaliser.call,
    cst.Subscript: Normaliser.subscript,
    cst.Arg: Normaliser.arg,
    cst.FormattedString: Normaliser.formatted,
    cst.Lambda: Normaliser.lambda_,
    cst.ListComp: Normaliser.comprehension,
    cst.SetComp: Normaliser.comprehension,
    cst.DictComp: Normaliser.comprehension,
    cst.GeneratorExp: Normaliser.comprehension,
}


def digest(tokens: Sequence[str]) -> str:
    """A 128-bit hash of a token sequence: equal digests mean equal normalised code."""
    return hashlib.blake2b("\x1f".join(tokens).encode(), digest_size=16).hexdigest()
