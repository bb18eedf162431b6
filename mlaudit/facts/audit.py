"""Audit facts (``mlaudit audit``): what the repository scorecard needs beyond the rules' facts, recorded in
the same batched pass and cached with the rest (``FileFacts.extra["audit"]``, plain JSON).

* ``defs``: every function and method that is not nested in another function, as ``[qualname, line,
  public, parameters, annotated parameters, return annotated, has docstring, is transform]``
  (``self``/``cls`` and ``*``/``/`` markers are not parameters);
* ``classes``: ``[name, line, resolved bases, resolved decorators]``;
* ``calls``: each distinct call target per scope, ``[scope, target, line, passes_config, refs]``: ``scope`` is
  the enclosing function's qualname, ``""`` at module level and ``"__main__"`` under the main guard;
  ``target`` is the absolute dotted name (``mlflow.log_params``), or ``.method`` when the receiver is a
  local value (``writer.add_scalar`` -> ``.add_scalar``); ``passes_config`` tells whether an argument
  looks like the run's configuration (``config``, ``cfg``, ``hparams``, ``vars(args)``, ``config=...``,
  ``"configs/train.yaml"``) or its result is bound to such a name (``cfg = yaml.safe_load(f)``); ``refs``
  are the resolved names passed as arguments (``tyro.cli(Args)`` -> the ``Args`` class);
* ``appends``: lines that open a file for appending (``open(p, "a")``, ``path.open("a")``,
  ``to_csv(..., mode="a")``): an append-only log;
* ``version_checks``: ``[scope, line]`` of comparisons of something named ``*version*`` (a loader
  checking an artifact);
* ``constants``: module-level names containing ``VERSION``;
* ``main_guard``: the line of ``if __name__ == "__main__":`` (0 when none);
* ``code_lines``: non-blank, non-comment lines.

Nothing here is a finding: the audit's checks (``mlaudit.audit.checks``) read these records.
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from mlaudit.engine.context import FileContext, _is_main_guard
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.functions import is_transform_scope
from mlaudit.facts.names import dotted

KEY = "audit"
_CONFIG_WORD = re.compile(
    r"^(config|configs|cfg|conf|hparams|hyperparams|hyper_params|hyperparameters|params|args|opt|opts|"
    r"settings|hp|flags)$|(_config|_cfg|_conf|_hparams|_settings|_params|config)$",
    re.IGNORECASE,
)
_SELF = frozenset({"self", "cls"})
# A file name that holds configuration: "configs/train.yaml", "params.yaml", "hparams.json".
_CONFIG_FILE = re.compile(r"(^|[/\\_.-])(config|configs|conf|cfg|params|hparams|hyperparams|settings)([/\\_.-]|$)",
                          re.IGNORECASE)  # fmt: skip
_MAX_REFS = 4


def _string_parts(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, cst.ConcatenatedString):
        return [node.left, node.right]
    if isinstance(node, cst.BinaryOperation):
        return [node.left, node.right]
    if isinstance(node, cst.FormattedString):
        return [cst.SimpleString(repr(p.value)) for p in node.parts if isinstance(p, cst.FormattedStringText)]
    return []


def _config_key(element: cst.BaseDictElement) -> bool:
    """``{"config": ...}``, ``{"hparams": ...}``."""
    if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
        return False
    return bool(_CONFIG_WORD.search(str(element.key.evaluated_value)))


def _config_name(node: cst.BaseExpression) -> bool:
    """The configuration object itself (``cfg``, ``self.config``, ``args``), not a value read from it
    (``cfg.model.onnx_path``)."""
    chain = dotted(node)
    return chain is not None and bool(_CONFIG_WORD.search(chain.rsplit(".", 1)[-1]))


def _config_string(node: cst.SimpleString) -> bool:
    value = node.evaluated_value
    return isinstance(value, str) and bool(_CONFIG_FILE.search(value))


_SERIALISERS = frozenset({"model_dump", "model_dump_json", "dict", "json", "to_dict", "to_json", "to_yaml",
                          "to_container", "as_dict", "asdict", "dump", "dumps", "items", "copy"})  # fmt: skip


def _children(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The sub-expressions that may carry the configuration: a call's arguments (``vars(args)``) and the
    object it serialises (``cfg.model_dump()``), a string's parts."""
    if isinstance(node, cst.Call):
        func = node.func
        receiver = [func.value] if isinstance(func, cst.Attribute) and func.attr.value in _SERIALISERS else []
        return [*(a.value for a in node.args), *receiver]
    return _string_parts(node)


