"""Vendored copies of third-party code: folders a project copied in and does not maintain.

Two signs, both decided from the file tree alone (nothing is imported or run):

* a folder named like a vendoring folder (``vendor/``, ``third_party/``, ``_vendor/``, ``external/``...);
* a Python package (a folder with ``__init__.py``) named after the top-level import name of a well-known
  third-party library (``gluonts/``, ``gym/``, ``torchvision/``...) that the project's packaging does not
  declare: a checkout of gym, whose ``setup.py`` names ``gym``, is gym's own code and is analysed. A
  subpackage of that name (``models/lightgbm/``) counts only if it imports its own modules by the
  library's name, as a copied library does. A folder holding notebooks (itself or a plain subfolder) is
  never such a copy: libraries ship code, not notebooks (a course's ``notebooks/pandas/`` lesson folder);
* a Python package that a licence file beside it or at the project root names, apart from the project's
  own licence (``LICENSE-LPIPS`` for ``lpips/``, ``LICENSE_swin.txt`` for ``swin/``), and that the
  project's packaging does not declare: the project copied that code and keeps the upstream licence
  with it, as the licence requires. A ``LICENSE`` file *inside* a package is not such a sign: projects
  that ship several distributions (``runtimes/sklearn/LICENSE``) keep one per first-party package.

Discovery skips such folders, like ruff and pylint users exclude ``vendor/``: their findings would be in
code nobody in the project maintains, and their imports resolve as third-party since they are not project
modules. The ``exclude-vendored`` setting turns this off."""

from __future__ import annotations

import re
from pathlib import Path

# Folders that hold code copied from elsewhere, whatever it is.
VENDOR_FOLDERS = frozenset(
    {"vendor", "vendored", "_vendor", "third_party", "third-party", "thirdparty", "3rdparty", "_third_party"}
)
# Also vendoring folders, but a package of this name may be first-party adapters for external services:
# only a plain folder (no ``__init__.py``) counts, as git submodules and copied trees are laid out.
PLAIN_VENDOR_FOLDERS = frozenset({"external", "externals", "extern", "deps", "submodules"})

# Top-level import names of well-known third-party libraries that projects copy into their tree. Names
# that are also common words for a project's own subpackage (``datasets``, ``lightning``, ``ray``...) are
# left out: a wrong guess here would hide first-party code. So is ``wandb``, the name of run folders: a
# ``wandb/`` package is first-party (tests/engine/test_discovery.py).
THIRD_PARTY_PACKAGES = frozenset(
    {
        # numerical and data
        "numpy", "scipy", "pandas", "sklearn", "statsmodels", "matplotlib", "seaborn", "plotly", "numba",
        "pyarrow", "polars", "dask", "joblib", "tqdm", "six", "yaml", "attr", "attrs", "requests",
        "pydantic", "typer", "PIL", "cv2", "skimage", "imgaug", "albumentations",
        # gradient boosting and classic ML
        "lightgbm", "xgboost", "catboost", "imblearn", "optuna", "hyperopt", "shap",
        # deep learning frameworks and their libraries
        "torch", "torchvision", "torchaudio", "torchtext", "tensorflow", "keras", "jax", "flax", "mxnet",
        "gluonts", "gluoncv", "gluonnlp", "pytorch_lightning", "timm", "transformers",
        "tokenizers", "diffusers", "peft", "fairseq", "apex", "detectron2",
        "mmcv", "mmdet", "mmseg", "mmengine", "segmentation_models_pytorch", "pretrainedmodels",
        "efficientnet_pytorch", "ultralytics", "onnx", "onnxruntime", "einops", "sentencepiece",
        "fastai", "allennlp", "spacy", "nltk", "gensim", "prophet", "fbprophet", "pmdarima", "sktime",
        "darts", "neuralprophet", "pytorch_forecasting", "tsfresh",
        # reinforcement learning
        "gym", "gymnasium", "baselines", "stable_baselines", "stable_baselines3", "sb3_contrib", "tianshou", "pettingzoo", "dm_control", "mujoco_py", "atari_py",
        # experiment tracking and configuration
        "sacred", "mlflow", "omegaconf", "tensorboardX", "comet_ml",
    }
)

