"""Family 7 (data contracts and reproducibility): MLA701 inconsistent-datetime-parsing, MLA703
unversioned-model-artifact, MLA704 unseeded-randomness. Each test writes a small project and audits it
through the public API."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.conftest import audit, notebook
from tests.conftest import rows as where

# --- MLA701 inconsistent-datetime-parsing ----------------------------------------------------------------

TRAIN_UTC = """
import pandas as pd

def load(path):
    users = pd.read_csv(path)
    users["signup_at"] = pd.to_datetime(users["signup_at"], utc=True)
    return users
"""
SERVE_NAIVE = """
import pandas as pd

def prepare(frame):
    frame["signup_at"] = pd.to_datetime(frame["signup_at"])
    return frame
"""


def test_mla701_utc_in_training_naive_in_serving_is_one_finding_with_every_site(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/train.py": TRAIN_UTC, "pkg/serve.py": SERVE_NAIVE},
        "MLA701",
    )
    assert where(found) == [("pkg/serve.py", 4)]
    assert "`signup_at`" in found[0].message and "utc=True" in found[0].message
    assert [(r.filename, r.location.row) for r in found[0].related] == [("pkg/train.py", 5)]


def test_mla701_notebooks_take_part(tmp_path: Path) -> None:
    nb = notebook("import pandas as pd\nusers = pd.read_csv('u.csv', parse_dates=['signup_at'])")
    found = audit(tmp_path, {"train.py": TRAIN_UTC, "notebooks/explore.ipynb": nb}, "MLA701")
    assert where(found) == [("train.py", 5)]
    assert found[0].related[0].filename == "notebooks/explore.ipynb"


def test_mla701_two_notebooks_disagreeing_alone_are_exploration(tmp_path: Path) -> None:
    a = notebook("import pandas as pd\nu = pd.read_csv('u.csv')\nu['t'] = pd.to_datetime(u['t'], utc=True)")
    b = notebook("import pandas as pd\nu = pd.read_csv('u.csv', parse_dates=['t'])")
    assert audit(tmp_path, {"notebooks/a.ipynb": a, "notebooks/b.ipynb": b}, "MLA701") == []


def test_mla701_tz_operations_chained_or_in_the_same_function_count(tmp_path: Path) -> None:
    files = {
        "a.py": """
            import pandas as pd

            def load(frame):
                frame["ts"] = pd.to_datetime(frame["ts"]).dt.tz_localize("UTC")
                return frame
        """,
        "b.py": """
            import pandas as pd

            def load(frame):
                frame["ts"] = pd.to_datetime(frame["ts"])
                frame["ts"] = frame["ts"].dt.tz_localize("UTC")
                return frame
        """,
        "c.py": """
            import pandas as pd

            def load(frame):
                return frame.assign(ts=frame["ts"].astype("datetime64[ns]"))
        """,
    }
    found = audit(tmp_path, files, "MLA701")
    assert where(found) == [("a.py", 4)]
    assert "tz_localize(UTC) (2 sites)" in found[0].message
    assert "no timezone handling (1 site)" in found[0].message


def test_mla701_reads_pytz_and_zoneinfo_and_the_whole_tz_chain(tmp_path: Path) -> None:
    # backonhighway/kaggle_talkingdata: click_time moved to Shanghai time in one loader, naive in another
    files = {
        "loader/load_day.py": """
            import pandas as pd
            import pytz

            def load(frame):
                cst = pytz.timezone("Asia/Shanghai")
                frame["click_time"] = pd.to_datetime(frame["click_time"]).dt.tz_localize(pytz.utc).dt.tz_convert(cst)
                return frame
        """,
        "loader/load_hour.py": """
            import pandas as pd

            def load(frame):
                return pd.to_datetime(frame["click_time"]).dt.hour
        """,
        "loader/load_utc.py": """
            from zoneinfo import ZoneInfo

            import pandas as pd

            def load(frame):
                return pd.to_datetime(frame["click_time"]).dt.tz_localize("UTC").dt.tz_convert(ZoneInfo("Asia/Shanghai"))
        """,
    }
    found = audit(tmp_path, files, "MLA701")
    assert where(found) == [("loader/load_day.py", 6)]
    message = found[0].message
    assert "tz_convert(?), tz_localize(UTC) (1 site)" in message
    assert "tz_convert(Asia/Shanghai), tz_localize(UTC) (1 site)" in message
    assert "no timezone handling (1 site)" in message
    del files["loader/load_hour.py"], files["loader/load_day.py"]
    (tmp_path / "loader/load_hour.py").unlink()
    (tmp_path / "loader/load_day.py").unlink()
    files["loader/load_aware.py"] = """
        import datetime

        import pandas as pd

        def load(frame):
            frame["click_time"] = pd.to_datetime(frame["click_time"])
            return frame["click_time"].dt.tz_localize(datetime.timezone.utc).dt.tz_convert("Asia/Shanghai")
    """
    assert audit(tmp_path, files, "MLA701") == []


def test_mla701_formats_compare_only_when_both_are_given(tmp_path: Path) -> None:
    files = {
        "a.py": 'import pandas as pd\n\ndef f(d):\n    return pd.to_datetime(d["day"], format="%d/%m/%Y")\n',
        "b.py": 'import pandas as pd\n\ndef g(d):\n    return pd.to_datetime(d["day"], format="%m/%d/%Y")\n',
        "c.py": 'import pandas as pd\n\ndef h(d):\n    return pd.to_datetime(d["day"])\n',
    }
    found = audit(tmp_path, files, "MLA701")
    assert where(found) == [("a.py", 4)]
    assert len(found[0].related) == 2
    del files["b.py"]
    (tmp_path / "b.py").unlink()
    assert audit(tmp_path, files, "MLA701") == []


def test_mla701_quiet_cases(tmp_path: Path) -> None:
    files = {
        # consistent: errors/cache do not change the instant
        "one/train.py": TRAIN_UTC,
        "one/serve.py": SERVE_NAIVE.replace(
            'frame["signup_at"])', 'frame["signup_at"], utc=True, errors="coerce")'
        ),
        # different columns
        "two/a.py": 'import pandas as pd\n\ndef f(d):\n    return pd.to_datetime(d["created_at"], utc=True)\n',
        "two/b.py": 'import pandas as pd\n\ndef g(d):\n    return pd.to_datetime(d["birth_date"])\n',
        # options that cannot be read
        "three/a.py": 'import pandas as pd\n\ndef f(d, flag):\n    return pd.to_datetime(d["x_at"], utc=flag)\n',
        "three/b.py": 'import pandas as pd\n\ndef g(d, **kw):\n    return pd.to_datetime(d["x_at"], **kw)\n',
        "three/c.py": 'import pandas as pd\n\ndef h(d):\n    return pd.to_datetime(d["x_at"], utc=True)\n',
        # a test disagreeing with production
        "tests/test_serve.py": SERVE_NAIVE.replace("def prepare", "def test_prepare"),
    }
    assert audit(tmp_path, files, "MLA701") == []


def test_mla701_independent_programs_are_not_compared_but_linked_ones_are(tmp_path: Path) -> None:
    files = {"churn/train.py": TRAIN_UTC, "forecast/serve.py": SERVE_NAIVE}
    assert audit(tmp_path, files, "MLA701") == []
    files["forecast/serve.py"] = "from churn.train import load\n" + textwrap.dedent(SERVE_NAIVE)
    files["churn/__init__.py"] = ""
    assert where(audit(tmp_path, files, "MLA701")) == [("churn/train.py", 5)]


def test_mla701_facts_round_trip_through_the_cache(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/train.py": TRAIN_UTC, "pkg/serve.py": SERVE_NAIVE}
    first = audit(tmp_path, files, "MLA701", cache=True)
    second = audit(tmp_path, {}, "MLA701", cache=True)
    assert where(first) == where(second) == [("pkg/serve.py", 4)]
    assert any((tmp_path / ".cache").rglob("*.json"))


# --- MLA703 unversioned-model-artifact ------------------------------------------------------------------


def test_mla703_reports_model_saves_without_a_version_once_per_function(tmp_path: Path) -> None:
    files = {
        "train.py": """
            import joblib
            import mlflow
            import torch
            from sklearn.ensemble import RandomForestClassifier

            def train(X, y):
                clf = RandomForestClassifier(random_state=0).fit(X, y)
                joblib.dump(clf, "clf.joblib")
                joblib.dump(clf, "backup.joblib")
                return clf

            def publish(net):
                torch.save(net.state_dict(), "final.pt")

            def track(model):
                mlflow.sklearn.log_model(model, "model")
        """
    }
    found = audit(tmp_path, files, "MLA703")
    assert where(found) == [("train.py", 8), ("train.py", 13), ("train.py", 16)]
    first = found[0]
    assert "`joblib.dump` in `train` (and 1 more save)" in first.message
    assert [r.location.row for r in first.related] == [9]


def test_mla703_versioned_saves_are_quiet(tmp_path: Path) -> None:
    files = {
        "save.py": """
            import json
            import joblib
            import mlflow

            MODEL_VERSION = "2.0"

            def bundle(model, path):
                joblib.dump({"model": model, "schema_version": 3}, path)

            def sidecar(model, out):
                joblib.dump(model, out / "model.joblib")
                with open(out / "metadata.json", "w") as fh:
                    json.dump({"features": ["a"]}, fh)

            def named(model):
                joblib.dump(model, f"model-{MODEL_VERSION}.joblib")

            def signed(model, signature):
                mlflow.sklearn.log_model(model, "model", signature=signature)

            def registered(model, run_id):
                joblib.dump(model, "model.joblib")
                mlflow.register_model(f"runs:/{run_id}/model", "leads")

            def tf_serving(model, model_dir):
                model.save(model_dir + "/" + "0001")
        """
    }
    assert audit(tmp_path, files, "MLA703") == []


def test_mla703_metrics_json_is_not_a_version_record(tmp_path: Path) -> None:
    files = {
        "train.py": """
            import json
            import joblib

            def main(model, metrics):
                with open("metrics.json", "w") as fh:
                    json.dump(metrics, fh)
                joblib.dump(model, "model.pkl")
        """
    }
    assert where(audit(tmp_path, files, "MLA703")) == [("train.py", 7)]


def test_mla703_checkpoints_non_models_stores_tests_and_experiments_are_quiet(tmp_path: Path) -> None:
    files = {
        "loop.py": """
            import pickle
            import joblib
            import torch

            def fit(model, optimizer, epochs):
                for epoch in range(epochs):
                    torch.save(model.state_dict(), f"model_{epoch}.pt")
                torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, "last.pt")

            def save_checkpoint(model, path):
                torch.save(model.state_dict(), path)

            def save_columns(columns, X_train):
                joblib.dump(list(columns), "cols.pkl")
                pickle.dump(X_train, open("x.pkl", "wb"))

            class ModelStore:
                def put(self, name, version, model):
                    joblib.dump(model, f"{name}/{version}.joblib")
        """,
        "tests/test_io.py": "import joblib\n\ndef test_dump(model, tmp_path):\n    joblib.dump(model, tmp_path / 'm')\n",
        "notebooks/try.py": "import joblib\nmodel = object()\njoblib.dump(model, 'm.pkl')\n",
    }
    assert audit(tmp_path, files, "MLA703") == []


# --- MLA704 unseeded-randomness -----------------------------------------------------------------------------


def test_mla704_unseeded_split_and_estimators_once_per_function(tmp_path: Path) -> None:
    files = {
        "train.py": """
            import pandas as pd
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.model_selection import StratifiedKFold, train_test_split

            def main(path):
                frame = pd.read_csv(path)
                train, test = train_test_split(frame, test_size=0.2)
                model = RandomForestClassifier(n_estimators=100)
                folds = StratifiedKFold(n_splits=5, shuffle=True)
                return train, test, model, folds

            def sample(frame):
                return frame.sample(frac=0.5)
        """
    }
    found = audit(tmp_path, files, "MLA704")
    assert where(found) == [("train.py", 7), ("train.py", 13)]
    assert "`train_test_split` runs without a seed (and 2 more unseeded calls in `main`)" in found[0].message
    assert [r.location.row for r in found[0].related] == [8, 9]


def test_mla704_a_seed_from_any_source_or_a_splat_is_enough(tmp_path: Path) -> None:
    files = {
        "train.py": """
            import pandas as pd
            import xgboost as xgb
            from sklearn.linear_model import LogisticRegression
            from sklearn.model_selection import KFold, train_test_split
            from sklearn.tree import DecisionTreeClassifier

            def main(frame, cfg, params, seed=0):
                a = train_test_split(frame, random_state=cfg.seed)
                b = train_test_split(frame, shuffle=False)
                c = KFold(5)
                d = KFold(5, True, seed)
                e = xgb.XGBClassifier(**params)
                f = LogisticRegression()
                g = DecisionTreeClassifier(max_depth=3)
                h = frame.sample(frac=0.5, random_state=seed)
                i = xgb.XGBClassifier(n_estimators=10)
                return a, b, c, d, e, f, g, h, i
        """
    }
    assert audit(tmp_path, files, "MLA704") == []
    found = audit(tmp_path, {}, "MLA704", rules={"unseeded-randomness": {"report-fixed-defaults": True}})
    assert where(found) == [("train.py", 16)]


def test_mla704_a_global_seed_on_the_import_path_covers_the_call(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/split.py": """
            from sklearn.model_selection import train_test_split

            def split(rows):
                return train_test_split(rows, test_size=0.25)
        """,
        "run.py": """
            import numpy as np
            from pkg.split import split

            if __name__ == "__main__":
                np.random.seed(0)
                split(list(range(8)))
        """,
    }
    assert audit(tmp_path, files, "MLA704") == []
    files["run.py"] = files["run.py"].replace("np.random.seed(0)", "torch_only = 0")
    assert where(audit(tmp_path, files, "MLA704")) == [("pkg/split.py", 4)]


TRAIN_LOOP = """
import torch

