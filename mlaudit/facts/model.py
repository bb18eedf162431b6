"""Plain, picklable, JSON-able per-file facts for whole-project analyses.

No CST node ever leaves a worker: extractors turn what they see into these records, the cache stores
them, and the project analyses (``mlaudit.project``) are pure functions over them.

All spans are in *virtual module* coordinates: 1-based lines and 1-based columns of the parsed text
(for a notebook, its code cells concatenated). The engine converts them to ``(cell, row)`` once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlaudit.facts.span import Span as Span  # defined apart (the engine's warm path needs only it)


@dataclass(slots=True)
class ImportFact:
    """One imported module reference. ``import a.b`` gives target ``a.b``; ``from p import x, y`` gives
    target ``p`` with names ``(x, y)``; relative imports are already resolved against the importer."""

    target: str
    names: tuple[str, ...]
    span: Span
    type_checking: bool = False
    in_function: bool = False
    """Inside a function or under ``if __name__ == "__main__":`` (runs after the module is initialised)."""
    snippet: str = ""


@dataclass(slots=True)
class IoSiteFact:
    """A direct I/O call: ``api`` is the canonical name (``pandas.read_csv``, ``DataFrame.to_csv``)."""

    api: str
    kind: str
    span: Span
    snippet: str = ""


@dataclass(slots=True)
class CallFact:
    """A call whose target may be a first-party function, resolved to an absolute dotted name."""

    target: str
    span: Span
    snippet: str = ""


@dataclass(slots=True)
class FunctionFact:
    qualname: str
    span: Span
    is_transform: bool = False
    io_sites: list[IoSiteFact] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)


@dataclass(slots=True)
class MutationFact:
    """A mutation, inside a function, of a name bound outside it.

    ``binding`` is ``global`` (a module-level name of this module) or ``import`` (``source`` is then the
    absolute dotted origin, e.g. ``pkg.state.CACHE``)."""

    name: str
    binding: str
    source: str
    function: str
    span: Span
    snippet: str = ""
    operation: str = ""
    """What the mutation does (``method:append``, ``setitem``, ...): see ``mlaudit.facts.state``."""
    memo: bool = False
    """A memo-cache store: ``CACHE[key] = value`` where ``key`` is known absent (``mlaudit.facts.memo``)."""
    registration: bool = False
    """A registry fill: ``REGISTRY[cls.NAME] = cls`` (``mlaudit.facts.registry``)."""


@dataclass(slots=True)
class HyperparamFact:
    name: str
    value: str
    span: Span
    context: str = "keyword"
    snippet: str = ""
    exempt: bool = False
    """True in config modules/models, tests or parameter defaults: drift still sees it, MLA301 does not."""
    target: str = ""
    """The knob's owner: the callee's (or defining function's) last name component (``LogisticRegression``,
    ``fit``); empty for module constants and config fields, which configure the name wherever it is used."""
    group: str = ""
    """The call or dict the value is written in (``"line:col"`` of it): one call's literals are one cause."""
    scope: str = ""
    """Qualname of the enclosing function (empty at module level)."""
    top: bool = False
    """A module-level constant before the file's first function or class (a script's settings block)."""
    quiet: str = ""
    """Why MLA301 leaves it alone although it is hardcoded (drift still compares it): ``main-guard`` (a
    value set under ``if __name__ == "__main__":``), ``preset`` (a named model configuration such as ``def
    vit_base(**kw): return ViT(num_heads=12, **kw)``), ``architecture`` (a layer size or dropout inside a
    model definition), ``notebook-export`` (a notebook saved as ``.py``)."""


