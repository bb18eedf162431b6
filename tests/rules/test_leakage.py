"""MLA702 preprocessing-before-split: the data-flow analysis (``facts.dataflow``, a pure function of libcst
statements) and the rule through the public API, on scripts, functions and notebooks."""

from __future__ import annotations

import textwrap
from functools import partial
from pathlib import Path

import libcst as cst
import pytest

from mlaudit.facts.dataflow import find_leaks, is_test_name, is_train_name
from mlaudit.facts.defuse import DefUse
from mlaudit.facts.names import ModuleNames, dotted, resolve_chain
from tests import conftest
from tests.conftest import notebook

# --- the analysis alone ----------------------------------------------------------------------------

IMPORTS = """\
import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.feature_selection import SelectKBest
from sklearn.impute import SimpleImputer
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
"""


def leaks(body: str) -> list[tuple[str, list[str], str | None]]:
    """(fit call source, what splits it, test name) for every leak of a module-level block."""
    module = cst.parse_module(IMPORTS + textwrap.dedent(body))
    names = ModuleNames(module, "m", False)

    def resolve(expr: cst.BaseExpression) -> str | None:
        chain = dotted(expr)
        return resolve_chain(chain, names, []) if chain else None

    def is_variable(name: str) -> bool:
        return names.table.get(name) == f"m.{name}" and name not in names.defs

    return [
        (module.code_for_node(leak.fit.call), [s.what for s in leak.splits], leak.fit.test_name)
        for leak in find_leaks(module.body, resolve, is_variable)
    ]


def test_fit_transform_output_reaches_a_split() -> None:
    assert leaks(
        """
        df = pd.read_csv("a.csv")
        X = df.drop(columns="y")
        y = df["y"]
        X = StandardScaler().fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        """
    ) == [("StandardScaler().fit_transform(X)", ["train_test_split"], None)]


def test_flow_through_subscript_store_concat_values_and_indexing() -> None:
    found = leaks(
        """
        full = pd.concat([train, test])
        full[["a", "b"]] = SimpleImputer().fit_transform(full[["a", "b"]])
        part = pd.concat([full.iloc[: len(train)], other])
        features = part.values[:, 1:]
        labels = part["y"].to_numpy()
        a, b, c, d = train_test_split(features, labels)
        """
    )
    assert [(f[0][:15], f[1]) for f in found] == [("SimpleImputer()", ["train_test_split"])]


def test_fitted_step_transform_output_and_tuple_unpacking() -> None:
    assert leaks(
        """
        scaler = StandardScaler()
        scaler.fit(X)
        X_scaled, y_all = scaler.transform(X), y
        for tr, te in KFold(5).split(X_scaled, y_all):
            pass
        """
    ) == [("scaler.fit(X)", ["KFold.split"], None)]


def test_step_fitted_on_whole_frame_then_transforms_the_test_part() -> None:
    assert leaks(
        """
        df = pd.read_csv("a.csv")
        X, y = df.drop(columns="y"), df["y"]
        scaler = StandardScaler().fit(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y)
        X_test = scaler.transform(X_test)
        """
    ) == [("StandardScaler().fit(X)", ["train_test_split"], None)]


@pytest.mark.parametrize(
    "body",
    [
        "cross_val_score(model, SelectKBest(k=5).fit_transform(X, y), y)",
        "Xr, yr = SMOTE().fit_resample(X, y)\nGridSearchCV(model, grid).fit(Xr, yr)",
        "search = GridSearchCV(model, grid)\nZ = PCA(5).fit_transform(X)\nsearch.fit(Z, y)",
        "v = TfidfVectorizer(min_df=2)\ndocs = v.fit_transform(texts)\ncross_val_score(model, docs, y)",
        "docs = CountVectorizer(max_features=500).fit_transform(texts)\ntrain_test_split(docs, y)",
        "pipe = make_pipeline(SimpleImputer(), StandardScaler())\nX = pipe.fit_transform(X)\ntrain_test_split(X)",
    ],
)
def test_every_kind_of_step_and_split(body: str) -> None:
    assert len(leaks(body)) == 1


TRAIN_AND_TEST = """
train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
y = train.pop("target")
df = pd.concat([train, test])
"""


