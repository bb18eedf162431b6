"""Global-state family on real ML code (issue 11, independent review): lazily initialised caches, files run
by tools, notebooks saved as ``.py``, scripts, web services and one finding per cause."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.test_state import audit, hits

NB_EXPORT = """
# coding: utf-8

# # Chapter 8
# ## Obtaining the dataset

# In[1]:


import time

# In[2]:


def reporthook(count):
    global start_time
    start_time = time.time()
"""


# --- MLA101 ----------------------------------------------------------------------------------------------


def test_lazy_initialisation_is_quiet(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/config.py": """
                _config = None
                _model = None
                _cache = {}

                def get_config():
                    global _config
                    if _config is None:
                        _config = load()
                    return _config

                def get_model():
                    global _model
                    if _model is not None:
                        return _model
                    with open("m.pkl", "rb") as fh:
                        _model = pickle.load(fh)
                    return _model

                def get_cache():
                    global _cache
                    if not _cache:
                        _cache = build()
                    return _cache
            """
        },
        select=("MLA101",),
    )
    assert found == []


@pytest.mark.parametrize(
    "body",
    [
        "if _model is None:\n        _model = load()\n    else:\n        _model = reload()",  # else rebinds it
        "if _model is None or force:\n        _model = load()",  # refreshed on demand: state
        "_model = _model or load()",  # not guarded by a test
        "if _model is None:\n        _model = load()\n    _model = tune(_model)",  # changed after the fill
        "if _model is None:\n        _model = 0\n    _model += 1",  # a counter
    ],
)
def test_globals_that_are_not_only_lazily_filled_are_reported(tmp_path: Path, body: str) -> None:
    src = f"_model = None\n\n\ndef get_model(force=False):\n    global _model\n    {body}\n    return _model\n"
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(src, encoding="utf-8")
    assert hits(audit(tmp_path, {}, select=("MLA101",)), "MLA101") == [("pkg/model.py", 5, "MLA101")]


def test_files_run_by_tools_and_notebook_exports_are_quiet(tmp_path: Path) -> None:
    global_in_function = """
        _rev = None

        def resolve(info):
            global _rev
            _rev = compute(info)
            return _rev
    """
    found = audit(
        tmp_path,
        {
            "docs/conf.py": global_in_function,
            "doc/source/conf.py": global_in_function,
            "setup.py": global_in_function,
            "noxfile.py": global_in_function,
            "ch08/ch08.py": NB_EXPORT,
            "pkg/linkcode.py": global_in_function,  # a module of the package: reported
        },
        select=("MLA101",),
    )
    assert hits(found, "MLA101") == [("pkg/linkcode.py", 4, "MLA101")]


def test_a_pure_training_script_still_reports_its_global(tmp_path: Path) -> None:
    """A research ``main.py`` (no guard, inline loop) keeps MLA101: ``global best_acc`` is the classic smell."""
    found = audit(
        tmp_path,
        {
            "main.py": """
                best_acc = 0

                def test(epoch, acc):
                    global best_acc
                    if acc > best_acc:
                        best_acc = acc

                for epoch in range(10):
                    test(epoch, 0.5)
            """
        },
        select=("MLA101",),
    )
    assert hits(found, "MLA101") == [("main.py", 4, "MLA101")]


def test_one_finding_per_function_and_library_callbacks_are_quiet(tmp_path: Path) -> None:
    """Two ``global`` statements of one function are one finding; a callback the script's run hands to a
    library (``InputStream(callback=f)``, ``FuncAnimation(fig, f)``) is quiet, a plain function is not."""
    found = audit(
        tmp_path,
        {
            "demo.py": """
                import sounddevice
                from matplotlib.animation import FuncAnimation

                PREV = None
                SPEC = []

                def audio_callback(indata, frames, time, status):
                    global PREV
                    global SPEC
                    PREV, SPEC = indata, SPEC[1:]

                def reset():
                    global PREV
                    global SPEC
                    PREV, SPEC = None, []

                if __name__ == "__main__":
                    stream = sounddevice.InputStream(callback=audio_callback)
                    animation = FuncAnimation(None, reset)
                    sorted([1], key=reset)
            """,
            "lib.py": """
                PREV = None
                SPEC = []

                def reset():
                    global PREV
                    global SPEC
                    PREV, SPEC = None, []

                for _ in map(reset, []):
                    pass
            """,
        },
        select=("MLA101",),
    )
    assert hits(found, "MLA101") == [("lib.py", 5, "MLA101")]
    (finding,) = found
    assert finding.message.startswith("2 `global` statements (PREV, SPEC) in `reset`")
    assert [r.location.row for r in finding.related] == [6]


def test_a_saved_artifact_loaded_back_by_the_same_script_is_quiet(tmp_path: Path) -> None:
    """MLA703: a save/load round trip in a file that runs itself is a tutorial; a save nothing loads is not."""
    source = """
        import torch

        def save(net):
            torch.save(net, "net.pkl")

        def export(net):
            torch.save(net, "release/net.pt")

        def restore():
            return torch.load("net.pkl")

        save(torch.nn.Linear(1, 1))
        restore()
    """
    found = audit(tmp_path, {"tutorial.py": source}, select=("MLA703",))
    assert hits(found, "MLA703") == [("tutorial.py", 7, "MLA703")]
    library = source.replace("save(torch.nn.Linear(1, 1))\n        restore()\n", "")
    found = audit(tmp_path / "lib", {"tutorial.py": library}, select=("MLA703",))
    assert [f.location.row for f in found] == [4, 7]


def test_import_time_work_is_one_finding_naming_the_model_load_first(tmp_path: Path) -> None:
    """MLA103: a demo with a main guard that creates a folder, downloads a model and loads it at module
    level is one finding at the first site, naming the load (through ``src.predictor`` imported as a
    package while ``src/`` is the source root) before the download; the ``mkdir`` is no I/O worth it."""
    found = audit(
        tmp_path,
        {
            "src/__init__.py": "",
            "src/predictor.py": """
                from argus import load_model

                class Predictor:
                    def __init__(self, model_path, device="cuda"):
                        self.model = load_model(model_path, device=device)
            """,
            "demo.py": """
                from pathlib import Path

                import gdown

                from src.predictor import Predictor

                model_path = Path("experiments/model.pth")
                if not model_path.exists():
                    model_path.parent.mkdir(parents=True, exist_ok=True)
                    gdown.download("https://drive.google.com/uc?id=1", str(model_path), quiet=False)

                PREDICTOR = Predictor(model_path, device="cpu")

                if __name__ == "__main__":
                    print(PREDICTOR)
            """,
        },
        select=("MLA103",),
    )
    assert hits(found, "MLA103") == [("demo.py", 10, "MLA103")]
    assert found[0].message.startswith(
        "2 module-level calls do I/O at import time: `Predictor(model_path, device=\"cpu\")` loads a model "
        "(Predictor.__init__ -> argus.load_model); `gdown.download` makes a network call"
    )
    assert [r.location.row for r in found[0].related][:1] == [12]


# --- MLA102 ----------------------------------------------------------------------------------------------


def test_one_finding_per_function_for_several_objects(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "dags/utils/insert_values.py": """
                STORY_REF_INPUTS = []
                ENTITY_ALIAS_INPUTS = []

                def insert_values(parents, aliases):
                    for value in parents:
                        STORY_REF_INPUTS.append(value)
                    for value in aliases:
                        ENTITY_ALIAS_INPUTS.append(value)
                    STORY_REF_INPUTS.sort()
            """,
            "dags/extract.py": "from dags.utils.insert_values import insert_values\n",
        },
        select=("MLA102",),
    )
    assert len(found) == 1
    finding = found[0]
    assert finding.location.row == 6
    assert "2 module-level objects, `STORY_REF_INPUTS` and `ENTITY_ALIAS_INPUTS`" in finding.message
    assert "(3 mutations here)" in finding.message
    assert [r.location.row for r in finding.related] == [8, 9]


def test_scripts_own_their_module_state_unless_long_running(tmp_path: Path) -> None:
    collector = """
        side_effects = []

        def on_batch_end(net):
            side_effects.append(net.memory())

        if __name__ == "__main__":
            train(callbacks=[on_batch_end])
            print(side_effects)
    """
    found = audit(
        tmp_path,
        {
            "examples/benchmarks/history.py": collector,  # a script: quiet
            "train_inline.py": "RESULTS = []\n\ndef log(r):\n    RESULTS.append(r)\n\nfor i in range(3):\n    log(i)\n",
            "docs/conf.py": "SEEN = []\n\ndef setup(app):\n    SEEN.append(app)\n",  # run by Sphinx
            # A Prefect flow script runs its tasks many times in one process (served or scheduled).
            "flows/elt.py": """
                from prefect import flow, task

                abc_data = []

                @task
                def get_data(dept):
                    abc_data.extend(fetch(dept))

                @flow
                def elt():
                    get_data(1)

                if __name__ == "__main__":
                    elt()
            """,
            # Imported by another module, the same collector is a module: reported.
            "pkg/collect.py": collector,
            "pkg/run.py": "from pkg.collect import on_batch_end\n",
        },
        select=("MLA102",),
    )
    assert hits(found, "MLA102") == [("flows/elt.py", 7, "MLA102"), ("pkg/collect.py", 4, "MLA102")]


def test_a_web_service_state_changed_by_its_routes_is_quiet(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "serving/app/main.py": """
                from fastapi import FastAPI

                app = FastAPI()
                in_memory_models = dict()
                request_log = []

                @app.post("/models")
                async def update_models_in_memory():
                    in_memory_models.update({"iris": load()})
                    return {"status": True}

                @app.get("/predict")
                def predict(name: str):
                    remember(name)
                    return in_memory_models[name].predict()

                def remember(name):
                    request_log.append(name)
            """,
            # Routes on a router of a module that binds no application: not a single-file service.
            "serving/app/routes.py": """
                from fastapi import APIRouter

                router = APIRouter()
                CACHE = {}

                @router.post("/refresh")
                def refresh():
                    CACHE.clear()
            """,
            "flask_app.py": """
                from flask import Flask

                app = Flask(__name__)
                models = {}

                @app.route("/reload", methods=["POST"])
                def reload_model():
                    models["churn"] = load()
                    return "ok"
            """,
        },
        select=("MLA102",),
    )
    # `request_log` is mutated by a plain helper, not a route: still reported.
    assert hits(found, "MLA102") == [("serving/app/main.py", 18, "MLA102"), ("serving/app/routes.py", 8, "MLA102")]


# --- MLA103 ----------------------------------------------------------------------------------------------


def test_a_single_file_service_loading_its_model_is_quiet_for_the_load_only(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "churn_serving.py": """
                import pickle
                import joblib
                from flask import Flask

                with open("churn-model.bin", "rb") as f_in:
                    dv, model = pickle.load(f_in)
                encoder = joblib.load("encoder.joblib")

                app = Flask("churn")

                @app.route("/predict", methods=["POST"])
                def predict():
                    return model.predict([1])
            """,
            "api/main.py": """
                import requests
                import torch
                from fastapi import FastAPI

                model = torch.load("model.pt")
                LABELS = requests.get("https://example.com/labels.json").json()
                app = FastAPI()

                @app.get("/predict")
                def predict():
                    return model(1)
            """,
            # A module the service imports is a library module: its load at import is reported.
            "api/model.py": "import torch\n\nMODEL = torch.load('model.pt')\n",
            "api/server.py": "from api.model import MODEL\n",
            # An application object and no route: not a service module.
            "api/factory.py": "import torch\nfrom fastapi import FastAPI\n\nmodel = torch.load('m.pt')\napp = FastAPI()\n",
        },
        select=("MLA103",),
    )
    assert hits(found, "MLA103") == [
        ("api/factory.py", 4, "MLA103"),
        ("api/main.py", 6, "MLA103"),  # the network call; the model load is the service's start-up
        ("api/model.py", 3, "MLA103"),
    ]


# --- MLA703 (its precision causes share the "Scripts" contract with MLA101) -------------------------------


def test_model_saves_in_notebook_exports_and_synthetic_demos_are_quiet(tmp_path: Path) -> None:
    save = "\n\ndef save(model):\n    with open('model.pkl', 'wb') as fh:\n        pickle.dump(model, fh)\n"
    found = audit(
        tmp_path,
        {
            "ch12/ch12_part2.py": NB_EXPORT + "\n# In[3]:\n\nimport torch\ntorch.save(model, 'iris.pt')\n",
            "examples/cli/train.py": "import pickle\nfrom sklearn.datasets import make_classification\n"
            + save
            + "\n\ndef data():\n    return make_classification(100, 20)\n",
            # The same save of a model trained on real data, even in examples/, is reported.
            "examples/finetune/train.py": "import pickle\nimport pandas as pd\n" + save,
        },
        select=("MLA703",),
    )
    assert hits(found, "MLA703") == [("examples/finetune/train.py", 7, "MLA703")]
