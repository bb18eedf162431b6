from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import pytest

from mlaudit.config.schema import Settings
from mlaudit.engine.discovery import DiscoveryError, Finder, discover
from tests.conftest import write_files


def rels(root: Path, *paths: Path, **kw: object) -> list[str]:
    settings = Settings.model_validate(
        {k.replace("_", "-"): v for k, v in kw.items() if k != "force_exclude"}
    )
    out = discover(list(paths) or [root], root, settings, force_exclude=bool(kw.get("force_exclude")))
    return [f.rel for f in out.files]


def test_default_excludes_and_gitignore(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pkg/a.py": "",
            "nb.ipynb": "{}",
            "venv/lib/x.py": "",
            "wandb/run/y.py": "",
            ".ipynb_checkpoints/nb-checkpoint.ipynb": "{}",
            "generated/z.py": "",
            "notes.txt": "",
            ".gitignore": "generated/\n",
        },
    )
    assert rels(tmp_path) == ["nb.ipynb", "pkg/a.py"]
    assert "generated/z.py" in rels(tmp_path, respect_gitignore=False)


def test_default_excludes_never_hide_a_first_party_package(tmp_path: Path) -> None:
    """Issue 11 item 6: a first-party package named like a run folder (`wandb/` with `__init__.py`, its
    modules importing each other) is analysed; a run folder without `__init__.py` stays excluded."""
    write_files(
        tmp_path,
        {
            "train.py": "from wandb.logger import log\n",
            "wandb/__init__.py": "from .logger import log\n",
            "wandb/logger.py": "from .sink import write\n\ndef log(x):\n    write(x)\n",
            "wandb/sink.py": "def write(x):\n    print(x)\n",
            "runs/wandb/run-20240101_000000-abc/files/code/train.py": "",
            "outputs/2024-01-01/12-00-00/snapshot.py": "",
            "src/build/__init__.py": "",
            "build/lib/pkg/__init__.py": "",
            "venv/lib/python3.11/site-packages/numpy/__init__.py": "",
        },
    )
    assert rels(tmp_path) == [
        "src/build/__init__.py",
        "train.py",
        "wandb/__init__.py",
        "wandb/logger.py",
        "wandb/sink.py",
    ]
    # Excludes the user writes are applied as written, package or not.
    assert "wandb/logger.py" not in rels(tmp_path, extend_exclude=["wandb"])
    assert "wandb/logger.py" not in rels(tmp_path, exclude=["wandb", "venv", "build", "outputs"])
    # --force-exclude keeps an explicitly passed module of such a package.
    explicit = tmp_path / "wandb" / "logger.py"
    assert rels(tmp_path, explicit, force_exclude=True) == ["wandb/logger.py"]


def test_extend_exclude_and_explicit_files(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.py": "", "legacy/b.py": ""})
    assert rels(tmp_path, extend_exclude=["legacy"]) == ["a.py"]
    explicit = tmp_path / "legacy" / "b.py"
    assert rels(tmp_path, explicit, extend_exclude=["legacy"]) == ["legacy/b.py"]
    assert rels(tmp_path, explicit, extend_exclude=["legacy"], force_exclude=True) == []


def test_module_names_from_package_roots(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/features.py": "",
            "src/pkg/sub/__init__.py": "",
            "src/pkg/sub/io.py": "",
            "flat/__init__.py": "",
            "flat/train.py": "",
            "scripts/prepare.py": "",
            "notebooks/explore.ipynb": "{}",
        },
    )
    out = discover([tmp_path], tmp_path, Settings())
    modules = {f.rel: (f.module, f.is_package) for f in out.files}
    assert modules["src/pkg/features.py"] == ("pkg.features", False)
    assert modules["src/pkg/sub/__init__.py"] == ("pkg.sub", True)
    assert modules["src/pkg/sub/io.py"] == ("pkg.sub.io", False)
    assert modules["flat/train.py"] == ("flat.train", False)
    assert modules["scripts/prepare.py"] == ("scripts.prepare", False)
    assert modules["notebooks/explore.ipynb"] == ("notebooks.explore", False)


def test_roles_from_path_globs(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "tests/test_a.py": "",
            "pkg/config.py": "",
            "pkg/features.py": "",
            "notebooks/x.ipynb": "{}",
            "b_test.py": "",
        },
    )
    roles = {f.rel: f.roles for f in discover([tmp_path], tmp_path, Settings()).files}
    assert "test" in roles["tests/test_a.py"]
    assert "test" in roles["b_test.py"]
    assert roles["pkg/config.py"] == {"config"}
    assert roles["pkg/features.py"] == {"features"}
    assert "experiment" in roles["notebooks/x.ipynb"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError, match="no such file"):
        discover([tmp_path / "nope"], tmp_path, Settings())


