"""Global-state family: MLA101 global-statement, MLA102 mutated-module-state, MLA103
import-time-side-effect. Each test writes a small project and audits it through the public API."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from mlaudit.facts.mutability import mutates
from tests import conftest
from tests.conftest import hits, notebook

Hit = tuple[str, int, str]


audit = partial(conftest.audit, select=("MLA1",))  # the family's rules unless a test selects others


# --- MLA101 global-statement ---------------------------------------------------------------------


def test_global_statement_in_functions_and_methods(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/train.py": """
                model = None
                counter = 0

                def bump():
                    global counter
                    counter += 1

                class Trainer:
                    def fit(self):
                        global model
                        model = object()

                def outer():
                    def inner():
                        global counter
                        counter = 2
                    return inner
            """,
        },
        select=("MLA101",),
    )
    assert hits(found, "MLA101") == [
        ("pkg/train.py", 5, "MLA101"),
        ("pkg/train.py", 10, "MLA101"),
        ("pkg/train.py", 15, "MLA101"),
    ]
    messages = [f.message for f in found]
    assert messages[0] == "`global counter` in `bump`: pass state in and return it, or keep it in an object"
    assert "`Trainer.fit`" in messages[1]
    assert "`outer.<locals>.inner`" in messages[2]


def test_global_never_assigned_says_it_is_not_needed(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "mod.py": """
                CACHE = {}

                def read(key):
                    global CACHE
                    CACHE[key] = 1
                    return CACHE

                def drop():
                    global CACHE
                    del CACHE
            """
        },
        select=("MLA101",),
    )
    assert [f.location.row for f in found] == [4, 9]
    assert "is not needed (it is never assigned there): remove it" in found[0].message
    assert "pass state in" in found[1].message  # `del` unbinds the global: the statement is needed


def test_global_statement_quiet_on_nonlocal_module_level_tests_and_notebooks(tmp_path: Path) -> None:
    body = """
        state = 0

        def set_state(value):
            global state
            state = value
    """
    found = audit(
        tmp_path,
        {
            "closure.py": """
                def make():
                    count = 0
                    def inc():
                        nonlocal count
                        count += 1
                    return inc
            """,
            "module_level.py": "global X\nX = 1\n",
            "tests/test_state.py": body,
            "conftest.py": body,
            "experiments/sweep.py": body,
            "notebooks/eda.ipynb": notebook(
                "state = 0\n", "def set_state(v):\n    global state\n    state = v\n"
            ),
            "analysis.ipynb": notebook("def f():\n    global g\n    g = 1\n"),
        },
        select=("MLA101",),
    )
    assert hits(found, "MLA101") == []


# --- MLA102 mutated-module-state -------------------------------------------------------------------


def test_mutations_of_module_level_containers(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/state.py": """
                import collections
                from collections import defaultdict as dd, OrderedDict, Counter, deque

                import numpy as np_
                import pandas as pd

                CACHE = {}
                SEEN = []
                TAGS = set()
                BY_TYPE = dd(list)
                ORDERED = OrderedDict()
                COUNTS = Counter()
                RECENT = deque(maxlen=3)
                QUEUE = collections.deque()
                SQUARES = {i: i * i for i in range(3)}
                ZEROS = np_.zeros(3)
                FRAME = pd.DataFrame({"a": [1]})
                SERIES = pd.Series([1.0])
                GRID = [0] * 4

                def f1(k, v):
                    CACHE[k] = v

                def f2(x):
                    SEEN.append(x)

                def f3(x):
                    TAGS.add(x)

                def f4(x):
                    BY_TYPE[x].append(x)

                def f5(x):
                    ORDERED.move_to_end(x)

                def f6(x):
                    COUNTS[x] += 1

                def f7(x):
                    RECENT.appendleft(x)

                def f8():
                    QUEUE.popleft()

                def f9(k):
                    del SQUARES[k]

                def f10():
                    ZEROS[0] = 1.0

                def f11():
                    FRAME.loc[0, "a"] = 2

                def f12():
                    SERIES.fillna(0, inplace=True)

                def f13():
                    GRID.sort()

                def f14():
                    FRAME["b"] = 1

                def f15():
                    ZEROS.fill(0)
            """,
        },
        select=("MLA102",),
    )
    rows = [row for _, row, _ in hits(found, "MLA102")]
    assert rows == [22, 25, 28, 31, 34, 37, 40, 43, 46, 49, 52, 55, 58, 61, 64]
    assert found[0].message == (
        "`CACHE` (module-level dict) is mutated in `f1` by item assignment: "
        "pass it in and return the result, or keep it in an object the caller owns"
    )


def test_one_finding_per_function_and_object_with_related_sites(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "mod.py": """
                CACHE = {}

                def refresh(items):
                    CACHE.clear()
                    for k, v in items:
                        CACHE[k] = v
                    CACHE.pop("stale", None)
            """
        },
        select=("MLA102",),
    )
    assert len(found) == 1
    finding = found[0]
    assert finding.location.row == 4
    assert "by .clear() (3 mutations here)" in finding.message
    assert [r.location.row for r in finding.related] == [6, 7]


def test_mutation_through_imports_of_first_party_state(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "src/pipeline/__init__.py": "from .state import CACHE as CACHE\n",
            "src/pipeline/state.py": "CACHE = {}\nSEEN = []\nLABELS = ('a', 'b')\n",
            "src/pipeline/features.py": """
                import pipeline.state as st
                from pipeline import CACHE as cache_alias
                from . import state
                from .state import SEEN, LABELS

                def a(x):
                    SEEN.append(x)

                def b(x):
                    cache_alias[x] = 1

                def c():
                    state.CACHE.clear()

                def d():
                    st.SEEN.extend([1])

                def e():
                    from .state import CACHE
                    CACHE.update(x=1)

                def quiet(x):
                    return LABELS.index(x)
            """,
        },
        select=("MLA102",),
    )
    assert hits(found, "MLA102") == [
        ("src/pipeline/features.py", row, "MLA102") for row in (7, 10, 13, 16, 20)
    ]
    assert all("imported module-level" in f.message for f in found)
    assert "`pipeline.state.SEEN`" in found[0].message
    assert "`pipeline.state.CACHE`" in found[1].message  # followed through the package re-export


def test_imported_state_mutated_from_a_test_is_quiet(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/state.py": "CACHE = {}\n",
            "tests/test_state.py": """
                from pkg.state import CACHE

                def test_cache():
                    CACHE["x"] = 1
                    assert CACHE
            """,
        },
        select=("MLA102",),
    )
    assert found == []


def test_quiet_on_locals_shadows_and_immutables(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "mod.py": """
                import sys

                CACHE = {}
                SEEN = []
                NAMES = ("a", "b")
                FROZEN = frozenset({"x"})
                TEXT = "abc"
                ORDER = ["b", "a"]
                ORDER = tuple(ORDER)
                UNKNOWN = dict_factory() if False else {}
                LOOP = []
                for LOOP in ([1], [2]):
                    pass

                def params(CACHE, SEEN):
                    CACHE["k"] = 1
                    SEEN.append(1)

                def locals_():
                    CACHE = {}
                    CACHE["k"] = 1
                    out = []
                    out.append(1)
                    return CACHE, out

                def comprehension(groups):
                    return [SEEN.pop() for SEEN in groups]

                def loop(groups):
                    for SEEN in groups:
                        SEEN.append(1)

                def with_and_except(path):
                    with open(path) as SEEN:
                        SEEN.write("x")
                    try:
                        pass
                    except ValueError as CACHE:
                        CACHE.add_note("x")

                def closure():
                    counts = {}
                    def inner(k):
                        counts[k] = 1
                    return inner

                def immutables(x):
                    return NAMES.index(x), FROZEN.union({x}), TEXT.replace("a", x), ORDER.index(x)

                def rebound_and_unknown(x):
                    LOOP.append(x)
                    UNKNOWN["k"] = x

                def third_party(p):
                    sys.path.append(p)

                def reads(k):
                    return CACHE.get(k), SEEN.copy(), len(SEEN)

                class Model:
                    registry = {}

                    def __init__(self):
                        self.cache = {}

                    def add(self, k):
                        self.cache[k] = 1
                        self.registry[k] = 1
                        Model.registry[k] = 1

                CACHE["built"] = True
                SEEN.extend([1, 2])
            """
        },
        select=("MLA102",),
    )
    assert hits(found, "MLA102") == []


def test_dataframe_methods_that_return_new_objects_are_quiet(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "mod.py": """
                import pandas as pd

                FRAME = pd.DataFrame({"a": [1]})

                def derived():
                    return FRAME.add(1), FRAME.drop(columns=["a"]), FRAME.sort_values("a"), FRAME.pop
            """
        },
        select=("MLA102",),
    )
    assert found == []


def test_global_rebinding_in_a_function_counts_as_a_binding(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "mod.py": """
                CACHE = {}
                STATE = {}

                def reset():
                    global CACHE
                    CACHE = {}  # still a dict

                def clear():
                    global STATE
                    STATE = None  # no longer always a dict: STATE is not reported

                def use(k):
                    CACHE[k] = 1
                    STATE[k] = 1
            """
        },
        select=("MLA102",),
    )
    assert [(f.location.row, "`CACHE`" in f.message) for f in found] == [(13, True)]


def test_augmented_assignment_needs_a_global_declaration(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "mod.py": """
                ITEMS = []

                def extend_declared():
                    global ITEMS
                    ITEMS += [1]

                def local_rebinding():
                    ITEMS = []
                    ITEMS += [1]
                    return ITEMS
            """
        },
        select=("MLA102",),
    )
    assert [f.location.row for f in found] == [5]


def test_registries_built_at_import_time_are_quiet(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/registry.py": """
            MODELS = {}
            FEATURES = {}
            HOOKS = []
            PLUGINS = {}
            LOOKUP = {}
            KINDS = {}

            def register(name):
                def deco(fn):
                    MODELS[name] = fn
                    return fn
                return deco

            def feature(fn):
                FEATURES[fn.__name__] = fn
                return fn

            def register_hook(fn):
                HOOKS.append(fn)

            def plugin(fn):
                PLUGINS[fn.__name__] = fn
                return fn

            def _populate():
                LOOKUP["a"] = 1

            _populate()

            class Base:
                def __init_subclass__(cls, **kwargs):
                    KINDS[cls.__name__] = cls

            @feature
            def ratio(df):
                return df
        """,
        "pkg/models.py": """
            from .registry import plugin

            @plugin
            def linear():
                return 1
        """,
    }
    found = audit(tmp_path, files, select=("MLA102",))
    # `plugin` is only applied as a decorator in another module, but it stores `fn` under its own name:
    # a registry fill (mlaudit.facts.registry).
    assert found == []
    # A name configured as a registration function is quiet too.
    found = audit(
        tmp_path,
        {},
        select=("MLA102",),
        rules={
            "mutated-module-state": {"registration-functions": ["register*", "__init_subclass__", "plugin"]}
        },
    )
    assert found == []


def test_main_guard_and_module_level_mutations_are_quiet(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "scripts/run.py": """
                RESULTS = []
                RESULTS.append(0)

                if __name__ == "__main__":
                    for i in range(3):
                        RESULTS.append(i)
            """
        },
        select=("MLA102",),
    )
    assert found == []


def test_main_guard_call_does_not_exempt_the_callee(tmp_path: Path) -> None:
    # Imported by a test, train.py is a module (not a script whose state lives for one run).
    found = audit(
        tmp_path,
        {
            "train.py": """
                HISTORY = []

                def main():
                    HISTORY.append("run")

                if __name__ == "__main__":
                    main()
            """,
            "tests/test_train.py": "from train import main\n",
        },
        select=("MLA102",),
    )
    assert [f.location.row for f in found] == [4]


def test_mutated_module_state_quiet_in_notebooks_and_experiments(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "notebooks/eda.ipynb": notebook("scores = []\n", "def add(s):\n    scores.append(s)\n"),
            "experiments/sweep.py": "BEST = {}\n\ndef keep(k, v):\n    BEST[k] = v\n",
        },
        select=("MLA102",),
    )
    assert found == []


@pytest.mark.parametrize(
    ("operation", "kind", "expected"),
    [
        ("method:add", "set", True),
        ("method:add", "frame", False),
        ("method:append", "dict", False),
        ("method:update", "frame", True),
        ("inplace:drop", "frame", True),
        ("inplace:drop", "list", False),
        ("nested-method:append", "dict", True),
        ("nested-method:append", "frame", False),
        ("function:heapq.heappush", "list", True),
        ("function:heapq.heappush", "dict", False),
        ("setitem", "array", True),
        ("augassign", "list", True),
    ],
)
def test_mutates_depends_on_the_kind(operation: str, kind: str, expected: bool) -> None:
    assert mutates(operation, kind) is expected


def test_function_mutators_of_the_first_argument(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "mod.py": """
                import heapq
                import random
                from bisect import insort

                QUEUE = []
                SORTED = []
                DECK = list(range(10))

                def push(x):
                    heapq.heappush(QUEUE, x)

                def keep(x):
                    insort(SORTED, x)

                def shuffle():
                    random.shuffle(DECK)

                def sample():
                    return random.sample(DECK, 2), heapq.nsmallest(2, QUEUE)
            """
        },
        select=("MLA102",),
    )
    assert [f.location.row for f in found] == [10, 13, 16]


# --- MLA103 import-time-side-effect ---------------------------------------------------------------------


def test_import_time_io_through_aliases(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/serve.py": """
                import json
                import pickle as pkl
                from pathlib import Path

                import numpy as np_
                import pandas as pd_
                import torch
                from pandas import read_parquet as rp
                from transformers import AutoModel

                A = pd_.read_csv("a.csv")
                B = rp("b.parquet")
                C = np_.load("c.npy")
                D = pkl.load(open("d.pkl", "rb"))
                E = torch.load("e.pt")
                F = AutoModel.from_pretrained("bert-base-uncased")
                G = Path("vocab.txt").read_text()
                with open("labels.json") as fh:
                    LABELS = json.load(fh)
                try:
                    H = pd_.read_csv("h.csv")
                except FileNotFoundError:
                    H = None
            """,
        },
        select=("MLA103",),
    )
    # One finding per file (v2, "One finding per cause"): at the first site, the reads and the model
    # loads named and counted, every site in `related`.
    assert [f.location.row for f in found] == [11]
    assert [r.location.row for r in found[0].related] == [12, 13, 14, 17, 18, 21, 15, 16]
    assert found[0].message == (
        "9 module-level calls do I/O at import time: 7 calls read data (`pandas.read_csv`, "
        "`pandas.read_parquet`, `numpy.load`, `pickle.load`, +2 more); 2 calls load models (`torch.load`, "
        "`transformers.AutoModel.from_pretrained`): load it inside a function called from the entry point"
    )
    assert "`pickle.load`" in found[0].related[2].message  # one site for pickle.load(open(...))
    assert found[0].related[6].message.startswith("2 calls load models (`torch.load`")


def test_defaults_and_decorators_run_at_import_time(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "mod.py": """
                import functools
                import subprocess

                import requests

                def score(x, table=open("table.txt").read()):
                    return x

                @functools.lru_cache(maxsize=int(requests.get("https://example.com/size").text))
                def cached(x):
                    return x

                class Job:
                    # A method's default is part of the class body, which rules.md exempts.
                    def run(self, cmd=subprocess.check_output(["git", "rev-parse", "HEAD"])):
                        return cmd
            """
        },
        select=("MLA103",),
    )
    assert [f.location.row for f in found] == [6]
    assert [r.location.row for r in found[0].related] == [9]
    assert found[0].message.startswith("2 module-level calls do I/O at import time: `open` reads data; ")


def test_import_time_quiet_cases(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": """
                import json
                import logging
                import subprocess
                from typing import TYPE_CHECKING

                import pandas as pd
                import requests
                import sqlalchemy
                import yaml

                logger = logging.getLogger(__name__)
                SCHEMA = json.loads('{"a": 1}')
                DEFAULTS = yaml.safe_load("fill: 0")
                TEXT = json.dumps({"a": 1})
                EMPTY = pd.DataFrame({"a": []})
                AS_CSV = EMPTY.to_csv()
                SESSION = requests.Session()
                ENGINE = sqlalchemy.create_engine("sqlite://")
                lazy = lambda p: pd.read_csv(p)

                if TYPE_CHECKING:
                    pass

                def load(path):
                    return pd.read_csv(path)

                class Loader:
                    frame = pd.read_csv("class_body.csv")  # class bodies are exempt (rules.md)

                    def load(self):
                        return subprocess.run(["ls"])

                if __name__ == "__main__":
                    load("x.csv")
                    DATA = pd.read_csv("main.csv")
            """,
            "pkg/shadow.py": """
                def open(name):
                    return name

                HANDLE = open("not-a-file")
            """,
            "tests/test_mod.py": "import pandas as pd\nFIXTURE = pd.read_csv('x.csv')\n",
            "experiments/run.py": "import pandas as pd\nDF = pd.read_csv('x.csv')\n",
            "notebooks/eda.ipynb": notebook("import pandas as pd\n", "df = pd.read_csv('x.csv')\n"),
            "analysis.ipynb": notebook("import torch\n", "model = torch.load('m.pt')\n"),
        },
        select=("MLA103",),
    )
    assert found == []


def test_allowed_calls_option(tmp_path: Path) -> None:
    files = {"mod.py": "VERSION = open('VERSION').read()\nimport pandas as pd\nDF = pd.read_csv('x.csv')\n"}
    found = audit(
        tmp_path,
        files,
        select=("MLA103",),
        rules={"import-time-side-effect": {"allowed-calls": ["builtins.open"]}},
    )
    assert [f.location.row for f in found] == [3]


def test_metadata_files_and_config_modules_reading_their_config(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": (
            "from pathlib import Path\nROOT = Path(__file__).parent\n"
            "with open(ROOT / 'VERSION') as fh:\n    __version__ = fh.read().strip()\n"
            "with open(VERSION_FILE) as fh:\n    RELEASE = fh.read()\n"
            "LONG = (ROOT / 'README.md').read_text()\n"
        ),
        "pkg/config.py": (
            "import yaml\nimport pandas as pd\nCONFIG_FILE = 'config.yml'\n"
            "with open(CONFIG_FILE) as fh:\n    SETTINGS = yaml.safe_load(fh)\n"
            "def load_config(path='settings.toml'):\n    return open(path).read()\n"
            "RAW = load_config()\n"
            "LOOKUP = pd.read_csv('lookup.csv')\n"
        ),
        "pkg/app.py": "from pkg import config, loader\n",  # imported: not scripts whose module level is their run
        "pkg/loader.py": (
            "import yaml\nwith open('params.yaml') as fh:\n    PARAMS = yaml.safe_load(fh)\n"
            "with open('data/version_history.csv') as fh:\n    ROWS = fh.read()\n"
        ),
    }
    found = audit(tmp_path, files, select=("MLA103",))
    assert sorted((f.filename, f.location.row) for f in found) == [("pkg/config.py", 9), ("pkg/loader.py", 2)]
    loader = next(f for f in found if f.filename == "pkg/loader.py")
    assert [r.location.row for r in loader.related] == [4]  # a config read outside a config module is I/O


def test_import_time_chains_stay_within_their_program(tmp_path: Path) -> None:
    # Two course sections, each its own program holding a copy of `model_pkg`: a call in one resolves
    # to its own copy, so the chain cites that copy's files.
    files: dict[str, str] = {}
    for section in ("section-05", "section-07"):
        files[f"{section}/setup.py"] = ""
        files[f"{section}/model_pkg/__init__.py"] = ""
        files[f"{section}/model_pkg/data.py"] = "import joblib\ndef load_pipeline(name):\n    return joblib.load(name)\n"
        files[f"{section}/model_pkg/predict.py"] = (
            "from model_pkg.data import load_pipeline\nPIPE = load_pipeline('model.pkl')\n"
        )
    found = audit(tmp_path, files, select=("MLA103",))
    assert sorted(f.filename for f in found) == ["section-05/model_pkg/predict.py", "section-07/model_pkg/predict.py"]
    for finding in found:
        section = finding.filename.partition("/")[0]
        assert [r.filename for r in finding.related] == [f"{section}/model_pkg/data.py"]


def test_writes_network_databases_and_subprocesses(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "mod.py": """
                import os
                import sqlite3
                import urllib.request

                import joblib

                os.makedirs("artifacts", exist_ok=True)
                joblib.dump({}, "artifacts/empty.joblib")
                CON = sqlite3.connect("features.db")
                ROWS = CON.execute("select 1").fetchall()
                PAGE = urllib.request.urlopen("https://example.com").read()
                os.system("nvidia-smi")
            """,
            # Imported, so not a script: its module-level work runs in every importer (v2: a pure script,
            # imported by nothing, is quiet).
            "user.py": "import mod\n",
        },
        select=("MLA103",),
    )
    # One finding per file (v2): at the first site; the message names the most significant I/O first
    # (the network, the database), the writes last. Creating the output folder is not import-time I/O.
    assert [f.location.row for f in found] == [8]
    assert found[0].message == (
        "4 module-level calls do I/O at import time: `urllib.request.urlopen` makes a network call; "
        "`sqlite3.connect` connects to a database; and 2 more (`os.system` runs a subprocess, "
        "`joblib.dump` writes files): call it from a function run by the entry point"
    )
    assert [r.location.row for r in found[0].related] == [9, 11, 12]


def test_tool_scripts_are_quiet_by_default_and_configurable(tmp_path: Path) -> None:
    files = {
        "setup.py": "with open('HISTORY.rst') as fh:\n    README = fh.read()\n",
        "sub/noxfile.py": "import subprocess\nsubprocess.run(['ls'])\n",
        "docs/conf.py": "import subprocess\nrelease = subprocess.check_output(['git', 'describe'])\n",
        "pkg/setup_data.py": "import pandas as pd\nDF = pd.read_csv('x.csv')\n",
    }
    found = audit(tmp_path, files, select=("MLA103",))
    assert [f.filename for f in found] == ["pkg/setup_data.py"]
    found = audit(tmp_path, {}, select=("MLA103",), rules={"import-time-side-effect": {"tool-scripts": []}})
    # sub/noxfile.py stays quiet: its module-level `subprocess.run(...)` makes it a pure script (v2).
    assert sorted(f.filename for f in found) == ["docs/conf.py", "pkg/setup_data.py", "setup.py"]


def test_whole_family_on_one_project(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/state.py": "RESULTS = []\nBEST = None\n",
            "app/serve.py": """
                import joblib

                from .state import RESULTS

                MODEL = joblib.load("model.joblib")

                def predict(rows):
                    global MODEL
                    RESULTS.append(len(rows))
                    return MODEL.predict(rows)
            """,
            "notebooks/eda.ipynb": notebook(
                "import joblib\n",
                "m = joblib.load('m.joblib')\n",
                "R = []\ndef f():\n    global m\n    R.append(m)\n",
            ),
            "tests/test_serve.py": "from app.state import RESULTS\n\ndef test_x():\n    RESULTS.append(1)\n",
        },
    )
    assert [(f.filename, f.location.row, f.code) for f in found] == [
        ("app/serve.py", 5, "MLA103"),
        ("app/serve.py", 8, "MLA101"),
        ("app/serve.py", 9, "MLA102"),
        # MLA104 is the notebook member of the family: `f` reads `m`, which cell 2 binds
        ("notebooks/eda.ipynb", 4, "MLA104"),
    ]


# --- MLA103 v2: scripts, entry points, one finding per cause ---------------------------------------------

PURE_SCRIPT = """
    import numpy as np
    import torch

    batch_size = 64
    data = np.load("data/train.npy")
    model = torch.load("out/ckpt.pt")
    for step in range(100):
        model(data[:batch_size])
    torch.save(model, "out/ckpt.pt")