def _configish(node: cst.BaseExpression, depth: int = 0) -> bool:
    """An expression that carries the run's configuration: ``cfg``, ``self.config``, ``vars(args)``,
    ``asdict(config)``, ``cfg.model_dump()``, ``OmegaConf.to_yaml(cfg)``, ``{"config": ...}``,
    ``"configs/train.yaml"``."""
    if depth > 3:
        return False
    if isinstance(node, cst.SimpleString):
        return _config_string(node)
    if isinstance(node, cst.Dict):
        return any(_config_key(e) for e in node.elements)
    children = _children(node)
    if children:
        return any(_configish(child, depth + 1) for child in children)
    return _config_name(node)


def _passes_config(node: cst.Call) -> bool:
    keywords = [a.keyword.value for a in node.args if a.keyword is not None]
    return any(_CONFIG_WORD.search(k) for k in keywords) or any(_configish(a.value) for a in node.args)


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


_APPENDERS = ("open", "to_csv", "to_json", "fdopen")


def _mode(arg: cst.Arg, n: int, last: str, receiver_call: bool) -> str | None:
    """The file mode an argument gives, if it is the mode: ``mode=...``, the first argument of
    ``path.open(...)``, the second of ``open(path, ...)``."""
    if arg.keyword is not None:
        return _string(arg.value) if arg.keyword.value == "mode" else None
    positional = 0 if (last == "open" and receiver_call) else 1
    return _string(arg.value) if n == positional and last != "to_csv" else None


def _is_append(node: cst.Call, target: str) -> bool:
    """``open(p, "a")``, ``p.open("a")``, ``open(p, mode="a+")``, ``df.to_csv(p, mode="a")``."""
    last = target.rsplit(".", 1)[-1]
    if last not in _APPENDERS:
        return False
    modes = [_mode(arg, n, last, target.startswith(".")) for n, arg in enumerate(node.args)]
    return any(m is not None and "a" in m for m in modes)


def _has_docstring(node: cst.FunctionDef) -> bool:
    body = node.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return False
    first = body.body[0]
    if not isinstance(first, cst.SimpleStatementLine) or not first.body:
        return False
    stmt = first.body[0]
    return isinstance(stmt, cst.Expr) and isinstance(stmt.value, (cst.SimpleString, cst.ConcatenatedString))


def _signature(node: cst.FunctionDef, is_method: bool) -> tuple[int, int]:
    params = node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    if isinstance(params.star_arg, cst.Param):
        every.append(params.star_arg)
    if params.star_kwarg is not None:
        every.append(params.star_kwarg)
    if is_method and every and every[0].name.value in _SELF:
        every = every[1:]
    return len(every), sum(p.annotation is not None for p in every)


def _has_version(text: str | None) -> bool:
    return "version" in (text or "").lower()


def _mentions_version(node: cst.BaseExpression) -> bool:
    """``meta.model_version``, ``meta["model_version"]``, ``meta.get("model_version")``."""
    chain = dotted(node)
    if chain is not None:
        return _has_version(chain)
    if isinstance(node, cst.Subscript):
        key = node.slice[0].slice if node.slice else None
        keyed = isinstance(key, cst.Index) and _has_version(_string(key.value))
        return keyed or _mentions_version(node.value)
    if isinstance(node, cst.Call):
        return any(_has_version(_string(a.value)) for a in node.args) or _mentions_version(node.func)
    return False


