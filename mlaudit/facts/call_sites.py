"""Call-site facts for MLA203 transform-mutates-input: how the project calls its own functions.

A transform that changes a parameter in place is harmless when no caller can see the change: every caller
hands it a value made for the call or throws its own value away by rebinding the name to the result. For
every call of a possibly first-party function (target resolved like ``functions.call_target``) the
extractor records which arguments are **safe** in that sense:

* a fresh value: the argument is itself a call that makes a new object: a reader (``pd.read_csv(...)``,
  a first-party ``read_*``/``load_*`` function), a constructor (``pd.DataFrame(...)``,
  ``pd.DataFrame.from_dict(...)``, ``np.array(...)``, ``torch.tensor(...)``, ``list(...)``), a copy
  (``df.copy()``, ``x.clone()``, ``copy.deepcopy(x)``);
* a rebound name: the call is the value of an assignment whose targets include that very name
  (``df = clean(df)``, ``df, y = split(df)``): the caller's old object is dropped.

A possibly first-party function passed on as an argument (``df.pipe(clean)``, ``FunctionTransformer(clean)``,
``map(clean, frames)``) is recorded as an **opaque** use: someone else calls it, with arguments this project
does not show, so its callers are not all known.
"""

from __future__ import annotations

import re

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts.functions import call_target, self_call_target
from mlaudit.facts.ml_apis import NOT_FIRST_PARTY
from mlaudit.facts.model import CallSiteFact
from mlaudit.facts.names import dotted

# Calls (by resolved name or name prefix) that return a new object.
_FRESH_PREFIXES = (
    "pandas.read_",
    "pandas.DataFrame",
    "pandas.Series",
    "pandas.concat",
    "pandas.merge",
    "pandas.json_normalize",
    "polars.read_",
    "polars.DataFrame",
    "numpy.array",
    "numpy.copy",
    "numpy.load",
    "torch.tensor",
    "torch.load",
    "copy.copy",
    "copy.deepcopy",
    "builtins.list",
    "builtins.dict",
    "builtins.set",
)
# Methods that return a copy of their receiver.
_COPY_METHODS = frozenset({"copy", "clone", "deepcopy"})
# First-party readers: `read_data(path)`, `load_frame(path)` build the object they return.
_READER_NAME = re.compile(r"^_*(read|load)_")


def is_fresh(ctx: FileContext, value: cst.BaseExpression) -> bool:
    """``value`` makes a new object for this call (see the module docstring)."""
    if not isinstance(value, cst.Call):
        return False
    func = value.func
    chain = dotted(func)
    last = chain.rpartition(".")[2] if chain else (func.attr.value if isinstance(func, cst.Attribute) else "")
    if isinstance(func, cst.Attribute) and last in _COPY_METHODS:
        return True
    if _READER_NAME.match(last):
        return True
    resolved = ctx.resolve(func) if chain else None
    return resolved is not None and resolved.startswith(_FRESH_PREFIXES)


def _names(target: cst.BaseExpression) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, cst.Tuple | cst.List):
        return {n for el in target.elements for n in _names(el.value)}
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    return set()


def reference_target(ctx: FileContext, value: cst.BaseExpression) -> str | None:
    """Absolute name of a possibly first-party function named by ``value`` (``clean``, ``mod.clean``,
    ``self.clean``), else None."""
    if not isinstance(value, cst.Name | cst.Attribute):
        return None
    chain = dotted(value)
    if chain is None:
        return None
    resolved = ctx.resolve(value)
    if resolved is None:
        return self_call_target(ctx, chain)
    return None if resolved.partition(".")[0] in NOT_FIRST_PARTY else resolved


class CallSitesExtractor(FactExtractor):
    provides = frozenset({"call_sites"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._rebound: dict[int, set[str]] = {}
        """id of a call that is an assignment's whole value -> the names that assignment binds."""

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call):
            self._rebound[id(node.value)] = {n for t in node.targets for n in _names(t.target)}

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.value, cst.Call):
            self._rebound[id(node.value)] = _names(node.target)

    def visit_Call(self, node: cst.Call) -> None:
        facts = self.ctx.facts
        if facts is None:
            return
        target = call_target(self.ctx, node)
        if target is not None:
            facts.call_sites.append(CallSiteFact(target, self.ctx.position(node), self._safe(node)))
        for arg in node.args:
            ref = reference_target(self.ctx, arg.value)
            if ref is not None:
                facts.call_sites.append(CallSiteFact(ref, self.ctx.position(arg.value), opaque=True))

    def _safe(self, node: cst.Call) -> list[str]:
        rebound = self._rebound.pop(id(node), set())
        safe: list[str] = []
        position = 0
        for arg in node.args:
            if arg.star:
                break  # positions after `*args` are unknown; `**kwargs` hides keywords
            value = arg.value
            ok = is_fresh(self.ctx, value) or (isinstance(value, cst.Name) and value.value in rebound)
            if arg.keyword is None:
                if ok:
                    safe.append(str(position))
                position += 1
            elif ok:
                safe.append(arg.keyword.value)
        return safe
