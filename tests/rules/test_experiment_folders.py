"""`exp/` and `exps/`: a folder of experiment scripts (a Kaggle solution's `exp/v1only.py`) has the experiment
role; a package of that name (Time-Series-Library's and Informer's `exp/` of `Exp_*` trainer classes, imported
by `run.py`) is the project's own code. And MLA403's one finding per importing module and folder."""

from __future__ import annotations

from pathlib import Path

from mlaudit.config.schema import Settings
from mlaudit.engine.discovery import discover
from tests.conftest import audit, rows, write_files

RUNNER = "from exp.exp_basic import Exp_Basic\n\n\nclass Exp_{0}(Exp_Basic):\n    pass\n"


def roles(root: Path, files: dict[str, str], settings: Settings | None = None) -> dict[str, frozenset[str]]:
    write_files(root, files)
    return {f.rel: f.roles for f in discover([root], root, settings or Settings()).files}


def test_exp_folder_of_scripts_is_experiment_but_a_package_named_exp_is_not(tmp_path: Path) -> None:
    found = roles(
        tmp_path,
        {
            "exp/v1only.py": "",
            "exp/delf/extract.py": "",
            "exps/exp001/train.py": "",
            "lib/exp/__init__.py": "",
            "lib/exp/exp_basic.py": "",
            "experiments/__init__.py": "",
            "experiments/ab.py": "",
            "exp_utils/helpers.py": "",
        },
    )
    experiment = {rel for rel, r in found.items() if "experiment" in r}
    assert experiment == {
        "exp/v1only.py",
        "exp/delf/extract.py",
        "exps/exp001/train.py",
        "experiments/__init__.py",  # the full word needs no sign
        "experiments/ab.py",
    }


def test_an_exp_folder_of_runner_classes_is_not_experiments_even_without_init(tmp_path: Path) -> None:
    """LTSF-Linear's `exp/` has no `__init__.py` but holds only the `Exp_*` classes `run_longExp.py` imports;
    Landmark2019's `exp/` holds scripts with main guards."""
    found = roles(
        tmp_path,
        {
            "ltsf/exp/exp_basic.py": "class Exp_Basic:\n    pass\n",
            "ltsf/exp/exp_main.py": RUNNER.format("Main"),
            "landmark/exp/v2clean.py": "def main():\n    pass\n\n\nif __name__ == '__main__':\n    main()\n",
            "landmark/exp/helpers.py": "def f():\n    pass\n",
        },
    )
    experiment = {rel for rel, r in found.items() if "experiment" in r}
    assert experiment == {"landmark/exp/v2clean.py", "landmark/exp/helpers.py"}


def test_patterns_the_user_writes_apply_as_written(tmp_path: Path) -> None:
    files = {"exp/__init__.py": "", "exp/exp_basic.py": "", "notebooks/a.py": ""}
    replaced = roles(tmp_path / "a", files, Settings(roles={"experiment": ("exp/",)}))
    assert "experiment" in replaced["exp/exp_basic.py"]
    assert "experiment" not in replaced["notebooks/a.py"]
    extended = roles(tmp_path / "b", files, Settings(roles={"extend-experiment": ("exp/",)}))
    assert "experiment" in extended["exp/exp_basic.py"]
    assert "experiment" in roles(tmp_path / "c", files)["notebooks/a.py"]
    assert "experiment" not in roles(tmp_path / "c", files)["exp/exp_basic.py"]


def test_mla403_entry_script_dispatching_to_its_runner_package_is_quiet(tmp_path: Path) -> None:
    run = """
    import sys

    if __name__ == "__main__":
        if sys.argv[1] == "forecast":
            from exp.exp_forecast import Exp_Forecast as Exp
        else:
            from exp.exp_imputation import Exp_Imputation as Exp
        Exp().train()
    """
    files = {
        "run.py": run,
        "exp/__init__.py": "",
        "exp/exp_basic.py": "class Exp_Basic:\n    def train(self):\n        pass\n",
        "exp/exp_forecast.py": RUNNER.format("Forecast"),
        "exp/exp_imputation.py": RUNNER.format("Imputation"),
    }
    assert audit(tmp_path / "package", files, "MLA403") == []
    # A folder of experiment scripts (no `__init__.py`, one run script): production must not import it.
    app = {"app/__init__.py": "", "app/serve.py": "from exp.exp_forecast import Exp_Forecast\n"}
    scripts = {k: v for k, v in files.items() if k != "exp/__init__.py" and k != "run.py"}
    scripts["exp/v1.py"] = "from exp.exp_forecast import Exp_Forecast\n\nif __name__ == '__main__':\n    pass\n"
    assert rows(audit(tmp_path / "folder", {**app, **scripts}, "MLA403")) == [("app/serve.py", 1)]


def test_mla101_reports_a_global_in_a_runner_package(tmp_path: Path) -> None:
    src = "params = {}\n\n\ndef job(tuning):\n    global params\n    params = dict(tuning)\n"
    script = src + "\n\nif __name__ == '__main__':\n    job({})\n"
    files = {"exp/__init__.py": "", "exp/exp_basic.py": src, "exps/v1.py": script}
    assert rows(audit(tmp_path, files, "MLA101")) == [("exp/exp_basic.py", 5)]


def test_mla403_one_finding_per_importing_module_and_folder(tmp_path: Path) -> None:
    serve = """
    from notebooks.helpers import score
    from notebooks.plots import band
    from notebooks.helpers import clip
    from sandbox.proto import Proto
    """
    files = {
        "ml/__init__.py": "",
        "ml/serve.py": serve,
        "ml/batch.py": "from notebooks.helpers import score\n",
        "notebooks/helpers.py": "score = clip = 1\n",
        "notebooks/plots.py": "band = 1\n",
        "sandbox/proto.py": "Proto = 1\n",
    }
    found = audit(tmp_path, files, "MLA403")
    assert rows(found) == [("ml/batch.py", 1), ("ml/serve.py", 1), ("ml/serve.py", 4)]
    grouped = next(f for f in found if (f.filename, f.location.row) == ("ml/serve.py", 1))
    assert "imports `notebooks/` 3 times (`notebooks.helpers`, `notebooks.plots`)" in grouped.message
    assert [(r.filename, r.location.row) for r in grouped.related] == [("ml/serve.py", 2), ("ml/serve.py", 3)]
    single = next(f for f in found if f.filename == "ml/batch.py")
    assert "imports `notebooks.helpers`, which is experiment code" in single.message
    assert single.related == []
