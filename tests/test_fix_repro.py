"""``mlaudit check --fix --unsafe-fixes`` for the reproducibility family: MLA704 (``random_state=`` from
the nearest configured seed) and MLA701 (a project rule: the minority ``to_datetime`` sites, in other
files too, take the majority's ``utc`` choice); and the ``fix`` field a plain check fills."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from mlaudit.fixes.unseeded_randomness import COMMENT
from tests.conftest import notebook, run_cli, write_files
from tests.test_fix import codes, compiles, fix

# --- MLA704 unseeded-randomness -------------------------------------------------------------------------

LITERAL = """\
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, train_test_split


def split(frame):
    train, test = train_test_split(frame, test_size=0.2)  # hold out a fifth
    return train, test


def fit_models(X, y):
    # both estimators of this function are fixed by one finding
    forest = RandomForestClassifier(n_estimators=200)
    clusters = KMeans(n_clusters=8).fit_predict(X)
    return forest.fit(X, y), clusters


def folds(X):
    for a, b in KFold(n_splits=5, shuffle=True).split(X):
        print(a, b)


def subsample(path):
    return pd.read_parquet(path).sample(
        frac=0.1,
        replace=False,  # no duplicates
    )
"""

LITERAL_FIXED = f"""\
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, train_test_split


def split(frame):
    train, test = train_test_split(frame, test_size=0.2, random_state=42)  # hold out a fifth  {COMMENT}
    return train, test


def fit_models(X, y):
    # both estimators of this function are fixed by one finding
    forest = RandomForestClassifier(n_estimators=200, random_state=42)  {COMMENT}
    clusters = KMeans(n_clusters=8, random_state=42).fit_predict(X)  {COMMENT}
    return forest.fit(X, y), clusters


def folds(X):
    for a, b in KFold(n_splits=5, shuffle=True, random_state=42).split(X):  {COMMENT}
        print(a, b)


def subsample(path):
    return pd.read_parquet(path).sample(
        frac=0.1,
        replace=False,  # no duplicates
        random_state=42,  {COMMENT}
    )
"""


def test_literal_seed_with_a_comment_when_nothing_is_configured(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/models.py": LITERAL})
    safe_only = fix(tmp_path, "MLA704")
    assert safe_only.fixed == 0 and safe_only.unsafe_available == 4  # unsafe: not with --fix alone
    outcome = fix(tmp_path, "MLA704", unsafe=True)
    assert outcome.fixed_by_code() == {"MLA704": 4}
    assert (tmp_path / "src/models.py").read_text() == LITERAL_FIXED
    compiles(tmp_path / "src/models.py")
    assert codes(outcome.report) == []
    again = fix(tmp_path, "MLA704", "MLA003", unsafe=True)  # the comment is no suppression directive
    assert again.fixed == 0 and codes(again.report) == []
    assert (tmp_path / "src/models.py").read_text() == LITERAL_FIXED


CONFIGURED = """\
from sklearn.model_selection import ShuffleSplit, train_test_split

SEED = 7


def by_parameter(frame, seed=0):
    return train_test_split(frame)


def by_module_constant(frame):
    return ShuffleSplit(n_splits=3).split(frame)


def nearest_wins(frame):
    random_state = 3
    return train_test_split(frame)


def assigned_after_the_call(frame):
    parts = train_test_split(frame)
    SEED = 1
    return parts, SEED
"""

METHOD = """\
from sklearn.model_selection import train_test_split


class Trainer:
    seed = 5

    def split(self, frame):
        return train_test_split(frame)
"""


def test_seed_from_the_nearest_configuration_value_in_scope(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "src/pipeline.py": CONFIGURED,
            "src/method.py": METHOD,
            "src/config.py": "SEED: int = 11\n",
            "src/settings.py": "RANDOM_STATE = 13\n",
            "src/by_module.py": (
                "from sklearn.model_selection import train_test_split\n\nimport config\n\n\n"
                "def split(frame):\n    return train_test_split(frame, test_size=0.1)\n"
            ),
            "src/by_name.py": (
                "from settings import RANDOM_STATE\nfrom sklearn.model_selection import train_test_split\n\n\n"
                "def split(frame):\n    return train_test_split(frame, test_size=0.1)\n"
            ),
        },
    )
    outcome = fix(tmp_path, "MLA704", unsafe=True)
    assert codes(outcome.report) == []
    text = (tmp_path / "src/pipeline.py").read_text()
    assert "    return train_test_split(frame, random_state=seed)\n" in text  # a parameter
    assert "ShuffleSplit(n_splits=3, random_state=SEED)" in text  # a module constant
    assert "    random_state = 3\n    return train_test_split(frame, random_state=random_state)\n" in text
    # a local bound only after the call would be unbound there: the literal
    assert f"    parts = train_test_split(frame, random_state=42)  {COMMENT}\n" in text
    # a class attribute is not seen from a method
    assert f"train_test_split(frame, random_state=42)  {COMMENT}" in (tmp_path / "src/method.py").read_text()
    # an imported first-party module that defines the seed; a seed imported by name
    assert "test_size=0.1, random_state=config.SEED)" in (tmp_path / "src/by_module.py").read_text()
    assert "test_size=0.1, random_state=RANDOM_STATE)" in (tmp_path / "src/by_name.py").read_text()
    for path in (tmp_path / "src").glob("*.py"):
        compiles(path)


def test_config_attributes_when_no_plain_name_is_in_scope(tmp_path: Path) -> None:
    source = """\