def test_symlink_loop_is_not_followed(tmp_path: Path) -> None:
    write_files(tmp_path, {"pkg/a.py": ""})
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg", target_is_directory=True)
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    out = discover([tmp_path], tmp_path, Settings())
    assert [f.rel for f in out.files] == ["pkg/a.py"]
    assert any("symlink loop" in w for w in out.warnings)
    assert out.problems == [("dangling.py", "dangling symlink: target does not exist")]


# --- vendored third-party code (issue 11 precision) ------------------------------------------------------
_GLUONTS_COPY = {
    "Code of Winning Methods/A2/run.py": "from gluonts.model import Estimator\n",
    "Code of Winning Methods/A2/gluonts/__init__.py": "__version__ = '0.5'\n",
    "Code of Winning Methods/A2/gluonts/model/__init__.py": "from .estimator import Estimator\n",
    "Code of Winning Methods/A2/gluonts/model/estimator.py": "class Estimator:\n    pass\n",
    "Code of Winning Methods/A2/gluonts/transform.py": "CACHE = {}\n",
}


def test_a_copied_library_package_is_skipped_and_reported(tmp_path: Path) -> None:
    """M5-methods carries a full copy of gluonts next to its own scripts: not the project's code."""
    write_files(tmp_path, _GLUONTS_COPY)
    out = discover([tmp_path], tmp_path, Settings())
    assert [f.rel for f in out.files] == ["Code of Winning Methods/A2/run.py"]
    assert out.vendored == [
        ("Code of Winning Methods/A2/gluonts", "a vendored copy of the third-party package `gluonts`", 4)
    ]
    assert out.warnings == [
        "skipped 4 files in Code of Winning Methods/A2/gluonts/ as a vendored copy of the third-party package "
        "`gluonts`; set `exclude-vendored = false` to analyse them"
    ]
    # The setting turns it off; --force-exclude drops a staged file of the copy (the pre-commit hook).
    assert len(rels(tmp_path, exclude_vendored=False)) == 5
    staged = tmp_path / "Code of Winning Methods/A2/gluonts/transform.py"
    assert rels(tmp_path, staged, force_exclude=True) == []
    assert rels(tmp_path, staged) == ["Code of Winning Methods/A2/gluonts/transform.py"]
    # Passing the copy's folder itself analyses it, as ruff does with an excluded folder named explicitly.
    assert len(rels(tmp_path, tmp_path / "Code of Winning Methods/A2/gluonts")) == 4


def test_a_checkout_of_the_library_itself_is_analysed(tmp_path: Path) -> None:
    """Running mlaudit on gym's own repository: its packaging names the package, so it is first-party."""
    write_files(
        tmp_path,
        {
            "setup.py": "from setuptools import setup, find_packages\nsetup(name='gym', packages=find_packages())\n",
            "gym/__init__.py": "from gym.core import Env\n",
            "gym/core.py": "class Env:\n    pass\n",
        },
    )
    assert rels(tmp_path) == ["gym/__init__.py", "gym/core.py", "setup.py"]
    write_files(
        tmp_path / "sb3",
        {
            "pyproject.toml": '[project]\nname = "stable-baselines3"\n',
            "src/stable_baselines3/__init__.py": "",
            "src/stable_baselines3/ppo.py": "",
        },
    )
    assert "src/stable_baselines3/ppo.py" in rels(tmp_path / "sb3")


def test_a_subpackage_named_like_a_library_is_a_copy_only_if_it_imports_itself(tmp_path: Path) -> None:
    """FinRL-Tutorials' `DQN-DDPG_Stock_Trading/` (a package) holds a copy of gym whose modules import
    `gym.*`; a first-party `models/xgboost/` wrapping the library is analysed, as is a plain folder."""
    write_files(
        tmp_path,
        {
            "DQN-DDPG_Stock_Trading/__init__.py": "",
            "DQN-DDPG_Stock_Trading/run.py": "import gym\n",
            "DQN-DDPG_Stock_Trading/gym/__init__.py": "from gym import error\nfrom gym.core import Env\n",
            "DQN-DDPG_Stock_Trading/gym/core.py": "class Env:\n    pass\n",
            "DQN-DDPG_Stock_Trading/gym/error.py": "class Error(Exception):\n    pass\n",
            "models/__init__.py": "",
            "models/xgboost/__init__.py": "from xgboost import XGBClassifier\nimport xgboost.callback\n",
            "models/xgboost/wrap.py": "import xgboost as xgb\n",
            "torch/notes.py": "",
        },
    )
    assert rels(tmp_path) == [
        "DQN-DDPG_Stock_Trading/__init__.py",
        "DQN-DDPG_Stock_Trading/run.py",
        "models/__init__.py",
        "models/xgboost/__init__.py",
        "models/xgboost/wrap.py",
        "torch/notes.py",
    ]