@pytest.mark.parametrize(
    "body",
    [
        # Kaggle: the competition's unlabelled test rows are there at prediction time; the validation
        # rows of the training set's split are treated exactly like them (transductive, no labels)
        "df[num] = StandardScaler().fit_transform(df[num])\ndf_train = df[: len(train)]\n"
        "x_tr, x_val, y_tr, y_val = train_test_split(df_train, y)",
        "Z = PCA(20).fit_transform(df)\ntrain2 = Z[: len(train)]\ntest2 = Z[len(train) :]\n"
        "train = pd.concat([train, pd.DataFrame(train2)], axis=1)\n"
        "for tr, va in KFold(5).split(X=train, y=y):\n    pass",
        "train_list, test_list = train.values, test.values\n"
        "sc = StandardScaler()\nsc.fit(np.concatenate((train_list, test_list)))\n"
        "train_list = sc.transform(train_list)\nfor tr, va in KFold(5).split(train_list, y):\n    pass",
    ],
)
def test_unsupervised_fit_on_train_and_test_sets_then_the_training_set_split(body: str) -> None:
    assert leaks(TRAIN_AND_TEST + body) == []


@pytest.mark.parametrize(
    "body",
    [
        # a fit with labels (feature selection): the validation labels chose the columns
        "df_train = df[: len(train)]\nsel = SelectKBest(k=5).fit(df_train, y)\n"
        "x = sel.transform(df[: len(train)])\ncross_val_score(model, x, y)",
        "Z = SelectKBest(k=5).fit_transform(pd.concat([train, test]), y_all)\n"
        "train_test_split(Z[: len(train)], y)",
        # resampling the training and test rows together
        "Xr, yr = SMOTE().fit_resample(df, y_all)\ntrain_test_split(Xr[: len(train)], yr)",
        # the concatenation itself is split again: it is the whole labelled data
        "X = StandardScaler().fit_transform(df)\nx_tr, x_te = train_test_split(X, random_state=0)",
    ],
)
def test_train_and_test_put_back_together_still_leak(body: str) -> None:
    assert len(leaks(TRAIN_AND_TEST + body)) == 1


def test_fit_on_test_data() -> None:
    found = leaks(
        """
        sc = StandardScaler()
        X_train_s = sc.fit_transform(X_train)
        X_test_s = sc.fit_transform(X_test)
        test_df[cols] = sc.fit_transform(test_df[cols])
        """
    )
    assert [f[2] for f in found] == ["X_test", "test_df"]


@pytest.mark.parametrize(
    "body",
    [
        # a Pipeline cross-validated, or searched over
        "cross_val_score(make_pipeline(StandardScaler(), model), X, y)\n"
        "GridSearchCV(make_pipeline(StandardScaler(), model), grid).fit(X, y)",
        # fitting on the train part after the split
        "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
        "sc = StandardScaler().fit(X_train)\nX_test = sc.transform(X_test)\nX_train = sc.transform(X_train)",
        # in the folds of a CV splitter
        "for tr, te in KFold(5).split(X):\n    s = StandardScaler().fit(X[tr])\n    m.fit(s.transform(X[tr]))",
        # stateless transforms and category-only encoders
        "X = FunctionTransformer(np.log1p).fit_transform(X)\nX = np.clip(X, 0, 1)\n"
        "X = OneHotEncoder().fit_transform(X)\nX = CountVectorizer().fit_transform(X)\ntrain_test_split(X)",
        # output never reaches the split; the name is rebound from raw data first
        "Z = PCA(2).fit_transform(X)\nplot(Z)\ntrain_test_split(X)",
        "X = StandardScaler().fit_transform(X)\nX = df.drop(columns='y')\ntrain_test_split(X)",
        # a split before the fit
        "a, b = train_test_split(X)\nX = StandardScaler().fit_transform(X)",
        # `split` of something that is not a splitter
        "X = StandardScaler().fit_transform(X)\nparts = text.split(X)",
    ],
)
def test_quiet(body: str) -> None:
    assert leaks(body) == []


def test_names_that_say_train_or_test() -> None:
    assert all(map(is_test_name, ["X_test", "test_df", "df_test", "Xtest", "test", "x_test_scaled"]))
    assert not any(map(is_test_name, ["latest", "contest", "attestation", "X_train"]))
    assert all(map(is_train_name, ["X_train", "train_df", "text_train", "Xtrain"]))
    assert not any(map(is_train_name, ["trainer", "constrained", "X"]))


