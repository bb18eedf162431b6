"""How a file is run, from its top-level statements (rules.md, "Entry points", "Scripts", "Frameworks").

``scan_module(...)`` / ``scan_context(ctx)`` are pure functions over a parsed module's **top-level**
statements (cheap: function bodies are not walked, except the main guard's): whether the file has a main
guard, a shebang, inline module-level work, which of its functions are entry points, framework stages or
FastAPI start-up code, and the bare module-level calls of its own functions (``main()`` without a guard).
File rules (MLA202, MLA203) call ``scan_context`` directly; the ``scripts`` extractor
(``mlaudit.facts.scripts``) stores the same record in ``FileFacts.script``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

import libcst as cst

from mlaudit.facts import frameworks as fw
from mlaudit.facts import ml_apis
from mlaudit.facts.model import CallFact, EntryPointFact, ScriptFact, Span
from mlaudit.facts.names import ModuleNames, dotted
from mlaudit.facts.notebook_export import is_notebook_export

if TYPE_CHECKING:
    from mlaudit.engine.context import FileContext

_CONSOLE_SCRIPT = re.compile(r"^\s*[\w.\-\[\]]+\s*=\s*([\w.]+)\s*:\s*([\w.]+)")
_Block = Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement]


def absolute(module: str, name: str) -> str:
    return f"{module}.{name}" if module else name


def is_main_guard(test: cst.BaseExpression) -> bool:
    """``if __name__ == "__main__":`` in either operand order."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comp = test.comparisons[0]
    if not isinstance(comp.operator, cst.Equal):
        return False
    sides = {_guard_part(test.left), _guard_part(comp.comparator)}
    return sides == {"name", "main"}


def _guard_part(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name) and node.value == "__name__":
        return "name"
    if isinstance(node, cst.SimpleString) and node.evaluated_value == "__main__":
        return "main"
    return None


def _is_guard(stmt: cst.CSTNode) -> bool:
    if not isinstance(stmt, cst.If):
        return False
    chain = dotted(stmt.test)
    return is_main_guard(stmt.test) or (chain is not None and chain.split(".")[-1] == "TYPE_CHECKING")


def resolve_text(names: ModuleNames, node: cst.BaseExpression) -> str | None:
    """The canonical qualified name of a name chain through the module's import table, else None."""
    text = dotted(node)
    if text is None:
        return None
    root, _, rest = text.partition(".")
    bound = names.table.get(root)
    if bound is None:
        return None
    return ml_apis.canonical(f"{bound}.{rest}" if rest else bound)


def decorator_role(deco: cst.Decorator, names: ModuleNames) -> tuple[str, str] | None:
    """(role, decorator name) when a decorator makes its function an entry point, a stage or start-up code."""
    expr = deco.decorator.func if isinstance(deco.decorator, cst.Call) else deco.decorator
    text = dotted(expr)
    if text is None:
        return None
    resolved = resolve_text(names, expr)
    role = fw.decorator_role(resolved)
    if role is not None:
        return role, resolved or text
    attr = text.rpartition(".")[2]
    if "." in text and attr in fw.COMMAND_ATTRIBUTES and names.imported_packages() & fw.COMMAND_PACKAGES:
        return fw.ENTRY, text  # `@app.command()` with `app = typer.Typer()`
    if "." in text and attr in fw.LIFESPAN_DECORATOR_ATTRIBUTES:
        return fw.LIFESPAN, text  # `@app.on_event("startup")`
    return None


def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    """Every call in a subtree, without entering nested defs or classes. Iterative: a module-level
    expression 500 levels deep must not exhaust the interpreter stack."""
    calls: list[cst.Call] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call):
            calls.append(current)
        if current is not node and isinstance(current, cst.FunctionDef | cst.ClassDef):
            continue
        stack.extend(reversed(current.children))
    return calls


