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
