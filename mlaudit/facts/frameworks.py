"""THE table of framework facts: where a common framework changes what code means (rules.md, "Frameworks").

Like ``ml_apis`` (the API table), rules read this table and keep no list of their own. Names are the
qualified names decorators and calls resolve to through the module's imports (``from zenml import step``
then ``@step`` -> ``zenml.step``).

Roles:

* ``ENTRY``: the decorated function is an **entry point**, an orchestrator: a CLI command (click, typer,
  fire, absl), a Hydra main, a Prefect flow, an Airflow DAG, a ZenML/Kubeflow pipeline, a Dagster job.
  Reading inputs and writing outputs is its job: no transform rule applies to it.
* ``STAGE``: the decorated function is a **pipeline stage** (ZenML step, Prefect task, Airflow task,
  Kubeflow component, Dagster op/asset, Metaflow step): the framework hands it its inputs as fresh copies
  (materialised/serialised between stages), so changing an input in place cannot leak to a caller.
  A stage is still a unit of work: its own I/O is its job (a step that loads data is a loader step).
* ``LIFESPAN``: FastAPI start-up/shutdown code (``FastAPI(lifespan=fn)``, ``@app.on_event("startup")``):
  the state it fills is the application's state, set once, not module state mutated by a function.

Framework behaviour that is keyed on calls rather than decorators:

* ``ENTRY_CALLS``: ``fire.Fire(fn)``, ``typer.run(fn)``, ``absl.app.run(fn)`` make ``fn`` an entry point;
* ``STAGE_CALLS``: ``kedro.pipeline.node(fn, inputs, outputs)`` makes ``fn`` a stage (Kedro's
  ``MemoryDataset`` copies data between nodes; other datasets are loaded fresh from the catalogue);
* ``MAP_METHODS``: a function passed to Hugging Face ``Dataset.map`` (``with_transform``/``set_transform``)
  receives a batch built for that call and **returns the batch it edits**: mutating it is the idiom;
* ``COMMAND_ATTRIBUTES``: ``@app.command()`` / ``@cli.command()`` / ``@cli.group()`` on a typer or
  click object of unknown type (``app = typer.Typer()``) in a file that imports typer or click.
* ``LIGHTNING_HOOKS``: ``LightningDataModule.prepare_data``/``setup`` and the ``*_dataloader`` hooks do
  the data module's I/O by contract (Lightning calls them); they are entry points of the data module.
"""

from __future__ import annotations

ENTRY = "entry"
STAGE = "stage"
LIFESPAN = "lifespan"

DECORATORS: dict[str, str] = {
    # command-line entry points
    "click.command": ENTRY,
    "click.group": ENTRY,
    "click.decorators.command": ENTRY,
    "click.decorators.group": ENTRY,
    "hydra.main": ENTRY,
    # Prefect
    "prefect.flow": ENTRY,
    "prefect.flows.flow": ENTRY,
    "prefect.task": STAGE,
    "prefect.tasks.task": STAGE,
    # ZenML
    "zenml.pipeline": ENTRY,
    "zenml.pipelines.pipeline": ENTRY,
    "zenml.step": STAGE,
    "zenml.steps.step": STAGE,
    # Airflow (TaskFlow API)
    "airflow.dag": ENTRY,
    "airflow.decorators.dag": ENTRY,
    "airflow.models.dag.dag": ENTRY,
    "airflow.sdk.dag": ENTRY,
    "airflow.decorators.task": STAGE,
    "airflow.sdk.task": STAGE,
    # Kubeflow pipelines
    "kfp.dsl.pipeline": ENTRY,
    "kfp.dsl.component": STAGE,
    "kfp.components.create_component_from_func": STAGE,
    # Dagster
    "dagster.job": ENTRY,
    "dagster.op": STAGE,
    "dagster.asset": STAGE,
    # Metaflow (methods of a FlowSpec)
    "metaflow.step": STAGE,
    # Modal
    "modal.App.local_entrypoint": ENTRY,
    # More stage decorators: Airflow's TaskFlow variants, Dagster's multi-assets, Flyte tasks/workflows
    "airflow.decorators.task.virtualenv": STAGE,
    "airflow.decorators.task.docker": STAGE,
    "airflow.decorators.task.kubernetes": STAGE,
    "airflow.decorators.task.external_python": STAGE,
    "airflow.decorators.task.branch": STAGE,
    "airflow.sdk.task.virtualenv": STAGE,
    "dagster.multi_asset": STAGE,
    "dagster.graph_asset": STAGE,
    "dagster.graph": ENTRY,
    "flytekit.task": STAGE,
    "flytekit.workflow": ENTRY,
    "flytekit.dynamic": STAGE,
}

# Stage decorators of orchestrators that version what a stage produces by run: a Metaflow `@step` (its
# artifacts are stored per run, with the run's code package and parameters) and a ZenML `@step` (outputs are
# versioned artifacts of the pipeline run). A model saved inside such a stage is traced to the run that made
# it (MLA703). Not Prefect tasks, Airflow tasks, Dagster ops or Kubeflow components: they run code but do not
# by themselves record the files a stage writes.
RUN_VERSIONED_STAGES = frozenset({"metaflow.step", "zenml.step", "zenml.steps.step"})

