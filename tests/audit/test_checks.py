"""Each check on small projects that pass it and fail it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mlaudit.audit.checks import CHECKS
from mlaudit.audit.model import Status
from tests.audit.conftest import Audit, find_check
from tests.conftest import notebook

PKG_INIT = {"pkg/__init__.py": ""}

TYPED_CONFIG = '''
from pydantic import BaseModel


class TrainConfig(BaseModel):
    """What a run needs."""

    lr: float
    seed: int


def load_config(path: str) -> TrainConfig:
    """Read and validate the configuration."""
    return TrainConfig.model_validate_json(open(path).read())
'''

TRAIN_LOADS_CONFIG = '''
import json
import sys

from pkg.config import load_config


def main(path: str) -> None:
    """Train as configured."""
    config = load_config(path)
    with open("run_config.json", "w") as out:
        json.dump(config.model_dump(), out)


if __name__ == "__main__":
    main(sys.argv[1])
'''

TRAIN_IGNORES_CONFIG = '''
import sys


def main(path: str) -> None:
    """Train."""
    print(path)


if __name__ == "__main__":
    main(sys.argv[1])
'''


def status(report, check_id: str) -> Status:  # type: ignore[no-untyped-def]
    return find_check(report, check_id).status


def test_every_check_has_a_fix_weight_and_known_area() -> None:
    from mlaudit.audit.model import AREAS

    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    areas = {a for a, _ in AREAS}
    for check in CHECKS:
        assert check.area in areas
        assert check.weight > 0
        assert check.fix.endswith(".") and "\n" not in check.fix
    assert {c.area for c in CHECKS} == areas


# --- boundaries ---------------------------------------------------------------------------------


def test_importable_package(audit: Audit) -> None:
    good = audit({**PKG_INIT, "pkg/features.py": "def f(x: int) -> int:\n    return x\n"})
    assert status(good, "importable-package") is Status.PASS
    bad = audit({"features.py": "def f(x):\n    return x\n", "train.py": "import features\n"})
    assert status(bad, "importable-package") is Status.FAIL


def test_experiments_import_package(audit: Audit) -> None:
    good = audit({**PKG_INIT, "pkg/features.py": "def f(x):\n    return x\n",
                  "notebooks/explore.ipynb": notebook("from pkg.features import f\nf(1)")})  # fmt: skip
    assert status(good, "experiments-import-package") is Status.PASS
    bad = audit({**PKG_INIT, "pkg/serve.py": "from notebooks.helpers import h\n",
                 "notebooks/__init__.py": "", "notebooks/helpers.py": "def h():\n    return 1\n"})  # fmt: skip
    result = find_check(bad, "experiments-import-package")
    assert result.status is Status.FAIL
    assert result.evidence[0].code == "MLA403" and result.evidence[0].filename == "pkg/serve.py"
    assert status(audit({**PKG_INIT, "pkg/a.py": "X = 1\n"}), "experiments-import-package") is Status.NA


def test_notebook_share(audit: Audit) -> None:
    body = "\n".join(f"x{i} = {i}" for i in range(40))
    bad = audit({**PKG_INIT, "pkg/a.py": "X = 1\n", "notebooks/big.ipynb": notebook(body)})
    result = find_check(bad, "notebook-share")
    assert result.status is Status.FAIL and result.evidence[0].filename == "notebooks/big.ipynb"
    good = audit({**PKG_INIT, "pkg/a.py": body, "notebooks/small.ipynb": notebook("import pkg.a")})
    assert status(good, "notebook-share") is Status.PASS


def test_no_copied_preprocessing(audit: Audit) -> None:
    block = (
        "    df = df.dropna(subset=['user_id'])\n"
        "    df['amount'] = df['amount'].fillna(0.0)\n"
        "    df['country'] = df['country'].str.upper()\n"
        "    df['signup'] = df['signup'].astype('int64')\n"
        "    df = df[df['amount'] > 0]\n"
        "    return df\n"
    )
    files = {
        **PKG_INIT,
        "pkg/features.py": "def clean_frame(df):\n" + block,
        "notebooks/explore.ipynb": notebook("import pandas as pd\n\ndef clean(df):\n" + block),
    }
    result = find_check(audit(files), "no-copied-preprocessing")
    assert result.status in (Status.PARTIAL, Status.FAIL)
    assert {e.code for e in result.evidence} <= {"MLA501", "MLA502"} and result.evidence
    assert status(audit({**PKG_INIT, "pkg/features.py": "def clean_frame(df):\n" + block}),
                  "no-copied-preprocessing") is Status.PASS  # fmt: skip


def test_one_entry_point_per_job(audit: Audit) -> None:
    main = "if __name__ == '__main__':\n    print('run')\n"
    bad = audit({**PKG_INIT, "pkg/train.py": main, "pkg/train_v2.py": main, "pkg/train_new.py": main})
    result = find_check(bad, "one-entry-point-per-job")
    assert result.status is Status.FAIL
    assert {e.filename for e in result.evidence} == {"pkg/train.py", "pkg/train_v2.py", "pkg/train_new.py"}
    good = audit({**PKG_INIT, "pkg/train.py": main, "pkg/serve.py": main})
    assert status(good, "one-entry-point-per-job") is Status.PASS


# --- separation ---------------------------------------------------------------------------------


def test_import_cycles_and_layers(audit: Audit) -> None:
    bad = audit({**PKG_INIT, "pkg/a.py": "from pkg import b\n", "pkg/b.py": "from pkg import a\n",
                 "pkg/config.py": "from pkg import train\n", "pkg/train.py": "X = 1\n"})  # fmt: skip
    assert status(bad, "no-import-cycles") is Status.PARTIAL
    assert status(bad, "layered-imports") is Status.PARTIAL
    good = audit({**PKG_INIT, "pkg/train.py": "from pkg import config\n", "pkg/config.py": "X = 1\n"})
    assert status(good, "no-import-cycles") is Status.PASS
    assert status(good, "layered-imports") is Status.PASS


def test_pure_transforms(audit: Audit) -> None:
    impure = "import pandas as pd\n\n\ndef build_features(df):\n    lookup = pd.read_csv('x.csv')\n    return df.merge(lookup)\n"
    assert status(audit({**PKG_INIT, "pkg/features.py": impure}), "pure-transforms") is Status.FAIL
    pure = "def build_features(df, lookup):\n    return df.merge(lookup)\n"
    assert status(audit({**PKG_INIT, "pkg/features.py": pure}), "pure-transforms") is Status.PASS
    assert status(audit({**PKG_INIT, "pkg/util.py": "X = 1\n"}), "pure-transforms") is Status.NA


def test_mutable_module_state(audit: Audit) -> None:
    bad = "CACHE = {}\n\n\ndef put(k, v):\n    global CACHE\n    CACHE = {k: v}\n"
    assert status(audit({**PKG_INIT, "pkg/state.py": bad}), "no-mutable-module-state") is Status.FAIL
    good = "def put(cache, k, v):\n    return {**cache, k: v}\n"
    assert status(audit({**PKG_INIT, "pkg/state.py": good}), "no-mutable-module-state") is Status.PASS


# --- configuration ------------------------------------------------------------------------------


def test_config_model_loaded_by_entry_point(audit: Audit) -> None:
    good = audit({**PKG_INIT, "pkg/config.py": TYPED_CONFIG, "pkg/train.py": TRAIN_LOADS_CONFIG})
    result = find_check(good, "config-model")
    assert result.status is Status.PASS, result.summary
    assert {e.filename for e in result.evidence} == {"pkg/config.py", "pkg/train.py"}
    unused = audit({**PKG_INIT, "pkg/config.py": TYPED_CONFIG, "pkg/train.py": TRAIN_IGNORES_CONFIG})
    assert status(unused, "config-model") is Status.PARTIAL
    none = audit({**PKG_INIT, "pkg/train.py": TRAIN_IGNORES_CONFIG})
    assert status(none, "config-model") is Status.FAIL


def test_a_schema_model_is_not_a_config_model(audit: Audit) -> None:
    schema = "from pydantic import BaseModel\n\n\nclass PredictRequest(BaseModel):\n    amount: float\n"
    assert status(audit({**PKG_INIT, "pkg/schema.py": schema}), "config-model") is Status.FAIL


def test_values_from_config(audit: Audit) -> None:
    bad = ("from sklearn.ensemble import RandomForestClassifier\n\n\ndef fit(x, y):\n"
           "    return RandomForestClassifier(n_estimators=300, max_depth=8).fit(x, y)\n")  # fmt: skip
    result = find_check(audit({**PKG_INIT, "pkg/model.py": bad}), "values-from-config")
    assert result.status is Status.FAIL and result.evidence[0].code == "MLA301"
    good = ("from sklearn.ensemble import RandomForestClassifier\n\n\ndef fit(x, y, config):\n"
            "    return RandomForestClassifier(n_estimators=config.n_estimators).fit(x, y)\n")  # fmt: skip
    assert status(audit({**PKG_INIT, "pkg/model.py": good}), "values-from-config") is Status.PASS


def test_environment_in_one_place(audit: Audit) -> None:
    # MLA302 reports one finding per module that reads the environment in its functions (one cause):
    # three such modules are past the partial threshold (2).
    modules = {f"pkg/job{i}.py": f"import os\n\n\ndef f():\n    return os.environ['V{i}']\n" for i in range(3)}
    bad = audit({**PKG_INIT, **modules})
    assert status(bad, "environment-in-one-place") is Status.FAIL
    good = audit({**PKG_INIT, "pkg/config.py": "import os\n\nTOKEN = os.environ.get('TOKEN')\n"})
    assert status(good, "environment-in-one-place") is Status.PASS


def test_config_saved_with_run(audit: Audit) -> None:
    good = audit({**PKG_INIT, "pkg/config.py": TYPED_CONFIG, "pkg/train.py": TRAIN_LOADS_CONFIG})
    result = find_check(good, "config-saved-with-run")
    assert result.status is Status.PASS
    assert result.evidence[0].filename == "pkg/train.py" and "json.dump" in result.evidence[0].message
    tracked = audit({**PKG_INIT, "pkg/train.py": "import mlflow\n\n\ndef main(cfg):\n    mlflow.log_params(vars(cfg))\n\n\n"
                     "if __name__ == '__main__':\n    main(None)\n"})  # fmt: skip
    assert status(tracked, "config-saved-with-run") is Status.PASS
    bad = audit({**PKG_INIT, "pkg/config.py": TYPED_CONFIG, "pkg/train.py": TRAIN_IGNORES_CONFIG})
    assert status(bad, "config-saved-with-run") is Status.FAIL


# --- contracts ----------------------------------------------------------------------------------

SAVE_PLAIN = "import joblib\n\n\ndef save(model, path):\n    joblib.dump(model, path)\n\n\ndef load(path):\n    return joblib.load(path)\n"
SAVE_VERSIONED = """
import json

