"""Duplication family: MLA501 duplicated-preprocessing and MLA502 diverging-duplicate, end to end on
small projects (scripts, packages and notebooks), plus the statement normalisation they rest on."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

from mlaudit import api
from mlaudit.facts import data_code
from mlaudit.facts.clone_normalise import Normaliser
from mlaudit.facts.names import ModuleNames
from tests import conftest
from tests.conftest import Findings, check, notebook, write_files


def audit(
    root: Path, files: dict[str, str | bytes], select: tuple[str, ...] = ("MLA501", "MLA502"), **settings: Any
) -> Findings:
    """The family's two rules unless a test selects others."""
    return conftest.audit(root, files, select, **settings)


of = Findings.of


PREP_DF = """
import pandas as pd
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("data.csv")
df = df.dropna(subset=["age"])
df["income"] = df["income"].fillna(0)
df["age"] = df["age"].clip(0, 100)
X = df[["age", "income"]].to_numpy()
X = StandardScaler().fit_transform(X)
"""


def test_renamed_copy_in_a_script_and_a_notebook_is_found(tmp_path: Path) -> None:
    """The case pylint's duplicate-code and jscpd miss: ``df`` renamed to ``frame``, and a notebook."""
    nb = notebook(
        ("markdown", "# EDA"),
        "import pandas\nfrom sklearn import preprocessing\n%matplotlib inline",
        "frame = pandas.read_csv('data.csv')\nframe = frame.dropna(subset=['age'])\n",
        "frame['income'] = frame['income'].fillna(0)\nframe['age'] = frame['age'].clip(0, 100)\n"
        "feats = frame[['age', 'income']].to_numpy()\n"
        "feats = preprocessing.StandardScaler().fit_transform(feats)\nfeats.shape",
    )
    findings = audit(tmp_path, {"scripts/prepare.py": PREP_DF, "notebooks/eda.ipynb": nb})
    assert of(findings, "MLA502") == []  # same literals
    (finding,) = of(findings, "MLA501")
    assert (finding.filename, finding.cell, finding.location.row) == ("notebooks/eda.ipynb", 3, 1)
    assert "6 statements of data preprocessing are duplicated in 2 places" in finding.message
    assert "notebooks/eda.ipynb cells 3-4" in finding.message
    related = [(r.filename, r.cell, r.location.row) for r in finding.related]
    assert related == [("notebooks/eda.ipynb", 4, 1), ("scripts/prepare.py", None, 4)]
    assert "continued in cell 4" in finding.related[0].message


def test_diverging_literals_are_listed(tmp_path: Path) -> None:
    serve = (
        PREP_DF.replace('"data.csv"', '"serve.csv"')
        .replace("fillna(0)", "fillna(-1)")
        .replace("clip(0, 100)", "clip(0, 99)")
    )
    findings = audit(tmp_path, {"train.py": PREP_DF, "serve.py": serve})
    assert len(of(findings, "MLA501")) == 1
    (finding,) = of(findings, "MLA502")
    # at the first differing literal of the first copy (path order): serve.py's fillna(-1)
    assert (finding.filename, finding.location.row) == ("serve.py", 6)
    assert "(-1 vs 0; 99 vs 100)" in finding.message  # the file paths differ too, but are inputs
    assert [(r.filename, r.location.row, r.message) for r in finding.related] == [
        ("train.py", 6, "`0` here"),
        ("serve.py", 7, "`99` here"),
        ("train.py", 7, "`100` here"),
    ]


def test_copies_inside_functions_main_guards_and_embedded_in_longer_blocks(tmp_path: Path) -> None:
    body = "\n".join(line for line in PREP_DF.strip().splitlines()[3:])
    func = "import pandas as pd\nfrom sklearn.preprocessing import StandardScaler\n\n\ndef prepare():\n"
    func += "    print('start')\n    n = 1\n" + textwrap.indent(body, "    ") + "\n    return X\n"
    guard = "import pandas as pd\nfrom sklearn.preprocessing import StandardScaler\n\nif __name__ == '__main__':\n"
    guard += textwrap.indent(body.replace("df", "d"), "    ") + "\n    print(X)\n"
    findings = audit(tmp_path, {"a.py": func, "b.py": guard})
    (finding,) = of(findings, "MLA501")
    assert (finding.filename, finding.location.row) == ("a.py", 8)
    assert [(r.filename, r.location.row) for r in finding.related] == [("b.py", 5)]