def main(net, loader, optimizer):
    {seed}
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()

if __name__ == "__main__":
    main(torch.nn.Linear(2, 1), [], None)
"""


def test_mla704_training_loop_in_an_entry_script_without_any_seed(tmp_path: Path) -> None:
    found = audit(tmp_path, {"train.py": TRAIN_LOOP.format(seed="pass")}, "MLA704")
    assert where(found) == [("train.py", 7)]
    assert "training loop" in found[0].message


def test_mla704_training_loop_quiet_when_seeded_passed_a_seed_or_not_a_loop(tmp_path: Path) -> None:
    for seed in ("torch.manual_seed(0)", "set_seed(42)", "loader.reset(0, args.seed)"):
        files = {"train.py": TRAIN_LOOP.format(seed=seed)}
        assert audit(tmp_path, files, "MLA704") == [], seed
    files = {
        "helpers.py": "import torch\n\ndef seed_everything(s):\n    torch.manual_seed(s)\n",
        "train.py": "from helpers import seed_everything\n" + TRAIN_LOOP.format(seed="seed_everything(1)"),
    }
    assert audit(tmp_path, files, "MLA704") == []
    smoke = """
        import torch

        if __name__ == "__main__":
            loss = torch.nn.Linear(2, 1)(torch.ones(2)).sum()
            loss.backward()
    """
    (tmp_path / "helpers.py").unlink()
    (tmp_path / "train.py").unlink()
    assert audit(tmp_path, {"smoke.py": smoke}, "MLA704") == []


TOY_SENTENCES = """
import torch
import torch.nn as nn

