"""Global-state family, causes found by the blind reviews of heldout3-5 (issue 11): memo caches (MLA102),
notebook companion modules and environment bootstraps (MLA103). Each quiet side has its catalogue case;
these tests also pin the reported side, so the quiet side cannot be a blanket exemption."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from mlaudit.config.schema import Settings
from mlaudit.engine.discovery import discover
from mlaudit.facts.memo import memo_stores
from tests.conftest import audit, hits, notebook, write_files

# --- MLA102: memo caches ------------------------------------------------------------------------------

MEMO = """
import logging

OMNIGLOT_CACHE = {}
attn_bias_cache = {}
logger_initialized = {}
_timers = {}
_FEATURES = {}


def load_class_images(d):
    if d["class"] not in OMNIGLOT_CACHE:
        for sample in loader(d["class"]):
            OMNIGLOT_CACHE[d["class"]] = sample["data"]
            break
    return {"class": d["class"], "data": OMNIGLOT_CACHE[d["class"]]}


def get_attn_bias(x_list):
    all_shapes = tuple(x.shape for x in x_list)
    if all_shapes not in attn_bias_cache.keys():
        attn_bias_cache[all_shapes] = block_mask(all_shapes)
    return attn_bias_cache[all_shapes]


def get_logger(name):
    logger = logging.getLogger(name)
    if name in logger_initialized:
        return logger
    logger.addHandler(logging.StreamHandler())
    logger_initialized[name] = True
    return logger


def check_time(timer_id):
    if timer_id in _timers:
        return _timers[timer_id].since_last_check()
    else:
        _timers[timer_id] = Timer()
        return 0


def features(key):
    if _FEATURES.get(key) is None:
        _FEATURES[key] = compute(key)
    return _FEATURES[key]
"""

NOT_MEMO = """
COUNTS = {}
STATE = {}
SEEN = {}
CACHE = {}
activations = {}
HISTORY = {}


def count(k):
    if k in COUNTS:
        COUNTS[k] = COUNTS[k] + 1
    else:
        COUNTS[k] = 1


def update(k, v):
    if k in STATE:
        STATE[k] = v


def override(k, v):
    if k not in SEEN:
        SEEN[k] = v
    SEEN[k] = v


def get_activation(name):
    def hook(model, inputs, output):
        activations[name] = output
    return hook


def reset():
    CACHE.clear()


def record(k, v):
    if k not in HISTORY:
        HISTORY[k] = []
    HISTORY[k].append(v)
"""


def test_memo_caches_are_quiet(tmp_path: Path) -> None:
    found = audit(tmp_path, {"pkg/__init__.py": "", "pkg/caches.py": MEMO}, "MLA102")
    assert hits(found, "MLA102") == []


def test_other_stores_into_a_dict_are_still_reported(tmp_path: Path) -> None:
    found = audit(tmp_path, {"pkg/__init__.py": "", "pkg/state.py": NOT_MEMO}, "MLA102")
    # Counting (the value reads the dict), updating a present key, an unguarded store after the guarded
    # one, a hook's store, clear(), accumulation into a cached list: all state.
    assert [row for _, row, _ in hits(found, "MLA102")] == [11, 18, 24, 29, 34, 40]


def test_memo_stores_need_the_same_key_known_absent() -> None:
    def stores(source: str) -> int:
        module = cst.parse_module(source)
        function = module.body[0]
        assert isinstance(function, cst.FunctionDef)
        return len(memo_stores(function))

    assert stores("def f(k):\n    if k not in C:\n        C[k] = g(k)\n") == 1
    assert stores("def f(k):\n    if not C.get(k):\n        C[k] = g(k)\n") == 1
    assert stores("def f(k):\n    if k not in C: C[k] = g(k)\n    return C[k]\n") == 1
    assert stores("def f(k):\n    for x in xs:\n        if k in C:\n            continue\n        C[k] = x\n") == 1
    assert stores("def f(k):\n    if k in C and ok:\n        return C[k]\n    C[k] = 1\n") == 0
    assert stores("def f(k):\n    if k in C or ok:\n        pass\n    else:\n        C[k] = g(k)\n") == 1
    assert stores("def f(k, j):\n    if k not in C:\n        C[j] = g(k)\n") == 0  # another key
    assert stores("def f(k):\n    if k not in D:\n        C[k] = g(k)\n") == 0  # another dict
    assert stores("def f(k):\n    if k not in C:\n        C[k] += 1\n") == 0  # augmented store
    assert stores("def f(k):\n    if k not in C:\n        C[k][0] = 1\n") == 0  # nested store


# --- MLA103: notebook companions ----------------------------------------------------------------------

CHECKER = """
import pandas as pd