@dataclass(slots=True)
class EnvReadFact:
    """A read of one environment variable (MLA302): ``os.environ["X"]``, ``os.environ.get("X")``,
    ``os.getenv("X")``. Writes (``os.environ["X"] = v``, ``setdefault``, ``putenv``) are not recorded.

    ``variable`` is empty when the name is not a literal (``os.environ[key]``). ``scope`` is ``function``
    (inside a function body, ``function`` is its qualname), ``main`` (under ``if __name__ == "__main__":``)
    or ``module`` (import-time code, class bodies included); ``top`` marks module-level reads that come
    before the module's first function or class definition (the settings block at the top of a file)."""

    variable: str
    span: Span
    scope: str = "module"
    function: str = ""
    top: bool = False
    api: str = ""
    snippet: str = ""
    fallback: bool = False
    """The read supplies the default of a parameter the caller did not give (``x = x or os.getenv("X")``,
    ``if x is None: x = ...``, ``add_argument(..., default=os.getenv("X"))``): see ``mlaudit.facts.fallbacks``."""
    in_loop: bool = False
    """The read sits in a ``for``/``while`` body of its function: it runs again on every iteration."""
    forwarded: bool = False
    """The function's own decorator forwards this variable to where it runs (Metaflow's
    ``@environment(vars={"X": ...})`` on a step run on Batch): the step reads what its decorator set."""


@dataclass(slots=True)
class CloneStmt:
    """One statement normalised for clone detection: ``digest`` ignores identifier names and literal
    values; ``literals`` keeps the values in order (for MLA502)."""

    digest: str
    literals: tuple[str, ...]
    span: Span
    data: bool = False
    literal_spans: tuple[Span, ...] = ()
    """Where each of ``literals`` is (same order; empty when positions were not recorded)."""
    quiet_literals: tuple[int, ...] = ()
    """Indices of ``literals`` that are shapes, axes or display settings (not a possible skew)."""
    kind: str = ""
    """What the statement does to data (``data``, ``weak``, ``other``, ``const`` or empty): see
    ``mlaudit.facts.data_code``."""


@dataclass(slots=True)
class CloneBlock:
    """A statement sequence (a module body, a function body, a notebook cell, ...)."""

    statements: list[CloneStmt] = field(default_factory=list)
    cell: int | None = None
    continues: bool = False
    """The block continues the file's previous block (a notebook's module-level code in the next code
    cell): a clone may run on from one into the other."""


@dataclass(slots=True)
class ComplexityFact:
    name: str
    kind: str
    span: Span
    complexity: int = 0
    length: int = 0


@dataclass(slots=True)
class InputMutationFact:
    """The first in-place change of a transform's parameter (MLA203): ``what`` shows it (``df[...] = ...``,
    ``fillna(..., inplace=True)``)."""

    function: str
    param: str
    what: str
    span: Span
    snippet: str = ""
    inplace: bool = False
    tensor: bool = False
    position: int = -1
    """Where a call passes ``param`` positionally (0 = first argument after a method's receiver); -1 when
    keyword-only."""


@dataclass(slots=True)
class CallSiteFact:
    """A call of a possibly first-party function (``target``, resolved like ``CallFact``), or a reference to
    one passed on as a value (``opaque``: the function is called elsewhere, with arguments nobody here sees).
    ``safe`` names the arguments, by position (``"0"``) or keyword, whose in-place change cannot reach the
    caller: a fresh value (``pd.read_csv(...)``, ``df.copy()``, a constructor) or a name the call's result
    rebinds (``df = clean(df)``). See ``mlaudit.facts.call_sites``."""

    target: str
    span: Span
    safe: list[str] = field(default_factory=list)
    opaque: bool = False


@dataclass(slots=True)
class EntryPointFact:
    """A function of this file that is an entry point (rules.md, "Entry points"): ``reason`` is one of
    ``main-guard`` (called from ``if __name__ == "__main__":``), ``decorator:<name>`` (a command, flow,
    pipeline or DAG decorator), ``call:<name>`` (``fire.Fire(fn)``, ``typer.run(fn)``), ``main`` (a
    module-level ``main``), ``module-call`` (called bare at module level, ``main()`` without a guard),
    ``lightning-hook`` (a ``LightningDataModule`` data hook), ``lambda-handler`` (a module-level
    ``def handler(event, context)``: AWS Lambda calls it), ``served-model`` (``__init__``/``load`` of a
    Seldon Core model class, named like its module, which the model server builds once), ``scoring-init``
    (the ``init()`` of an Azure ML scoring script, which the inference server calls once)."""

    qualname: str
    reason: str
    span: Span