import argparse

from sklearn.ensemble import RandomForestClassifier


def fit(X, y, cfg):
    print("seed", cfg.seed)
    return RandomForestClassifier().fit(X, y)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args()
    return RandomForestClassifier(n_jobs=args.jobs)


def unknown(X, y, conf):
    return RandomForestClassifier().fit(X, y)  # conf has no known seed attribute
"""
    write_files(tmp_path, {"src/fit.py": source})
    outcome = fix(tmp_path, "MLA704", unsafe=True)
    text = (tmp_path / "src/fit.py").read_text()
    assert "RandomForestClassifier(random_state=cfg.seed).fit(X, y)\n" in text
    assert "RandomForestClassifier(n_jobs=args.jobs, random_state=args.random_state)\n" in text
    assert (
        f"RandomForestClassifier(random_state=42).fit(X, y)  # conf has no known seed attribute  {COMMENT}"
        in text
    )
    assert codes(outcome.report) == []


def test_no_keyword_fix_for_a_generator_seed_or_a_training_loop(tmp_path: Path) -> None:
    source = """\
import torch
from torch.utils.data import random_split


def split(dataset):
    return random_split(dataset, [0.8, 0.2])


def train(net, loader, optimizer):
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    train(torch.nn.Linear(4, 1), [], None)
"""
    write_files(tmp_path, {"train.py": source})
    outcome = fix(tmp_path, "MLA704", unsafe=True)
    assert outcome.fixed == 0
    assert (tmp_path / "train.py").read_text() == source
    # one cause per script: the unseeded `random_split` is a related site of the training-loop finding
    (finding,) = outcome.report.findings
    assert finding.fix is None and len(finding.related) == 1


def test_polars_sample_takes_seed(tmp_path: Path) -> None:
    source = "import polars as pl\n\n\ndef part(path):\n    return pl.read_parquet(path).sample(frac=0.5)\n"
    write_files(tmp_path, {"src/part.py": source})
    fix(tmp_path, "MLA704", unsafe=True)
    assert f"sample(frac=0.5, seed=42)  {COMMENT}" in (tmp_path / "src/part.py").read_text()


# --- MLA701 inconsistent-datetime-parsing ---------------------------------------------------------------

TRAIN = """\
import pandas as pd


def load_users(path):
    users = pd.read_csv(path)
    users["signup_at"] = pd.to_datetime(users["signup_at"], utc=True)
    return users
"""

BATCH = """\
import pandas as pd


def batch(path):
    frame = pd.read_csv(path)
    frame["signup_at"] = pd.to_datetime(
        frame["signup_at"],
        utc=True,  # stored as UTC
    )
    return frame
"""

SERVE = """\
import pandas as pd


def prepare(payload):
    frame = pd.DataFrame([payload])
    frame["signup_at"] = pd.to_datetime(frame["signup_at"])  # the request's field
    return frame