def test_threshold_is_configurable(tmp_path: Path) -> None:
    five = "import pandas as pd\n\ndef {name}(d):\n" + "".join(
        f"    d = d.fillna({i})\n" if i % 2 else f"    d = d.dropna(subset=['c{i}'])\n" for i in range(5)
    )
    files = {"a.py": five.format(name="a"), "b.py": five.format(name="b")}
    assert audit(tmp_path, files, ("MLA501",)) == []
    rules = {"duplicated-preprocessing": {"min-statements": 5}}
    assert len(audit(tmp_path, {}, ("MLA501",), rules=rules).of("MLA501")) == 1


def test_threshold_below_two_is_a_configuration_error(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.py": "x = 1\n"})
    with pytest.raises(api.UsageError, match="min-statements"):
        check(tmp_path, "MLA501", rules={"duplicated-preprocessing": {"min-statements": 1}})


def test_tests_boilerplate_and_non_data_code_are_not_reported(tmp_path: Path) -> None:
    imports = "import numpy as np\nimport pandas as pd\nfrom sklearn.impute import SimpleImputer\n"
    imports += "from sklearn.preprocessing import StandardScaler\nimport sklearn\nimport scipy\n"
    imports += '__all__ = ["np", "pd"]\n"""A docstring."""\n'
    checking = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n" + "".join(
        f"    import pandas.m{i}\n    x{i} = pd.read_csv('{i}')\n" for i in range(4)
    )
    text_code = (
        "def header(t):\n" + "".join(f"    t = t.upper() + '{i}'\n" for i in range(8)) + "    return t\n"
    )
    files = {
        "tests/test_a.py": PREP_DF,
        "tests/test_b.py": PREP_DF,
        "pkg/one.py": imports + checking + text_code,
        "pkg/two.py": imports + checking + text_code,
    }
    assert audit(tmp_path, files) == []


def test_experiments_count_and_notebook_functions_name_their_cell(tmp_path: Path) -> None:
    func = (
        "def clean(d):\n"
        + "".join(f"    d['c{i}'] = d['c{i}'].fillna({i})\n" for i in range(6))
        + "    return d\n"
    )
    nb = notebook("import pandas as pd", func)
    findings = audit(
        tmp_path, {"experiments/a.ipynb": nb, "pipeline/b.py": "import pandas as pd\n\n" + func}
    )
    (finding,) = of(findings, "MLA501")
    assert (finding.filename, finding.cell) == ("experiments/a.ipynb", 2)
    assert "experiments/a.ipynb cell 2" in finding.message
    # copies only in experiments and notebooks are exploration: a production copy is what goes stale
    others = {"experiments/a.ipynb": nb, "experiments/b.py": "import pandas as pd\n\n" + func}
    assert audit(tmp_path / "only", others) == []


def test_one_group_per_duplicated_region_with_all_copies(tmp_path: Path) -> None:
    files = {f"s{i}.py": PREP_DF.replace("df", f"d{i}") for i in range(4)}
    findings = audit(tmp_path, files, ("MLA501",))
    (finding,) = findings
    assert "duplicated in 4 places (s0.py:4, s1.py:4, s2.py:4 and 1 more)" in finding.message
    assert [r.filename for r in finding.related] == ["s1.py", "s2.py", "s3.py"]


@pytest.mark.parametrize(
    ("change", "diverges"),
    [
        (lambda t: t, False),  # identical
        (lambda t: t.replace('"data.csv"', '"other/data.parquet"'), False),  # a different input file
        (lambda t: t.replace("fillna(0)", "fillna(0.0)"), False),  # 0 and 0.0 are the same value
        (lambda t: t.replace("fillna(0)", "fillna(0.5)"), True),
        (lambda t: t.replace('subset=["age"]', "subset=['age']"), False),  # quotes do not matter
        (lambda t: t.replace('subset=["age"]', 'subset=["income"]'), True),  # a different column
    ],
)
def test_what_counts_as_a_divergence(tmp_path: Path, change: Any, diverges: bool) -> None:
    findings = audit(tmp_path, {"a.py": PREP_DF, "b.py": change(PREP_DF)})
    assert len(of(findings, "MLA501")) == 1
    assert bool(of(findings, "MLA502")) is diverges