sentences = ["i like dog", "i love coffee", "i hate milk"]
words = sorted(set(" ".join(sentences).split()))
index = {w: i for i, w in enumerate(words)}

if __name__ == "__main__":
    model = nn.Linear(len(words), len(words))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    inputs = torch.LongTensor([[index[s.split()[0]]] for s in sentences])
    targets = torch.LongTensor([index[s.split()[-1]] for s in sentences])
    for epoch in range(5000):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(nn.functional.one_hot(inputs[:, 0], len(words)).float()), targets)
        loss.backward()
        optimizer.step()
    {extra}
"""

RANDOM_BATCHES = """
import time

import torch

def run_trainer(model, optimizer, steps):
    for _ in range(steps):
        inputs = torch.randn(16, 3, 32, 32)
        labels = torch.LongTensor(16).random_(0, 10)
        loss = torch.nn.functional.cross_entropy(model(inputs), labels)
        loss.backward()
        optimizer.step()

if __name__ == "__main__":
    tik = time.time()
    run_trainer(torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3072, 10)), None, 10)
    print("execution time", time.time() - tik)
"""


def test_mla704_a_demo_training_on_data_it_makes_up_is_quiet(tmp_path: Path) -> None:
    """Three hard-coded sentences memorised, or an API demo fed ``torch.randn`` batches and timed: the
    program reads no data, its output is nothing anyone reproduces."""
    files = {"tutorial/nnlm.py": TOY_SENTENCES.replace("{extra}", "pass"), "rpc/main.py": RANDOM_BATCHES}
    assert audit(tmp_path, files, "MLA704") == []


def test_mla704_a_loop_on_data_the_program_reads_is_still_reported(tmp_path: Path) -> None:
    """Reading data anywhere on the program's path makes it a real training run, toy tensors or not."""
    reads = {
        "csv": 'pd.read_csv("train.csv")',
        "file": 'open("corpus.txt").read()',
        "dataset": 'datasets.MNIST("../data", train=True, download=True)',
        "loader word": "load_corpus(args)",
    }
    for label, read in reads.items():
        extra = f"import pandas as pd\n    from torchvision import datasets\n    data = {read}"
        found = audit(tmp_path, {"nnlm.py": TOY_SENTENCES.replace("{extra}", extra)}, "MLA704")
        assert where(found) == [("nnlm.py", 16)], label
    with_option = RANDOM_BATCHES.replace(
        'if __name__ == "__main__":',
        'if __name__ == "__main__":\n    import argparse\n    argparse.ArgumentParser().add_argument("--data-dir")',
    )
    (tmp_path / "nnlm.py").unlink()
    assert where(audit(tmp_path, {"main.py": with_option}, "MLA704")) == [("main.py", 10)]