"""


def test_minority_site_in_another_file_takes_the_majority_utc(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"pkg/__init__.py": "", "pkg/train.py": TRAIN, "pkg/batch.py": BATCH, "pkg/serve.py": SERVE}
    )
    preview = fix(tmp_path, "MLA701", unsafe=True, diff=True)
    assert (tmp_path / "pkg/serve.py").read_text() == SERVE  # --diff writes nothing
    assert "".join(preview.diffs).startswith("--- a/pkg/serve.py\n+++ b/pkg/serve.py\n")
    outcome = fix(tmp_path, "MLA701", unsafe=True)
    assert outcome.fixed_by_code() == {"MLA701": 1}
    assert outcome.changed == ["pkg/serve.py"]  # the reported site (batch.py) is with the majority
    assert (tmp_path / "pkg/serve.py").read_text() == SERVE.replace(
        'pd.to_datetime(frame["signup_at"])', 'pd.to_datetime(frame["signup_at"], utc=True)'
    )
    assert (tmp_path / "pkg/batch.py").read_text() == BATCH
    compiles(tmp_path / "pkg/serve.py")
    assert codes(outcome.report) == []
    again = fix(tmp_path, "MLA701", unsafe=True)
    assert again.fixed == 0 and again.changed == []


def test_utc_is_removed_when_the_majority_parses_without_it(tmp_path: Path) -> None:
    plain = SERVE.replace("prepare", "prepare_again")
    write_files(tmp_path, {"pkg/batch.py": BATCH, "pkg/serve.py": SERVE, "pkg/again.py": plain})
    outcome = fix(tmp_path, "MLA701", unsafe=True)
    assert outcome.fixed_by_code() == {"MLA701": 1}
    assert (tmp_path / "pkg/batch.py").read_text() == BATCH.replace(
        '        frame["signup_at"],\n        utc=True,  # stored as UTC\n',
        '        frame["signup_at"],  # stored as UTC\n',
    )
    compiles(tmp_path / "pkg/batch.py")
    assert codes(outcome.report) == []


def test_no_fix_for_a_tie_another_option_or_a_reader_site(tmp_path: Path) -> None:
    tie = {"pkg/train.py": TRAIN, "pkg/serve.py": SERVE}
    write_files(tmp_path / "tie", tie)
    dayfirst = SERVE.replace('frame["signup_at"])', 'frame["signup_at"], dayfirst=True)')
    write_files(tmp_path / "option", {"pkg/train.py": TRAIN, "pkg/batch.py": BATCH, "pkg/serve.py": dayfirst})
    reader = (
        "import pandas as pd\n\n\ndef read(path):\n    return pd.read_csv(path, parse_dates=['signup_at'])\n"
    )
    write_files(tmp_path / "reader", {"pkg/train.py": TRAIN, "pkg/batch.py": BATCH, "pkg/read.py": reader})
    for case in ("tie", "option", "reader"):
        before = {p: p.read_bytes() for p in (tmp_path / case).rglob("*.py")}
        outcome = fix(tmp_path / case, "MLA701", unsafe=True)
        assert outcome.fixed == 0, case
        assert codes(outcome.report) == ["MLA701"], case
        assert {p: p.read_bytes() for p in (tmp_path / case).rglob("*.py")} == before, case


def test_notebook_site_is_edited_in_its_cell(tmp_path: Path) -> None:
    nb = json.loads(
        notebook(
            ("markdown", "# Explore"),
            "import pandas as pd\n%matplotlib inline\ndf = pd.read_csv('users.csv')",
            'df["signup_at"] = pd.to_datetime(df["signup_at"])\ndf.head()',
        )
    )
    nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}]
    nb["cells"][2]["execution_count"] = 4
    original = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    write_files(tmp_path, {"pkg/train.py": TRAIN, "pkg/batch.py": BATCH, "explore.ipynb": original})
    outcome = fix(tmp_path, "MLA701", unsafe=True)
    assert outcome.fixed_by_code() == {"MLA701": 1}
    after = json.loads((tmp_path / "explore.ipynb").read_text())
    expected = json.loads(original)
    expected["cells"][2]["source"] = [
        'df["signup_at"] = pd.to_datetime(df["signup_at"], utc=True)\n',
        "df.head()",
    ]
    assert after == expected
    assert (tmp_path / "explore.ipynb").read_text() == json.dumps(
        expected, indent=1, ensure_ascii=False
    ) + "\n"
    assert codes(outcome.report) == []


def test_read_only_related_file_is_reported_and_nothing_is_applied(tmp_path: Path) -> None:
    write_files(tmp_path, {"pkg/train.py": TRAIN, "pkg/batch.py": BATCH, "pkg/serve.py": SERVE})
    target = tmp_path / "pkg/serve.py"
    target.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        outcome = fix(tmp_path, "MLA701", unsafe=True)
    finally:
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert outcome.fixed == 0
    assert outcome.problems == ["cannot write pkg/serve.py: the file is read-only (not fixed)"]
    assert target.read_text() == SERVE and codes(outcome.report) == ["MLA701"]


# --- the fix field of a plain check ---------------------------------------------------------------------


def test_plain_check_reports_available_fixes_in_json_and_sarif(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"pkg/train.py": TRAIN, "pkg/batch.py": BATCH, "pkg/serve.py": SERVE, "src/models.py": LITERAL},
    )
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    result = run_cli("check", ".", "--select", "MLA701,MLA704", "--output-format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.py")} == before
    findings = json.loads(result.stdout)["findings"]
    by_code = {(f["code"], f["filename"], f["location"]["row"]): f["fix"] for f in findings}
    utc = by_code[("MLA701", "pkg/batch.py", 6)]
    assert utc["applicability"] == "unsafe"
    assert (
        utc["message"]
        == "add `utc=True` to 1 `to_datetime` call (in pkg/serve.py): 2 of 3 sites parse with it"
    )
    assert utc["edits"] == [
        {
            "content": '    frame["signup_at"] = pd.to_datetime(frame["signup_at"], utc=True)  # the request\'s field\n',
            "location": {"row": 6, "column": 1},
            "end_location": {"row": 7, "column": 1},
            "filename": "pkg/serve.py",
            "cell": None,
        }
    ]
    seed = by_code[("MLA704", "src/models.py", 8)]
    assert seed["message"] == "pass random_state=42 to the unseeded call"
    assert seed["edits"][0]["filename"] is None
    assert all(f["fix"] is not None for f in findings)

    sarif = run_cli("check", ".", "--select", "MLA701", "--output-format", "sarif", cwd=tmp_path)
    [res] = json.loads(sarif.stdout)["runs"][0]["results"]
    [change] = res["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "pkg/serve.py"
    assert change["replacements"][0]["deletedRegion"] == {
        "startLine": 6,
        "startColumn": 1,
        "endLine": 7,
        "endColumn": 1,
    }


# --- MLA202 nondeterministic-transform: callers in other files ------------------------------------------

FEATURES = """\
from datetime import datetime