def test_messages_differing_in_non_data_statements_do_not_diverge(tmp_path: Path) -> None:
    code = "import pandas as pd\n\ndef f(d):\n    print('{msg}')\n" + "".join(
        f"    d['c{i}'] = d['c{i}'].fillna({i})\n" for i in range(5)
    )
    findings = audit(tmp_path, {"a.py": code.format(msg="train"), "b.py": code.format(msg="serve")})
    assert len(of(findings, "MLA501")) == 1
    assert of(findings, "MLA502") == []


def test_output_is_identical_whatever_the_worker_count(tmp_path: Path) -> None:
    files = {
        f"jobs/j{i:02d}.py": PREP_DF.replace("df", f"v{i}") if i % 10 == 0 else f"x = {i}\n"
        for i in range(45)
    }
    files["jobs/serve.py"] = PREP_DF.replace("fillna(0)", "fillna(1)")
    serial = audit(tmp_path, files, jobs=1).report
    parallel = audit(tmp_path, {}, jobs=2).report
    assert serial.summary.files > 40
    assert [f.code for f in serial.findings] == ["MLA501", "MLA502"]
    dump = [json.loads(f.model_dump_json()) for f in serial.findings]
    assert dump == [json.loads(f.model_dump_json()) for f in parallel.findings]


# --- normalisation -----------------------------------------------------------------------------------


def normalise(source: str, statement: str) -> tuple[list[str], list[str], bool]:
    module = cst.parse_module(source + "\n" + statement + "\n")
    names = ModuleNames(module, "m", False)
    norm = Normaliser(names, "m", [], imports_data="import pandas" in source or "import numpy" in source)
    stmt = module.body[-1]
    assert isinstance(stmt, cst.SimpleStatementLine)
    norm.visit(stmt.body[0])
    return norm.tokens, norm.literals, norm.data


def test_aliases_resolve_to_the_same_call() -> None:
    a = normalise("import pandas as pd", "df = pd.read_csv('x.csv')")
    b = normalise("import pandas", 'frame = pandas.read_csv("x.csv")')
    c = normalise("from pandas import read_csv as rc", "t = rc('x.csv')")
    assert a == b == c
    assert a[1] == ["'x.csv'"] and a[2] is True


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("d = d.dropna()", "d = d.fillna()"),  # method names are kept
        ("d = d.clip(lower=0)", "d = d.clip(upper=0)"),  # keyword names are kept
        ("d = d.dropna()", "d = e.dropna()"),  # consistent renaming inside a statement
        ("x = np.mean(a)", "x = np.max(a)"),  # resolved functions are kept
        ("x = len(a)", "x = sorted(a)"),  # builtins are kept
        ("x = a[0]", "x = a[0:1]"),  # structure is kept
    ],
)
def test_differences_that_make_statements_different(left: str, right: str) -> None:
    source = "import numpy as np\nimport pandas as pd"
    assert normalise(source, left)[0] != normalise(source, right)[0]


def test_literals_are_abstracted_and_kept_in_order() -> None:
    tokens_a, literals_a, _ = normalise("", "x = f(-1, 'a', True, None, 2.5, b'z')")
    tokens_b, literals_b, _ = normalise("", 'y = f(3, "b", False, 0, 1e3, b"q")')
    assert tokens_a == tokens_b
    assert literals_a == ["-1", "'a'", "True", "None", "2.5", "b'z'"]
    assert literals_b == ["3", "'b'", "False", "0", "1000", "b'q'"]


def test_lambda_and_comprehension_variables_shadow_imports() -> None:
    a = normalise("import numpy as np", "y = [np for np in xs]")
    b = normalise("import numpy as np", "y = [v for v in xs]")
    assert a[0] == b[0]


def test_data_calls_on_unknown_receivers() -> None:
    assert normalise("", "d = d.fillna(0)")[2] is True  # specific: anywhere
    assert normalise("", "d = d.apply(f)")[2] is False  # generic: only with a data import
    assert normalise("import pandas as pd", "d = d.apply(f)")[2] is True
    assert normalise("import numpy as np", "np.random.seed(0)")[2] is False
    assert normalise("import torch", "m = torch.nn.Linear(3, 4)")[2] is False
    assert normalise("import torch", "t = torch.cat([a, b])")[2] is True


