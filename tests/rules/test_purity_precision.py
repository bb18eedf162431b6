"""Purity rules on real-code idioms (issue 11): framework stages are not transforms (MLA201), factories
that build a transform are not transforms (MLA201-MLA203), and a private helper whose every caller hands
it a fresh value or rebinds the result does not leak its in-place change (MLA203)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from mlaudit.engine.context import FunctionScope
from mlaudit.facts.functions import is_transform_factory
from tests.rules.test_purity import audit, lines


def _scope(source: str) -> FunctionScope:
    node = cst.parse_module(source).body[0]
    assert isinstance(node, cst.FunctionDef)
    return FunctionScope(node, node.name.value, node.name.value, True, False)


@pytest.mark.parametrize(
    ("source", "factory"),
    [
        ("def get_train_transforms(size):\n    return [Resize(size)]\n", True),
        ("def build_augmentation(cfg):\n    return cfg.aug\n", True),
        ("def policy(p):\n    def transform(x):\n        return x\n    return transform\n", True),
        ("def policy(p):\n    return lambda x: x * p\n", True),
        ("def scaler(p):\n    return partial(scale, factor=p)\n", True),
        ("def aug(p):\n    pipe = A.Compose([A.Flip(p=p)])\n    return pipe\n", True),
        ("def preprocess(X):\n    return make_pipeline(StandardScaler()).fit_transform(X)\n", False),
        ("def build_features(df):\n    return df.assign(a=1)\n", False),
        ("def make_features(df):\n    return df\n", False),
        ("def transform(df):\n    def helper(x):\n        return x\n    return df.apply(helper)\n", False),
        ("def transform(df):\n    if df is None:\n        return lambda x: x\n    return df\n", False),
        ("def transform(df):\n    df.to_csv('x')\n", False),
    ],
)
def test_transform_factory(source: str, factory: bool) -> None:
    assert is_transform_factory(_scope(source)) is factory


def test_stage_writing_a_file_is_not_a_transform_but_a_transform_it_calls_is(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/features.py": """
            import pandas as pd

            def add_lookup(df, path):
                return df.merge(pd.read_csv(path), on="id")
        """,
        "pkg/steps.py": """
            from zenml import step
            from pkg.features import add_lookup

            @step
            def transform_orders(df, path: str):
                out = add_lookup(df, path)
                out.to_parquet("orders.parquet")
                return out
        """,
    }
    assert lines(audit(tmp_path, files, "MLA201")) == [("pkg/features.py", 4)]


def test_kedro_node_function_is_not_a_transform(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/nodes.py": """
            import pandas as pd

            def preprocess_companies(companies):
                pd.read_csv("extra.csv")
                return companies
        """,
        "pkg/pipeline.py": """
            from kedro.pipeline import node, pipeline
            from pkg.nodes import preprocess_companies

            def create_pipeline():
                return pipeline([node(preprocess_companies, "companies", "out")])
        """,
    }
    assert audit(tmp_path, files, "MLA201") == []


HELPER = """
    import pandas as pd

    def _cast_features(df):
        df["age"] = df["age"].astype(int)
        return df
"""


@pytest.mark.parametrize(
    ("caller", "reported"),
    [
        ("def load(p):\n    df = pd.read_csv(p)\n    df = _cast_features(df)\n    return df\n", False),
        ("def load(p):\n    return _cast_features(pd.read_csv(p))\n", False),
        ("def load(df):\n    return _cast_features(df.copy())\n", False),
        ("def load(df):\n    df, = (_cast_features(df),)\n    return df\n", True),  # not the call's own target
        ("def load(df):\n    out = _cast_features(df)\n    return out\n", True),  # caller keeps `df`
        ("def load(df):\n    _cast_features(df)\n    return df\n", True),
        ("def load(frames):\n    return [f.pipe(_cast_features) for f in frames]\n", True),
        ("def load(df):\n    return _cast_features(*[df])\n", True),
        ("", True),  # no caller at all
    ],
)
def test_private_helper_quiet_only_when_every_caller_is_safe(tmp_path: Path, caller: str, reported: bool) -> None:
    source = HELPER + "\n\n" + "\n".join("    " + line for line in caller.splitlines())
    findings = audit(tmp_path, {"helpers.py": source}, "MLA203")
    assert bool(findings) is reported


def test_helper_called_safely_from_another_module_and_unsafely_from_a_test(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/clean.py": HELPER,
        "pkg/run.py": """
            import pandas as pd
            from pkg.clean import _cast_features

            def load(p):
                df = _cast_features(pd.read_csv(p))
                return df
        """,
    }
    assert audit(tmp_path, files, "MLA203") == []
    files["tests/test_clean.py"] = """
        from pkg.clean import _cast_features

        def test_cast(frame):
            _cast_features(frame)
            assert frame.age.dtype == int
    """
    assert lines(audit(tmp_path, files, "MLA203")) == [("pkg/clean.py", 4)]