"""


def test_pure_script_is_quiet(tmp_path: Path) -> None:
    assert audit(tmp_path, {"train.py": PURE_SCRIPT}, select=("MLA103",)) == []


def test_a_notebook_saved_as_py_is_a_pure_script_even_calling_its_own_function(tmp_path: Path) -> None:
    """ploomber's `# %%` task reads its inputs into names and calls its own function on them; the same
    file without cell markers is a script whose guard is missing."""
    body = (
        "import pandas as pd\n\n\ndef prep(a, b):\n    return a, b\n\n\n"
        "X_train = pd.read_csv('train.csv')\nX_test = pd.read_csv('test.csv')\nprep(X_train, X_test)\n"
    )
    notebook_py = "# %%\n" + body.replace("\n\n\nX_train", "\n\n\n# %%\nX_train")
    assert audit(tmp_path / "nb", {"tasks/preprocess.py": notebook_py}, select=("MLA103",)) == []
    found = audit(tmp_path / "plain", {"tasks/preprocess.py": body}, select=("MLA103",))
    assert [(f.filename, f.location.row) for f in found] == [("tasks/preprocess.py", 8)]


def test_pure_script_imported_by_a_module_is_a_module(tmp_path: Path) -> None:
    found = audit(
        tmp_path, {"train.py": PURE_SCRIPT, "evaluate.py": "from train import model\n"}, select=("MLA103",)
    )
    assert [(f.filename, f.location.row) for f in found] == [("train.py", 5)]
    assert [r.location.row for r in found[0].related] == [6, 9]


def test_script_with_main_guard_still_loading_at_module_level(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "scripts/predict.py": """
                import pandas as pd

                DF = pd.read_csv("data/x.csv")

                def main():
                    print(DF.shape)

                if __name__ == "__main__":
                    main()
            """
        },
        select=("MLA103",),
    )
    assert [(f.location.row, f.message) for f in found] == [
        (
            3,
            "`pandas.read_csv` reads data at import time: load it inside a function called from the entry point",
        )
    ]


def test_bare_main_call_reaching_io_is_one_finding(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/data.py": "import pandas as pd\n\ndef load_data(path):\n    return pd.read_csv(path)\n",
            "pkg/prepare.py": """
                from pkg.data import load_data

                def main():
                    df = load_data("raw.csv")
                    print(df.describe())

                main()
            """,
        },
        select=("MLA103",),
    )
    assert [(f.filename, f.location.row) for f in found] == [("pkg/prepare.py", 7)]
    assert found[0].message == (
        "`main()` runs at import time and reads a file (main -> load_data -> pandas.read_csv): "
        'call it under `if __name__ == "__main__":`'
    )
    assert [(r.filename, r.location.row) for r in found[0].related] == [
        ("pkg/prepare.py", 4),
        ("pkg/data.py", 4),
    ]


def test_module_level_call_of_a_loader_in_a_library_module(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/loaders.py": "import json\n\ndef load_labels():\n    with open('labels.json') as fh:\n        return json.load(fh)\n",
            "pkg/serve.py": "from pkg.loaders import load_labels\n\nLABELS = load_labels()\nNAMES = sorted(LABELS)\n",
            "pkg/app.py": "from pkg.serve import LABELS\n",
        },
        select=("MLA103",),
    )
    assert [(f.filename, f.location.row) for f in found] == [("pkg/serve.py", 3)]
    assert "call it from a function run by the entry point" in found[0].message


def test_tracking_calls_at_import_in_a_module(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/tracking.py": 'import mlflow\nimport wandb\n\nmlflow.set_experiment("churn")\nwandb.init(project="churn")\n',
            "pkg/train.py": "from pkg import tracking\n",
        },
        select=("MLA103",),
    )
    assert [(f.location.row, f.message.split(":")[0]) for f in found] == [
        (
            4,
            "2 module-level calls call the experiment tracker at import time (`mlflow.set_experiment`, `wandb.init`)",
        )
    ]


def test_cookiecutter_hooks_are_tool_run(tmp_path: Path) -> None:
    files = {
        "hooks/pre_gen_project.py": "import subprocess\nVERSION = subprocess.check_output(['git', 'describe'])\n"
    }
    assert audit(tmp_path, files, select=("MLA103",)) == []


_LOAD_TEST = """
    import pandas as pd
    from locust import HttpUser, task

    rows = pd.read_csv("https://example.com/wine.csv").to_dict(orient="records")

    class WineUser(HttpUser):
        @task
        def predict(self):
            self.client.post("/predict", json=rows[0])