@dataclass(slots=True)
class ScriptFact:
    """What one file says about how it is run (rules.md, "Scripts", "Entry points", "Frameworks").

    Per-file facts only: whether a file is a *script* also depends on whether a first-party module imports
    it, which ``mlaudit.project.scripts`` decides over the whole project."""

    main_guard: bool = False
    shebang: bool = False
    notebook_export: bool = False
    """A notebook saved as ``.py`` (``# %%`` cells, jupytext, a Databricks source): run top to bottom."""
    lambda_handler: bool = False
    """The file defines an AWS Lambda handler (``def handler(event, context)``): its module-level code is the
    Lambda init phase, run once per container on purpose."""
    scoring_script: bool = False
    """An Azure ML scoring script (``def init():`` and ``def run(data)`` at module level): the inference
    server calls ``init()`` once at start-up, then ``run()`` per request or mini-batch."""
    inline_work: bool = False
    """Module-level work beyond definitions, constants and process set-up (loops, ``with`` blocks, calls
    such as ``model.fit(...)``/``plt.show()``), not counting bare calls of the file's own functions."""
    module_calls: list[CallFact] = field(default_factory=list)
    """Bare module-level calls of the file's own functions (``main()`` at the bottom, no guard)."""
    wired_calls: bool = False
    """Module-level calls of the file's own functions wired to module-level state: the result bound to a
    name (``sub = DO(frm, to, 0)``) or command-line values read at module level passed in
    (``corr(first_file, second_file)`` after ``first_file = sys.argv[1]``):
    the module level is the script's body and the functions are helpers called among it. Never set in a
    file that defines a class (it provides the class: a gym environment building its data at import)."""
    wrapped_body: bool = False
    """The whole script is one function called from the main guard, its body starting with the imports
    (a notebook or tutorial indented under ``def main():``): that function is the script's module level."""
    entry_points: list[EntryPointFact] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    """Qualnames of this file's framework stages (ZenML ``@step``, Prefect ``@task``, ...): their inputs
    arrive as fresh copies."""
    stage_refs: list[str] = field(default_factory=list)
    """Absolute names of functions this file registers as stages (``kedro.pipeline.node(fn, ...)``)."""
    map_functions: list[str] = field(default_factory=list)
    """Absolute names of functions this file passes to Hugging Face ``Dataset.map`` and friends."""
    lifespan: list[str] = field(default_factory=list)
    """Qualnames of FastAPI lifespan/start-up functions and dependency providers of this file, and the
    ``init()`` of an Azure ML scoring script (start-up code that fills the state its ``run()`` serves from)."""
    web_app: bool = False
    """The file binds a web application at module level (``app = FastAPI()``, ``app = Flask(__name__)``)."""
    routes: list[str] = field(default_factory=list)
    """Qualnames of the route handlers of a module-level app or router of this file (``@app.post(...)``)."""
    ui_app: bool = False
    """The file builds a Gradio app (or a Dash dashboard) at module level and launches it (``with gr.Blocks() as demo:`` ...
    ``demo.launch()``)."""
    console_scripts: list[str] = field(default_factory=list)
    """Entry-point targets this file declares (``setup.py``'s ``"name = pkg.mod:func"``), as ``pkg.mod.func``."""
    import_time_io: list[IoSiteFact] = field(default_factory=list)
    """I/O calls that run when the module is imported (module level, outside the main guard)."""
    import_time_calls: list[CallFact] = field(default_factory=list)
    """Calls that run on import and may go to a first-party function (``load_data()``, ``main()``)."""