# Decorators that set environment variables where the decorated stage runs, and the keyword holding them:
# Metaflow's `@environment(vars={"DATA_PATH": os.getenv("DATA_PATH")})` forwards the launcher's settings to
# a step run on AWS Batch or Kubernetes, where the step reads them back from the environment (MLA302).
ENV_FORWARDING_DECORATORS: dict[str, str] = {"metaflow.environment": "vars"}

# Decorator attributes that make an entry point on an object of unknown type (`app = typer.Typer()`,
# `@app.command()`), in a file importing one of COMMAND_PACKAGES.
COMMAND_ATTRIBUTES = frozenset({"command", "group", "callback", "local_entrypoint"})
COMMAND_PACKAGES = frozenset({"typer", "click", "modal"})

# Calls whose first argument (or every function in a dict/list argument) is an entry point.
ENTRY_CALLS = frozenset(
    {
        "fire.Fire",
        "typer.run",
        "absl.app.run",
        "tensorflow.compat.v1.app.run",
        "tensorflow.app.run",
        "jsonargparse.CLI",
        "jsonargparse.auto_cli",
    }
)

# Calls whose first argument (or `func=`) is a pipeline stage.
STAGE_CALLS: dict[str, str] = {
    "kedro.pipeline.node": "func",
    "kedro.pipeline.node.node": "func",
    "kedro.pipeline.modular_pipeline.node": "func",
    "kedro.pipeline.Node": "func",
    "kedro.pipeline.node.Node": "func",
}

# Methods that take a function returning the batch it edits (Hugging Face datasets).
MAP_METHODS: dict[str, str] = {"map": "function", "with_transform": "transform", "set_transform": "transform"}

# FastAPI: `FastAPI(lifespan=fn)` and `@app.on_event("startup")`.
LIFESPAN_KEYWORD = "lifespan"
LIFESPAN_DECORATOR_ATTRIBUTES = frozenset({"on_event"})
APP_CONSTRUCTORS = frozenset({"fastapi.FastAPI", "starlette.applications.Starlette"})
DEPENDS = frozenset({"fastapi.Depends", "fastapi.params.Depends", "fastapi.Security"})

# Web services: an application object bound at module level (`app = FastAPI()`, `app = Flask(__name__)`)
# and its route handlers (`@app.post("/models")`, `@router.get(...)`, `@bp.route(...)`). A module that binds
# an application and routes is a single-file service: its module state is the service's state, its
# module-level start-up (loading the model it serves) runs once per worker on purpose.
WEB_APP_CONSTRUCTORS = frozenset(
    {
        "fastapi.FastAPI",
        "fastapi.applications.FastAPI",
        "flask.Flask",
        "flask.app.Flask",
        "starlette.applications.Starlette",
        "quart.Quart",
        "sanic.Sanic",
        # Plotly Dash: `app = dash.Dash(__name__)` with `@app.callback(...)` handlers, served like Flask
        "dash.Dash",
        "dash.dash.Dash",
    }
)
WEB_ROUTER_CONSTRUCTORS = frozenset(
    {
        "fastapi.APIRouter",
        "fastapi.routing.APIRouter",
        "flask.Blueprint",
        "flask.blueprints.Blueprint",
        "quart.Blueprint",
    }
)
# Demo apps: a module that builds a Gradio interface at module level and launches it (`with gr.Blocks() as
# demo:` ... `demo.launch()`) is an app like a single-file service: the model it serves is loaded once, at
# start-up, before the UI takes requests. So is a Plotly Dash dashboard (`app = dash.Dash(...)` ...
# `app.run_server()`), whose module level loads the data it displays.
UI_APP_CONSTRUCTORS = frozenset(
    {"gradio.Interface", "gradio.Blocks", "gradio.ChatInterface", "gradio.TabbedInterface", "dash.Dash", "dash.dash.Dash"}
)
UI_APP_LAUNCH = frozenset({"launch", "run_server", "run"})
"""Methods that start a UI app (``demo.launch()``, Dash's ``app.run_server()``/``app.run()``)."""
ROUTE_ATTRIBUTES = frozenset(
    {"get", "post", "put", "delete", "patch", "head", "options", "route", "api_route", "websocket", "callback"}
)
"""Decorator attributes of a module-level app or router that make a request handler (``@app.post``,
``@bp.route``; Dash's ``@app.callback``)."""

# Packages whose presence makes a script a long-running process that calls its functions many times
# (orchestrated flows and tasks, web services, task queues): module state there outlives one call.
LONG_RUNNING_PACKAGES = frozenset(
    {
        "prefect",
        "airflow",
        "zenml",
        "dagster",
        "kfp",
        "metaflow",
        "kedro",
        "flask",
        "fastapi",
        "starlette",
        "quart",
        "sanic",
        "aiohttp",
        "tornado",
        "django",
        "celery",
        "bentoml",
        "gradio",
    }
)