_PACKAGING = ("pyproject.toml", "setup.py", "setup.cfg")


def vendored_folder(path: Path, root: Path) -> str | None:
    """Why the folder ``path`` (below the project ``root``) is a vendored copy, or None if it is not."""
    name = path.name
    is_package = (path / "__init__.py").is_file()
    if name in VENDOR_FOLDERS or (name in PLAIN_VENDOR_FOLDERS and not is_package):
        return "vendored third-party code"
    if is_package:
        licence = _licence_naming(name, path.parent, root)
        if licence is not None and not _declared(name, path.parent, root) and not _holds_notebooks(path):
            return f"a copy of third-party code kept under its own licence (`{licence}`)"
    if not is_package or name not in THIRD_PARTY_PACKAGES or _declared(name, path.parent, root):
        return None
    if _holds_notebooks(path):
        return None  # a course's lesson folder named after the library it teaches (`notebooks/pandas/`)
    # A top-level package is imported by that name, shadowing the library: it is the copy. A subpackage
    # (`models/lightgbm/` wrapping the library) is the copy only if it imports its own modules by the
    # library's absolute name (`from gym.core import Env` in `DQN-DDPG_Stock_Trading/gym/__init__.py`).
    if (path.parent / "__init__.py").is_file() and not _imports_itself(path, name):
        return None
    return f"a vendored copy of the third-party package `{name}`"


_LICENCE = re.compile(
    r"^(?:(?:licen[cs]e|copying)[-_.](?P<after>[A-Za-z_][\w\-]*?)|(?P<before>[A-Za-z_][\w\-]*?)[-_.](?:licen[cs]e|copying))"
    r"(?:\.(?:txt|md|rst))?$",
    re.I,
)


# What a project's own licence files are split by, not a copied package (`LICENSE-CODE`, `LICENSE-TEXT` of
# a book whose `code/` package is first-party), and file extensions.
_LICENCE_SCOPES = frozenset(
    {
        *("code", "text", "docs", "doc", "data", "dataset", "datasets", "content", "media", "images"),
        *("assets", "model", "models", "weights", "software", "source", "src", "txt", "md", "rst"),
    }
)


def _licence_naming(name: str, parent: Path, root: Path) -> str | None:
    """A licence file beside the package or at the project root named after it (``LICENSE-LPIPS``,
    ``lpips.LICENSE``, ``LICENSE_lpips.txt``; case, ``-`` and ``_`` aside), as the project-relative path."""
    wanted = name.lower().replace("-", "_")
    if wanted in _LICENCE_SCOPES:
        return None
    for place in dict.fromkeys((parent, root)):
        try:
            files = sorted(e for e in place.iterdir() if e.is_file())
        except OSError:
            continue
        for file in files:
            match = _LICENCE.match(file.name)
            named = match and (match.group("after") or match.group("before"))
            if named and named.lower().replace("-", "_") == wanted:
                return file.relative_to(root).as_posix() if root in file.parents else file.name
    return None


def _holds_notebooks(folder: Path) -> bool:
    """Notebooks in the folder or in a plain subfolder of it (``notebooks/pandas/raw/ex_1.ipynb``): a
    library's package ships code, not notebooks; this is the project's own material."""
    try:
        entries = list(folder.iterdir())
        subfolders = [e for e in entries if e.is_dir() and not (e / "__init__.py").is_file()]
        return any(e.suffix == ".ipynb" for e in entries) or any(
            e.suffix == ".ipynb" for sub in subfolders for e in sub.iterdir()
        )
    except OSError:
        return False


_MAX_READ = 30
_DATA_SUFFIXES = (".csv", ".tsv", ".parquet", ".feather", ".h5", ".hdf5", ".xlsx", ".xls", ".pkl", ".pickle")