def test_module_level_functions_of_the_file_keep_their_names() -> None:
    source = "def scale_rows(x):\n    pass\ndef scale_cols(x):\n    pass"
    assert normalise(source, "y = scale_rows(x)")[0] != normalise(source, "y = scale_cols(x)")[0]
    # a local variable or parameter that shadows the function is an identifier like any other
    assert (
        normalise(source, "y = (lambda scale_rows: scale_rows(x))")[0]
        == normalise(source, "y = (lambda f: f(x))")[0]
    )


def test_variants_in_one_file_are_not_a_skew_but_a_copy_elsewhere_is(tmp_path: Path) -> None:
    variant = PREP_DF.replace("fillna(0)", "fillna(-1)")
    both = PREP_DF + "\n\ndef variant():\n" + textwrap.indent(variant.split("\n", 4)[4], "    ")
    findings = audit(tmp_path, {"one.py": both})
    assert len(of(findings, "MLA501")) == 1
    assert of(findings, "MLA502") == []
    # a third copy in another file, equal to the first
    assert len(audit(tmp_path, {"two.py": PREP_DF}).of("MLA502")) == 1  # two.py's 0 against one.py's -1


# --- v2 contract: data-transformation copies only, one finding per file set, programs -------------

CLEAN = """
import pandas as pd


def clean_{n}(df: pd.DataFrame) -> pd.DataFrame:
    df = df.drop_duplicates(subset=["user_id"])
    df = df[df["country"].notna()]
    df["sessions"] = df["sessions"].clip(0, {clip})
    df["days_since_login"] = df["days_since_login"].fillna(30)
    df["plan"] = df["plan"].str.lower().str.strip()
    df["is_paid"] = (df["plan"] != "free").astype(int)
    return df
"""
ENCODE = """

def encode_{n}(frame: pd.DataFrame) -> pd.DataFrame:
    frame = pd.get_dummies(frame, columns=["plan"])
    frame["age"] = frame["age"].fillna(frame["age"].median())
    frame = frame.sort_values("signup_at")
    frame = frame.reset_index(drop=True)
    frame["tenure"] = frame["tenure"].clip(0, 120)
    frame = frame.astype({{"tenure": "float32"}})
    return frame
"""


def _unrelated(tag: str) -> str:
    return "\n".join(f"\ndef {tag}_{k}(x):\n    return x + {k}\n" for k in range(3))


def test_a_forked_file_pair_is_one_finding_counting_the_primary_copy(tmp_path: Path) -> None:
    train = CLEAN.format(n="a", clip=50) + _unrelated("train") + ENCODE.format(n="a")
    serve = CLEAN.format(n="b", clip=50) + _unrelated("serve") + ENCODE.format(n="b")
    serve += (
        "\n\ndef extra(df):\n" + "\n".join(f"    df = df.fillna({k})" for k in range(3)) + "\n    return df\n"
    )
    (finding,) = of(audit(tmp_path, {"serve.py": serve, "train.py": train}), "MLA501")
    assert finding.filename == "serve.py" and finding.location.row == 5
    assert finding.message.startswith("7 statements of data preprocessing are duplicated in 2 places")
    assert "and 1 more duplicated block (7 statements) shared by the same files" in finding.message
    assert sorted((r.filename, r.location.row) for r in finding.related) == [
        ("serve.py", 26),
        ("train.py", 5),
        ("train.py", 26),
    ]


def test_copies_never_overlap_inside_one_file(tmp_path: Path) -> None:
    steps = "\n".join(f"    df = df.fillna({k})\n    df = df.dropna()" for k in range(8))
    src = f"import pandas as pd\n\n\ndef run(df):\n{steps}\n    return df\n"
    for finding in of(audit(tmp_path, {"prep.py": src}), "MLA501"):
        spans = sorted(
            [(finding.location.row, finding.end_location.row)]
            + [(r.location.row, r.end_location.row) for r in finding.related]
        )
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False)), spans