def function_arguments(call: cst.Call) -> Iterator[str]:
    """Names passed as values to a call: ``fire.Fire(main)``, ``fire.Fire({"a": a, "b": b})``."""
    for arg in call.args:
        value = arg.value
        if isinstance(value, cst.Name):
            yield value.value
        elif isinstance(value, cst.Dict):
            for el in value.elements:
                if isinstance(el, cst.DictElement) and isinstance(el.value, cst.Name):
                    yield el.value.value
        elif isinstance(value, cst.List | cst.Tuple):
            for item in value.elements:
                if isinstance(item.value, cst.Name):
                    yield item.value.value


def _declarative(resolved: str | None, text: str | None) -> bool:
    return any(
        candidate and any(fnmatchcase(candidate, p) for p in fw.DECLARATIVE_CALLS)
        for candidate in (resolved, text)
    )


def _if_blocks(stmt: cst.If) -> list[_Block]:
    blocks: list[_Block] = [stmt.body.body]
    orelse = stmt.orelse
    while orelse is not None:
        blocks.append(orelse.body.body)
        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
    return blocks


def _blocks(stmt: cst.CSTNode) -> list[_Block]:
    """The statement blocks whose work is the statement's work: ``with`` and ``try`` bodies (``with
    torch.no_grad(): model(x)`` is work; ``with open(p) as fh: LABELS = json.load(fh)`` loads a constant),
    every branch of an ``if`` other than the main guard and ``TYPE_CHECKING``."""
    if isinstance(stmt, cst.With | cst.Try):
        return [stmt.body.body]
    if isinstance(stmt, cst.If) and not _is_guard(stmt):
        return _if_blocks(stmt)
    return []


def does_work(stmt: cst.CSTNode, names: ModuleNames) -> bool:
    """Inline module-level work (not counting bare calls of the file's own functions)."""
    if isinstance(stmt, cst.For | cst.While):
        return True
    if isinstance(stmt, cst.SimpleStatementLine):
        return any(_small_work(s, names) for s in stmt.body)
    return any(does_work(s, names) for block in _blocks(stmt) for s in block)


def _small_work(small: cst.BaseSmallStatement, names: ModuleNames) -> bool:
    if isinstance(small, cst.AugAssign):
        return True
    if not isinstance(small, cst.Expr):
        return False
    value = small.value
    if isinstance(value, cst.Await):
        return True
    if not isinstance(value, cst.Call):
        return False
    if isinstance(value.func, cst.Name) and value.func.value in names.defs:
        return False  # a bare call of the file's own function: recorded as a module call
    return not _declarative(resolve_text(names, value.func), dotted(value.func))


def _bare_calls(stmt: cst.CSTNode, names: ModuleNames) -> Iterator[cst.Call]:
    """``main()``, ``run(args)``, ``sys.exit(main())`` at module level, outside any guard."""
    if not isinstance(stmt, cst.SimpleStatementLine):
        return
    for small in stmt.body:
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            for call in (small.value, *(a.value for a in small.value.args)):
                if (
                    isinstance(call, cst.Call)
                    and isinstance(call.func, cst.Name)
                    and call.func.value in names.defs
                ):
                    yield call


def definition_functions(module: cst.Module, names: ModuleNames) -> frozenset[str]:
    """Top-level functions whose decorator makes calling them build a definition (an Airflow ``@dag``)."""
    found = set()
    for stmt in module.body:
        if not isinstance(stmt, cst.FunctionDef):
            continue
        for deco in stmt.decorators:
            expr = deco.decorator.func if isinstance(deco.decorator, cst.Call) else deco.decorator
            if resolve_text(names, expr) in fw.DEFINITION_DECORATORS:
                found.add(stmt.name.value)
    return frozenset(found)


_PARSE_METHODS = frozenset({"parse_args", "parse_known_args", "parse_intermixed_args"})
"""``parser.parse_args()`` and friends: their result is the parsed command line (``args``)."""


