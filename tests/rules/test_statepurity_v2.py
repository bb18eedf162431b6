"""Issue 11 / rules.md v2 precision fixes of the state and purity families, one test per cause found on the
real-world corpus (each with its catalogue case where one fits)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import audit
from tests.conftest import rows as lines


# --- MLA201 ------------------------------------------------------------------------------------------------
def test_entry_point_of_a_preprocessing_script_is_not_a_transform(tmp_path: Path) -> None:
    src = """
    import os
    import pickle
    import pandas as pd

    def preprocess_data(raw_path, dest_path):
        os.makedirs(dest_path, exist_ok=True)
        df = pd.read_parquet(raw_path)
        with open(os.path.join(dest_path, "train.pkl"), "wb") as f_out:
            pickle.dump(df, f_out)

    if __name__ == "__main__":
        preprocess_data("raw", "out")
    """
    assert audit(tmp_path, {"scripts/preprocess_data.py": src}, "MLA201") == []


def test_helpers_of_a_script_named_preprocess_are_not_transforms_by_module_name(tmp_path: Path) -> None:
    src = """
    from pathlib import Path
    import numpy as np

    def mkdir_if_not_exists(p):
        Path(p).mkdir(parents=True, exist_ok=True)

    def process_single_eeg(path, out):
        np.save(out, np.load(path) * 2)

    def normalize_signal(x, out):          # named like a transform: still one
        np.save(out, x / x.max())

    if __name__ == "__main__":
        process_single_eeg("a.npy", "b.npy")
    """
    found = audit(tmp_path, {"run/preprocess.py": src}, "MLA201")
    assert lines(found) == [("run/preprocess.py", 11)]
    # Imported, the same file is a features module: all its functions are transforms, except the one its
    # main guard calls (an entry point).
    found = audit(tmp_path, {"run/__init__.py": "", "run/train.py": "from run import preprocess\n"}, "MLA201")
    assert lines(found) == [("run/preprocess.py", 5), ("run/preprocess.py", 11)]


def test_accessor_named_like_features_is_not_a_transform(tmp_path: Path) -> None:
    src = """
    import sqlite3

    def get_experiment_features(experiment_id):
        return sqlite3.connect("db.sqlite").execute("select 1").fetchall()

    def get_date_features(df):
        return df.merge(sqlite3.connect("db.sqlite").execute("select 1").fetchall())
    """
    found = audit(tmp_path, {"pkg/mlops.py": src}, "MLA201")
    assert lines(found) == [("pkg/mlops.py", 7)]


def test_open_for_writing_is_reported_as_a_write(tmp_path: Path) -> None:
    src = "import pickle\n\ndef build_features(df, p):\n    with open(p, 'wb') as fh:\n        pickle.dump(df, fh)\n"
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201")
    assert found[0].message.startswith("transform `build_features` does I/O at 2 sites (writes a file)")
    assert "writes a file (`open`)" in found[0].message


def test_behave_steps_in_a_features_folder_are_tests(tmp_path: Path) -> None:
    steps = "import subprocess\nfrom behave import when\n\n@when('run')\ndef run_pipeline(context):\n    context.r = subprocess.run(['kedro', 'run'])\n"
    hooks = "import shutil\n\ndef after_all(context):\n    shutil.rmtree(context.tmp)\n"
    files = {"features/steps/run_steps.py": steps, "features/environment.py": hooks}
    assert audit(tmp_path, files, "MLA201") == []
    assert audit(tmp_path, files, "MLA203") == []


def test_io_through_cv2_reexported_by_a_first_party_module(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/common.py": "import cv2\nimport numpy as np\n",
        "pkg/transforms.py": "from pkg.common import cv2, np\n\ndef resize(path):\n    return cv2.imread(path)\n",
    }
    found = audit(tmp_path, files, "MLA201")
    assert lines(found) == [("pkg/transforms.py", 4)]
    assert "`cv2.imread`" in found[0].message


# --- MLA202 ------------------------------------------------------------------------------------------------
def test_clock_minus_a_column_is_data_not_a_stopwatch(tmp_path: Path) -> None:
    src = """
    import time
    from datetime import datetime

    def build_features(df, began):
        age = datetime.now() - df.signup            # the README's example
        days = datetime.now() - df["created"]
        took = time.time() - began                  # a stopwatch: quiet
        return df.assign(age=age, days=days), took
    """
    found = audit(tmp_path, {"pkg/features.py": src}, "MLA202")
    assert [f.location.row for f in found] == [5]  # one finding per function, the second read in `related`
    assert [r.location.row for r in found[0].related] == [6]


def test_clock_in_logged_metadata_model_methods_and_augmentation_modules_are_quiet(tmp_path: Path) -> None:
    files = {
        "pkg/steps.py": """
            import datetime
            import logging
            from zenml import log_metadata

            def clean_data(df):
                log_metadata(metadata={"timestamp": datetime.datetime.now().isoformat()})
                logging.info("cleaned at %s", datetime.datetime.now())
                return df.dropna()
            """,
        "pkg/vae.py": """
            import torch
            from torch.nn import Module

            class GPTVAE(Module):
                def encode_to_latents(self, x):
                    return x + torch.randn_like(x)
            """,
        "pkg/transforms/policy_transform.py": """
            import random
            from albumentations import Compose, Flip

            def policy_transform(policies):
                return Compose([random.choice(policies), Flip()])
            """,
    }
    assert audit(tmp_path, files, "MLA202") == []


# --- MLA101 / MLA102 / MLA103 ------------------------------------------------------------------------------
def test_fastapi_startup_state_is_not_module_state(tmp_path: Path) -> None:
    src = """
    import joblib
    from fastapi import FastAPI

    app = FastAPI()
    MODELS = {}
    model = None

    @app.on_event("startup")
    def load_models():
        global model
        model = joblib.load("model.joblib")
        MODELS["default"] = model

    def get_model():
        return MODELS["default"]
    """
    assert audit(tmp_path, {"app/main.py": src}, "MLA101") == []
    assert audit(tmp_path, {"app/main.py": src}, "MLA102") == []


def test_lambda_init_and_version_modules_are_quiet(tmp_path: Path) -> None:
    files = {
        "app/app.py": "import joblib\n\nmodel = joblib.load('model.joblib')\n\ndef handler(event, context):\n    return model.predict(event['data'])\n",
        "pkg/__init__.py": "from pkg._version import __version__\n",
        "pkg/_version.py": "from pathlib import Path\n\n__version__ = Path(__file__).with_name('VERSION').read_text()\n",
    }
    assert audit(tmp_path, files, "MLA103") == []