def test_a_copy_whose_imports_were_rewritten_to_its_place_is_skipped(tmp_path: Path) -> None:
    """ControlNet's `annotator/uniformer/mmcv/` imports itself as `annotator.uniformer.mmcv.utils` (its top
    modules import relatively); a small first-party `models/xgboost/` importing itself by its full dotted
    path is analysed: only a library-shaped package (several subpackages) counts."""
    copy = "annotator/uniformer/mmcv"
    write_files(
        tmp_path,
        {
            "annotator/__init__.py": "",
            "annotator/uniformer/__init__.py": "from annotator.uniformer.mmcv import Config\n",
            f"{copy}/__init__.py": "from .utils import *\n",
            f"{copy}/cnn/__init__.py": "",
            f"{copy}/ops/__init__.py": "",
            f"{copy}/ops/nms.py": "from annotator.uniformer.mmcv.utils import deprecated_api_warning\n",
            f"{copy}/utils/__init__.py": "",
            "models/__init__.py": "",
            "models/xgboost/__init__.py": "from models.xgboost.wrap import fit\n",
            "models/xgboost/wrap.py": "import xgboost as xgb\n",
        },
    )
    assert rels(tmp_path) == [
        "annotator/__init__.py",
        "annotator/uniformer/__init__.py",
        "models/__init__.py",
        "models/xgboost/__init__.py",
        "models/xgboost/wrap.py",
    ]


def test_the_projects_own_package_inside_a_copy_is_analysed(tmp_path: Path) -> None:
    """FinRL-Tutorials wrote its trading environment, with its CSV prices, into the gym copy
    (`gym/envs/rlstock/`): that package is the project's code; the library's own packages stay skipped."""
    write_files(
        tmp_path,
        {
            "gym/__init__.py": "from gym.core import Env\n",
            "gym/core.py": "",
            "gym/envs/__init__.py": "",
            "gym/envs/classic_control/__init__.py": "",
            "gym/envs/classic_control/cartpole.py": "",
            "gym/envs/rlstock/__init__.py": "from gym.envs.rlstock.rlstock_env import StockEnv\n",
            "gym/envs/rlstock/rlstock_env.py": "import pandas as pd\n",
            "gym/envs/rlstock/Data_Daily/prices.csv": "date,close\n",
        },
    )
    out = discover([tmp_path], tmp_path, Settings())
    assert [f.rel for f in out.files] == ["gym/envs/rlstock/__init__.py", "gym/envs/rlstock/rlstock_env.py"]
    assert out.vendored == [("gym", "a vendored copy of the third-party package `gym`", 5)]
    assert out.warnings[0].startswith("gym/envs/rlstock/ analysed although inside the vendored gym/")


def test_vendor_folders_are_skipped(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "train.py": "",
            "vendor/lib/x.py": "",
            "third_party/mmcv/__init__.py": "",
            "pkg/__init__.py": "",
            "pkg/_vendor/six.py": "",
            "external/submodule/y.py": "",
            "pkg/external/__init__.py": "",
            "pkg/external/api_client.py": "",
        },
    )
    out = discover([tmp_path], tmp_path, Settings())
    assert [f.rel for f in out.files] == [
        "pkg/__init__.py",
        "pkg/external/__init__.py",
        "pkg/external/api_client.py",
        "train.py",
    ]
    assert sorted(v[0] for v in out.vendored) == ["external", "pkg/_vendor", "third_party", "vendor"]
    assert "vendor/lib/x.py" in rels(tmp_path, exclude_vendored=False)


def test_hyperparameter_modules_have_the_config_role(tmp_path: Path) -> None:
    names = [
        "hparams.py",
        "hyperparams.py",
        "hyperparameters.py",
        "params.py",
        "m5a_params.py",
        "gan_hparams.py",
    ]
    write_files(tmp_path, {name: "" for name in [*names, "parameters_search.py", "paramsearch.py"]})
    roles = {f.rel: f.roles for f in discover([tmp_path], tmp_path, Settings()).files}
    assert all("config" in roles[name] for name in names)
    assert "config" not in roles["parameters_search.py"] | roles["paramsearch.py"]