@dataclass(frozen=True, slots=True)
class CommandLine:
    """Module-level names that hold the command line: ``namespaces`` bound to a parsed command line
    (``args = parser.parse_args()``, ``args, _ = parser.parse_known_args()``), ``values`` computed at module
    level from it (``first_file = sys.argv[1]``, ``df = pd.read_csv(args.data_source)``,
    ``cols = args.keys.split(",")``)."""

    values: frozenset[str] = frozenset()
    namespaces: frozenset[str] = frozenset()

    def mentioned(self, node: cst.CSTNode, names: ModuleNames) -> bool:
        """``node`` reads ``sys.argv``, a value computed from the command line, or a field of the parsed
        command line (``args.data_source``; the whole ``args`` is not: ``main(args)`` hands it to the entry
        function)."""
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, cst.Attribute):
                if resolve_text(names, current) == "sys.argv":
                    return True
                if isinstance(current.value, cst.Name) and current.value.value in self.namespaces:
                    return True
            if isinstance(current, cst.Name) and current.value in self.values:
                return True
            stack.extend(current.children)
        return False


def _module_lines(module: cst.Module) -> Iterator[cst.CSTNode]:
    """Top-level statements, in order, with the bodies of top-level ``if`` (not the guard), ``try`` and
    ``with`` blocks in place of the blocks."""
    for stmt in module.body:
        if isinstance(stmt, cst.If) and not _is_guard(stmt):
            yield from (s for block in _if_blocks(stmt) for s in block)
        elif isinstance(stmt, cst.Try | cst.With):
            yield from stmt.body.body
        else:
            yield stmt


def _targets(small: cst.Assign) -> Iterator[cst.BaseExpression]:
    for target in small.targets:
        node = target.target
        if isinstance(node, cst.Tuple | cst.List):
            yield from (el.value for el in node.elements)
        else:
            yield node


def argv_variables(module: cst.Module, names: ModuleNames) -> CommandLine:
    """Module-level names bound from the command line inline (``first_file = sys.argv[1]``,
    ``args = parser.parse_args()``) and the values computed from it at module level, in top-level statements
    and the branches of top-level ``if``, ``try`` and ``with`` blocks."""
    line = CommandLine()
    for stmt in _module_lines(module):
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if not isinstance(small, cst.Assign):
                continue
            value = small.value
            bound = [t.value for t in _targets(small) if isinstance(t, cst.Name)]
            parsed = (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Attribute)
                and value.func.attr.value in _PARSE_METHODS
            )
            if parsed and bound:
                line = CommandLine(line.values, line.namespaces | {bound[0]})
            elif line.mentioned(value, names):
                line = CommandLine(line.values | set(bound), line.namespaces)
    return line


def wired_call(stmt: cst.CSTNode, names: ModuleNames, argv: CommandLine) -> bool:
    """A module-level statement that calls the file's own function wired to module-level state: its result
    bound to a name (``sub = DO(frm, to, 0)``) or values the module level took from the command line passed
    in (``corr(first_file, second_file)`` after ``first_file = sys.argv[1]``; ``dump(df, args.output)``
    after ``df = pd.read_csv(args.source)``). A lone ``main()``, ``run(root_dir)`` or ``main(args)`` at the
    bottom is not: that is the missing guard."""
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        value = small.value if isinstance(small, cst.Assign | cst.AnnAssign) else None
        if value is not None and any(
            isinstance(c.func, cst.Name) and c.func.value in names.defs for c in calls_in(value)
        ):
            return True
    return any(
        argv.mentioned(arg.value, names)
        for call in _bare_calls(stmt, names)
        if not (isinstance(call.func, cst.Name) and call.func.value == "main")
        for arg in call.args
    )


