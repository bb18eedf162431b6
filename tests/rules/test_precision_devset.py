"""Issue 11, development-set precision: the causes the devset review found (MLA301 registry presets,
one finding per function and scripts' settings; MLA303 UI assets, platform-fixed names, scratch round trips
and one finding per function; MLA704 tensor-only optimisation, one cause per script, serving-side samples;
MLA501 notebook twins). Each quiet case has its catalogue case; these tests pin the other side."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from mlaudit import api
from mlaudit.facts.presets import built_object_call, is_registry_factory
from mlaudit.model import Finding
from mlaudit.rules.config import _path_causes as causes
from tests.conftest import notebook


def audit(root: Path, files: dict[str, str], code: str, **settings: Any) -> list[Finding]:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n") if not rel.endswith(".ipynb") else text, "utf-8")
    overrides: dict[str, Any] = {"select": (code,), **settings}
    report = api.check([root], api.CheckOptions(isolated=True, overrides=overrides, jobs=1, no_cache=True))
    assert not report.errors, report.errors
    return [f for f in report.findings if f.code == code]


def rows(findings: list[Finding]) -> list[tuple[str, int]]:
    return sorted((f.filename, f.location.row) for f in findings)


# --- MLA301 ------------------------------------------------------------------------------------------


def test_mla301_literals_of_one_function_are_one_finding(tmp_path: Path) -> None:
    src = """
    from argus.callbacks import EarlyStopping, ReduceLROnPlateau

    def train_fold(model, train_loader, val_loader):
        callbacks = [
            ReduceLROnPlateau(monitor="val_lwlrap", patience=6, factor=0.6),
            EarlyStopping(monitor="val_lwlrap", patience=18),
        ]
        model.fit(train_loader, val_loader=val_loader, num_epochs=700, callbacks=callbacks)


    def other(model, loader):
        model.fit(loader, num_epochs=50)
    """
    found = audit(tmp_path, {"pkg/train.py": src, "pkg/__init__.py": ""}, "MLA301")
    assert rows(found) == [("pkg/train.py", 5), ("pkg/train.py", 12)]
    first = next(f for f in found if f.location.row == 5)
    assert [r.location.row for r in first.related] == [6, 8]
    assert "`patience=6`, `patience=18`, `num_epochs=700`" in first.message
    assert "`ReduceLROnPlateau`, `EarlyStopping` and `fit` in `train_fold`" in first.message


def test_mla301_builders_that_take_what_they_build_from_are_not_presets(tmp_path: Path) -> None:
    src = """
    import torch
    from sklearn.ensemble import RandomForestClassifier

    def build_optimizer(model):
        optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
        optimizer.name = "adam"
        return optimizer

    def build(pretrained=False):
        model = torch.nn.Transformer(num_heads=8)
        model = model.half()
        return model

    def train_forest(X=None, y=None):
        model = RandomForestClassifier(n_estimators=300)
        model.fit(X, y)
        return model
    """
    found = audit(tmp_path, {"pkg/factory.py": src, "pkg/__init__.py": ""}, "MLA301")
    assert rows(found) == [("pkg/factory.py", 5), ("pkg/factory.py", 10), ("pkg/factory.py", 15)]


def test_mla301_registry_decorators_and_factories_are_recognised() -> None:
    import libcst as cst

    module = cst.parse_module(
        textwrap.dedent(
            """
            @register_model
            def a(pretrained=False, **kw):
                m = Net(num_heads=3)
                m.default_cfg = {}
                if pretrained:
                    m.load_state_dict(load())
                return m

            @MODELS.register_module()
            def b(cfg):
                return Net(cfg)

            @lru_cache
            def c(**kw):
                m = Net(num_heads=3)
                for m in range(2):
                    pass
                return m

            def d(X=None, y=None):
                m = Forest(n_estimators=300)
                m.fit(X, y)
                return m
            """
        )
    )
    a, b, c, d = (s for s in module.body if isinstance(s, cst.FunctionDef))
    assert is_registry_factory(a) and is_registry_factory(b) and not is_registry_factory(c)
    assert built_object_call(a) is not None
    assert built_object_call(b) is None and built_object_call(c) is None and built_object_call(d) is None


def test_mla301_a_scripts_function_dict_and_an_imported_modules_dict_are_reported(tmp_path: Path) -> None:
    script = """
    PARAMS = {"lr": 0.01, "batch_size": 64}

    def search():
        return {"lr": 0.1, "batch_size": 32}

    if __name__ == "__main__":
        search()
    """
    library = """
    PARAMS = {"lr": 0.01, "batch_size": 64}
    """
    found = audit(
        tmp_path,
        {"run_search.py": script, "pkg/__init__.py": "", "pkg/grids.py": library, "pkg/use.py": "from pkg import grids\n"},
        "MLA301",
    )
    assert rows(found) == [("pkg/grids.py", 1), ("run_search.py", 4)]


def test_mla301_a_main_guarded_scripts_functions_stay_reported(tmp_path: Path) -> None:
    src = """
    import torch

    def train(model):
        return torch.optim.SGD(model.parameters(), lr=0.5)

    if __name__ == "__main__":
        train(torch.nn.Linear(1, 1))
    """
    assert rows(audit(tmp_path, {"train.py": src}, "MLA301")) == [("train.py", 4)]


# --- MLA303 ------------------------------------------------------------------------------------------


def test_mla303_paths_of_one_function_are_one_finding(tmp_path: Path) -> None:
    src = """
    import joblib
    import pandas as pd

    def train(model):
        orders = pd.read_csv("data/orders.csv")
        users = pd.read_parquet("data/users.parquet")
        joblib.dump(model.fit(orders.merge(users)), "models/model.joblib")

    def score(model):
        return model.predict(pd.read_csv("data/orders.csv"))
    """
    found = audit(tmp_path, {"pkg/__init__.py": "", "pkg/train.py": src}, "MLA303")
    assert rows(found) == [("pkg/train.py", 5)]
    assert [r.location.row for r in found[0].related] == [6, 7, 10]


def test_mla303_images_outside_apps_submissions_elsewhere_and_library_round_trips_are_reported(
    tmp_path: Path,
) -> None:
    train = """
    from PIL import Image

    def load_example():
        return Image.open("data/cat.jpg")
    """
    cache = """
    import pickle

    def save(obj):
        pickle.dump(obj, open("cache/features.pkl", "wb"))

    def load():
        return pickle.load(open("cache/features.pkl", "rb"))
    """
    predict = """
    import pandas as pd

    def write(frame):
        frame.to_csv("outputs/predictions_submission_v2.csv")
    """
    files = {"pkg/__init__.py": "", "pkg/train.py": train, "pkg/cache.py": cache, "pkg/predict.py": predict}
    found = audit(tmp_path, files, "MLA303")
    assert rows(found) == [("pkg/cache.py", 4), ("pkg/predict.py", 4), ("pkg/train.py", 4)]


def test_mla303_cause_helpers() -> None:
    assert causes.platform_fixed("./submission.csv") and causes.platform_fixed("/kaggle/working/submission.csv")
    assert not causes.platform_fixed("submissions/submission.csv") and not causes.platform_fixed("sub.csv")
    assert causes.ui_asset("_assets/x.png", ui_file=False) and causes.ui_asset("pic.png", ui_file=True)
    assert not causes.ui_asset("data/pic.png", ui_file=False) and not causes.ui_asset("x.csv", ui_file=True)
    assert causes.round_trip({"write", "model-load"}) and not causes.round_trip({"read"})
    assert causes.group_causes([("a", "f"), ("b", "g"), ("c", "f"), ("b", ""), ("d", "")]) == [[0, 2], [1, 3], [4]]


# --- MLA704 ------------------------------------------------------------------------------------------

_LOOP = """
import torch