class AuditExtractor(FactExtractor):
    provides = frozenset({KEY})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.defs: list[list[Any]] = []
        self.classes: list[list[Any]] = []
        self.calls: dict[tuple[str, str], list[Any]] = {}
        self.appends: list[int] = []
        self.version_checks: list[list[Any]] = []
        self.main_guard = 0
        self._config_values: set[int] = set()
        """Calls whose result is bound to a config-like name (``cfg = yaml.safe_load(f)``)."""

    def _line(self, node: cst.CSTNode) -> int:
        return self.ctx.position(node).line

    def _scope(self) -> str:
        ctx = self.ctx
        for scope in reversed(ctx.functions):
            if scope.name != "<lambda>":
                return str(scope.qualname)
        return "__main__" if ctx.main_guard else ""

    def visit_If(self, node: cst.If) -> None:
        if not self.main_guard and not self.ctx.functions and _is_main_guard(node.test):
            self.main_guard = self._line(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        ctx = self.ctx
        scope = ctx.function
        if scope is None or "<locals>" in scope.qualname:
            return
        total, annotated = _signature(node, scope.is_method)
        public = not node.name.value.startswith("_") and not any(
            part.startswith("_") for part in scope.qualname.split(".")[:-1]
        )
        self.defs.append(
            [
                scope.qualname,
                self._line(node.name),
                public,
                total,
                annotated,
                node.returns is not None,
                _has_docstring(node),
                is_transform_scope(ctx, scope),
            ]
        )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        ctx = self.ctx
        if ctx.functions:
            return
        bases = [ctx.resolve(b.value) or dotted(b.value) or "" for b in node.bases if b.keyword is None]
        decorators = []
        for deco in node.decorators:
            expr = deco.decorator.func if isinstance(deco.decorator, cst.Call) else deco.decorator
            decorators.append(ctx.resolve(expr) or dotted(expr) or "")
        self.classes.append([".".join(ctx.classes), self._line(node.name), bases, decorators])

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and any(
            isinstance(t.target, cst.Name) and _CONFIG_WORD.search(t.target.value) for t in node.targets
        ):
            self._config_values.add(id(node.value))

    def _refs(self, node: cst.Call) -> list[str]:
        """Resolved names handed to the call (``tyro.cli(Args)``, ``HfArgumentParser((A, B))``)."""
        out: list[str] = []
        for arg in node.args:
            values = (
                [e.value for e in arg.value.elements]
                if isinstance(arg.value, (cst.Tuple, cst.List))
                else [arg.value]
            )
            for value in values:
                if isinstance(value, (cst.Name, cst.Attribute)):
                    name = self.ctx.resolve(value)
                    if name and len(out) < _MAX_REFS:
                        out.append(name)
        return out

    def visit_Call(self, node: cst.Call) -> None:
        ctx = self.ctx
        target = ctx.resolve(node.func)
        if target is None:
            if not isinstance(node.func, cst.Attribute):
                return
            target = "." + node.func.attr.value
        target = target.removeprefix("builtins.")
        if _is_append(node, target):
            self.appends.append(self._line(node))
        scope = self._scope()
        passes = id(node) in self._config_values or _passes_config(node)
        key = (scope, target)
        seen = self.calls.get(key)
        refs = self._refs(node)
        if seen is None:
            self.calls[key] = [scope, target, self._line(node), passes, refs]
        else:
            if passes and not seen[3]:
                seen[2], seen[3] = self._line(node), True
            seen[4] = (seen[4] + [r for r in refs if r not in seen[4]])[:_MAX_REFS]

    def visit_Comparison(self, node: cst.Comparison) -> None:
        sides = [node.left, *(c.comparator for c in node.comparisons)]
        if self.ctx.functions and any(_mentions_version(s) for s in sides):
            self.version_checks.append([self._scope(), self._line(node)])

    def finish(self) -> None:
        facts = self.ctx.facts
        if facts is None:
            return
        module = self.ctx.module
        constants = sorted(
            name
            for name, origin in self.ctx.names.table.items()
            if "VERSION" in name and name.isupper() and origin == (f"{module}.{name}" if module else name)
        )
        facts.extra[KEY] = {
            "defs": self.defs,
            "classes": self.classes,
            "calls": list(self.calls.values()),
            "appends": self.appends,
            "version_checks": self.version_checks,
            "constants": constants,
            "main_guard": self.main_guard,
            "code_lines": sum(
                1 for line in self.ctx.lines if line.strip() and not line.lstrip().startswith("#")
            ),
        }