def project_additions(copy: Path) -> list[Path]:
    """Packages inside a copied library that hold data files (directly or in a plain data folder): the
    project's own code added into the copy, as FinRL-Tutorials wrote its stock-trading environment (and its
    CSV prices) into `gym/envs/rlstock/`. Libraries ship code, not the project's data. Outermost first."""
    found: list[Path] = []
    stack = [copy]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        packages = [e for e in entries if e.is_dir() and (e / "__init__.py").is_file()]
        if folder != copy and _holds_data(folder, entries, packages):
            found.append(folder)
            continue
        stack.extend(reversed(packages))
    return found


def _holds_data(folder: Path, entries: list[Path], packages: list[Path]) -> bool:
    plain = [e for e in entries if e.is_dir() and e not in packages]
    files = [e for e in entries if e.is_file()]
    for sub in plain:
        try:
            files += [e for e in sub.iterdir() if e.is_file()]
        except OSError:
            continue
    return any(f.name.lower().endswith(_DATA_SUFFIXES) for f in files)


def _imports_itself(package: Path, name: str) -> bool:
    """A module of ``package`` imports one of the package's own modules by the library's name: ``from gym
    import error``, ``import gym.spaces``, ``from gym.core import Env``. A copy whose imports were rewritten
    to its place in the project (``from annotator.uniformer.mmcv.utils import to_2tuple``, ControlNet's
    mmcv) counts when the package is laid out like a library (several subpackages), since a first-party
    wrapper may import itself by its full dotted path too."""
    prefix = r"(?:[A-Za-z_][\w.]*\.)?" if _subpackage_count(package) >= _LIBRARY_SUBPACKAGES else ""
    pattern = re.compile(
        rf"^[ \t]*(?:from[ \t]+{prefix}{name}\.(\w+)|import[ \t]+{prefix}{name}\.(\w+)"
        rf"|from[ \t]+{prefix}{name}[ \t]+import[ \t]+\(?([\w ,\t]+))",
        re.M,
    )
    for module in _modules_to_read(package):
        try:
            text = module.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for groups in pattern.findall(text):
            for word in re.split(r"[\s,]+", " ".join(groups)):
                if word and word != "as" and ((package / f"{word}.py").is_file() or (package / word).is_dir()):
                    return True
    return False


_LIBRARY_SUBPACKAGES = 3


def _subpackage_count(package: Path) -> int:
    try:
        return sum(1 for e in package.iterdir() if e.is_dir() and (e / "__init__.py").is_file())
    except OSError:
        return 0


def _modules_to_read(package: Path) -> list[Path]:
    """The package's own modules (``__init__`` first), then those of its subpackages: a copy's top
    modules often import relatively and only deeper ones name the library. At most ``_MAX_READ``."""
    top = sorted(package.glob("*.py"), key=lambda p: p.name != "__init__.py")
    return (top + sorted(package.glob("*/*.py")))[:_MAX_READ]


def _declared(name: str, parent: Path, root: Path) -> bool:
    """The packaging beside the folder (or one level up, for a ``src/`` layout) or at the project root
    names the package: the project is that library, or ships the package itself."""
    places = {parent, parent.parent, root} if parent.name == "src" else {parent, root}
    return any(name in _packaging_names(place / file) for place in places for file in _PACKAGING)


_QUOTED = re.compile(r"""["']([A-Za-z_][\w.\-]*)\*?["']""")


def _packaging_names(path: Path) -> frozenset[str]:
    """Quoted names in a packaging file (the distribution name, ``packages = [...]``, ``include``
    patterns), as import names: ``stable-baselines3`` -> ``stable_baselines3``, ``gym.envs`` -> ``gym``.
    Unquoted ``setup.cfg`` values are read too. A missing or unreadable file names nothing."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    words = _QUOTED.findall(text)
    if path.suffix == ".cfg":
        words += re.findall(r"^\s*(?:name|packages)\s*=\s*([\w.\-]+)", text, re.M)
        words += re.findall(r"^\s+([A-Za-z_][\w.\-]*)\s*$", text, re.M)
    return frozenset(w.split(".")[0].replace("-", "_") for w in words)