import joblib

MODEL_VERSION = 3


def save(model, path):
    joblib.dump({"model": model, "model_version": MODEL_VERSION}, path)


def upgrade_v2(blob):
    return {**blob, "model_version": 3}


def load(path):
    blob = joblib.load(path)
    if blob["model_version"] == 2:
        blob = upgrade_v2(blob)
    if blob["model_version"] != MODEL_VERSION:
        raise ValueError("incompatible model")
    return blob["model"]
"""


def test_contracts(audit: Audit) -> None:
    bad = audit({**PKG_INIT, "pkg/artifacts.py": SAVE_PLAIN})
    assert status(bad, "artifact-versioned") is Status.FAIL
    assert status(bad, "loader-checks-version") is Status.FAIL
    assert status(bad, "previous-artifact-loadable") is Status.FAIL
    good = audit({**PKG_INIT, "pkg/artifacts.py": SAVE_VERSIONED})
    assert status(good, "artifact-versioned") is Status.PASS
    assert status(good, "loader-checks-version") is Status.PASS
    assert status(good, "previous-artifact-loadable") is Status.PASS
    none = audit({**PKG_INIT, "pkg/a.py": "X = 1\n"})
    assert {status(none, c) for c in ("artifact-versioned", "loader-checks-version")} == {Status.NA}


def test_inputs_validated(audit: Audit) -> None:
    serve = ("from pydantic import BaseModel\n\n\nclass ScoreRequest(BaseModel):\n    amount: float\n\n\n"
             "def score(payload: dict) -> float:\n    request = ScoreRequest.model_validate(payload)\n"
             "    return request.amount\n")  # fmt: skip
    assert status(audit({**PKG_INIT, "pkg/serve.py": serve}), "inputs-validated") is Status.PASS
    raw = "def score(payload):\n    return payload['amount']\n"
    assert status(audit({**PKG_INIT, "pkg/serve.py": raw}), "inputs-validated") is Status.FAIL


# --- reproducibility ----------------------------------------------------------------------------


def test_rules_not_in_the_registry_are_not_applicable(audit: Audit) -> None:
    from mlaudit import api

    report = audit({**PKG_INIT, "pkg/a.py": "X = 1\n"})
    codes = {r.code for r in api.registry().rules}
    for check_id, code in (("seeds", "MLA704"), ("no-leakage", "MLA702"), ("datetime-parsing", "MLA701")):
        result = find_check(report, check_id)
        if code not in codes:
            assert result.status is Status.NA and code in result.summary


def test_experiment_log(audit: Audit) -> None:
    csv_log = ('import csv\n\n\ndef main():\n    with open("runs.csv", "a") as log:\n'
               '        csv.writer(log).writerow([1])\n\n\nif __name__ == "__main__":\n    main()\n')  # fmt: skip
    result = find_check(audit({**PKG_INIT, "pkg/train.py": csv_log}), "experiment-log")
    assert result.status is Status.PASS and result.evidence[0].location is not None
    wandb = "import wandb\n\n\ndef main():\n    wandb.log({'loss': 1.0})\n\n\nif __name__ == '__main__':\n    main()\n"
    assert status(audit({**PKG_INIT, "pkg/train.py": wandb}), "experiment-log") is Status.PASS
    nothing = "def main():\n    print(1)\n\n\nif __name__ == '__main__':\n    main()\n"
    assert status(audit({**PKG_INIT, "pkg/train.py": nothing}), "experiment-log") is Status.FAIL


def test_data_versioned(audit: Audit) -> None:
    assert (
        status(audit({**PKG_INIT, "data/raw.csv.dvc": "outs:\n- md5: 1\n"}), "data-versioned") is Status.PASS
    )
    assert status(audit({**PKG_INIT, "data/raw.csv": "a,b\n"}), "data-versioned") is Status.FAIL


def test_dependencies_pinned(audit: Audit) -> None:
    assert status(audit({**PKG_INIT, "uv.lock": "version = 1\n"}), "dependencies-pinned") is Status.PASS
    pinned = audit({**PKG_INIT, "requirements.txt": "numpy==1.26.4\npandas==2.2.2  # data\n"})
    assert status(pinned, "dependencies-pinned") is Status.PASS
    loose = audit({**PKG_INIT, "requirements.txt": "numpy\npandas>=2\n"})
    assert status(loose, "dependencies-pinned") is Status.FAIL
    half = audit({**PKG_INIT, "requirements.txt": "numpy==1.26.4\npandas>=2\n"})
    assert status(half, "dependencies-pinned") is Status.PARTIAL


# --- hygiene ------------------------------------------------------------------------------------


def test_tests_import_package(audit: Audit) -> None:
    code = "def f(x: int) -> int:\n    return x + 1\n"
    good = audit(
        {
            **PKG_INIT,
            "pkg/a.py": code,
            "tests/test_a.py": "from pkg.a import f\n\n\ndef test_f():\n    assert f(1) == 2\n",
        }
    )
    result = find_check(good, "tests-import-package")
    assert result.status is Status.PASS and "1 of 1 test files" in result.summary
    copied = audit(
        {
            **PKG_INIT,
            "pkg/a.py": code,
            "tests/test_a.py": "def f(x):\n    return x + 1\n\n\ndef test_f():\n    assert f(1) == 2\n",
        }
    )
    assert status(copied, "tests-import-package") is Status.FAIL
    assert status(audit({**PKG_INIT, "pkg/a.py": code}), "tests-import-package") is Status.FAIL


def test_type_hints_and_docstrings(audit: Audit) -> None:
    typed = 'class A:\n    def m(self, x: int) -> int:\n        """Doc."""\n        return x\n\n\ndef f(a: int, *, b: str = "") -> str:\n    """Doc."""\n    return b\n'
    good = audit({**PKG_INIT, "pkg/a.py": typed})
    assert status(good, "type-hints") is Status.PASS
    assert status(good, "docstrings") is Status.PASS
    untyped = "def f(a, b):\n    return a\n\n\ndef g(a: int):\n    return a\n"
    bad = audit({**PKG_INIT, "pkg/a.py": untyped})
    result = find_check(bad, "type-hints")
    assert result.status is Status.FAIL and "0 of 2" in result.summary
    assert result.evidence[0].filename == "pkg/a.py" and result.evidence[0].location.row == 1  # type: ignore[union-attr]
    assert status(bad, "docstrings") is Status.FAIL


def test_complexity(audit: Audit) -> None:
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(15))
    bad = audit({**PKG_INIT, "pkg/a.py": "def f(x):\n" + branches + "    return -1\n"})
    assert status(bad, "complexity") is Status.FAIL
    assert status(audit({**PKG_INIT, "pkg/a.py": "def f(x):\n    return x\n"}), "complexity") is Status.PASS


def test_tooling_and_ci(audit: Audit) -> None:
    files = {
        **PKG_INIT,
        "pyproject.toml": "[tool.mlaudit]\n\n[tool.ruff]\nline-length = 100\n\n[tool.mypy]\nstrict = true\n",
        ".pre-commit-config.yaml": "repos:\n- repo: local\n  hooks:\n  - id: mlaudit\n",
        ".github/workflows/ci.yml": "jobs:\n  test:\n    steps:\n    - run: pytest -q\n",
    }
    good = audit(files)
    assert status(good, "tooling") is Status.PASS
    assert "mlaudit in pre-commit/CI: yes" in find_check(good, "tooling").summary
    assert status(good, "ci-runs-tests") is Status.PASS
    no_tests = audit(
        {**PKG_INIT, ".github/workflows/ci.yml": "jobs:\n  lint:\n    steps:\n    - run: ruff check .\n"}
    )
    assert status(no_tests, "ci-runs-tests") is Status.PARTIAL
    bare = audit({**PKG_INIT})
    assert status(bare, "tooling") is Status.FAIL
    assert status(bare, "ci-runs-tests") is Status.FAIL


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_no_large_files_in_git_history(audit: Audit, tmp_path: Path) -> None:
    def git_project(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "git"
        root.mkdir()
        from tests.conftest import write_files

        write_files(root, files)
        env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}  # fmt: skip
        for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
            subprocess.run(["git", "-C", str(root), *cmd], check=True, env=env, capture_output=True)
        (root / "model.pkl").unlink(missing_ok=True)  # deleted now, still in history
        return root

    from mlaudit import api
    from mlaudit.audit import run_audit

    config = "[tool.mlaudit]\n[tool.mlaudit.audit]\nlarge-file-mb = 0.01\n"
    root = git_project({"pyproject.toml": config, **PKG_INIT, "model.pkl": b"\0" * 20_000})
    result = find_check(run_audit(root, api.CheckOptions(no_cache=True)).report, "no-large-files")
    assert result.status is Status.PARTIAL
    assert result.evidence[0].filename == "model.pkl" and "0.0 MB" in result.evidence[0].message


def test_no_large_files_is_not_applicable_without_git(audit: Audit) -> None:
    assert status(audit({**PKG_INIT}), "no-large-files") is Status.NA


def test_config_class_handed_to_a_parser_is_loaded(audit: Audit) -> None:
    script = '''
from dataclasses import dataclass

import tyro


@dataclass
class Args:
    """Everything a run needs."""

    lr: float = 3e-4
    seed: int = 1


if __name__ == "__main__":
    args = tyro.cli(Args)
'''
    result = find_check(audit({"train.py": script}), "config-model")
    assert result.status is Status.PASS, result.summary


def test_nested_pydantic_config_and_data_json_are_not_configuration(audit: Audit) -> None:
    schema = (
        "import json\n\nfrom pydantic import BaseModel\n\n\nclass Trip(BaseModel):\n    km: float\n\n"
        "    class Config:\n        extra = 'forbid'\n\n\ndef rows(path):\n    return json.load(open(path))\n"
    )
    result = find_check(audit({**PKG_INIT, "pkg/schemas.py": schema}), "config-model")
    assert result.status is Status.FAIL and result.evidence == []
    yaml_config = (
        "import yaml\n\n\ndef main():\n    cfg = yaml.safe_load(open('configs/train.yaml'))\n    return cfg\n"
    )
    result = find_check(audit({**PKG_INIT, "pkg/train.py": yaml_config}), "config-model")
    assert result.status is Status.PARTIAL and "untyped" in result.summary


def test_save_pretrained_follows_mla703(audit: Audit) -> None:
    """``save_pretrained`` writes the architecture, not a model or feature-schema version: the check
    agrees with MLA703 (rules.md lists it among the saves that need a version beside them)."""
    hf = "def save(model, tokenizer, out):\n    model.save_pretrained(out)\n    tokenizer.save_pretrained(out)\n"
    assert status(audit({**PKG_INIT, "pkg/train.py": hf}), "artifact-versioned") is Status.FAIL


def test_fastapi_request_models_validate_at_the_boundary(audit: Audit) -> None:
    app = ("from fastapi import FastAPI\nfrom pydantic import BaseModel\n\napp = FastAPI()\n\n\n"
           "class PredictRequest(BaseModel):\n    amount: float\n\n\n@app.post('/predict')\n"
           "def predict(request: PredictRequest) -> float:\n    return request.amount\n")  # fmt: skip
    assert status(audit({**PKG_INIT, "pkg/app.py": app}), "inputs-validated") is Status.PASS
    research = "import torch\n\n\ndef main():\n    return torch.zeros(1)\n"
    assert status(audit({**PKG_INIT, "pkg/train.py": research}), "inputs-validated") is Status.NA


def test_argparse_flags_are_untyped_configuration(audit: Audit) -> None:
    script = ("import argparse\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n"
              "    parser.add_argument('--lr', type=float)\n    return parser.parse_args()\n\n\n"
              "if __name__ == '__main__':\n    main()\n")  # fmt: skip
    result = find_check(audit({"train.py": script}), "config-model")
    assert result.status is Status.PARTIAL and "argparse.ArgumentParser" in result.evidence[0].message


def test_hydra_entry_point_importing_a_structured_config_loads_it(audit: Audit) -> None:
    config = "from dataclasses import dataclass\n\n\n@dataclass\nclass MainConfig:\n    lr: float\n"
    train = ("import hydra\n\nfrom pkg.config import MainConfig\n\n\n@hydra.main(config_path='conf')\n"
             "def main(cfg: MainConfig) -> None:\n    print(cfg.lr)\n\n\nif __name__ == '__main__':\n    main()\n")  # fmt: skip
    result = find_check(audit({**PKG_INIT, "pkg/config.py": config, "pkg/train.py": train}), "config-model")
    assert result.status is Status.PASS, result.summary


def test_a_value_read_from_the_config_is_not_the_config_saved(audit: Audit) -> None:
    train = ("import torch\nimport hydra\n\n\n@hydra.main(config_path='conf')\ndef main(cfg):\n"
             "    model = torch.nn.Linear(1, 1)\n    torch.onnx.export(model, torch.zeros(1), cfg.model.onnx_path)\n"
             "    torch.save(model.state_dict(), cfg.paths.weights)\n\n\nif __name__ == '__main__':\n    main()\n")  # fmt: skip
    assert status(audit({**PKG_INIT, "pkg/train.py": train}), "config-saved-with-run") is Status.FAIL
    saved = train.replace("    torch.save(model.state_dict(), cfg.paths.weights)\n",
                          "    torch.save({'state': model.state_dict(), 'config': dict(cfg)}, cfg.paths.weights)\n")  # fmt: skip
    result = find_check(audit({**PKG_INIT, "pkg/train.py": saved}), "config-saved-with-run")
    assert result.status is Status.PASS and "torch.save" in result.evidence[0].message


def test_code_in_folders_without_init_is_a_partial_package(audit: Audit) -> None:
    files = {
        "app/model.py": "def predict(x):\n    return x\n",
        "app/main.py": "from app.model import predict\n",
    }
    result = find_check(audit(files), "importable-package")
    assert result.status is Status.PARTIAL and "without __init__.py" in result.summary
