"""One definition of a transform (``facts.functions.is_transform_scope``): the purity rules' function facts
and the audit's function records agree on which functions are transforms."""

from __future__ import annotations

from pathlib import Path

from mlaudit import api
from mlaudit.facts.audit import KEY
from tests.conftest import inline, write_files

FEATURES = """
import functools

import pandas as pd


def add_ratio(df):                        # a features module: every function is a transform ...
    return _safe(df.assign(r=df.a / df.b))


def _safe(df):
    return df.fillna(0)


def load_lookup(path):                    # ... but an I/O boundary by name is not
    return pd.read_csv(path)


def get_experiment_features(exp_id):      # nor an accessor taking no data
    return exp_id


class Scaler:
    def __init__(self, k):                # nor a protocol hook
        self.k = k

    def transform(self, x):
        return x * self.k
"""

STEPS = """
from pipeline import step as stage


@stage
def clean(df):                            # a transform by its (resolved) decorator
    return df.dropna()


@stage.options(retries=2)
def fill(df):
    return df.fillna(0)


def other(df):
    return df
"""


def _transforms(
    tmp_path: Path, files: dict[str, str], **settings: object
) -> tuple[dict[str, bool], set[str]]:
    """What the purity rules' function facts say (for the functions they record) and the audit's set."""
    write_files(tmp_path, inline(files))
    options = api.CheckOptions(
        isolated=True, overrides={"select": ("MLA2",), **settings}, jobs=1, no_cache=True
    )
    analysis = api.check_with_facts([tmp_path], options, facts=frozenset({"functions", KEY}))
    assert not analysis.report.errors
    rules = {
        f"{facts.module}.{fn.qualname}": fn.is_transform for facts in analysis.index for fn in facts.functions
    }
    audit = {
        f"{facts.module}.{record[0]}"
        for facts in analysis.index
        for record in facts.extra.get(KEY, {}).get("defs", [])
        if record[-1]
    }
    return rules, audit


def test_rules_and_audit_share_one_definition(tmp_path: Path) -> None:
    rules, audit = _transforms(tmp_path, {"pkg/__init__.py": "", "pkg/features/build.py": FEATURES})
    assert audit == {
        "pkg.features.build.add_ratio",
        "pkg.features.build._safe",
        "pkg.features.build.Scaler.transform",
    }
    assert {"pkg.features.build.add_ratio", "pkg.features.build.load_lookup"} <= set(rules)
    assert rules == {name: name in audit for name in rules}


def test_configured_decorators_resolve_through_the_imports(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/flow.py": STEPS}
    _, audit = _transforms(tmp_path, files, transforms={"decorators": ["pipeline.step*"], "names": []})
    assert audit == {"pkg.flow.clean", "pkg.flow.fill"}