def test_mla704_data_read_in_a_first_party_module_the_script_imports_counts(tmp_path: Path) -> None:
    files = {
        "batches.py": "import numpy as np\n\ndef make_batches(path):\n    return np.load(path)\n",
        "main.py": "from batches import make_batches\n" + RANDOM_BATCHES,
    }
    assert where(audit(tmp_path, files, "MLA704")) == [("main.py", 12)]
    files["batches.py"] = "def make_batches(n):\n    return list(range(n))\n"
    assert audit(tmp_path, files, "MLA704") == []


def test_mla704_a_synthetic_task_that_is_evaluated_is_still_reported(tmp_path: Path) -> None:
    """A copy task on ``torch.randint`` batches whose error rate is measured compares architectures."""
    evaluated = RANDOM_BATCHES.replace(
        '    print("execution time", time.time() - tik)',
        '    frac_incorrect = 0.5\n    print("execution time", time.time() - tik, frac_incorrect)',
    )
    assert where(audit(tmp_path, {"main.py": evaluated}, "MLA704")) == [("main.py", 10)]
    with_metric = RANDOM_BATCHES.replace("import time\n", "import time\n\nfrom sklearn import metrics\n")
    with_metric = with_metric.replace(
        '    print("execution', '    print(metrics.r2_score([1.0], [1.0]))\n    print("execution'
    )
    assert where(audit(tmp_path, {"main.py": with_metric}, "MLA704")) == [("main.py", 12)]