@dataclass(slots=True)
class DatetimeParseFact:
    """One site that parses a named column to datetimes (MLA701): ``pd.to_datetime(df["col"], utc=True)``,
    ``df["col"].astype("datetime64[ns]")``, ``read_csv(..., parse_dates=["col"])``.

    ``handling`` is the normalised timezone treatment (``utc=True``, ``format='%Y-%m-%d'``,
    ``tz_localize('UTC')``, ...), empty for a plain parse; ``unknown`` is True when the call passes
    options mlaudit cannot read (``**kwargs``, ``utc=flag``): such a site is never compared."""

    column: str
    api: str
    handling: tuple[str, ...]
    span: Span
    snippet: str = ""
    unknown: bool = False
    function: str = ""
    """The enclosing function's qualname (a later ``.dt.tz_localize`` of the column there adjusts it)."""
    adjusts: bool = False
    """A ``df["col"].dt.tz_localize(...)``/``tz_convert(...)`` of an already parsed column, not a parse."""


@dataclass(slots=True)
class RandomSiteFact:
    """A call whose result depends on a random state it was not given (MLA704): ``api`` is the table name
    (``sklearn.model_selection.train_test_split``), ``family`` the global generator that seeds it when
    nothing is passed (``numpy``, ``torch``), ``function`` the enclosing function's qualname."""

    api: str
    family: str
    span: Span
    function: str = ""
    snippet: str = ""
    kind: str = "call"
    """``call`` (an unseeded call) or ``loop`` (a training step: ``loss.backward()``)."""


@dataclass(slots=True)
class FileFacts:
    module: str
    path: str
    roles: tuple[str, ...] = ()
    is_package: bool = False
    is_notebook: bool = False
    mirror: bool = False
    """A ``.py`` export of the notebook beside it (``mlaudit.project.programs.is_mirror``)."""
    standalone: bool = False
    """The file declares its own dependencies (PEP 723 ``# /// script``): a program of its own."""
    program: str = ""
    """The program folder the file belongs to (``""``: the project root's; see ``mlaudit.project.programs``)."""
    imports: list[ImportFact] = field(default_factory=list)
    functions: list[FunctionFact] = field(default_factory=list)
    top_level_names: list[str] = field(default_factory=list)
    exports: dict[str, str] = field(default_factory=dict)
    """Names an ``__init__`` (or any module) re-exports: local name -> absolute dotted origin."""
    mutable_globals: list[str] = field(default_factory=list)
    mutable_kinds: dict[str, str] = field(default_factory=dict)
    """Kind of each mutable global (``list``, ``dict``, ``set``, ``deque``, ``frame``, ``array``)."""
    mutations: list[MutationFact] = field(default_factory=list)
    hyperparams: list[HyperparamFact] = field(default_factory=list)
    env_reads: list[EnvReadFact] = field(default_factory=list)
    env_writes: list[str] = field(default_factory=list)
    """Environment variables the file itself sets, by literal name (``os.environ["X"] = v``,
    ``os.environ.update(X=...)``, an environment copy's ``env.update(X="1")`` or ``env["X"] = v``, an
    ``env={"X": ...}`` argument): a flag the project passes to itself or its child processes (MLA302)."""
    clone_blocks: list[CloneBlock] = field(default_factory=list)
    complexity: list[ComplexityFact] = field(default_factory=list)
    maintainability: float | None = None
    script: ScriptFact | None = None
    """How the file is run (the ``scripts`` extractor); None when no enabled rule needs it."""
    input_mutations: list[InputMutationFact] = field(default_factory=list)
    call_sites: list[CallSiteFact] = field(default_factory=list)
    """Calls of possibly first-party functions and their safe arguments (MLA203), see ``CallSiteFact``."""
    datetime_parses: list[DatetimeParseFact] = field(default_factory=list)
    random_sites: list[RandomSiteFact] = field(default_factory=list)
    seeds: list[str] = field(default_factory=list)
    """Global generators this file seeds somewhere (``numpy``, ``torch``, ``random``; ``all`` for a
    ``set_seed``/``seed_everything``-style helper), sorted, unique."""
    is_entry: bool = False
    """The file runs as a program: a main guard, or a pure script (module-level work)."""
    data_origin: str = ""
    """Where the file's data come from (MLA704, ``mlaudit.facts.data_origin``): ``read`` (it reads data or
    may), ``synthetic`` (it only builds tensors from literals or random factories), ``""`` (unknown)."""
    extra: dict[str, object] = field(default_factory=dict)
    """Room for third-party fact extractors (must stay JSON-able)."""