# Lightning data-module hooks whose job is I/O (Lightning calls them); not transforms.
LIGHTNING_HOOKS = frozenset(
    {"prepare_data", "setup", "train_dataloader", "val_dataloader", "test_dataloader", "predict_dataloader"}
)
LIGHTNING_BASES = frozenset({"LightningDataModule", "pl.LightningDataModule", "L.LightningDataModule"})

# Files that a tool runs rather than imports, by the name the tool looks for (setuptools, nox, Fabric,
# doit, a locust load test, a gunicorn configuration, Alembic's migration environment, Sphinx, cookiecutter
# hooks): MLA103 is quiet (its `tool-scripts` default), and so are MLA101 and MLA303. Not `tasks.py`: invoke
# runs one, but Celery workers import theirs.
TOOL_RUN_FILES = (
    "setup.py",
    "noxfile.py",
    "fabfile.py",
    "dodo.py",
    "locustfile.py",
    "locustfile_*.py",
    "gunicorn.conf.py",
    "gunicorn_conf.py",
    "gunicorn_config.py",
    "alembic/env.py",
    "migrations/env.py",
    "docs/conf.py",
    "doc/conf.py",
    "hooks/*.py",
)
# More files run by a tool: Sphinx configuration below a docs folder (`docs/source/conf.py`).
TOOL_RUN_CONFIGS = ("docs/*/conf.py", "doc/*/conf.py")
# Folders whose files are scripts by location (rules.md, "Scripts").
SCRIPT_FOLDERS = frozenset({"scripts", "script", "tools", "bin", "hooks"})
# Module-level calls that configure the process rather than do the script's work: a file whose only
# module-level calls are these is a library module, not a script.
DECLARATIVE_CALLS = (
    "warnings.*",
    "logging.*",
    "sys.path.*",
    "matplotlib.use",
    "dotenv.load_dotenv",
    "os.environ.setdefault",
    "os.environ.update",
    "*.setLevel",
    "*.addHandler",
    "*.include_router",
    "*.add_middleware",
    "*.mount",
    "*.add_api_route",
    "*.register_blueprint",
    "*.register",
    "*.add_typer",
    "*.add_command",
    "*.set_defaults",
    "*.add_argument",
    "*.add_argument_group",
    "*.add_url_rule",
    "*.update",
    "*.append",
    "*.extend",
    "*.setdefault",
    "torch.set_*",
    "torch.backends.*",
    "torch.manual_seed",
    "numpy.random.seed",
    "random.seed",
    "pandas.set_option",
    "numpy.set_printoptions",
    "tensorflow.config.*",
    "tf.config.*",
    "__all__.*",
    "mlflow.set_*",
    "mlflow.autolog",
    "*.autolog",
)


# Behaviour-driven test suites (behave's `features/steps/*.py` and `features/environment.py` hooks): test
# code, although `features/` is the features layer's folder name.
BDD_PACKAGES = frozenset({"behave", "pytest_bdd"})
BDD_FILES = ("features/environment.py", "features/steps/*.py")

# AWS Lambda: a module defining `handler(event, context)` initialises at import on purpose (the init
# phase runs once per container and is reused across invocations, as AWS recommends); the handler itself
# is an entry point of the service (Lambda calls it), like a command.
LAMBDA_PARAMETERS = ("event", "context")

# Seldon Core's Python model server (`seldon-core-microservice <Name>`): it imports the module `<Name>.py`,
# builds the class of the same name once and calls its `load` (if any) before serving `predict`. That
# class's constructor and `load` are the service's start-up, its entry points (they read its settings once).
SERVED_MODEL_METHODS = frozenset({"predict", "predict_raw"})
SERVED_MODEL_START_UP = ("__init__", "load")

# Azure ML scoring scripts (online and batch endpoints, parallel-run jobs): the inference server imports the
# module, calls its module-level `init()` (no parameters) once, then `run(data)` per request or mini-batch.
# `init()` is the service's start-up, its entry point: it reads its settings once and hands the loaded model
# to `run()` through module globals (the documented pattern: neither signature can carry state).
SCORING_INIT = "init"
SCORING_RUN = "run"

# Modules that compute a package's version at import (`__version__ = open(VERSION).read()`).
VERSION_FILES = ("_version.py", "version.py", "__version__.py", "__about__.py")


DEFINITION_DECORATORS = frozenset(
    {"airflow.dag", "airflow.decorators.dag", "airflow.models.dag.dag", "airflow.sdk.dag", "kfp.dsl.pipeline"}
)
"""Decorators whose function, when called, only *builds* a definition: calling an Airflow TaskFlow ``@dag``
function at module level registers the DAG with the scheduler (no task runs at import); calling a Kubeflow
``@dsl.pipeline`` function builds the pipeline spec. The call is how the framework wants it written."""


def decorator_role(qualified: str | None) -> str | None:
    """``ENTRY``/``STAGE`` for a resolved decorator name, else None."""
    if not qualified:
        return None
    return DECORATORS.get(qualified)
