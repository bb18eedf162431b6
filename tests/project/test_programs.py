"""Programs: which folders of a repository are independent programs, and which programs are linked."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit import api
from mlaudit.config.schema import Settings
from mlaudit.engine.discovery import discover
from mlaudit.facts.model import FileFacts, ImportFact, Span
from mlaudit.project.programs import (
    ProgramMap,
    declares_dependencies,
    holds_package_copy,
    is_mirror,
    is_snapshot_folder,
    mirrors,
    program_root,
)

LISTINGS = {
    "": {"lessons", "examples", "src", "pkg", "notebooks", "notebooks_v1", "lab01", "lab02", "README.md"},
    "lessons": {"intro", "tracking"},
    "lessons/intro": {"requirements.txt", "train.py"},
    "lessons/tracking": {"pyproject.toml", "train.py", "app"},
    "lessons/tracking/app": {"__init__.py", "main.py"},
    "examples": {"plot_a.py", "mnist"},
    "examples/mnist": {"main.py", "model.py"},
    "src": {"main.py", "data.py"},
    "pkg": {"__init__.py", "main.py"},
    "collection": {"cyclegan", "dcgan"},
    "collection/cyclegan": {"cyclegan.py", "models.py"},
    "mlflow_project": {"MLproject", "train.py"},
}


def listing(folder: str) -> set[str]:
    return LISTINGS.get(folder, set())


@pytest.mark.parametrize(
    ("path", "program"),
    [
        ("train.py", ""),
        ("lessons/intro/train.py", "lessons/intro"),  # its own requirements.txt
        ("lessons/tracking/app/main.py", "lessons/tracking"),  # a package's main.py is no program
        ("examples/plot_a.py", "examples/plot_a.py"),  # each example of a gallery is its own
        ("examples/mnist/model.py", "examples/mnist"),  # an example project with a run entry
        ("src/data.py", ""),  # src/main.py is the project's own entry
        ("pkg/main.py", ""),
        ("collection/cyclegan/models.py", "collection/cyclegan"),  # a script named after its folder
        ("mlflow_project/train.py", "mlflow_project"),
        ("notebooks/eda.ipynb", ""),
        ("notebooks_v1/eda.ipynb", "notebooks_v1"),  # a versioned copy of a sibling folder
        ("lab02/text/util.py", "lab02"),  # one of a numbered series
        ("../outside.py", ""),
    ],
)
def test_program_root(path: str, program: str) -> None:
    assert program_root(path, listing) == program


def test_snapshot_folders_need_a_sibling_of_the_series() -> None:
    assert is_snapshot_folder("week_2", {"week_1", "week_2", "README.md"})
    assert is_snapshot_folder("02-tracking", {"01-intro", "02-tracking"})
    assert is_snapshot_folder("chapter-03-churn", {"chapter-02-regression", "chapter-03-churn"})
    assert not is_snapshot_folder("week_2", {"week_2", "src"})
    assert not is_snapshot_folder("training", {"training", "serving"})
    assert not is_snapshot_folder("v2.py", {"v1.py", "v2.py"})


COPIES = {
    "": {"starter", "solution", "training", "serving", "src", "recsys", "README.md"},
    # two snapshots of one project: the same specific package with the same modules
    "starter": {"recsys_app", "notebooks"},
    "starter/recsys_app": {"__init__.py", "data", "models", "util.py"},
    "solution": {"recsys_app", "training"},
    "solution/recsys_app": {"__init__.py", "data", "models", "util.py", "lit_models"},
    # a training job and a service, each with its own `utils` package: two parts of one system
    "training": {"utils", "train.py"},
    "training/utils": {"__init__.py", "features.py", "io.py"},
    "serving": {"utils", "app.py"},
    "serving/utils": {"__init__.py", "features.py", "io.py"},
    # src/ is the project's own source folder; a package of the same name at the root is no snapshot
    "src": {"recsys"},
    "src/recsys": {"__init__.py", "data", "models"},
    "recsys": {"__init__.py", "data", "models"},
}


def test_folders_holding_copies_of_one_package_are_programs() -> None:
    def copies(folder: str) -> set[str]:
        return COPIES.get(folder, set())

    assert holds_package_copy("starter", copies)
    assert holds_package_copy("solution", copies)
    assert program_root("solution/recsys_app/data/util.py", copies) == "solution"
    assert not holds_package_copy("training", copies)  # generic package name
    assert not holds_package_copy("src", copies)  # the project's source folder
    assert not holds_package_copy("recsys", copies)  # itself a package
    assert program_root("training/utils/features.py", copies) == ""
    # a package of the same name with one module in common is not a copy
    thin = {**COPIES, "solution/recsys_app": {"__init__.py", "data", "api.py"}}
    assert not holds_package_copy("starter", lambda f: thin.get(f, set()))


def test_mirrors_are_py_files_beside_a_notebook_of_the_same_name() -> None:
    folders = {"ch03": {"ch03.ipynb", "ch03.py", "helpers.py"}, "": {"eda.py", "notebooks"}}
    paths = ["ch03/ch03.ipynb", "ch03/ch03.py", "ch03/helpers.py", "eda.py"]
    assert [p for p in paths if is_mirror(p, lambda f: folders.get(f, set()))] == ["ch03/ch03.py"]
    facts = [FileFacts(module="a", path="a.py", mirror=True), FileFacts(module="b", path="b.py")]
    assert mirrors(facts) == {"a.py"}


def _facts(path: str, module: str, program: str, *imports: str, package: bool = False) -> FileFacts:
    span = Span(1, 1, 1, 2)
    return FileFacts(
        module=module,
        path=path,
        program=program,
        is_package=package,
        imports=[ImportFact(target, (), span) for target in imports],
    )


def test_programs_are_linked_only_where_one_imports_the_other() -> None:
    files = [
        _facts("pkg/__init__.py", "pkg", "", package=True),
        _facts("pkg/data.py", "pkg.data", ""),
        _facts("lessons/a/train.py", "lessons.a.train", "lessons/a", "pkg.data"),
        _facts("lessons/b/train.py", "lessons.b.train", "lessons/b"),
        # same module name in two programs: each resolves its own, no link
        _facts("x/app/main.py", "app.main", "x", "app.util"),
        _facts("x/app/util.py", "app.util", "x"),
        _facts("y/app/util.py", "app.util", "y"),
    ]
    programs = ProgramMap.from_facts(files)
    assert programs.linked("lessons/a/train.py", "pkg/data.py")
    assert not programs.linked("lessons/a/train.py", "pkg/__init__.py")  # not imported by it
    assert not programs.linked("lessons/a/train.py", "lessons/b/train.py")
    assert not programs.linked("x/app/main.py", "y/app/util.py")
    assert programs.linked("x/app/main.py", "x/app/util.py")
    assert programs.partition(["lessons/a/train.py", "lessons/b/train.py", "pkg/data.py"]) == [
        ["lessons/b/train.py"],
        ["lessons/a/train.py", "pkg/data.py"],
    ]
    assert programs.components() == [{"", "lessons/a"}, {"lessons/b"}, {"x"}, {"y"}]


def test_an_import_of_a_package_several_programs_copy_links_the_nearest_copy_only() -> None:
    # A course: each section holds its own copy of the package `regression_model` and an API using it.
    files = [
        _facts("s05/model/regression_model/__init__.py", "regression_model", "s05/model", package=True),
        _facts("s05/model/regression_model/core.py", "regression_model.core", "s05/model", "regression_model"),
        _facts("s07/model/regression_model/__init__.py", "regression_model", "s07/model", package=True),
        _facts("s07/model/regression_model/core.py", "regression_model.core", "s07/model", "regression_model"),
        _facts("s07/api/app.py", "app", "s07/api", "regression_model.core"),  # its section's copy
        _facts("s06/api/app.py", "app", "s06/api", "regression_model.core"),  # ambiguous: an installed package
    ]
    programs = ProgramMap.from_facts(files)
    assert programs.linked("s07/api/app.py", "s07/model/regression_model/core.py")
    assert not programs.linked("s07/api/app.py", "s05/model/regression_model/core.py")
    assert not programs.linked("s06/api/app.py", "s05/model/regression_model/core.py")
    assert programs.components() == [{"s05/model"}, {"s06/api"}, {"s07/api", "s07/model"}]


def test_one_program_needs_no_links() -> None:
    programs = ProgramMap.from_facts([_facts("a.py", "a", ""), _facts("b.py", "b", "")])
    assert programs.links == set() and programs.linked("a.py", "b.py")
    assert programs.components() == [{""}]


def test_discovery_gives_every_file_its_program(tmp_path: Path) -> None:
    for rel in ("train.py", "lesson1/requirements.txt", "lesson1/prep.py", "lesson2/deep/prep.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "lesson2" / "setup.py").write_text("", encoding="utf-8")
    found = discover([tmp_path], tmp_path, Settings())
    assert {f.rel: f.program for f in found.files} == {
        "lesson1/prep.py": "lesson1",
        "lesson2/deep/prep.py": "lesson2",
        "lesson2/setup.py": "lesson2",
        "train.py": "",
    }
    # an explicitly passed file gets its program too (pre-commit)
    (explicit,) = discover([tmp_path / "lesson1" / "prep.py"], tmp_path, Settings()).files
    assert explicit.program == "lesson1"


def test_the_program_reaches_the_facts_and_the_cache_key(tmp_path: Path) -> None:
    for rel in (
        "alpha/requirements.txt",
        "alpha/app/__init__.py",
        "beta/requirements.txt",
        "beta/app/__init__.py",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    (tmp_path / "alpha/app/train.py").write_text("from app.model import H\n", encoding="utf-8")
    (tmp_path / "alpha/app/model.py").write_text("H = 1\n", encoding="utf-8")
    (tmp_path / "beta/app/train.py").write_text("E = 1\n", encoding="utf-8")
    (tmp_path / "beta/app/model.py").write_text("from app.train import E\n", encoding="utf-8")
    options = api.CheckOptions(isolated=True, overrides={"select": ["MLA401"]}, cache_dir=tmp_path / "c")
    assert api.check([tmp_path], options).findings == []  # no cycle across the two lessons
    (
        tmp_path / "beta" / "requirements.txt"
    ).unlink()  # beta joins the root program: cached facts must not lie
    (tmp_path / "alpha" / "requirements.txt").unlink()
    report = api.check([tmp_path], options)
    assert [f.code for f in report.findings] == ["MLA401"]


def test_a_script_declaring_its_own_dependencies_is_a_program_of_its_own(tmp_path: Path) -> None:
    """PEP 723 inline metadata: the script runs with ``uv run``, not inside the repository's project."""
    loader = (
        "import gzip\n\nimport numpy as np\nimport torch\n\n\ndef load(path, split):\n"
        "    with gzip.open(path) as file:\n"
        "        data = np.frombuffer(file.read(int(95e6)), dtype=np.uint8).copy()\n"
        "        train_x, valid_x = np.split(data, [split])\n"
        "        data_train, data_val = torch.from_numpy(train_x), torch.from_numpy(valid_x)\n"
        "    data_train = data_train.long()\n    data_val = data_val.long()\n"
        "    return data_train, data_val\n"
    )
    header = '# /// script\n# dependencies = ["torch", "numpy"]\n# ///\n\n'
    for name in ("train_copy.py", "train_parity.py"):
        (tmp_path / name).write_text(header + loader, encoding="utf-8")
    options = api.CheckOptions(isolated=True, no_cache=True, overrides={"select": ["MLA501"]})
    assert api.check([tmp_path], options).findings == []
    (tmp_path / "train_parity.py").write_text(loader, encoding="utf-8")
    (tmp_path / "train_copy.py").write_text(loader, encoding="utf-8")
    assert [f.code for f in api.check([tmp_path], options).findings] == ["MLA501"]
    assert declares_dependencies(header) and not declares_dependencies("# //// script\n")


def test_snapshots_whose_module_names_got_different_prefixes_stay_apart() -> None:
    """fsdl-text-recognizer-2022-labs: ``lab01`` is no source root (its package is ``lab01.text_recognizer``)
    while ``lab02`` is (``text_recognizer``); lab01's ``import text_recognizer.util`` is its own module."""
    files = [
        _facts("lab01/text_recognizer/util.py", "lab01.text_recognizer.util", "lab01"),
        _facts("lab01/text_recognizer/data.py", "lab01.text_recognizer.data", "lab01", "text_recognizer.util"),
        _facts("lab02/text_recognizer/util.py", "text_recognizer.util", "lab02"),
        _facts("lab02/text_recognizer/data.py", "text_recognizer.data", "lab02", "text_recognizer.util"),
    ]
    programs = ProgramMap.from_facts(files)
    assert programs.links == set()
    assert not programs.linked("lab01/text_recognizer/util.py", "lab02/text_recognizer/util.py")