def wrapped_body(module: cst.Module, names: ModuleNames) -> bool:
    """The whole script indented under one function that the main guard calls, its body opening with
    imports (a notebook or tutorial pasted into ``def main():``)."""
    defs = [s for s in module.body if isinstance(s, cst.FunctionDef | cst.ClassDef)]
    if len(defs) != 1 or not isinstance(defs[0], cst.FunctionDef):
        return False
    guards = [s for s in module.body if isinstance(s, cst.If) and is_main_guard(s.test)]
    name = defs[0].name.value
    called = any(isinstance(c.func, cst.Name) and c.func.value == name for g in guards for c in calls_in(g.body))
    body = defs[0].body.body if isinstance(defs[0].body, cst.IndentedBlock) else ()
    head = [s for s in body[:_WRAPPED_HEAD] if isinstance(s, cst.SimpleStatementLine)]
    imports = sum(1 for s in head for small in s.body if isinstance(small, cst.Import | cst.ImportFrom))
    return called and imports >= _WRAPPED_IMPORTS


def scoring_script(module: cst.Module) -> bool:
    """An Azure ML scoring script (online/batch endpoint, parallel-run job): a module-level ``def init():``
    without parameters and a module-level ``def run(...)`` taking the request or mini-batch. The inference
    server imports the module, calls ``init()`` once and ``run()`` per request (rules.md, "Frameworks")."""
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    init, run = functions.get(fw.SCORING_INIT), functions.get(fw.SCORING_RUN)
    if init is None or run is None:
        return False
    init_params, run_params = init.params, run.params
    bare = not (init_params.params or init_params.posonly_params or init_params.kwonly_params)
    bare = bare and not isinstance(init_params.star_arg, cst.Param) and init_params.star_kwarg is None
    return bare and bool(run_params.params or run_params.posonly_params)


_WRAPPED_HEAD = 5
"""How many statements of the wrapper's body are searched for its opening imports."""
_WRAPPED_IMPORTS = 3
"""Imports among them that make the function the script's body rather than an entry function."""


class _Positions:
    """Positions through the file context when there is one (lazy, shared), else a placeholder."""

    def __init__(self, ctx: FileContext | None) -> None:
        self.ctx = ctx

    def __call__(self, node: cst.CSTNode) -> Span:
        return self.ctx.position(node) if self.ctx is not None else Span(0, 0, 0, 0)