import pandas as pd


def build_features(df: pd.DataFrame) -> pd.DataFrame:
    age = datetime.now() - df["signup"]  # days since signup
    return df.assign(age=age)
"""

CALLER = """\
\"\"\"Training entry point.\"\"\"
import pandas as pd

from pkg.features import build_features


def main():
    return build_features(pd.read_csv("x.csv"))


if __name__ == "__main__":
    main()
"""

ALIASED = """\
from datetime import datetime

from .features import build_features as features


def handler(payload, stamp=datetime.now):
    return features(payload)
"""


def test_clock_parameter_is_passed_by_callers_in_other_files(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/features.py": FEATURES, "pkg/train.py": CALLER, "pkg/serve.py": ALIASED},
    )
    outcome = fix(tmp_path, "MLA202", unsafe=True)
    assert outcome.fixed_by_code()["MLA202"] >= 1
    features = (tmp_path / "pkg/features.py").read_text()
    assert "def build_features(df: pd.DataFrame, *, now) -> pd.DataFrame:\n" in features
    assert '    age = now - df["signup"]  # days since signup\n' in features
    train = (tmp_path / "pkg/train.py").read_text()
    assert train == CALLER.replace(
        "from pkg.features import build_features\n",
        "from pkg.features import build_features\nfrom datetime import datetime\n",
    ).replace(
        'build_features(pd.read_csv("x.csv"))', 'build_features(pd.read_csv("x.csv"), now=datetime.now())'
    )
    serve = (tmp_path / "pkg/serve.py").read_text()
    assert serve == ALIASED.replace("features(payload)", "features(payload, now=datetime.now())")
    for rel in ("pkg/features.py", "pkg/train.py", "pkg/serve.py"):
        compiles(tmp_path / rel)
    assert not [f for f in outcome.report.findings if f.filename == "pkg/features.py"]
    again = fix(tmp_path, "MLA202", unsafe=True)
    assert again.changed == []


def test_no_cross_file_fix_when_another_file_uses_the_name_otherwise(tmp_path: Path) -> None:
    registry = "from pkg.features import build_features\n\nSTEPS = [build_features]\n"
    shadowed = CALLER.replace("import pandas as pd\n", "import pandas as pd\n\ndatetime = None\n")
    for case, other in (("reference", registry), ("shadowed", shadowed)):
        root = tmp_path / case
        write_files(root, {"pkg/__init__.py": "", "pkg/features.py": FEATURES, "pkg/other.py": other})
        outcome = fix(root, "MLA202", unsafe=True)
        assert outcome.fixed == 0, case
        assert (root / "pkg/features.py").read_text() == FEATURES, case
        assert (root / "pkg/other.py").read_text() == other, case