@pytest.mark.parametrize(
    "body",
    [
        # a model's forward pass
        "    out = F.relu(self.conv1(x))\n    out = self.pool(out)\n    out = out.view(out.size(0), -1)\n"
        "    out = F.relu(self.fc1(out))\n    out = F.relu(self.fc2(out))\n    out = self.fc3(out)\n    return out\n",
        # a training step
        "    optimizer.zero_grad()\n    out = model(x)\n    loss = criterion(out, y)\n    loss.backward()\n"
        "    optimizer.step()\n    total = loss.item() * x.size(0)\n    return total\n",
        # a plot of a mean
        "    ax.plot(x, np.mean(y, 1), color='blue')\n    ax.set_ylim(0, 1)\n    ax.set_xlabel('size')\n"
        "    ax.set_ylabel('score')\n    ax.legend(loc='best')\n    plt.tight_layout()\n    return ax\n",
        # logging and printing around one pandas call
        "    logger.info('start')\n    df = df.dropna()\n    print(df.shape)\n    logger.info('rows %d', len(df))\n"
        "    wandb.log({'rows': len(df)})\n    logger.info('done')\n    return df\n",
    ],
    ids=["model", "training-step", "plot", "logging"],
)
def test_blocks_that_are_not_data_transformation_are_not_reported(tmp_path: Path, body: str) -> None:
    head = "import logging\n\nimport matplotlib.pyplot as plt\nimport numpy as np\nimport torch.nn.functional as F\n"
    head += "import wandb\n\nlogger = logging.getLogger(__name__)\n\n\ndef step(self, x, y, df, ax, model, optimizer, criterion):\n"
    assert audit(tmp_path, {"a.py": head + body, "b.py": head + body}) == []


def test_config_assignment_runs_are_no_skew(tmp_path: Path) -> None:
    """The review's ``12`` vs ``'shakespeare'``: runs of ``name = literal`` are configuration."""
    config = "import pandas as pd\n\ncolumns = pd.Index(['a'])\n" + "".join(
        f"setting_{k} = {{v{k}}}\n" for k in range(8)
    )
    a = config.format(**{f"v{k}": k + 10 for k in range(8)})
    b = config.format(**{f"v{k}": repr("shakespeare") if k == 2 else k + 20 for k in range(8)})
    assert audit(tmp_path, {"config_a.py": a, "config_b.py": b}) == []


def test_skew_is_located_at_the_differing_literal_and_shapes_do_not_count(tmp_path: Path) -> None:
    train = CLEAN.format(n="a", clip=50) + "\n\ndef shape(x):\n    return x.reshape(-1, 28)\n"
    serve = CLEAN.format(n="b", clip=80)
    (finding,) = of(audit(tmp_path, {"train.py": train, "serve.py": serve}), "MLA502")
    assert (finding.filename, finding.location.row, finding.location.column) == ("serve.py", 7, 45)
    assert (finding.end_location.row, finding.end_location.column) == (7, 47)
    assert "(80 vs 50)" in finding.message
    assert [(r.filename, r.location.row, r.location.column) for r in finding.related] == [("train.py", 7, 45)]
    reshaped = CLEAN.format(n="a", clip=50).replace("return df", "return df.to_numpy().reshape(-1, {})")
    tmp = tmp_path / "shapes"
    assert of(audit(tmp, {"a.py": reshaped.format(28), "b.py": reshaped.format(32)}), "MLA502") == []


def test_independent_programs_are_not_compared(tmp_path: Path) -> None:
    files = {
        "lesson1/requirements.txt": "pandas\n",
        "lesson1/prep.py": CLEAN.format(n="a", clip=50),
        "lesson2/requirements.txt": "pandas\n",
        "lesson2/prep.py": CLEAN.format(n="b", clip=80),
    }
    assert audit(tmp_path, files) == []
    # an example project that imports the shared module it copies from is compared with it
    files = {
        "shared/__init__.py": "",
        "shared/cleaning.py": CLEAN.format(n="a", clip=50),
        "demo/requirements.txt": "pandas\n",
        "demo/prep.py": "from shared.cleaning import clean_a\n" + CLEAN.format(n="b", clip=50),
    }
    (finding,) = audit(tmp_path / "linked", files)
    assert finding.code == "MLA501" and finding.filename == "demo/prep.py"  # the target folder is the root


