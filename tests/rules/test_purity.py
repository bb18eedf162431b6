"""Purity family: MLA201 io-in-transform, MLA202 nondeterministic-transform, MLA203 transform-mutates-input.

Each test writes a small project and audits it through the public API; every must-flag and must-stay-quiet
item of rules.md for these rules has a test here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import audit, notebook
from tests.conftest import rows as lines

Hit = tuple[str, int, str]


# --- MLA201 io-in-transform -------------------------------------------------------------------------------


IO_CALLS = [
    "open(path)",
    "Path(path).read_text()",
    "path.write_text('x')",
    "pd.read_csv(path)",
    "pd.read_parquet(path)",
    "df.to_csv(path)",
    "df.to_parquet(path)",
    "df.to_pickle(path)",
    "df.to_sql('t', con)",
    "df.to_json(path_or_buf=path)",
    "pickle.load(fh)",
    "pickle.dump(df, fh)",
    "joblib.load(path)",
    "joblib.dump(df, path)",
    "torch.load(path)",
    "torch.save(df, path)",
    "np.load(path)",
    "np.save(path, df)",
    "json.dump(df, fh)",
    "json.load(fh)",
    "requests.get(url)",
    "httpx.post(url)",
    "urllib.request.urlopen(url)",
    "boto3.client('s3')",
    "sqlite3.connect(path)",
    "sqlalchemy.create_engine(url)",
    "psycopg2.connect(url)",
    "subprocess.run(['ls'])",
    "os.system('ls')",
    "AutoModel.from_pretrained(path)",
]

HEADER = """
import json, os, pickle, subprocess, sqlite3, urllib.request
from pathlib import Path
import boto3, httpx, joblib, numpy as np, pandas as pd, psycopg2, requests, sqlalchemy, torch
from transformers import AutoModel
"""


@pytest.mark.parametrize("call", IO_CALLS)
def test_io_call_in_transform_is_reported(tmp_path: Path, call: str) -> None:
    src = HEADER + f"\ndef build_features(df, path, fh, url, con):\n    x = {call}\n    return df\n"
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201")
    assert lines(found) == [("pkg/pipeline.py", 7)], call


@pytest.mark.parametrize("call", IO_CALLS)
def test_io_call_outside_transform_is_quiet(tmp_path: Path, call: str) -> None:
    src = HEADER + f"\ndef load_everything(df, path, fh, url, con):\n    x = {call}\n    return df\n"
    assert audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201") == []


@pytest.mark.parametrize(
    "call",
    [
        "df.to_json()",
        "df.to_csv()",
        "df.to_csv(index=False)",
        "json.dumps(df)",
        "pickle.dumps(df)",
        "print(df)",
        "logging.info('x %s', df)",
        "yaml.safe_load('a: 1')",
        "yaml.dump(df)",
        "pd.read_csv(io.StringIO(text))",
    ],
)
def test_non_io_calls_in_transform_are_quiet(tmp_path: Path, call: str) -> None:
    src = f"""
    import io, json, logging, pickle
    import pandas as pd
    import yaml

    def build_features(df, text):
        x = {call}
        return df
    """
    assert audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201") == []


def test_aliases_and_import_forms_resolve(tmp_path: Path) -> None:
    src = """
    import pandas as pd_
    import pandas.io.parsers
    from pandas import read_csv as rc
    from os import system

    def build_features(path):
        a = pd_.read_csv(path)
        b = rc(path)
        c = pandas.io.parsers.read_csv(path)
        system("ls")
        return a, b, c
    """
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201")
    # One finding per transform (v2): the first site, every other site in `related`.
    assert lines(found) == [("pkg/pipeline.py", 7)]
    assert [r.location.row for r in found[0].related] == [8, 9, 10]
    assert found[0].message.startswith(
        "transform `build_features` does I/O at 4 sites (reads a file, runs a subprocess)"
    )
    assert "`pandas.read_csv`" in found[0].related[1].message


def test_shadowing_definitions_are_not_the_import(tmp_path: Path) -> None:
    src = """
    from pandas import read_csv

    def read_csv(path):          # a local definition shadows the import
        return path.upper()

    def build_features(path, open):   # a parameter named like a builtin
        data = open(path)
        return read_csv(data)

    def transform_rows(rows):
        json = {"a": 1}              # a local named like a module
        return json.load(rows)
    """
    assert audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201") == []


def test_transform_definitions(tmp_path: Path) -> None:
    src = """
    import pandas as pd
    from sklearn.base import TransformerMixin

    class Scaler(TransformerMixin):
        def fit(self, X, y=None):
            self.table_ = pd.read_csv("stats.csv")     # fit may read: it is not a transform
            return self

        def transform(self, X):
            return X.merge(pd.read_csv("lookup.csv"))

        def fit_transform(self, X, y=None):
            return pd.read_parquet("cache.parquet")

    def make_features(df):
        return pd.read_csv("a.csv")

    def clean_names(df):
        return pd.read_csv("a.csv")

    def helper(df):
        return pd.read_csv("a.csv")
    """
    found = audit(tmp_path, {"pkg/model_utils.py": src}, "MLA201")
    assert lines(found) == [("pkg/model_utils.py", n) for n in (10, 13, 16, 19)]


def test_every_function_in_a_features_module_is_a_transform(tmp_path: Path) -> None:
    src = """
    import pandas as pd

    def ratio(df):
        return pd.read_csv("x.csv")

    def load_lookup(path):        # an I/O boundary by name: its I/O is its job
        return pd.read_csv(path)

    class Encoder:
        def __init__(self, path):   # protocol methods are not transforms
            self.table = pd.read_csv(path)
    """
    found = audit(tmp_path, {"pkg/features.py": src, "pkg/transforms/text.py": src}, "MLA201")
    assert lines(found) == [("pkg/features.py", 4), ("pkg/transforms/text.py", 4)]


def test_transform_calling_io_helper_in_another_module_reports_the_chain(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/lookups.py": """
            import pandas as pd

            def load_mcc_table(path="mcc.csv"):
                return _read(path)

            def _read(path):
                return pd.read_csv(path)
            """,
        "pkg/features.py": """
            from pkg import lookups
            from .lookups import load_mcc_table

            def build_features(df):
                table = load_mcc_table()
                other = lookups.load_mcc_table("b.csv")
                return df.merge(table).merge(other)
            """,
    }
    found = audit(tmp_path, files, "MLA201")
    # One finding per transform (v2): both calls are sites of one finding; the first one's chain is shown.
    assert lines(found) == [("pkg/features.py", 5)]
    first = found[0]
    assert "build_features -> lookups.load_mcc_table -> lookups._read -> pandas.read_csv" in first.message
    assert [(r.filename, r.location.row) for r in first.related] == [
        ("pkg/features.py", 6),
        ("pkg/lookups.py", 4),
        ("pkg/lookups.py", 7),
    ]
    assert "reads a file" in first.message


def test_self_method_chain_and_sklearn_transformer(tmp_path: Path) -> None:
    src = """
    import joblib

    class Encoder:
        def transform(self, X):
            return self._lookup(X)

        def _lookup(self, X):
            return self._load()[X]

        def _load(self):
            return joblib.load("enc.joblib")
    """
    found = audit(tmp_path, {"pkg/enc.py": src}, "MLA201")
    assert lines(found) == [("pkg/enc.py", 5)]
    assert "transform -> Encoder._lookup -> Encoder._load -> joblib.load" in found[0].message.replace(
        "Encoder.transform", "transform"
    )


def test_call_to_another_transform_is_reported_once_at_the_root_cause(tmp_path: Path) -> None:
    src = """
    import pandas as pd

    def clean_text(df):
        return pd.read_csv("stopwords.csv")

    def build_features(df):
        return clean_text(df)
    """
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201")
    assert lines(found) == [("pkg/pipeline.py", 4)]


def test_nested_functions_and_lambdas_count_for_the_transform(tmp_path: Path) -> None:
    src = """
    import pandas as pd

    def build_features(df):
        def lookup(key):
            return pd.read_csv("lookup.csv")[key]
        loader = lambda p: pd.read_parquet(p)
        return df.apply(lookup), loader

    def run(df):
        def transform_inner(x):     # a nested transform in a plain function
            return open(x).read()
        return transform_inner
    """
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201")
    assert lines(found) == [("pkg/pipeline.py", 5), ("pkg/pipeline.py", 6), ("pkg/pipeline.py", 11)]


def test_recursion_and_cycles_terminate(tmp_path: Path) -> None:
    files = {
        "pkg/a.py": "from pkg.b import g\n\ndef f(x):\n    return g(x)\n",
        "pkg/b.py": "from pkg.a import f\n\ndef g(x):\n    if x:\n        return f(x - 1)\n    return open('x')\n",
        "pkg/c.py": "from pkg.a import f\n\ndef transform_all(x):\n    return f(x)\n",
    }
    found = audit(tmp_path, files, "MLA201")
    assert lines(found) == [("pkg/c.py", 4)]
    assert "transform_all -> a.f -> b.g -> open" in found[0].message


def test_tests_and_notebooks_are_quiet(tmp_path: Path) -> None:
    body = "import pandas as pd\n\ndef build_features(p):\n    return pd.read_csv(p)\n"
    files = {"tests/test_x.py": body, "notebooks/explore.py": body, "nb.ipynb": notebook(body)}
    assert audit(tmp_path, files, "MLA201") == []


def test_user_configured_transforms(tmp_path: Path) -> None:
    src = """
    import pandas as pd
    from pkg.registry import feature

    @feature
    def ratio(df):
        return pd.read_csv("x.csv")

    def derive_total(df):
        return pd.read_csv("y.csv")
    """
    settings = {"transforms": {"decorators": ["pkg.registry.feature"], "extend-names": ["derive_*"]}}
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201", **settings)
    assert lines(found) == [("pkg/pipeline.py", 6), ("pkg/pipeline.py", 9)]


def test_in_memory_buffers_are_not_io(tmp_path: Path) -> None:
    src = """
    import io
    import numpy as np
    from PIL import Image

    def transform_image(img, data):
        buf = io.BytesIO()
        np.save(buf, img)
        with io.BytesIO(data) as raw:
            return Image.open(raw), Image.open(io.BytesIO(data))
    """
    assert audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201") == []


# --- MLA202 nondeterministic-transform -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        "datetime.now()",
        "datetime.utcnow()",
        "date.today()",
        "time.time()",
        "pd.Timestamp.now()",
        "pd.Timestamp('now')",
        "random.random()",
        "random.choice(df)",
        "np.random.rand(3)",
        "np.random.shuffle(df)",
        "np.random.default_rng()",
        "torch.rand(3)",
    ],
)
def test_clock_and_global_random_in_transform(tmp_path: Path, call: str) -> None:
    src = f"""
    import random, time
    from datetime import date, datetime
    import numpy as np
    import pandas as pd
    import torch

    def build_features(df):
        df = df.assign(x={call})
        return df
    """
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA202")
    assert lines(found) == [("pkg/pipeline.py", 8)], call


def test_nondeterminism_quiet_cases(tmp_path: Path) -> None:
    src = """
    import random, time
    from datetime import datetime
    import numpy as np
    import torch

    def build_features(df, now, rng):
        df = df.assign(age=now - df.signup, noise=rng.normal(size=len(df)))
        g = np.random.default_rng(42)
        r = random.Random(7)
        t = torch.rand(3, generator=torch.Generator().manual_seed(0))
        return df, g.random(), r.random(), t

    def transform_timed(df):
        start = time.time()
        out = df.copy()
        print("took", time.time() - start)
        return out

    def transform_seeded(df):
        np.random.seed(0)
        return np.random.permutation(df)

    def random_crop(img):               # intentionally random: the name says so
        return img[random.randint(0, 3):]

    class RandomFlip:
        def transform(self, X):
            return X[::-1] if np.random.rand() < 0.5 else X

    def report_time():                  # not a transform
        return datetime.now()
    """
    assert audit(tmp_path, {"pkg/pipeline.py": src}, "MLA202") == []


def test_clock_stored_and_used_as_data_is_reported(tmp_path: Path) -> None:
    src = """
    from datetime import datetime

    def build_features(df):
        today = datetime.now()
        return df.assign(age=today.year - df.birth_year)
    """
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA202")
    assert lines(found) == [("pkg/pipeline.py", 4)]
    assert "reads the clock" in found[0].message


# --- MLA203 transform-mutates-input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stmt",
    [
        "df['a'] = 1",
        "df.loc[df.x > 0, 'a'] = 1",
        "df.at[0, 'a'] = 1",
        "df.iat[0, 0] = 1",
        "df.iloc[0] = 1",
        "df.fillna(0, inplace=True)",
        "df['a'].fillna(0, inplace=True)",
        "df.columns = ['a']",
        "df['a'] += 1",
        "del df['a']",
        "df.attrs['x'] = 1",
    ],
)
def test_mutation_of_parameter_is_reported(tmp_path: Path, stmt: str) -> None:
    src = f"def clean_orders(df):\n    {stmt}\n    return df\n"
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA203")
    assert lines(found) == [("pkg/pipeline.py", 2)], stmt
    assert "`df`" in found[0].message


def test_mutation_quiet_cases(tmp_path: Path) -> None:
    src = """
    def clean_copy(df):
        df = df.copy()
        df["a"] = 1
        return df

    def clean_assign(df):
        df = df.assign(b=2)
        df["a"] = 1
        return df

    def clean_local(df):
        out = df.copy()
        out["a"] = 1
        out.fillna(0, inplace=True)
        return out

    def clean_branch(df, copy=True):
        if copy:
            df = df.copy()
        df["a"] = 1
        return df

    class Scaler:
        def fit_transform(self, X, y=None):
            self.mean_ = X.mean()
            self.n = 3
            return X - self.mean_

        def transform(self, X):
            X = X.copy()
            X["a"] = 1
            return X

    def _check_n_features(estimator, X):
        estimator.n_features_in_ = X.shape[1]   # fitted state, scikit-learn style

    def clean_args(*args, **kwargs):
        kwargs["x"] = 1                          # a fresh dict
        return kwargs

    def helper(df):                              # not a transform
        df["a"] = 1
    """
    assert audit(tmp_path, {"pkg/pipeline.py": src}, "MLA203") == []


def test_one_finding_per_parameter_and_nested_functions(tmp_path: Path) -> None:
    src = """
    def build_features(df, extra):
        df["a"] = 1
        df["b"] = 2
        extra.loc[0] = 3

        def encode_col(col):
            col[0] = 1
            df["c"] = 3          # a closure: not tracked
        return df
    """
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA203")
    # One finding per function (v2): `extra` is in the related sites of the `df` finding.
    assert lines(found) == [("pkg/pipeline.py", 2), ("pkg/pipeline.py", 7)]
    assert found[0].message.startswith(
        "transform `build_features` mutates 2 of its inputs in place (`df`, `extra`)"
    )
    assert [r.location.row for r in found[0].related] == [4]


def test_tensor_inputs_are_cloned_frames_copied(tmp_path: Path) -> None:
    src = """
    import torch

    def normalize_images(x: torch.Tensor):
        x[x > 1] = 1
        return x

    def normalize_untyped(x):
        x[0] = 0
        return x
    """
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA203")
    assert [f.message.rpartition("(`")[2] for f in found] == ["x = x.clone()`) or return a new object"] * 2
    frame = "import pandas as pd\n\ndef normalize_prices(df: pd.DataFrame):\n    df['p'] = 1\n"
    found = audit(tmp_path, {"pkg/pipeline.py": frame}, "MLA203")
    assert "`df = df.copy()`" in found[0].message


def test_framework_stages_map_functions_and_entry_points_are_quiet(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/steps.py": """
            from zenml import step
            from prefect import task

            @step
            def clean_data(df):
                df["a"] = 1
                return df

            @task
            def transform_rows(df):
                df["b"] = 2
                return df
            """,
        "pkg/nodes.py": "def preprocess_companies(companies):\n    companies['x'] = 1\n    return companies\n",
        "pkg/pipeline.py": """
            from kedro.pipeline import node, pipeline
            from pkg.nodes import preprocess_companies

            def create_pipeline():
                return pipeline([node(preprocess_companies, "companies", "clean")])
            """,
        "pkg/hf.py": """
            def preprocess_function(examples):
                examples["labels"] = examples["label"]
                return examples

            def build(ds):
                return ds.map(preprocess_function, batched=True)
            """,
        "pkg/preprocess_cli.py": """
            import click

            @click.command()
            def preprocess(frame=None):
                frame.columns = ["a"]

            def transform(df):
                df["x"] = 1

            if __name__ == "__main__":
                transform(None)
            """,
    }
    assert audit(tmp_path, files, "MLA203") == []
    # The same kedro node function, registered nowhere, is reported.
    found = audit(tmp_path / "solo", {"pkg/nodes.py": files["pkg/nodes.py"]}, "MLA203")
    assert lines(found) == [("pkg/nodes.py", 2)]  # the target folder is the project root


def test_mutation_in_tests_and_notebooks_is_quiet(tmp_path: Path) -> None:
    body = "def clean_orders(df):\n    df['a'] = 1\n"
    assert audit(tmp_path, {"tests/test_x.py": body, "nb.ipynb": notebook(body)}, "MLA203") == []


def test_all_purity_rules_together_on_one_transform(tmp_path: Path) -> None:
    src = """
    from datetime import datetime
    import pandas as pd

    def build_features(df):
        df["ts"] = datetime.now()
        return df.merge(pd.read_csv("lookup.csv"))
    """
    report = audit(tmp_path, {"pkg/pipeline.py": src}, ("MLA2",)).report
    assert sorted((f.location.row, f.code) for f in report.findings) == [
        (5, "MLA202"),
        (5, "MLA203"),
        (6, "MLA201"),
    ]
    assert {f.severity.value for f in report.findings if f.code == "MLA201"} == {"error"}


def test_io_boundaries_by_name_and_class_are_not_transforms(tmp_path: Path) -> None:
    src = """
    import os
    import pandas as pd

    def transform_files(src_dir):                 # about files: I/O is its job
        return [pd.read_csv(os.path.join(src_dir, f)) for f in os.listdir(src_dir)]

    def preprocess_cli(args):                     # an entry point
        return pd.read_csv(args.path)

    def clean_up_tmp(path):                       # resource clean-up, not data cleaning
        os.remove(path)

    class DatasetLoader:
        def transform(self, raw_dir):             # an I/O component's method
            return pd.read_csv(raw_dir)

    class CLI:
        def preprocess(self):
            return preprocess_cli(self)

    def build_features(df, src_dir):              # a transform calling a boundary: still reported
        return df.merge(transform_files(src_dir)[0])
    """
    found = audit(tmp_path, {"pkg/pipeline.py": src}, "MLA201")
    assert lines(found) == [("pkg/pipeline.py", 22)]
    assert "build_features -> transform_files -> pandas.read_csv" in found[0].message


def test_functions_named_for_the_mutation_are_quiet(tmp_path: Path) -> None:
    src = """
    def update_config_with_metadata(feature_config, metadata):
        feature_config.vocab = metadata["vocab"]

    def _set_defaults(params):
        params["width"] = 224

    def merge_stats(acc, new):
        acc["count"] += new["count"]

    def add_time_features(df):                    # `add_*` writing its input is the case the rule is for
        df["hour"] = df.ts.dt.hour
        return df
    """
    found = audit(tmp_path, {"pkg/features.py": src}, "MLA203")
    assert lines(found) == [("pkg/features.py", 11)]


def test_augmentation_modules_are_random_by_contract(tmp_path: Path) -> None:
    aug = """
    import torch

    class RandomCrop:
        def forward(self, img):
            return img[torch.randint(0, 3, ()) :]

    class ElasticTransform:
        def forward(self, img):
            return img + torch.rand(img.shape)
    """
    feats = """
    import numpy as np

    def build_features(df):
        return df.assign(noise=np.random.rand(len(df)))
    """
    files = {"pkg/transforms/augment.py": aug, "pkg/features.py": feats}
    found = audit(tmp_path, files, "MLA202")
    assert lines(found) == [("pkg/features.py", 4)]
