"""Configuration family: MLA301 hardcoded-hyperparameter, MLA302 scattered-env-access, MLA303 hardcoded-path,
MLA304 hyperparameter-drift. Each test writes a small project and audits it through the public API."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.conftest import audit, notebook
from tests.conftest import rows as lines

# --- MLA301 hardcoded-hyperparameter -------------------------------------------------------------------------


def test_literal_hyperparameters_are_reported(tmp_path: Path) -> None:
    src = """
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split
    from sklearn.svm import SVC
    import torch

    LEARNING_RATE = 3e-4
    Batch_Size: int = 64

    def train(X, y, model):
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2)
        clf = RandomForestClassifier(n_estimators=300, max_depth=-5)
        svc = SVC(C=0.5, gamma=0.1)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
        params = {"learning_rate": 0.05, "num_leaves": 31, "alpha": 0.3}
        model.fit(X, y, epochs=20, batch_size=32)
        return clf, svc, opt, params
    """
    found = audit(tmp_path, {"pkg/train.py": src}, "MLA301")
    # One finding per cause: the module's constants, the literals of one function's calls, the params dict.
    assert lines(found) == [("pkg/train.py", n) for n in (6, 10, 14)]
    constants, calls, params = found
    assert "`learning_rate=3e-4`, `batch_size=64`" in constants.message
    assert [r.location.row for r in constants.related] == [7]
    assert "`test_size=0.2`, `n_estimators=300`, `max_depth=-5`, `C=0.5` and 5 more" in calls.message
    assert "`train_test_split`, `RandomForestClassifier`, `SVC` and 2 more in `train`" in calls.message
    assert [r.location.row for r in calls.related] == [11, 11, 12, 12, 13, 13, 15, 15]
    assert len(params.related) == 2  # the dict's three keys


def test_one_finding_per_callee_in_a_function(tmp_path: Path) -> None:
    src = """
    from torch import nn
    from torch.utils.data import DataLoader

    def loaders(train, val, test):
        return (
            DataLoader(train, batch_size=64, shuffle=True),
            DataLoader(val, batch_size=256),
            DataLoader(test, batch_size=256),
        )
    """
    found = audit(tmp_path, {"pkg/data.py": src}, "MLA301")
    assert lines(found) == [("pkg/data.py", 6)]
    assert "`batch_size=64`, `batch_size=256` hardcoded in the calls to `DataLoader`" in found[0].message
    assert len(found[0].related) == 2


def test_pure_scripts_and_demonstration_code_are_quiet(tmp_path: Path) -> None:
    body = "from sklearn.svm import SVC\n\ndef fit(X, y):\n    return SVC(C=10.0).fit(X, y)\n"
    files = {
        "examples/svm_demo.py": body,
        "notebooks_v1/helpers.py": body,
        "scripts/hf-integration-tests.py": body,
        # a pure script: inline work, no main guard
        "main.py": "from sklearn.svm import SVC\n\nfor c in range(3):\n    SVC(C=0.5)\n",
    }
    assert audit(tmp_path, files, "MLA301") == []
    assert lines(audit(tmp_path / "lib", {"pkg/svm.py": body}, "MLA301")) == [("pkg/svm.py", 4)]


def test_configuration_that_is_not_hardcoded(tmp_path: Path) -> None:
    files = {
        # a preset factory: a named model configuration
        "pkg/models.py": """
            from torch import nn

            class Block(nn.Module):
                def __init__(self, dim):
                    super().__init__()
                    self.attn = nn.MultiheadAttention(dim, num_heads=8, dropout=0.1)
                    self.down = Down(dim, dim, dropout=0.5)   # a layer's dropout inside a model definition

            class ViT(nn.Module):
                def __init__(self, depth, hidden_size, num_heads, **kwargs):
                    super().__init__()

            def vit_base(**kwargs):
                return ViT(depth=12, hidden_size=768, num_heads=12, **kwargs)

            def vit_large(pretrained=False, **kwargs):
                \"\"\"ViT-L.\"\"\"
                model = ViT(depth=24, hidden_size=1024, num_heads=16, **kwargs)
                return model
            """,
        # a script's settings block, wherever it sits, and its main guard
        "train.py": """
            import torch

            def run(model, lr, epochs):
                return torch.optim.SGD(model.parameters(), lr=lr), epochs

            # settings
            EPOCHS = 200
            batch_size = 32
            LR = 3e-4

            if __name__ == "__main__":
                learning_rate = 0.1
                run(torch.nn.Linear(2, 2), LR, epochs=10)
            """,
        # constants used as defaults of options or parameters; a settings table; inference batch sizes
        "pkg/cli.py": """
            import argparse

            BATCH_SIZE = 128
            LR = 1e-3

            def parser(lr=LR):
                p = argparse.ArgumentParser()
                p.add_argument("--batch_size", type=int, default=BATCH_SIZE)
                defaults = dict(lr=1e-4, batch_size=16, weight_decay=0.0)
                return p, defaults

            def score(model, X):
                return model.predict(X, batch_size=1000)

            def loaders(train, val, DataLoader, opt):
                val_loader = DataLoader(val, batch_size=10, shuffle=True)
                return DataLoader(train, batch_size=opt.batch_size), val_loader

            def evaluate(model, data, DataLoader):
                return [model(b) for b in DataLoader(data, batch_size=100)]
            """,
        # a sphinx-gallery example (rendered as a notebook)
        "examples/plot_report.py": '''
            """
            ==========
            Evaluation
            ==========
            """
            from sklearn.linear_model import LogisticRegression
            clf = LogisticRegression(max_iter=10_000)
            ''',
        # a library's own self-test block and a summary callback
        "pkg/blocks.py": """
            from lightning.pytorch.callbacks import ModelSummary

            def callbacks():
                return [ModelSummary(max_depth=2)]

            if __name__ == "__main__":
                batch_size = 2
                num_heads = 4
            """,
        # a notebook saved as .py (percent cells)
        "examples/plot_forest.py": "# %%\nfrom sklearn.ensemble import RandomForestClassifier\n# %%\n"
        "clf = RandomForestClassifier(n_estimators=50)\n",
    }
    found = audit(tmp_path, files, "MLA301")
    assert [(f.filename, f.location.row, f.message) for f in found] == []


def test_hyperparameter_quiet_cases(tmp_path: Path) -> None:
    src = """
    import matplotlib.pyplot as plt
    import torch
    from sklearn.linear_model import Ridge

    def train(X, y, cfg, lr=0.01, n_estimators=100):       # parameter defaults are configuration
        Ridge(alpha=cfg.alpha).fit(X, y)                      # not a literal
        plt.scatter(X, y, alpha=0.5)                          # plot transparency, not a hyperparameter
        ax = plt.gca()
        ax.fill_between(X, y, alpha=0.2)
        z = torch.add(X, y, alpha=2)                          # arithmetic
        step(max_iter=1, dropout=0)                           # 0 and 1 switch things off, they do not tune
        run(learning_rate="auto")                             # not numeric
        return z

    def step(**kw):
        return kw

    def run(**kw):
        return kw
    """
    assert audit(tmp_path, {"pkg/train.py": src}, "MLA301") == []


def test_config_modules_and_models_are_exempt(tmp_path: Path) -> None:
    files = {
        "pkg/config.py": "LEARNING_RATE = 3e-4\nMODEL = dict(n_estimators=300)\n",
        "pkg/conf/params.py": "BATCH_SIZE = 64\n",
        "pkg/model_config.py": "EPOCHS = 10\n",
        "pkg/settings.py": "DROPOUT = 0.1\n",
        "pkg/train.py": """
            from dataclasses import dataclass
            from pydantic import BaseModel, Field
            from pydantic_settings import BaseSettings

            class TrainingConfig(BaseModel):
                lr: float = 0.01
                batch_size: int = Field(32, gt=0)
                model: dict = dict(n_estimators=300)

            class ServiceSettings(BaseSettings):
                batch_size: int = 128

            @dataclass
            class SearchParams:
                max_depth: int = 6

            class Hyperparameters:
                epochs = 5

            class Knobs(BaseModel):
                momentum: float = 0.9

            class DerivedKnobs(Knobs):
                patience: int = 3
            """,
    }
    assert audit(tmp_path, files, "MLA301") == []


def test_tests_and_experiments_are_quiet(tmp_path: Path) -> None:
    body = "from sklearn.svm import SVC\n\nLR = 0.1\nclf = SVC(C=10.0)\n"
    files = {"tests/test_model.py": body, "notebooks/explore.py": body, "nb.ipynb": notebook(body)}
    assert audit(tmp_path, files, "MLA301") == []


def test_vocabulary_is_extendable(tmp_path: Path) -> None:
    src = "from xgboost import XGBClassifier\n\nclf = XGBClassifier(eta=0.3, min_child_weight=5)\n"
    found = audit(
        tmp_path, {"pkg/train.py": src}, "MLA301", **{"extend-hyperparameters": ["eta", "min_child_weight"]}
    )
    assert len(found) == 1 and len(found[0].related) == 1  # one call: one finding


def test_config_models_are_extendable(tmp_path: Path) -> None:
    src = "class TrainerKnobs:\n    lr = 0.1\n\nLR = 0.1\n"
    found = audit(tmp_path, {"pkg/train.py": src}, "MLA301", **{"extend-config-models": ["*Knobs"]})
    assert lines(found) == [("pkg/train.py", 4)]


# --- MLA302 scattered-env-access -------------------------------------------------------------------------------


def test_env_reads_inside_functions_are_one_finding_per_module(tmp_path: Path) -> None:
    src = """
    import os
    from os import environ, getenv
    import os as operating_system

    def connect():
        a = os.environ["DB_URL"]
        b = os.environ.get("DB_USER", "x")
        c = os.getenv("DB_PASS")
        return a, b, c

    def serve():
        d = getenv("HOST")
        e = environ["PORT"]
        f = operating_system.environ.get("MODE", "dev")
        return d, e, f
    """
    found = audit(tmp_path, {"pkg/db.py": src}, "MLA302")
    assert lines(found) == [("pkg/db.py", 6)]
    message = found[0].message
    assert "6 environment reads inside 2 functions" in message and "`DB_PASS`" in message
    assert [r.location.row for r in found[0].related] == [7, 8, 12, 13, 14]


def test_env_variable_read_in_several_modules_is_one_finding(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/db.py": "import os\n\nDB_URL = os.environ['DB_URL']\nDB_USER = os.getenv('DB_USER')\n",
        "pkg/jobs.py": """
            import os

            from pkg.db import DB_URL

            def nightly():
                return os.environ["DB_URL"], os.environ.get("DB_USER"), os.getenv("QUEUE")
            """,
        "pkg/report.py": "import os\nfrom pkg import db\n\nURL = os.environ.get('DB_URL')\n",
    }
    found = audit(tmp_path, files, "MLA302")
    assert lines(found) == [("pkg/db.py", 3), ("pkg/jobs.py", 6)]
    shared, local = sorted(found, key=lambda f: f.filename)
    assert "`DB_URL`, `DB_USER` read in 3 modules" in shared.message
    assert len(shared.related) == 4
    # The shared variables are reported once, with the other modules: the function's own finding
    # names what is left (`QUEUE`).
    assert "`QUEUE`" in local.message and "DB_URL" not in local.message


def test_env_writes_are_not_reads(tmp_path: Path) -> None:
    src = """
    import os

    def setup(rank):
        os.environ["MODEL_NAME"] = "bert"
        os.environ["RETRIES"] += "1"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
        os.environ.update({"A": "1"})
        os.environ.pop("B", None)
        os.putenv("C", "1")
        del os.environ["D"]
        return "E" in os.environ, dict(os.environ)
    """
    assert audit(tmp_path, {"pkg/env.py": src}, "MLA302") == []


def test_launcher_and_platform_variables_are_quiet(tmp_path: Path) -> None:
    src = """
    import os

    def init_distributed():
        rank = int(os.environ["RANK"])
        local = int(os.environ.get("LOCAL_RANK", 0))
        world = int(os.getenv("WORLD_SIZE", "1"))
        job = os.environ["SLURM_JOB_ID"]
        home = os.path.expanduser(os.environ["HOME"])
        colab = os.getenv("COLAB_GPU")
        trial_dir = os.environ["NNI_OUTPUT_DIR"]  # set by NNI for each trial
        return rank, local, world, job, home, colab, trial_dir, os.environ.get("GITHUB_SHA")
    """
    assert audit(tmp_path, {"pkg/dist.py": src}, "MLA302") == []
    rules = {"rules": {"scattered-env-access": {"extend-ignore-variables": ["MY_*"]}}}
    mine = "import os\n\ndef f():\n    return os.environ['MY_FLAG']\n"
    assert audit(tmp_path, {"pkg/dist.py": mine}, "MLA302", **rules) == []
    assert len(audit(tmp_path, {"pkg/dist.py": mine}, "MLA302")) == 1


def test_entry_module_settings_block_is_quiet(tmp_path: Path) -> None:
    files = {
        # a single-file service: nothing imports it, it reads its settings once at the top
        "service/app.py": """
            import os
            from fastapi import FastAPI

            MODEL_PATH = os.environ["MODEL_PATH"]
            REDIS_HOST = os.getenv("REDIS_HOST", "localhost")
            app = FastAPI()

            @app.get("/health")
            def health():
                return {"model": MODEL_PATH}
            """,
        # a script: module-level settings and its main guard
        "train.py": """
            import os

            DATA_DIR = os.environ.get("DATA_DIR", "data")

            def main(data_dir):
                print(data_dir)

            if __name__ == "__main__":
                main(os.environ.get("DATA_DIR", DATA_DIR))
            """,
        # the same variable read by two programs that share nothing (two services of one repository)
        "worker/main.py": "import os\n\nQUEUE = os.getenv('IMAGE_QUEUE')\nprint(QUEUE)\n",
        "web/main.py": "import os\n\nQUEUE = os.getenv('IMAGE_QUEUE')\nprint(QUEUE)\n",
        # ... and by two libraries that never meet (neither imports the other, nor a common module)
        "liba/__init__.py": "",
        "liba/io.py": "import os\n\ndef f():\n    pass\n\nBUCKET = os.getenv('BUCKET')\n",
        "libb/__init__.py": "",
        "libb/io.py": "import os\n\ndef g():\n    pass\n\nBUCKET = os.getenv('BUCKET')\n",
    }
    assert audit(tmp_path, files, "MLA302") == []
    files["libb/io.py"] = "import os\nfrom liba import io\n\nBUCKET = os.getenv('BUCKET')\n"
    assert lines(audit(tmp_path, files, "MLA302")) == [("liba/io.py", 6)]


def test_env_accessor_with_a_variable_name_is_quiet(tmp_path: Path) -> None:
    src = "import os\n\ndef env(name, default=None):\n    return os.environ.get(name, default)\n"
    assert audit(tmp_path, {"pkg/util.py": src}, "MLA302") == []


def test_env_reads_quiet_cases(tmp_path: Path) -> None:
    body = "import os\n\nDB_URL = os.environ['DB_URL']\nUSER = os.getenv('USER')\n"
    files = {
        "pkg/config.py": body,
        "pkg/settings.py": body,
        "pkg/conf/env.py": body,
        "pkg/serving_config.py": body,
        "tests/test_db.py": body,
        "notebooks/explore.py": body,
        "nb.ipynb": notebook(body),
        "pkg/app.py": """
            import os
            from pydantic_settings import BaseSettings

            class AppSettings(BaseSettings):
                db_url: str = os.environ.get("DB_URL", "sqlite://")

            def run(env):
                os = {"environ": {}}          # a local shadows the module
                return os["environ"], env.get("X")
            """,
    }
    assert audit(tmp_path, files, "MLA302") == []


# --- MLA303 hardcoded-path ---------------------------------------------------------------------------------------


def test_hardcoded_paths_are_reported(tmp_path: Path) -> None:
    src = """
    import os
    from pathlib import Path
    import joblib
    import numpy as np
    import pandas as pd

    def load(df, name, model):
        a = pd.read_csv("data/train.csv")
        b = open("/mnt/shared/labels")
        c = pd.read_parquet("s3://bucket/features/")
        d = joblib.load("~/models/model.joblib")
        e = np.load(os.path.join("/data", name))
        f = open(Path("/data") / name)
        df.to_parquet("out/features.parquet")
        g = pd.read_csv(filepath_or_buffer="gs://bucket/x")
        return a, b, c, d, e, f, g
    """
    found = audit(tmp_path, {"pkg/io.py": src}, "MLA303")
    # One cause, one finding: the paths hardcoded in `load`, every other site in `related` (`/data` twice).
    assert lines(found) == [("pkg/io.py", 8)]
    assert (
        "'data/train.csv'" in found[0].message and "and 6 more hardcoded paths in `load`" in found[0].message
    )
    assert [r.location.row for r in found[0].related] == [9, 10, 11, 12, 13, 14, 15]
    # the same literal in two functions of a file is one thing to move, too
    two = "import torch\n\ndef save(m):\n    torch.save(m, 'ckpt/last.pt')\n\ndef load():\n    return torch.load('ckpt/last.pt')\n"
    found = audit(tmp_path / "two", {"pkg/ckpt.py": two}, "MLA303")
    assert lines(found) == [("pkg/ckpt.py", 4)] and "(and 1 more use in this file)" in found[0].message


def test_path_bound_to_a_local_then_passed_to_io_is_reported_at_the_literal(tmp_path: Path) -> None:
    src = """
    import pandas as pd
    import torch

    def make_submission(preds):
        output_filename = "submissions/predictions.csv"
        frame = pd.DataFrame(preds)
        frame.to_csv(output_filename, index=False)

    def load(model):
        ckpt = "checkpoints/best.pt"
        model.load_state_dict(torch.load(ckpt))
        return model

    def quiet(cfg, name):
        path = "data/default.csv"
        if cfg.path:
            path = cfg.path                   # rebound: the literal is a default, not the path
        a = pd.read_csv(path)
        out = f"{cfg.out_dir}/{name}.csv"     # built from configuration
        a.to_csv(out)
        tmp = "/tmp/scratch.csv"              # a platform path
        return pd.read_csv(tmp)
    """
    found = audit(tmp_path, {"pkg/jobs.py": src}, "MLA303")
    assert lines(found) == [("pkg/jobs.py", 5), ("pkg/jobs.py", 10)]
    assert "bound to `output_filename`, passed to `DataFrame.to_csv` on line 7" in found[0].message


def test_hardcoded_path_quiet_cases(tmp_path: Path) -> None:
    src = """
    import os
    from pathlib import Path
    import pandas as pd
    import requests

    DATA_DIR = Path("data")

    def load(cfg, df):
        a = pd.read_csv(os.path.join(cfg.data_dir, "train.csv"))   # built from config
        b = pd.read_csv(DATA_DIR / "train.csv")
        c = pd.read_csv(Path(__file__).parent / "lookup.csv")
        d = df["user_id"]                                           # not a path
        print("saved to out.csv")                                   # not an I/O call
        e = requests.get("https://api.example.com/v1/predict")      # an endpoint, not a data path
        f = open(os.devnull)
        g = open("/dev/null")
        h = pd.read_csv(cfg.path)
        df.to_csv(f"{cfg.out}/x.csv")
        i = glob.glob("data/raw/*.csv")                             # a pattern, not a path
        j = open("/proc/meminfo"), open("/tmp/run.log", "w"), open("/usr/share/dict/words")
        k = yaml.safe_load(open("configs/train.yaml"))             # the configuration itself
        m = json.load(open("config.json"))
        n = pd.read_csv("https://example.org/data/iris.csv")        # a published resource
        plt.savefig("figures/loss.png")                             # a figure
        return a, b, c, d, e, f, g, h, i, j, k, m, n
    """
    header = "import glob\nimport json\nimport matplotlib.pyplot as plt\nimport yaml\n"
    files = {
        "pkg/io.py": header + textwrap.dedent(src).lstrip("\n"),
        "setup.py": "from setuptools import setup\n\nsetup(install_requires=open('requirements.txt').read())\n",
        "hooks/post_gen_project.py": "import os\n\nos.remove('requirements-dev.txt')\n",
        "locustfile.py": "def task(client):\n    client.post('/predict', files={'f': open('cat.png', 'rb')})\n",
        # a notebook saved as .py (nbconvert): notebook code
        "ch03/ch03.py": "# coding: utf-8\n# # Chapter 3\nimport pandas as pd\n# ## Data\n"
        "df = pd.read_csv('iris.csv')\n# ## Model\n",
        "examples/plot_demo.py": "# %%\nimport pandas as pd\n# %%\ndf = pd.read_csv('data.csv')\n",
        "pkg/config.py": "import pandas as pd\nLOOKUP = pd.read_csv('data/lookup.csv')\n",
        "tests/test_io.py": "import pandas as pd\n\ndef test_x():\n    pd.read_csv('tests/data/x.csv')\n",
        "nb.ipynb": notebook("import pandas as pd\ndf = pd.read_csv('data/train.csv')\n"),
    }
    assert [(f.filename, f.location.row, f.message) for f in audit(tmp_path, files, "MLA303")] == []


def test_a_scripts_top_level_code_is_its_configuration(tmp_path: Path) -> None:
    script = """
    import gzip
    import torch

    def save(model):
        torch.save(model, "checkpoints/model.pt")      # inside a function: reported

    if __name__ == "__main__":
        data = gzip.open("./data/enwik8.gz").read()    # the script's own settings
    """
    assert lines(audit(tmp_path, {"train_enwik8.py": script}, "MLA303")) == [("train_enwik8.py", 5)]
    pure = "import torch\n\nmodel = torch.nn.Linear(2, 2)\n\ndef test():\n    torch.save(model, './ckpt.pth')\n\nfor epoch in range(3):\n    test()\n"
    assert audit(tmp_path / "pure", {"main.py": pure}, "MLA303") == []  # a pure script, run top to bottom


def test_files_that_import_no_ml_library_are_not_ml_code(tmp_path: Path) -> None:
    ci_helper = "import json\n\nwith open('creds.txt') as f:\n    data = f.read()\njson.dump(data, open('test.json', 'w'))\n"
    assert audit(tmp_path, {"ci/parse_json.py": ci_helper}, "MLA303") == []
    serving = "import pickle\n\ndef load():\n    with open('model.bin', 'rb') as f:\n        return pickle.load(f)\n"
    assert lines(audit(tmp_path, {"ci/parse_json.py": ci_helper, "app.py": serving}, "MLA303")) == [
        ("app.py", 4)
    ]


def test_path_extensions_are_extendable(tmp_path: Path) -> None:
    src = "import pandas as pd\n\ndef load():\n    return pd.read_csv(open('data/table.lance'))\n"
    assert audit(tmp_path, {"pkg/io.py": src}, "MLA303") == []
    rules = {"rules": {"hardcoded-path": {"extend-extensions": [".lance"]}}}
    assert len(audit(tmp_path, {"pkg/io.py": src}, "MLA303", **rules)) == 1


# --- MLA304 hyperparameter-drift ---------------------------------------------------------------------------------


def test_drift_between_script_and_notebook(tmp_path: Path) -> None:
    files = {
        "pkg/train.py": """
            from sklearn.model_selection import train_test_split

            def split(X, y):
                return train_test_split(X, y, test_size=0.2)
            """,
        "pkg/evaluate.py": """
            from sklearn.model_selection import train_test_split

            def split(X, y):
                return train_test_split(X, y, test_size=0.2)
            """,
        "notebooks/explore.ipynb": notebook(
            "from sklearn.model_selection import train_test_split\n",
            "X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25)\n",
        ),
    }
    found = audit(tmp_path, files, "MLA304")
    assert len(found) == 1
    finding = found[0]
    assert (finding.filename, finding.location.row) == ("pkg/evaluate.py", 4)
    assert (
        "`test_size`" in finding.message
        and "0.2 (2 sites)" in finding.message
        and "0.25 (1 site)" in finding.message
    )
    assert sorted((r.filename, r.cell, r.location.row) for r in finding.related) == [
        ("notebooks/explore.ipynb", 2, 1),
        ("pkg/train.py", None, 4),
    ]


def test_drift_between_config_and_hardcoded_value(tmp_path: Path) -> None:
    files = {
        "pkg/config.py": "TEST_SIZE = 0.2\n",
        "pkg/train.py": "from sklearn.model_selection import train_test_split\nparts = train_test_split([], test_size=0.3)\n",
    }
    found = audit(tmp_path, files, "MLA304")
    assert lines(found) == [("pkg/train.py", 2)]
    assert [r.filename for r in found[0].related] == ["pkg/config.py"]


def test_default_overridden_by_a_literal_elsewhere(tmp_path: Path) -> None:
    files = {
        "pkg/train.py": "def train(X, lr=0.01):\n    return X\n",
        "notebooks/try.py": "from pkg.train import train\ntrain([], lr=0.05)\n",
    }
    found = audit(tmp_path, files, "MLA304")
    assert lines(found) == [("notebooks/try.py", 2)]


def test_drift_quiet_cases(tmp_path: Path) -> None:
    files = {
        # one value used consistently
        "pkg/a.py": "from sklearn.model_selection import train_test_split\ns = train_test_split([], test_size=0.2)\n",
        "pkg/b.py": "from sklearn.model_selection import train_test_split\ns = train_test_split([], test_size=0.2)\n",
        # different knobs with the same name
        "pkg/c.py": "from sklearn.linear_model import LogisticRegression\nm = LogisticRegression(C=1.5)\n",
        "pkg/d.py": "from sklearn.svm import SVC\nm = SVC(C=0.5)\n",
        # different values in one file
        "pkg/e.py": "from xgboost import XGBClassifier\na = XGBClassifier(max_depth=3)\nb = XGBClassifier(max_depth=8)\n",
        # config variants differ by design
        "configs/small.py": "LEARNING_RATE = 1e-3\n",
        "configs/large.py": "LEARNING_RATE = 3e-4\n",
        # tests are ignored
        "tests/test_split.py": "from sklearn.model_selection import train_test_split\ns = train_test_split([], test_size=0.5)\n",
        # a constant is passed into functions whose defaults differ: by design
        "pkg/model.py": "EPOCHS = 20\n\ndef fit(X, epochs=10):\n    return X\n",
        # architecture hyperparameters are ignored by default
        "pkg/net1.py": "from pkg.blocks import Block\nb = Block(num_heads=8)\n",
        "pkg/net2.py": "from pkg.blocks import Block\nb = Block(num_heads=12)\n",
    }
    assert audit(tmp_path, files, "MLA304") == []


def test_drift_options(tmp_path: Path) -> None:
    files = {
        "pkg/blocks.py": "class Block:\n    pass\n",
        "pkg/net1.py": "from pkg.blocks import Block\nb = Block(num_heads=8)\n",
        "pkg/net2.py": "from pkg.blocks import Block\nb = Block(num_heads=12)\n",
    }
    rules = {"rules": {"hyperparameter-drift": {"ignore-names": []}}}
    assert len(audit(tmp_path, files, "MLA304", **rules)) == 1


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_drift_is_one_finding_per_name_and_deterministic(tmp_path: Path, order: tuple[str, str]) -> None:
    files = {
        "pkg/common.py": "SEED = 7\n",
        f"pkg/{order[0]}.py": "from torch.optim import Adam\nfrom pkg import common\no = Adam([], lr=0.1)\nq = Adam([], lr=0.2)\n",
        f"pkg/{order[1]}.py": "from torch.optim import Adam\nfrom pkg import common\no = Adam([], lr=0.3)\n",
    }
    found = audit(tmp_path, files, "MLA304")
    assert len(found) == 1
    assert (found[0].filename, found[0].location.row) == ("pkg/a.py", 3)
    assert len(found[0].related) == 2


def test_alpha_in_plotting_and_statistics_is_not_a_hyperparameter(tmp_path: Path) -> None:
    src = """
    from statsmodels.tsa.stattools import acf
    from yellowbrick.features import RadViz
    from sklearn.linear_model import Lasso

    def plots(x, y):
        viz = RadViz(classes=["a", "b"], alpha=0.25)
        corr = acf(x, nlags=10, alpha=0.05)
        model = Lasso(alpha=0.3)
        return viz, corr, model
    """
    found = audit(tmp_path, {"pkg/report.py": src}, "MLA301")
    assert lines(found) == [("pkg/report.py", 8)]


def test_params_dicts_drift_only_against_each_other(tmp_path: Path) -> None:
    files = {
        "pkg/common.py": "SEED = 7\n",
        "pkg/a.py": 'import pkg.common\nPARAMS = {"learning_rate": 0.05, "num_leaves": 31}\n',
        "pkg/b.py": 'import pkg.common\nPARAMS = {"learning_rate": 0.1, "num_leaves": 31}\n',
        "pkg/c.py": "import pkg.common\nfrom torch.optim import Adam\nopt = Adam([], learning_rate=0.3)\n",
        "pkg/cli.py": "import argparse\np = argparse.ArgumentParser()\np.add_argument('--learning-rate', default=0.2)\n",
    }
    found = audit(tmp_path, files, "MLA304")
    assert len(found) == 1
    sites = {(found[0].filename, found[0].location.row)} | {
        (r.filename, r.location.row) for r in found[0].related
    }
    assert sites == {("pkg/a.py", 2), ("pkg/b.py", 2)}


def test_drift_needs_a_production_site_and_few_values(tmp_path: Path) -> None:
    split = "from sklearn.model_selection import train_test_split\ns = train_test_split([], test_size={})\n"
    files = {
        # two notebooks disagreeing: exploration
        "notebooks/a.ipynb": notebook(split.format(0.2)),
        "notebooks/b.ipynb": notebook(split.format(0.3)),
        # a knob tuned per use in many scripts: not one value that drifted
        "pkg/common.py": "SEED = 7\n",
        **{
            f"pkg/demo{i}.py": f"import pkg.common\nfrom xgboost import XGBClassifier\nm = XGBClassifier(max_depth={i + 2})\n"
            for i in range(4)
        },
    }
    assert audit(tmp_path, files, "MLA304") == []
    files["pkg/train.py"] = split.format(0.25)
    found = audit(tmp_path, files, "MLA304")
    assert [f.message.split(":")[0] for f in found] == [
        "hyperparameter `test_size` has different literal values in 3 files"
    ]
    rules = {"rules": {"hyperparameter-drift": {"max-values": 4}}}
    assert len(audit(tmp_path, files, "MLA304", **rules)) == 2


def test_one_letter_names_match_case_sensitively(tmp_path: Path) -> None:
    src = "c = 2.0\nC = 0.5\n"
    found = audit(tmp_path, {"pkg/model.py": src}, "MLA301")
    assert lines(found) == [("pkg/model.py", 2)]


def test_plotting_and_metric_calls_take_no_hyperparameters(tmp_path: Path) -> None:
    src = """
    from sklearn.inspection import DecisionBoundaryDisplay
    from sklearn.metrics import PredictionErrorDisplay, make_scorer, mean_pinball_loss
    from sklearn.tree import plot_tree

    def report(clf, X, y, y_pred):
        DecisionBoundaryDisplay.from_estimator(clf, X, alpha=0.5)
        PredictionErrorDisplay.from_predictions(y, y_pred=y_pred, subsample=100)
        plot_tree(clf, max_depth=2)
        return make_scorer(mean_pinball_loss, alpha=0.95), mean_pinball_loss(y, y_pred, alpha=0.5)
    """
    assert audit(tmp_path, {"pkg/report.py": src}, "MLA301") == []


def test_independent_scripts_do_not_drift(tmp_path: Path) -> None:
    split = "from sklearn.model_selection import train_test_split\n{}s = train_test_split([], test_size={})\n"
    files = {"demo_a.py": split.format("", 0.2), "demo_b.py": split.format("", 0.3)}
    assert audit(tmp_path, files, "MLA304") == []  # two standalone scripts: independent programs
    files = {
        "pkg/__init__.py": "",
        "pkg/data.py": "def load():\n    return []\n",
        "train.py": split.format("from pkg.data import load\n", 0.2),
        "evaluate.py": split.format("from pkg import data\n", 0.3),
    }
    assert len(audit(tmp_path, files, "MLA304")) == 1  # one program: both use pkg.data


# --- issue 11, independent review: fallbacks, configuration functions, entry modules, scripts' entry points --


def test_parameter_fallbacks_and_configuration_functions_are_quiet(tmp_path: Path) -> None:
    src = """
    import os

    def configure(dir=None, format_strs=None, rank=0):
        if dir is None:
            dir = os.getenv("OPENAI_LOGDIR")
        if format_strs is None:
            if rank == 0:
                format_strs = os.getenv("OPENAI_LOG_FORMAT", "stdout").split(",")
        return dir, format_strs

    def connect(url=None, token=None, parser=None):
        url = url or os.environ.get("SCORING_URL")
        token = os.environ["SCORING_TOKEN"] if token is None else token
        parser.add_argument("--queue", default=os.getenv("QUEUE"))
        return url, token

    def get_settings():
        return os.environ["BUCKET"]

    def fetch(url=None):
        timeout = os.getenv("TIMEOUT")              # not a fallback of a parameter
        return (url or "x"), timeout, os.getenv("RETRIES") or url
    """
    found = audit(tmp_path, {"pkg/__init__.py": "", "pkg/client.py": src}, "MLA302")
    assert lines(found) == [("pkg/client.py", 21)]
    assert "2 environment reads inside `fetch`" in found[0].message


def test_an_entry_points_settings_read_once_are_quiet_but_not_reads_in_its_loop(tmp_path: Path) -> None:
    worker = """
    import os

    def main(base_model=""):
        base_model = base_model or os.environ.get("BASE_MODEL", "")
        cache = os.environ.get("CACHE_DIR", "~/.cache")
        while True:
            queue = os.environ.get("IMAGE_QUEUE")
            print(base_model, cache, queue)

    if __name__ == "__main__":
        main()
    """
    found = audit(tmp_path, {"worker.py": worker}, "MLA302")
    assert lines(found) == [("worker.py", 7)] and "`IMAGE_QUEUE` read inside `main`" in found[0].message
    # the same entry point in a module other modules import is a library function: its reads are hidden inputs
    files = {"pkg/__init__.py": "", "pkg/worker.py": worker.replace("    while True:\n", "    if True:\n")}
    files["pkg/jobs.py"] = "from pkg.worker import main\n"
    assert lines(audit(tmp_path / "lib", files, "MLA302")) == [("pkg/worker.py", 5)]


def test_a_lambda_handler_is_an_entry_point_and_one_read_in_its_module_scatters_nothing(
    tmp_path: Path,
) -> None:
    handler = """
    import os
    import boto3

    client = boto3.client("ssm")

    def trigger(params):
        return client.start(params, group=os.getenv("GROUP_ID"))

    def run(event, context):
        return trigger(event)
    """
    assert audit(tmp_path, {"lambda/handler.py": handler}, "MLA302") == []
    two = handler.replace(
        'group=os.getenv("GROUP_ID")', 'group=os.getenv("GROUP_ID"), region=os.getenv("REGION")'
    )
    assert lines(audit(tmp_path / "two", {"lambda/handler.py": two}, "MLA302")) == [("lambda/handler.py", 7)]
    # the variable read in another module of the same program is still the shared cause
    files = {
        "svc/__init__.py": "",
        "svc/handler.py": handler.replace(
            "    import boto3\n", "    import boto3\n    from svc import common\n"
        ),
        "svc/common.py": "import os\n\nGROUP = os.getenv('GROUP_ID')\n",
    }
    found = audit(tmp_path / "shared", files, "MLA302")
    assert len(found) == 1 and "`GROUP_ID` read in 2 modules" in found[0].message


def test_lambda_handlers_are_entry_points() -> None:
    import libcst as cst

    from mlaudit.facts.names import ModuleNames
    from mlaudit.facts.script_scan import entry_point_names, scan_module

    text = "def lambda_handler(event, context):\n    return 1\n\nclass A:\n    def m(self, event, context):\n        pass\n"
    module = cst.parse_module(text)
    fact = scan_module(module, ModuleNames(module, "app", False), "app")
    assert entry_point_names(fact) == {"lambda_handler"} and fact.lambda_handler


def test_a_default_estimator_for_a_missing_parameter_is_a_default(tmp_path: Path) -> None:
    src = """
    from sklearn.ensemble import RandomForestClassifier

    class Sampler:
        def __init__(self, estimator=None):
            self.estimator = estimator

        def _validate(self):
            if self.estimator is None:
                self.estimator_ = RandomForestClassifier(n_estimators=100)
            else:
                self.estimator_ = RandomForestClassifier(n_estimators=300)
            return self.estimator_

    def fit(X, y, model=None):
        model = model or RandomForestClassifier(max_depth=8)
        return model.fit(X, y)
    """
    found = audit(tmp_path, {"pkg/__init__.py": "", "pkg/sampling.py": src}, "MLA301")
    assert lines(found) == [("pkg/sampling.py", 11)] and "n_estimators=300" in found[0].message


def test_a_scripts_entry_point_is_its_top_level_but_its_helpers_are_not(tmp_path: Path) -> None:
    script = """
    import gzip
    import fire
    import torch

    def save(model):
        torch.save(model, "checkpoints/model.pt")

    def train(lr=1e-3):
        with gzip.open("./data/enwik8.gz") as f:
            return f.read()

    if __name__ == "__main__":
        fire.Fire(train)
    """
    assert lines(audit(tmp_path, {"train_enwik8.py": script}, "MLA303")) == [("train_enwik8.py", 6)]
    # in a library module (no main guard, no work at module level) the same function is reported
    library = script.split("if __name__")[0]
    assert lines(audit(tmp_path / "lib", {"pkg/train.py": library}, "MLA303")) == [
        ("pkg/train.py", 6),
        ("pkg/train.py", 9),
    ]


def test_archive_members_and_label_maps_are_not_locations(tmp_path: Path) -> None:
    src = """
    import json
    import zipfile
    from scipy.io import loadmat
    import numpy as np

    def process(filename):
        with zipfile.ZipFile(filename) as zf:
            zf.extract("matlab/emnist-byclass.mat")
        data = loadmat("matlab/emnist-byclass.mat")
        with open("imagenet_classes.txt") as f:
            classes = f.read().splitlines()
        labels = json.load(open("assets/id2label.json"))
        vocab = open("/mnt/models/classes.txt").read()     # an absolute path is still a location
        return data, classes, labels, vocab, np.load("data/other.npy")
    """
    found = audit(tmp_path, {"pkg/__init__.py": "", "pkg/emnist.py": src}, "MLA303")
    assert lines(found) == [("pkg/emnist.py", 13)]
    assert [r.location.row for r in found[0].related] == [14]
    assert "'/mnt/models/classes.txt'" in found[0].message and "matlab" not in found[0].message


def test_a_variable_the_project_sets_itself_is_a_process_flag_not_configuration(tmp_path: Path) -> None:
    """spinningup's `mpi_fork` reads `IN_MPI`, which it sets two lines later for the relaunched child:
    a sentinel the project passes to itself. A variable nobody in the project sets is still reported."""
    files = {
        "pkg/__init__.py": "",
        "pkg/mpi_tools.py": """
            import os
            import subprocess
            import sys

            def mpi_fork(n):
                if os.getenv("IN_MPI") is None:
                    env = os.environ.copy()
                    env.update(MKL_NUM_THREADS="1", IN_MPI="1")
                    subprocess.check_call(["mpirun", "-np", str(n), sys.executable, *sys.argv], env=env)
                    sys.exit()
        """,
        "pkg/worker.py": """
            import os
            import subprocess

            def spawn(cmd):
                return subprocess.Popen(cmd, env={**os.environ, "CHILD_MODE": "worker"})

            def run():
                if os.environ.get("CHILD_MODE") == "worker":
                    return os.environ.get("QUEUE_URL")
        """,
        "pkg/flags.py": """
            import os

            def enable_debug():
                os.environ["APP_DEBUG"] = "1"

            def debug():
                return os.environ.get("APP_DEBUG") == "1"
        """,
    }
    found = audit(tmp_path, files, "MLA302")
    assert lines(found) == [("pkg/worker.py", 9)]
    assert "QUEUE_URL" in found[0].message and "CHILD_MODE" not in found[0].message


_SELDON_MODEL = """
    import os

    import joblib

    class {name}:
        def __init__(self):
            self.model = joblib.load(os.getenv("MODEL_FILE", "model.joblib"))
            self.threshold = float(os.getenv("THRESHOLD", "0.5"))

        def predict(self, X, features_names=None):
            return self.model.predict_proba(X)[:, 1] > self.threshold
"""


def test_a_served_model_class_reads_its_settings_once_in_its_constructor(tmp_path: Path) -> None:
    """Seldon Core builds the class named like its module once (`seldon-core-microservice Summarizer`):
    its constructor is the service's start-up. Another class's constructor, or a module the project
    imports, still hides its settings."""
    files = {
        "serving/Summarizer.py": _SELDON_MODEL.format(name="Summarizer"),
        "serving/wrapper.py": _SELDON_MODEL.format(name="Wrapper"),
        "pkg/__init__.py": "",
        "pkg/Scorer.py": _SELDON_MODEL.format(name="Scorer"),
        "pkg/app.py": "from pkg.Scorer import Scorer\n\nSCORER = Scorer()\n",
    }
    found = audit(tmp_path, files, "MLA302")
    assert lines(found) == [("pkg/Scorer.py", 7), ("serving/wrapper.py", 7)]