"""


def test_files_standard_tools_run_are_quiet_and_the_same_code_in_a_module_is_not(tmp_path: Path) -> None:
    """locust runs `locustfile.py` (payloads loaded once for every simulated user), gunicorn executes its
    configuration, Alembic its `env.py`, doit its `dodo.py`: none is imported by the project."""
    files = {
        "load_test/locustfile.py": _LOAD_TEST,
        "gunicorn.conf.py": "import json\nworkers = json.load(open('deploy.json'))['workers']\n",
        "migrations/env.py": "import sqlalchemy\nconn = sqlalchemy.create_engine('sqlite://').connect()\n",
        "dodo.py": "import subprocess\nREV = subprocess.check_output(['git', 'rev-parse', 'HEAD'])\n\ndef task_x():\n    return {}\n",
        "load_test/payloads.py": _LOAD_TEST,
    }
    found = audit(tmp_path, files, select=("MLA103",))
    assert [f.filename for f in found] == ["load_test/payloads.py"]


def test_reading_a_file_shipped_inside_the_package_is_not_import_time_io(tmp_path: Path) -> None:
    """CLIP's `_tokenizer = SimpleTokenizer()` reads the BPE vocabulary next to the module (its path a
    parameter default built from `__file__`): package data, like a VERSION file. Data sets and models,
    and files outside the module's folder, are still loads."""
    files = {
        "pkg/__init__.py": "",
        "pkg/tokenizer.py": """
            import gzip
            import json
            import os
            from pathlib import Path

            HERE = os.path.dirname(__file__)
            with open(os.path.join(HERE, "special.json")) as fh:
                SPECIAL = json.load(fh)
            STOP = (Path(__file__).parent / "stop.txt").read_text().split()

            def default_bpe():
                return os.path.join(os.path.dirname(os.path.abspath(__file__)), "bpe.txt.gz")

            class Tokenizer:
                def __init__(self, bpe_path=default_bpe()):
                    self.merges = gzip.open(bpe_path).read().split(b"\\n")
        """,
        "pkg/clip.py": "from .tokenizer import Tokenizer\n\n_tokenizer = Tokenizer()\n",
        "pkg/up.py": """
            from pathlib import Path

            ROOT = Path(__file__).parent.parent
            CORPUS = open(ROOT / "data" / "corpus.txt").read()
        """,
        "pkg/dotdot.py": """
            import os

            TEXT = open(os.path.join(os.path.dirname(__file__), "..", "data", "corpus.txt")).read()
        """,
        "pkg/frames.py": """
            import os
            import joblib
            import pandas as pd

            DF = pd.read_csv(os.path.join(os.path.dirname(__file__), "train.csv"))
            MODEL = joblib.load(os.path.join(os.path.dirname(__file__), "model.pkl"))
        """,
        "pkg/vocab.py": """
            class Vocab:
                def __init__(self, path):
                    self.words = open(path).read().split()

            VOCAB = Vocab("/data/vocab.txt")
        """,
    }
    found = audit(tmp_path, files, select=("MLA103",))
    assert sorted(f.filename for f in found) == ["pkg/dotdot.py", "pkg/frames.py", "pkg/up.py", "pkg/vocab.py"]