from course.core import EqualityCheckProblem

reviews = pd.read_csv("../input/wine-reviews/winemag-data-130k-v2.csv", index_col=0)


class ReviewsWritten(EqualityCheckProblem):
    _var = "reviews_written"
    _expected = reviews.groupby("taster_twitter_handle").size()
"""


def _course(extra: dict[str, str]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "course/__init__.py": "",
        "course/core.py": "class EqualityCheckProblem:\n    pass\n",
        "course/grouping.py": CHECKER,
        "course/sorting.py": CHECKER,
        "notebooks/grouping.ipynb": notebook("from course.grouping import *\n", "reviews_written = 1\n"),
    }
    files.update(extra)
    return files


def test_a_module_only_its_notebook_imports_is_quiet(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        _course({"notebooks/sorting.ipynb": notebook("import course.sorting as checker\n")}),
        "MLA103",
    )
    assert hits(found, "MLA103") == []


def test_a_module_reused_by_several_notebooks_or_by_a_module_is_reported(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        _course(
            {
                "notebooks/sorting.ipynb": notebook("from course import sorting\n"),
                "notebooks/sorting_again.ipynb": notebook("from course.sorting import reviews\n"),
                "course/report.py": "from course.grouping import reviews\n\n\ndef top():\n    return reviews.head()\n",
            }
        ),
        "MLA103",
    )
    assert hits(found, "MLA103") == [("course/grouping.py", 5, "MLA103"), ("course/sorting.py", 5, "MLA103")]


def test_a_module_no_notebook_imports_is_still_reported(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "course/__init__.py": "",
            "course/core.py": "class EqualityCheckProblem:\n    pass\n",
            "course/grouping.py": CHECKER,
        },
        "MLA103",
    )
    assert hits(found, "MLA103") == [("course/grouping.py", 5, "MLA103")]


# --- MLA103: environment bootstrap --------------------------------------------------------------------

BOOTSTRAP = """
import json
import os
from pathlib import Path

REPO_DIR = Path(__file__).parent.parent

if Path(REPO_DIR / "secrets.json").exists():
    secrets = json.loads(Path(REPO_DIR / "secrets.json").read_text())
    for k, v in secrets.items():
        os.environ[k] = v

tokens = json.load(open(".tokens.json"))
os.environ.update(tokens)
"""

NOT_BOOTSTRAP = """
import json
import os

import joblib

settings = json.load(open("settings.json"))
os.environ["MLFLOW_TRACKING_URI"] = settings["tracking_uri"]
THRESHOLD = settings["threshold"]

os.environ["MODEL_VERSION"] = joblib.load("model.joblib").version
"""


def test_reading_a_secrets_file_into_the_environment_is_quiet(tmp_path: Path) -> None:
    found = audit(tmp_path, {"model/__init__.py": BOOTSTRAP, "model/train.py": "import model\n"}, "MLA103")
    assert hits(found, "MLA103") == []


def test_a_read_also_used_for_other_things_or_a_model_load_is_reported(tmp_path: Path) -> None:
    found = audit(
        tmp_path, {"model/__init__.py": NOT_BOOTSTRAP, "model/train.py": "import model\n"}, "MLA103"
    )
    assert hits(found, "MLA103") == [("model/__init__.py", 6, "MLA103")]
    assert "2 module-level calls" in found[0].message


def test_a_lesson_folder_named_after_a_library_is_not_a_vendored_copy(tmp_path: Path) -> None:
    """A course's ``notebooks/pandas/`` (an ``__init__.py`` and its lessons' notebooks) is the project's own
    material: its notebooks are analysed and count as the checker modules' importers."""
    write_files(
        tmp_path,
        {
            "notebooks/pandas/__init__.py": "",
            "notebooks/pandas/track_meta.py": "track = {}\n",
            "notebooks/pandas/raw/ex_3.ipynb": notebook("from course.grouping import *\n"),
            "gym/__init__.py": "from gym.core import Env\n",
            "gym/core.py": "class Env:\n    pass\n",
        },
    )
    out = discover([tmp_path], tmp_path, Settings())
    assert [f.rel for f in out.files] == [
        "notebooks/pandas/__init__.py",
        "notebooks/pandas/raw/ex_3.ipynb",
        "notebooks/pandas/track_meta.py",
    ]
    assert [v[0] for v in out.vendored] == ["gym"]
    found = audit(
        tmp_path,
        _course({"notebooks/pandas/raw/ex_3.ipynb": notebook("from course.sorting import *\n")}),
        "MLA103",
    )
    assert hits(found, "MLA103") == []