def kind(source: str, statement: str) -> str:
    module = cst.parse_module(source + "\n" + statement + "\n")
    norm = Normaliser(ModuleNames(module, "m", False), "m", [], imports_data=bool(source))
    stmt = module.body[-1]
    assert isinstance(stmt, cst.SimpleStatementLine)
    norm.visit(stmt.body[0])
    return data_code.combine(norm.kinds)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("df = df.dropna(subset=['age'])", "data"),  # a DataFrame method, any receiver
        ("frame['plan'] = frame['plan'].str.lower()", "data"),  # a pandas accessor
        ("rows = frame.loc[frame.age > 3]", "data"),  # a pandas indexer
        ("train_df['x'] = 1", "data"),  # a column of a data-named variable
        ("X_train = X_train.clip(0, 1)", "data"),  # a generic method on a data-named receiver
        ("X = StandardScaler().fit_transform(X)", "data"),
        ("a = pd.get_dummies(b)", "data"),
        ("t = np.concatenate([a, b])", "weak"),  # array arithmetic: model code does it too
        ("out = out.view(out.size(0), -1)", "weak"),
        ("out = F.relu(self.fc1(out))", "other"),  # model
        ("loss = criterion(out, y)", "other"),  # loss
        ("loss.backward()", "other"),
        ("optimizer.step()", "other"),
        ("ax.plot(x, np.mean(y, 1))", "other"),  # plotting wins over the mean it plots
        ("parser.add_argument('--lr', type=float)", "other"),
        ("logger.info('rows %d', len(df))", "other"),
        ("print(df.dropna().shape)", "other"),
        ("batch_size = 12", ""),  # (a `name = literal` run is classified by the extractor: const)
    ],
)
def test_statement_kinds(statement: str, expected: str) -> None:
    source = (
        "import numpy as np\nimport pandas as pd\nimport torch.nn.functional as F\n"
        "from sklearn.preprocessing import StandardScaler"
    )
    assert kind(source, statement) == expected


def test_copy_is_data_needs_a_strong_sign_a_majority_and_little_else() -> None:
    assert data_code.copy_is_data(["data", "weak", "weak", "", "", "data"])
    assert not data_code.copy_is_data(["weak"] * 6)  # numeric code with no sign of data
    assert not data_code.copy_is_data(["data", "", "", "", "", "const"])  # mostly other code
    assert not data_code.copy_is_data(["data", "data", "data", "other", "other", "data"])  # plots
    assert data_code.copy_is_data(["data"] * 5 + ["other"])  # one log line in a cleaning step


def test_feature_building_and_evaluation_copies_are_found(tmp_path: Path) -> None:
    """Realistic copies with no data-named variables: accessors, masks and arithmetic on ``y_val``."""
    features = """
    import numpy as np
    import pandas as pd


    def {name}({arg}):
        {arg}["pickup_datetime"] = pd.to_datetime({arg}["pickup_datetime"])
        {arg}["hour"] = {arg}["pickup_datetime"].dt.hour
        {arg}["weekday"] = {arg}["pickup_datetime"].dt.weekday
        {arg}["trip_distance"] = {arg}["trip_distance"].fillna(0)
        {arg} = {arg}[({arg}.duration >= 1) & ({arg}.duration <= 60)]
        {arg}["PU_DO"] = {arg}["PULocationID"].astype(str) + "_" + {arg}["DOLocationID"].astype(str)
        return {arg}
    """
    scores = """
    import numpy as np
    from sklearn.metrics import mean_squared_error


    def {name}(model, X_{part}, y_{part}):
        preds = model.predict(X_{part})
        preds = np.expm1(preds)
        preds = np.clip(preds, 0, None)
        y_{part} = np.expm1(y_{part})
        rmse = np.sqrt(mean_squared_error(y_{part}, preds))
        mae = np.mean(np.abs(y_{part} - preds))
        return rmse, mae
    """
    files = {
        "src/train.py": features.format(name="build", arg="raw"),
        "src/predict.py": features.format(name="prepare", arg="ride"),
        "src/evaluate.py": scores.format(name="evaluate", part="val"),
        "src/report.py": scores.format(name="score", part="test"),
    }
    found = of(audit(tmp_path, files), "MLA501")
    assert [(f.filename, f.location.row) for f in found] == [("src/evaluate.py", 6), ("src/predict.py", 6)]