class _Scan:
    def __init__(
        self, module: cst.Module, names: ModuleNames, module_name: str, positions: _Positions
    ) -> None:
        self.module = module
        self.names = names
        self.module_name = module_name
        self.position = positions
        self.fact = ScriptFact()
        self._entries: dict[str, EntryPointFact] = {}
        self._web: set[str] = set()
        self._argv = argv_variables(module, names)
        """Module-level names bound to a web application or router."""

    def entry(self, qualname: str, reason: str, node: cst.CSTNode) -> None:
        if qualname not in self._entries:
            self._entries[qualname] = EntryPointFact(qualname, reason, self.position(node))

    def run(self) -> ScriptFact:
        self._web_objects()
        self._ui_app()
        for stmt in self.module.body:
            self._statement(stmt)
        for stmt in self.module.body:
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "main":
                self.entry("main", "main", stmt.name)
        if scoring_script(self.module):
            self.fact.scoring_script = True
            init = next(s for s in self.module.body if isinstance(s, cst.FunctionDef) and s.name.value == fw.SCORING_INIT)
            self.entry(fw.SCORING_INIT, "scoring-init", init.name)  # the inference server calls it once
            self.fact.lifespan.append(fw.SCORING_INIT)  # start-up code: fills the state `run()` serves from
        self.fact.wrapped_body = wrapped_body(self.module, self.names)
        if any(isinstance(stmt, cst.ClassDef) for stmt in self.module.body):
            self.fact.wired_calls = False  # a module that defines a class provides it (a gym environment)
        self.fact.entry_points = sorted(self._entries.values(), key=lambda e: (e.span.line, e.span.col))
        return self.fact

    def _statement(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, cst.FunctionDef):
            self._function(stmt, stmt.name.value)
        elif isinstance(stmt, cst.ClassDef):
            self._class(stmt)
        elif isinstance(stmt, cst.If) and is_main_guard(stmt.test):
            self.fact.main_guard = True
            self._guard(stmt)
        else:
            if does_work(stmt, self.names):
                self.fact.inline_work = True
            if wired_call(stmt, self.names, self._argv):
                self.fact.wired_calls = True
            for call in _bare_calls(stmt, self.names):
                assert isinstance(call.func, cst.Name)
                target = absolute(self.module_name, call.func.value)
                self.fact.module_calls.append(CallFact(target, self.position(call), call.func.value))
                self.entry(call.func.value, "module-call", call)
            if isinstance(stmt, cst.SimpleStatementLine):
                for call in calls_in(stmt):
                    self._entry_call(call)

    def _web_objects(self) -> None:
        """``app = FastAPI()``, ``router = APIRouter()``, ``bp = Blueprint(...)`` at module level."""
        for stmt in self.module.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if not isinstance(small, cst.Assign | cst.AnnAssign) or not isinstance(small.value, cst.Call):
                    continue
                resolved = resolve_text(self.names, small.value.func)
                app = resolved in fw.WEB_APP_CONSTRUCTORS
                if not app and resolved not in fw.WEB_ROUTER_CONSTRUCTORS:
                    continue
                self.fact.web_app = self.fact.web_app or app
                targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                self._web.update(t.value for t in targets if isinstance(t, cst.Name))

    def _ui_app(self) -> None:
        """A Gradio app or Dash dashboard built at module level (``demo = gr.Interface(...)``, ``with
        gr.Blocks() as demo:``, ``app = dash.Dash(...)``) and launched (``demo.launch()``,
        ``app.run_server()``, at module level or under the main guard)."""
        calls = calls_in(self.module)
        built = any(resolve_text(self.names, c.func) in fw.UI_APP_CONSTRUCTORS for c in calls)
        launched = any(isinstance(c.func, cst.Attribute) and c.func.attr.value in fw.UI_APP_LAUNCH for c in calls)
        self.fact.ui_app = built and launched

    def _route(self, deco: cst.Decorator) -> bool:
        """``@app.post("/predict")``, ``@router.get(...)``, ``@bp.route(...)`` on a module-level app or router."""
        call = deco.decorator
        func = call.func if isinstance(call, cst.Call) else None
        return (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in self._web
            and func.attr.value in fw.ROUTE_ATTRIBUTES
        )

    def _function(self, node: cst.FunctionDef, qualname: str) -> None:
        if qualname == fw.LIFESPAN_KEYWORD:
            self.fact.lifespan.append(qualname)  # `async def lifespan(app)`: FastAPI/Starlette start-up
        params = [p.name.value for p in node.params.params]
        if "." not in qualname and tuple(params[:2]) == fw.LAMBDA_PARAMETERS:
            self.fact.lambda_handler = True
            self.entry(qualname, "lambda-handler", node.name)  # AWS Lambda calls it: the service's entry point
        if "." not in qualname and any(self._route(deco) for deco in node.decorators):
            self.fact.routes.append(qualname)
        for deco in node.decorators:
            found = decorator_role(deco, self.names)
            if found is None:
                continue
            role, name = found
            if role == fw.ENTRY:
                self.entry(qualname, f"decorator:{name}", node.name)
            elif role == fw.STAGE:
                self.fact.stages.append(qualname)
            else:
                self.fact.lifespan.append(qualname)

    def _class(self, node: cst.ClassDef) -> None:
        bases = {text for arg in node.bases if (text := dotted(arg.value))}
        lightning = any(b.endswith("LightningDataModule") for b in bases)
        served = self._served_model(node)
        for stmt in node.body.body:
            if not isinstance(stmt, cst.FunctionDef):
                continue
            qualname = f"{node.name.value}.{stmt.name.value}"
            self._function(stmt, qualname)
            if lightning and stmt.name.value in fw.LIGHTNING_HOOKS:
                self.entry(qualname, "lightning-hook", stmt.name)
            if served and stmt.name.value in fw.SERVED_MODEL_START_UP:
                self.entry(qualname, "served-model", stmt.name)

    def _served_model(self, node: cst.ClassDef) -> bool:
        """A Seldon Core model class: named like its module file (``IssueSummarization`` in
        ``IssueSummarization.py``, how the model server finds it) with a ``predict`` method."""
        stem = self.module_name.rpartition(".")[2]
        methods = {s.name.value for s in node.body.body if isinstance(s, cst.FunctionDef)}
        return bool(stem) and node.name.value == stem and bool(methods & fw.SERVED_MODEL_METHODS)

    def _guard(self, node: cst.If) -> None:
        for call in calls_in(node.body):
            if isinstance(call.func, cst.Name) and call.func.value in self.names.defs:
                self.entry(call.func.value, "main-guard", call)
            self._entry_call(call)

    def _entry_call(self, call: cst.Call) -> None:
        resolved = resolve_text(self.names, call.func)
        if resolved in fw.ENTRY_CALLS:
            for name in function_arguments(call):
                if name in self.names.defs:
                    self.entry(name, f"call:{resolved}", call)