# --- the rule --------------------------------------------------------------------------------------


audit = partial(conftest.audit, select="MLA702")  # the rule's tests check MLA702 alone


SCRIPT = """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler, MinMaxScaler

df = pd.read_csv("leads.csv")
X = df.drop(columns="converted")
X[["a"]] = StandardScaler().fit_transform(X[["a"]])
X[["b"]] = MinMaxScaler().fit_transform(X[["b"]])
X_train, X_test, y_train, y_test = train_test_split(X, df["converted"])
"""


def test_script_top_level_one_finding_per_split(tmp_path: Path) -> None:
    (finding,) = audit(tmp_path, {"train.py": SCRIPT})
    assert (finding.location.row, finding.location.column) == (7, 12)
    assert "`StandardScaler` (scaler)" in finding.message and "`train_test_split` (line 9)" in finding.message
    assert "1 more fit" in finding.message
    assert [(r.location.row, r.message) for r in finding.related] == [
        (8, "`MinMaxScaler` also fitted before the split"),
        (9, "`train_test_split` splits the preprocessed data here"),
    ]


def test_functions_are_analysed_alone(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "pkg/train.py": """
                from sklearn.model_selection import cross_val_score
                from sklearn.preprocessing import StandardScaler as Scaler


                def scale(X):
                    return Scaler().fit_transform(X)  # not followed into `evaluate`


                def evaluate(model, X, y):
                    X_scaled = Scaler().fit_transform(X)
                    return cross_val_score(model, X_scaled, y)
            """
        },
    )
    assert [(f.filename, f.location.row) for f in found] == [("pkg/train.py", 10)]


def test_notebook_cells_in_order(tmp_path: Path) -> None:
    nb = notebook(
        ("markdown", "# EDA"),
        "import pandas as pd\nfrom sklearn import preprocessing, model_selection",
        "df = pd.read_csv('a.csv')\nX = df.drop(columns='y').values",
        "X = preprocessing.RobustScaler().fit_transform(X)",
        "X_train, X_test, y_train, y_test = model_selection.train_test_split(X, df['y'])",
    )
    (finding,) = audit(tmp_path, {"notebooks/eda.ipynb": nb})
    assert (finding.cell, finding.location.row) == (4, 1)
    assert "(cell 5)" in finding.message
    assert finding.related[0].cell == 5


def test_shadowed_and_unresolved_names(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "star.py": """
                from sklearn.model_selection import train_test_split
                from sklearn.preprocessing import *

                X = StandardScaler().fit_transform(X0)
                train_test_split(X)
            """,
            "shadow.py": """
                from sklearn.model_selection import train_test_split


                class StandardScaler:
                    def fit_transform(self, X):
                        return X


                X = StandardScaler().fit_transform(X0)
                train_test_split(X)
            """,
        },
    )
    assert [f.filename for f in found] == ["star.py"]


def test_aliased_splitters(tmp_path: Path) -> None:
    found = audit(
        tmp_path,
        {
            "alias.py": """
                from sklearn.model_selection import train_test_split as tts
                from sklearn.preprocessing import StandardScaler as SS

                X = SS().fit_transform(X0)
                parts = tts(X)
            """
        },
    )
    assert [f.location.row for f in found] == [4]


def test_tests_are_not_checked(tmp_path: Path) -> None:
    assert audit(tmp_path, {"tests/test_train.py": SCRIPT}) == []


# --- the generic def-use walk ----------------------------------------------------------------------


def flow(body: str) -> DefUse:
    walker = DefUse(lambda name: name.islower())
    walker.block(cst.parse_module(textwrap.dedent(body)).body)
    return walker


def test_defuse_strong_weak_and_forgotten_bindings() -> None:
    walker = flow(
        """
        a, b = src, other
        c = a["x"].values
        c = fresh()
        d = pd.concat([a, b])
        e = fresh()
        e["col"] = a
        del b
        if cond:
            f = a
        for g in d:
            pass
        """
    )
    env = walker.env
    assert env["b"] == frozenset()  # `del b` forgot it
    assert env["c"].isdisjoint(env["src"])  # rebound from a call of nothing known: a fresh origin
    assert env["src"] <= env["d"] and env["src"] <= env["e"] and env["src"] <= env["f"]
    assert env["src"] <= env["g"]