target = torch.load("target.pt")  # data it reads: not a demo on data it makes up (MLA704)
w = torch.randn(3, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.1)
for step in range(100):
    loss = ((w - target) ** 2).sum()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""


def test_mla704_explicit_tensors_with_a_random_start_are_reported(tmp_path: Path) -> None:
    assert rows(audit(tmp_path, {"fit.py": _LOOP}, "MLA704")) == [("fit.py", 9)]


def test_mla704_unseeded_calls_of_a_script_with_an_unseeded_loop_are_one_finding(tmp_path: Path) -> None:
    src = _LOOP + textwrap.dedent(
        """
        from sklearn.manifold import TSNE

        embedding = TSNE(n_components=2).fit_transform(w.detach().numpy()[None])
        """
    )
    found = audit(tmp_path, {"fit.py": src}, "MLA704")
    assert rows(found) == [("fit.py", 9)]
    assert [r.location.row for r in found[0].related] == [14]
    assert "1 unseeded call of this script too" in found[0].message


def test_mla704_samples_outside_the_serving_side_are_reported(tmp_path: Path) -> None:
    utils = """
    import pandas as pd

    def get_batch(path):
        return pd.read_csv(path).sample(n=100)
    """
    train = """
    from pkg.utils import get_batch

    def train(path):
        return get_batch(path)
    """
    files = {"pkg/__init__.py": "", "pkg/utils.py": utils, "pkg/train.py": train}
    assert rows(audit(tmp_path, files, "MLA704")) == [("pkg/utils.py", 4)]


# --- MLA501 ------------------------------------------------------------------------------------------

_BLOCK = """
df = df.drop_duplicates(subset=["user_id"])
df = df[df["country"].notna()]
df["sessions"] = df["sessions"].clip(0, 50)
df["days_since_login"] = df["days_since_login"].fillna(30)
df["plan"] = df["plan"].str.lower().str.strip()
df["is_paid"] = (df["plan"] != "free").astype(int)
"""


def test_mla501_a_notebook_and_a_script_of_different_stems_are_still_a_clone(tmp_path: Path) -> None:
    script = "import pandas as pd\n\ndf = pd.read_csv('leads.csv')\n" + _BLOCK
    files = {
        "lessons/302_churn.py": script,
        "notebooks/churn_exploration.ipynb": notebook("import pandas as pd\ndf = pd.read_csv('x.csv')", _BLOCK),
    }
    assert len(audit(tmp_path, files, "MLA501")) == 1