def scan_module(module: cst.Module, names: ModuleNames, module_name: str, text: str = "") -> ScriptFact:
    """The per-file script facts of a parsed module, from its top-level statements only (spans are
    placeholders: use ``scan_context`` inside the engine)."""
    fact = _Scan(module, names, module_name, _Positions(None)).run()
    fact.shebang = text.startswith("#!")
    fact.notebook_export = is_notebook_export(text)
    return fact


def scan_context(ctx: FileContext) -> ScriptFact:
    """``scan_module`` for the file being analysed, with real spans."""
    fact = _Scan(ctx.wrapper.module, ctx.names, ctx.module, _Positions(ctx)).run()
    fact.shebang = ctx.text.startswith("#!")
    fact.notebook_export = is_notebook_export(ctx.text)
    return fact


def entry_point_names(fact: ScriptFact) -> frozenset[str]:
    """Qualnames of the file's entry points (``main``, ``Cli.run``)."""
    return frozenset(e.qualname for e in fact.entry_points)


def map_function_name(call: cst.Call) -> str | None:
    """The function a ``Dataset.map(fn, batched=True)``-style call receives, if it names one."""
    func = call.func
    keyword = fw.MAP_METHODS.get(func.attr.value) if isinstance(func, cst.Attribute) else None
    if keyword is None:
        return None
    for i, arg in enumerate(call.args):
        first = arg.keyword is None and i == 0 and not arg.star
        if first or (arg.keyword is not None and arg.keyword.value == keyword):
            value = arg.value
            return dotted(value) if isinstance(value, cst.Name | cst.Attribute) else None
    return None


def console_scripts(text: str) -> list[str]:
    """``"train = pkg.cli:main"`` in a packaging file's string -> ``pkg.cli.main``."""
    found = _CONSOLE_SCRIPT.match(text)
    return [f"{found.group(1)}.{found.group(2)}"] if found else []


def is_bdd_file(path: str, packages: frozenset[str]) -> bool:
    """A behave/pytest-bdd step or hook file (test code in a ``features/`` folder), for file rules."""
    in_features = "features" in path.split("/")
    named = any(fnmatchcase(path, p) or fnmatchcase(path, f"*/{p}") for p in fw.BDD_FILES)
    return (in_features and named) or bool(packages & fw.BDD_PACKAGES)


def lifespan_root(qualname: str, lifespan: Iterable[str]) -> bool:
    """A function (or a function nested in one) that is FastAPI start-up code or a dependency provider."""
    return qualname.partition(".")[0] in set(lifespan)