def test_an_unreadable_folder_is_not_taken_for_vendored_code(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.py": "", "closed/inner.py": ""})
    finder = Finder(tmp_path, Settings())
    with patch("mlaudit.engine.discovery.vendored_folder", side_effect=PermissionError(13, "denied")):
        assert finder.vendored(tmp_path / "closed") is None


def test_source_file_answers_per_folder_what_the_per_file_functions_answer(tmp_path: Path) -> None:
    """``Finder.source_file`` computes a folder's relative path, module prefix and program once for all
    its files: each record equals what ``relpath``, ``module_name``, ``roles_of`` and ``is_mirror``
    give for the file alone, for odd names, ``src`` roots, nested .gitignore files and a file outside
    the root."""
    from mlaudit.engine.discovery import relpath
    from mlaudit.project.programs import is_mirror

    root = tmp_path / "proj"
    write_files(
        root,
        {
            "main.py": "",
            "__init__.py": "",
            "pkg/__init__.py": "",
            "pkg/a.b.py": "",
            "pkg/.hidden.py": "",
            "pkg/sub/__init__.py": "",
            "pkg/sub/train.py": "",
            "pkg/sub/.gitignore": "skip_*.py\n",
            "pkg/sub/skip_me.py": "",
            "notebooks/eda.ipynb": "{}",
            "notebooks/eda.py": "",
            "notebooks/other.py": "",
            "src/lib/core/m.py": "",
            "src/lib/__init__.py": "",
            "tests/test_x.py": "",
            "exp/run.py": "print(1)\n",
        },
    )
    write_files(tmp_path, {"elsewhere/tool.py": "", "elsewhere/__init__.py": "", "loose.py": ""})
    settings = Settings.model_validate({"src": ["src"]})
    found = discover([root, tmp_path / "elsewhere" / "tool.py", tmp_path / "loose.py"], root, settings)
    assert "pkg/sub/skip_me.py" not in [f.rel for f in found.files]
    reference = Finder(root, settings)
    for f in found.files:
        rel = relpath(f.path, root)
        module, is_package = reference.module_name(f.path)
        expected = (rel, module, is_package, reference.roles_of(rel), is_mirror(rel, reference.listing))
        assert (f.rel, f.module, f.is_package, f.roles, f.mirror) == expected, f
    by_rel = {f.rel: f for f in found.files}
    assert (
        by_rel["../elsewhere/tool.py"].module == "elsewhere.tool" and by_rel["../loose.py"].module == "loose"
    )
    assert by_rel["pkg/a.b.py"].module == "pkg.a.b" and by_rel["pkg/sub/__init__.py"].module == "pkg.sub"
    assert by_rel["src/lib/core/m.py"].module == "lib.core.m"
    assert by_rel["notebooks/eda.py"].mirror and not by_rel["notebooks/other.py"].mirror


def test_a_package_named_by_a_licence_file_of_its_own_is_a_copy(tmp_path: Path) -> None:
    """stylegan2-pytorch copies the `lpips` package beside its code and keeps the upstream licence as
    `LICENSE-LPIPS` at the root: the copy is skipped. A licence inside a first-party package (a project
    shipping several distributions), a book's `LICENSE-CODE` beside its `code/` package, and a package
    the project's packaging declares are analysed."""
    write_files(
        tmp_path,
        {
            "LICENSE": "MIT",
            "LICENSE-LPIPS": "BSD",
            "LICENSE-CODE": "MIT",
            "models/LICENSE_swin.txt": "MIT",
            "train.py": "import lpips\n",
            "lpips/__init__.py": "from lpips import dist_model\n",
            "lpips/dist_model.py": "import lpips as util\n",
            "models/__init__.py": "",
            "models/swin/__init__.py": "",
            "models/swin/layers.py": "",
            "code/__init__.py": "",
            "code/fit.py": "",
            "runtimes/sklearn_runtime/__init__.py": "",
            "runtimes/sklearn_runtime/LICENSE": "Apache",
            "runtimes/sklearn_runtime/runtime.py": "",
        },
    )
    assert rels(tmp_path) == [
        "code/__init__.py",
        "code/fit.py",
        "models/__init__.py",
        "runtimes/sklearn_runtime/__init__.py",
        "runtimes/sklearn_runtime/runtime.py",
        "train.py",
    ]
    write_files(tmp_path, {"pyproject.toml": '[project]\nname = "perceptual"\npackages = ["lpips"]\n'})
    assert "lpips/dist_model.py" in rels(tmp_path)
