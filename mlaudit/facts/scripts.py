"""The ``scripts`` fact extractor: ``FileFacts.script`` (rules.md, "Entry points", "Scripts", "Frameworks").

The top-level part (main guard, shebang, inline work, entry points, stages) comes from
``mlaudit.facts.script_scan``; this extractor adds what needs the one traversal of the whole file:

* functions passed to Hugging Face ``Dataset.map`` (``map_functions``), Kedro ``node(fn, ...)``
  registrations (``stage_refs``), FastAPI dependency providers and ``FastAPI(lifespan=fn)`` (``lifespan``);
* console-script targets declared in ``setup.py`` (``console_scripts``);
* the calls that run on import (module level, default arguments, decorators; not the main guard, not
  ``TYPE_CHECKING``): ``import_time_io`` (I/O by the API table, one site per call: ``json.load(fh)`` on an
  already-recorded ``open`` is the same site) and ``import_time_calls`` (calls that may go to a first-party
  function, for MLA103's ``load_data()``/``main()`` at import). File reads that only feed ``os.environ``
  (``mlaudit.facts.env_bootstrap``: ``load_dotenv`` written by hand) are process set-up, not recorded.

Whether a file *is* a script also depends on whether a first-party module imports it: that project-level
decision is ``mlaudit.project.scripts.classify`` over these facts.
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from mlaudit.engine.context import FileContext
from mlaudit.engine.rule import FactExtractor
from mlaudit.facts import frameworks as fw
from mlaudit.facts import ml_apis
from mlaudit.facts.env_bootstrap import bootstrap_calls, text_read
from mlaudit.facts.functions import call_target, classify_call
from mlaudit.facts.model import CallFact, IoSiteFact
from mlaudit.facts.names import dotted
from mlaudit.facts.script_scan import (
    absolute,
    console_scripts,
    definition_functions,
    map_function_name,
    scan_context,
)

# Calls that consume an object an already-recorded call opened (`json.load(f)` after `open`).
_HANDLE_KINDS = frozenset({ml_apis.READ, ml_apis.WRITE, ml_apis.DATABASE})


def _root(node: cst.BaseExpression) -> str | None:
    """The name a chain of attributes, calls and subscripts starts from (``con`` in ``con.execute(q).all``)."""
    while isinstance(node, cst.Attribute | cst.Call | cst.Subscript):
        node = node.func if isinstance(node, cst.Call) else node.value
    return node.value if isinstance(node, cst.Name) else None


def _lifespan_args(node: cst.Call, resolved: str) -> list[cst.Arg]:
    if resolved in fw.DEPENDS:
        return [a for a in node.args if a.keyword is None]
    if resolved in fw.APP_CONSTRUCTORS:
        return [a for a in node.args if a.keyword is not None and a.keyword.value == fw.LIFESPAN_KEYWORD]
    return []


class ScriptsExtractor(FactExtractor):
    provides = frozenset({"scripts"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.fact = scan_context(ctx)
        self._bodies = 0  # function, lambda and class bodies: they do not run on import
        self._inside_recorded = 0  # nested calls of a recorded I/O call are the same site
        self._recorded: set[int] = set()
        self._handles: set[str] = set()
        self._packaging = ctx.path.rsplit("/", 1)[-1] == "setup.py"
        self._definitions = definition_functions(ctx.wrapper.module, ctx.names)
        self._bootstrap: frozenset[int] | None = None
        """Calls inside module-level statements that read a file into ``os.environ`` (computed on demand)."""

    # --- where code runs at import time --------------------------------------------------------------
    def _enter(self, node: cst.CSTNode) -> None:
        self._bodies += 1

    def _leave(self, node: cst.CSTNode) -> None:
        self._bodies -= 1

    visit_FunctionDef_body = visit_Lambda_body = visit_ClassDef_body = _enter
    leave_FunctionDef_body = leave_Lambda_body = leave_ClassDef_body = _leave

    @property
    def _import_time(self) -> bool:
        return self._bodies == 0 and not self.ctx.main_guard and not self.ctx.type_checking

    # --- visitors --------------------------------------------------------------------------------------
    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._packaging:
            value = node.evaluated_value
            if isinstance(value, str):
                self.fact.console_scripts.extend(console_scripts(value))

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._import_time:
            self._remember_handle([t.target for t in node.targets], node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self._import_time and node.asname is not None:
            self._remember_handle([node.asname.name], node.item)

    def visit_Call(self, node: cst.Call) -> None:
        self._framework_refs(node)
        if self._inside_recorded or not self._import_time:
            return
        api = classify_call(self.ctx, node)
        if api is not None:
            self._record_io(node, api)
        else:
            self._record_call(node)

    def leave_Call(self, original_node: cst.Call) -> None:
        if id(original_node) in self._recorded:
            self._inside_recorded -= 1

    # --- import-time calls -----------------------------------------------------------------------------
    def _remember_handle(self, targets: Iterable[cst.BaseExpression], value: cst.BaseExpression) -> None:
        if not isinstance(value, cst.Call):
            return
        api = classify_call(self.ctx, value)
        if api is not None and api.kind in _HANDLE_KINDS:
            self._handles.update(t.value for t in targets if isinstance(t, cst.Name))

    def _uses_handle(self, call: cst.Call) -> bool:
        """``json.load(f)`` / ``con.execute(sql)`` on a handle whose opening was already recorded."""
        if not self._handles:
            return False
        first = call.args[0].value if call.args and call.args[0].keyword is None else None
        if isinstance(first, cst.Name) and first.value in self._handles:
            return True
        receiver = _root(call.func.value) if isinstance(call.func, cst.Attribute) else None
        return receiver is not None and receiver in self._handles

    def _record_io(self, node: cst.Call, api: ml_apis.Api) -> None:
        if api.kind not in ml_apis.IO_KINDS or api.name in ml_apis.LAZY_CLIENTS:
            return
        if api.kind in _HANDLE_KINDS and self._uses_handle(node):
            return
        if api.kind == ml_apis.READ and text_read(api.name) and self._in_bootstrap(node):
            return  # `os.environ[k] = v` for each entry of `secrets.json`: `load_dotenv` by hand, process set-up
        span = self.ctx.position(node)
        self.fact.import_time_io.append(IoSiteFact(api.name, api.kind, span, self.ctx.snippet(span)))
        self._recorded.add(id(node))
        self._inside_recorded += 1

    def _in_bootstrap(self, node: cst.Call) -> bool:
        if self._bootstrap is None:
            self._bootstrap = bootstrap_calls(self.ctx.wrapper.module, self.ctx.resolve)
        return id(node) in self._bootstrap

    def _record_call(self, node: cst.Call) -> None:
        ctx = self.ctx
        target = call_target(ctx, node)
        if isinstance(node.func, cst.Name) and node.func.value in self._definitions:
            return  # `ml_pipeline()` of an Airflow `@dag` function: registers the DAG, runs no task
        if target is None and isinstance(node.func, cst.Name) and node.func.value in ctx.names.defs:
            target = absolute(ctx.module, node.func.value)
        if target is not None:
            span = ctx.position(node)
            self.fact.import_time_calls.append(CallFact(target, span, ctx.snippet(span)))

    # --- framework references --------------------------------------------------------------------------
    def _absolute_name(self, text: str) -> str:
        root = text.partition(".")[0]
        if root in self.ctx.names.defs or self.ctx.is_local_name(root):
            return absolute(self.ctx.module, text)
        bound = self.ctx.names.table.get(root)
        return f"{bound}{text[len(root) :]}" if bound else absolute(self.ctx.module, text)

    def _framework_refs(self, node: cst.Call) -> None:
        mapped = map_function_name(node)
        if mapped is not None:
            self.fact.map_functions.append(self._absolute_name(mapped))
        resolved = self.ctx.resolve(node.func)
        if resolved is None:
            return
        resolved = ml_apis.canonical(resolved)
        keyword = fw.STAGE_CALLS.get(resolved)
        if keyword is not None:
            self._stage_ref(node, keyword)
        self._lifespan_ref(node, resolved)

    def _stage_ref(self, node: cst.Call, keyword: str) -> None:
        for i, arg in enumerate(node.args):
            named = arg.keyword is not None and arg.keyword.value == keyword
            text = dotted(arg.value) if (arg.keyword is None and i == 0) or named else None
            if text:
                self.fact.stage_refs.append(self._absolute_name(text))

    def _lifespan_ref(self, node: cst.Call, resolved: str) -> None:
        """``Depends(get_db)`` and ``FastAPI(lifespan=lifespan)``: application state, not module state."""
        for arg in _lifespan_args(node, resolved):
            if isinstance(arg.value, cst.Name) and arg.value.value in self.ctx.names.defs:
                self.fact.lifespan.append(arg.value.value)

    def finish(self) -> None:
        facts = self.ctx.facts
        if facts is None:
            return
        fact = self.fact
        fact.map_functions = sorted(set(fact.map_functions))
        fact.stage_refs = sorted(set(fact.stage_refs))
        fact.lifespan = sorted(set(fact.lifespan))
        fact.console_scripts = sorted(set(fact.console_scripts))
        facts.script = fact