def test_mla704_a_notebook_saved_as_py_is_a_pure_script_and_checked(tmp_path: Path) -> None:
    """rules.md "Scripts": a notebook saved as ``.py`` is a pure script, production code; only the
    ``.ipynb`` itself (an experiment) is exempt."""
    loop = TRAIN_LOOP.format(seed="pass")
    split = (
        "from sklearn.model_selection import train_test_split\n\ntrain, test = train_test_split(range(9))\n"
    )
    files = {
        "lesson/Model.py": loop,
        "lesson/Model.ipynb": notebook(loop),
        "export.py": "# %%\n" + split + "# %%\nprint(len(train))\n",
    }
    assert where(audit(tmp_path, files, "MLA704")) == [("export.py", 4), ("lesson/Model.py", 7)]


def test_mla704_tests_experiments_and_intentional_randomness_are_quiet(tmp_path: Path) -> None:
    split = (
        "from sklearn.model_selection import train_test_split\n\ndef f(x):\n    return train_test_split(x)\n"
    )
    files = {
        "tests/test_split.py": split.replace("def f", "def test_f"),
        "experiments/try.py": split,
        "baseline.py": split.replace("def f", "def random_baseline"),
    }
    assert audit(tmp_path, files, "MLA704") == []


HIST_BOOSTING = """
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

def train(path):
    frame = pd.read_csv(path)
    model = HistGradientBoostingRegressor({args}).fit(frame.drop(columns="y"), frame["y"])
    return model
"""


def test_mla704_hist_gradient_boosting_is_random_unless_early_stopping_is_off(tmp_path: Path) -> None:
    random_shapes = [
        "max_iter=50",  # early_stopping="auto": on above 10,000 rows, a count the code does not say
        "early_stopping=True",
        "early_stopping='auto'",
        "early_stopping=False, max_features=0.5",
    ]
    for i, args in enumerate(random_shapes):
        found = audit(tmp_path / f"r{i}", {"train.py": HIST_BOOSTING.format(args=args)}, "MLA704")
        assert where(found) == [("train.py", 6)], args
    for i, args in enumerate(["early_stopping=False", "max_iter=50, early_stopping=False, max_features=1.0"]):
        assert audit(tmp_path / f"d{i}", {"train.py": HIST_BOOSTING.format(args=args)}, "MLA704") == [], args


def test_mla704_a_draw_whose_value_reaches_no_result_is_quiet(tmp_path: Path) -> None:
    files = {
        "tasks.py": """
            import logging

            import pandas as pd
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.utils import shuffle

            LOGGER = logging.getLogger(__name__)

            def get(path, sample):
                df = pd.read_csv(path)
                if sample:
                    df.sample(n=5)
                RandomForestClassifier().fit(df.drop(columns="y"), df["y"])
                return df

            def sanity_check(tasks, Xt, Yt):
                valid = []
                Xs, Ys = shuffle(Xt, Yt)
                Xs = Xs[:10]
                Ys = list(range(10))
                for name, params in tasks:
                    try:
                        globals()[name](**params).fit(Xs, Ys)
                        valid.append((name, params))
                    except Exception as e:
                        LOGGER.error("cannot create %s: %s", name, e)
                return valid
        """
    }
    assert audit(tmp_path, files, "MLA704") == []


def test_mla704_a_draw_that_reaches_a_result_is_still_reported(tmp_path: Path) -> None:
    kept = {
        "returned": "scores = []\n    for _ in range(3):\n        Xs, Ys = shuffle(X, Y)\n"
        "        scores.append(clf.fit(Xs, Ys).score(Xt, Yt))\n    return scores",
        "logged": "Xs, Ys = shuffle(X, Y)\n    score = clf.fit(Xs, Ys).score(Xt, Yt)\n    LOGGER.info('acc %s', score)",
        "saved": "sample = pd.DataFrame(X).sample(frac=0.1)\n    sample.to_csv('sample.csv')",
        "stored": "self_like = {}\n    self_like['rows'] = pd.DataFrame(X).sample(frac=0.1)\n    return self_like",
        "fitted_then_dumped": "model = RandomForestClassifier()\n    model.fit(X, Y)\n    joblib.dump(model, 'm.joblib')",
        "printed": "print(shuffle(X, Y)[0][:5])",
        "fitted_last": "Xs, Ys = shuffle(X, Y)\n    model = RandomForestClassifier(random_state=0)\n    model.fit(Xs, Ys)",
    }
    header = (
        "import logging\n\nimport joblib\nimport pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier\n"
        "from sklearn.utils import shuffle\n\nLOGGER = logging.getLogger(__name__)\n\n\n"
        "def run(clf, X, Y, Xt, Yt):\n    "
    )
    for name, body in kept.items():
        found = audit(tmp_path / name, {"bench.py": header + body + "\n"}, "MLA704")
        assert len(found) == 1, name


def test_mla704_functions_that_measure_speed_are_quiet_but_not_the_script_around_them(tmp_path: Path) -> None:
    bench = """
        import time

        import torch
        from sklearn.utils import shuffle

        def {name}(model, X, y):
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            start = time.time()
            for _ in range(10):
                Xs, ys = shuffle(X, y)
                loss = ((model(torch.as_tensor(Xs)) - torch.as_tensor(ys)) ** 2).mean()
                loss.backward()
                optimizer.step()
            return time.time() - start

        if __name__ == "__main__":
            print({name}(torch.nn.Linear(4, 1), torch.load("x.pt"), torch.load("y.pt")))
    """
    for name in ("benchmark_step", "profile_training", "test_layer_speed"):
        assert audit(tmp_path / name, {"bench.py": bench.format(name=name)}, "MLA704") == [], name
    found = audit(tmp_path / "train", {"bench.py": bench.format(name="train_step")}, "MLA704")
    assert where(found) == [("bench.py", 12)]
    split = "from sklearn.model_selection import train_test_split\n\ndef test_split(df):\n    return train_test_split(df)\n"
    assert where(audit(tmp_path / "split", {"split.py": split}, "MLA704")) == [("split.py", 4)]
