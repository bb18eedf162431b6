"""Architecture family: MLA401 import-cycle, MLA402 layer-violation, MLA403 experiment-import, on small
projects written to disk and audited through the public API (plus mlaudit's own layer contract)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from mlaudit import api
from mlaudit.config.loader import load_settings
from mlaudit.facts.model import FileFacts, ImportFact, Span
from mlaudit.model import Report
from mlaudit.project.import_graph import ImportGraph
from mlaudit.project.index import ProjectIndex
from mlaudit.project.layers import find_layer_violations
from mlaudit.rules.architecture.import_cycle import ImportCycle, ImportCycleOptions
from mlaudit.rules.architecture.layer_violation import contract_from
from tests.conftest import REPO, audit, check, inline, rows, write_files

# --- MLA401 import-cycle ---------------------------------------------------------------------------


def test_two_module_cycle_is_one_finding_at_the_first_module(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/config.py": "from pkg.features import COLUMNS\n\nLIMIT = 3\n",
            "pkg/features.py": '"""Doc."""\n\nfrom pkg.config import LIMIT\n\nCOLUMNS = ["a"]\n',
        },
        ("MLA401",),
    )
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.filename, finding.location.row) == ("pkg/config.py", 1)
    assert "pkg.config -> pkg.features -> pkg.config" in finding.message
    assert [(r.filename, r.location.row) for r in finding.related] == [("pkg/features.py", 3)]
    assert "`pkg.features` imports `pkg.config`" in finding.related[0].message


def test_longer_cycle_group_shows_a_shortest_cycle_and_every_import(tmp_path: Path) -> None:
    # a -> b -> c -> a, plus d in the same component through c -> d -> b
    findings = audit(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/a.py": "from app import b\n",
            "app/b.py": "import app.c\n",
            "app/c.py": "from . import a\nfrom .d import thing\n",
            "app/d.py": "from app.b import x\nthing = 1\n",
        },
        ("MLA401",),
    )
    assert len(findings) == 1
    finding = findings[0]
    assert finding.filename == "app/a.py"
    assert "app.a -> app.b -> app.c -> app.a" in finding.message
    assert "the cycle group has 4 modules (app.a, app.b, app.c, app.d)" in finding.message
    related = sorted((r.filename, r.location.row) for r in finding.related)
    assert related == [("app/b.py", 1), ("app/c.py", 1), ("app/c.py", 2), ("app/d.py", 1)]


def test_separate_cycles_are_separate_findings_in_sort_order(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "x1.py": "import y1\n",
            "y1.py": "import x1\n",
            "a2.py": "import b2\n",
            "b2.py": "import a2\n",
            "free.py": "import x1\n",
        },
        ("MLA401",),
    )
    assert rows(findings, "MLA401") == [("a2.py", 1), ("x1.py", 1)]


def test_type_checking_only_cycles_are_ignored(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "m/__init__.py": "",
            "m/orders.py": """
                import typing
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from m.customers import Customer
                if typing.TYPE_CHECKING:
                    import m.customers
            """,
            "m/customers.py": "from m.orders import owner\n",
        },
        ("MLA401",),
    )
    assert findings == []


def test_function_level_imports_do_not_count_unless_asked(tmp_path: Path) -> None:
    files = {
        "m/__init__.py": "",
        "m/a.py": "def f():\n    from m.b import g\n    return g\n",
        "m/b.py": "from m.a import f\n\ndef g():\n    return f\n",
    }
    assert audit(tmp_path, files, ("MLA401",)) == []
    report = check(tmp_path, "MLA401", rules={"import-cycle": {"include-function-level": True}})
    assert rows(list(report.findings), "MLA401") == [("m/a.py", 2)]


def test_package_reexport_taken_by_a_submodule_is_not_a_cycle(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "from shop.orders import total\nfrom shop.util import money\n",
        "shop/util.py": "def money(x):\n    return x\n",
        "shop/orders.py": "from shop import money\n\ndef total(x):\n    return money(x)\n",
    }
    assert audit(tmp_path, files, ("MLA401",)) == []


def test_name_defined_in_the_package_init_is_a_real_cycle(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "from shop.orders import total\n\nCURRENCY = 'EUR'\n",
        "shop/orders.py": "from shop import CURRENCY\n\ndef total(x):\n    return f'{x} {CURRENCY}'\n",
    }
    findings = audit(tmp_path, files, ("MLA401",))
    assert rows(findings, "MLA401") == [("shop/__init__.py", 1)]
    assert "shop -> shop.orders -> shop" in findings[0].message


def test_src_layout_and_relative_imports(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "src/lib/__init__.py": "",
            "src/lib/io.py": "from .model import Model\n",
            "src/lib/model.py": "from ..lib import io\n",
        },
        ("MLA401",),
    )
    assert len(findings) == 1
    assert findings[0].filename == "src/lib/io.py"
    assert "lib.io -> lib.model -> lib.io" in findings[0].message


def test_third_party_and_test_only_cycles_are_not_reported(tmp_path: Path) -> None:
    files = {
        "pandas_helpers.py": "import pandas\nimport numpy\n",
        "tests/__init__.py": "",
        "tests/helpers.py": "from tests.test_a import X\n",
        "tests/test_a.py": "from tests.helpers import Y\nX = 1\n",
    }
    assert audit(tmp_path, files, ("MLA401",)) == []


def test_cycle_through_a_test_module_is_reported_at_its_production_import(tmp_path: Path) -> None:
    # `alpha.test_helpers` sorts first, but the engine keeps MLA401 findings in production modules only
    # (applies_to): the cycle is shown and located from its first production module
    files = {
        "alpha/__init__.py": "",
        "alpha/test_helpers.py": "from beta.core import run\n",
        "beta/__init__.py": "",
        "beta/core.py": "import os\n\nfrom alpha.test_helpers import FIXTURE\n",
    }
    findings = audit(tmp_path, files, "MLA401")
    assert rows(findings) == [("beta/core.py", 3)]
    assert "beta.core -> alpha.test_helpers -> beta.core" in findings[0].message
    assert [r.filename for r in findings[0].related] == ["alpha/test_helpers.py"]


def test_cycle_is_suppressible_on_its_primary_import(tmp_path: Path) -> None:
    files = {
        "a.py": "import b  # mlaudit: ignore[import-cycle] known, being untangled\n",
        "b.py": "import a\n",
    }
    assert audit(tmp_path, files, ("MLA401", "MLA002")) == []


def _big_project(root: Path, n: int = 48) -> None:
    """``n`` modules: three cycle groups of different shapes among many acyclic ones."""
    files = {"big/__init__.py": ""}
    for i in range(n):
        imports = [f"from big import m{(i + 1) % n:02d}"] if i % 7 == 0 else []
        if i in (3, 4, 5):  # 3 -> 4 -> 5 -> 3
            imports.append(f"from big import m{3 + (i - 2) % 3:02d}")
        if i in (20, 30):  # 20 <-> 30
            imports.append(f"import big.m{50 - i:02d}")
        if i == 40:  # 40 -> 41 -> 40 and 41 -> 42 -> 40
            imports.append("from big.m41 import x")
        if i == 41:
            imports.append("from big.m40 import y\nfrom big.m42 import z")
        if i == 42:
            imports.append("from . import m40")
        files[f"big/m{i:02d}.py"] = "\n".join([*imports, "x = y = z = 1", ""])
    write_files(root, inline(files))


def _canonical(report: Report) -> list[dict[str, Any]]:
    return [json.loads(f.model_dump_json()) for f in report.findings]


def test_output_is_identical_whatever_the_worker_count(tmp_path: Path) -> None:
    _big_project(tmp_path)
    serial = check(tmp_path, "MLA401", jobs=1)
    parallel = check(tmp_path, "MLA401", jobs=2)  # above MIN_FILES_FOR_POOL: a real process pool
    assert serial.summary.files > 40
    assert len(serial.findings) == 3
    assert _canonical(serial) == _canonical(parallel)


def test_output_is_identical_whatever_the_file_order(tmp_path: Path) -> None:
    _big_project(tmp_path)
    files = sorted(tmp_path.rglob("*.py"))
    expected = _canonical(check(tmp_path, "MLA401", paths=files))
    for seed in range(3):
        shuffled = files[:]
        random.Random(seed).shuffle(shuffled)
        assert _canonical(check(tmp_path, "MLA401", paths=shuffled)) == expected


def _facts(module: str, *imports: str, roles: tuple[str, ...] = ()) -> FileFacts:
    facts = [ImportFact(target, (), Span(n, 1, n, 10)) for n, target in enumerate(imports, start=1)]
    return FileFacts(module=module, path=module.replace(".", "/") + ".py", roles=roles, imports=facts)


def test_rule_is_a_pure_function_of_the_facts_in_any_order() -> None:
    facts = [_facts("a", "b"), _facts("b", "c"), _facts("c", "a", "d"), _facts("d"), _facts("e", "a")]
    rule = ImportCycle(ImportCycleOptions())
    settings = load_settings(REPO, isolated=True).settings
    expected = list(rule.check(ProjectIndex.build(facts, settings)))
    assert len(expected) == 1
    for seed in range(5):
        shuffled = facts[:]
        random.Random(seed).shuffle(shuffled)
        assert list(rule.check(ProjectIndex.build(shuffled, settings))) == expected


def test_pre_commit_passing_one_file_at_a_time_still_reports_the_cycle(tmp_path: Path) -> None:
    """issue 4 item 6: the result does not depend on how pre-commit chunks its file list."""
    write_files(
        tmp_path,
        {
            "pyproject.toml": "[tool.mlaudit]\nselect = ['MLA401']\n",  # the project root, as in a repo
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import B\nA = 1\n",
            "pkg/b.py": "from pkg.a import A\nB = 2\n",
            "pkg/c.py": "from pkg.a import A\n",
        },
    )

    def precommit(*names: str) -> Report:
        paths = [tmp_path / "pkg" / name for name in names] or [tmp_path]
        return api.check(paths, api.CheckOptions(jobs=1, no_cache=True))

    whole = precommit()
    assert len(whole.findings) == 1
    for name in ("a.py", "b.py"):
        assert _canonical(precommit(name)) == _canonical(whole), name
    assert _canonical(precommit("b.py", "c.py")) == _canonical(whole)
    assert precommit("c.py").findings == []


# --- MLA402 layer-violation -------------------------------------------------------------------------


def test_default_ml_layers_by_role(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "ml/__init__.py": "",
            "ml/config.py": "from ml.features import COLS\n",
            "ml/data.py": "from ml.config import PATH\n\ndef load():\n    from ml.train import TARGET\n",
            "ml/features.py": "from ml.data import load\nfrom ml import config\nCOLS = []\n",
            "ml/model.py": "from ml.features import COLS\n",
            "ml/train.py": "from ml.model import build\nfrom ml.data import load\nTARGET = 't'\n",
            "ml/serve.py": "from ml.model import build\nfrom ml.features import COLS\n",
            "ml/utils.py": "from ml.serve import app\n",
        },
        ("MLA402",),
    )
    assert rows(findings, "MLA402") == [("ml/config.py", 1), ("ml/data.py", 4)]
    message = next(f.message for f in findings if f.filename == "ml/data.py")
    assert "`ml.data` (layer `data`) imports `ml.train` from the higher layer `train`" in message


def test_evaluation_may_score_through_the_predict_module_but_lower_layers_may_not(tmp_path: Path) -> None:
    """mlflow-examples' wine_quality/train.py checks the model it logged with predict.pyfunc_predict: one
    prediction path for evaluation and serving. Feature code importing predict is still upward."""
    findings = audit(
        tmp_path,
        {
            "wine/__init__.py": "",
            "wine/predict.py": "def pyfunc_predict(uri, frame):\n    return frame\n",
            "wine/train.py": "from .predict import pyfunc_predict\n",
            "wine/evaluate.py": "from wine.predict import pyfunc_predict\n",
            "wine/features.py": "from .predict import pyfunc_predict\n",
            "wine/data.py": "from wine.serve import app\n",
            "wine/serve.py": "app = None\n",
        },
        ("MLA402",),
    )
    assert rows(findings, "MLA402") == [("wine/data.py", 1), ("wine/features.py", 1)]


def test_tests_experiments_and_type_checking_imports_have_no_layer(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "ml/__init__.py": "",
            "ml/data.py": (
                "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from ml.serve import App\n"
            ),
            "ml/serve.py": "App = object\n",
            "tests/test_config.py": "from ml.serve import App\n",
            "notebooks/config.py": "from ml.serve import App\n",
        },
        ("MLA402",),
    )
    assert findings == []


def test_user_contract_replaces_the_default(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/cli.py": "from app import api\n",
        "app/api.py": "from app.reporters import text\nfrom app import engine\n",
        "app/reporters/__init__.py": "",
        "app/reporters/text.py": "from app.rules import x\n",
        "app/rules/__init__.py": "x = 1\n",
        "app/engine.py": "from app import cli\n",
        "app/data.py": "from app.train import t\n",
        "app/train.py": "t = 1\n",
    }
    contract = ["app.cli", "app.api", "app.reporters | app.rules", "app.engine"]
    findings = audit(tmp_path, files, ("MLA402",), layers=contract)
    assert rows(findings, "MLA402") == [("app/engine.py", 1), ("app/reporters/text.py", 1)]
    sibling = next(f for f in findings if f.filename == "app/reporters/text.py")
    assert "are independent" in sibling.message
    # data.py -> train.py is not in the contract, so the default ML layering no longer applies


def test_ignore_imports_and_shared_layers(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/low.py": "from app.high import h\n",
        "app/high.py": "from app.mid_a import a\nh = 1\n",
        "app/mid_a.py": "from app.mid_b import b\na = 1\n",
        "app/mid_b.py": "from app.mid_a import a\nb = 1\n",
    }
    contract = ["app.high", "app.mid_a : app.mid_b", "app.low"]
    findings = audit(tmp_path, files, ("MLA402",), layers=contract)
    assert rows(findings, "MLA402") == [("app/low.py", 1)]
    report = check(tmp_path, "MLA402", layers=contract, ignore_imports=["app.low -> app.*"])
    assert report.findings == []


def test_containers_check_each_package_separately(tmp_path: Path) -> None:
    files = {
        "one/__init__.py": "",
        "one/api.py": "",
        "one/core.py": "from one import api\n",
        "two/__init__.py": "",
        "two/api.py": "from one.core import x\n",
        "two/core.py": "",
    }
    findings = audit(tmp_path, files, ("MLA402",), layers=["api", "core"], containers=["one", "two"])
    assert rows(findings, "MLA402") == [("one/core.py", 1)]


def test_invalid_contract_is_reported_as_an_error(tmp_path: Path) -> None:
    write_files(tmp_path, inline({"a.py": "import b\n", "b.py": ""}))
    report = check(tmp_path, "MLA402", layers=["a | b : c"])
    assert report.internal_error
    assert any("invalid layer contract" in e.message and "mixes" in e.message for e in report.errors)


def test_mlaudit_own_contract_is_enforced() -> None:
    """The contract in pyproject.toml: fact extractors are engine plug-ins (above the engine), the plain
    fact records are below it; every other edge follows cli > api > reporters | rules > engine > ..."""
    contract, ignored = contract_from(load_settings(REPO).settings)
    assert ignored == []
    edges = {
        ("mlaudit.facts.clones", "mlaudit.engine.rule"): False,
        ("mlaudit.engine.context", "mlaudit.facts.names"): False,
        ("mlaudit.project.clones", "mlaudit.facts.model"): False,
        ("mlaudit.rules.duplication.x", "mlaudit.project.clones"): False,
        ("mlaudit.cli", "mlaudit.graph"): False,
        ("mlaudit.graph", "mlaudit.api"): False,
        ("mlaudit.engine.runner", "mlaudit.facts.clones"): True,
        ("mlaudit.engine.runner", "mlaudit.rules.x"): True,
        ("mlaudit.project.index", "mlaudit.engine.rule"): True,
        ("mlaudit.facts.model", "mlaudit.engine.rule"): True,
        ("mlaudit.rules.x", "mlaudit.reporters.text"): True,
        ("mlaudit.config.schema", "mlaudit.project.layers"): True,
        ("mlaudit.api", "mlaudit.gate"): True,
    }
    modules = sorted({m for edge in edges for m in edge})
    facts = [FileFacts(module=m, path=m.replace(".", "/") + ".py", imports=[]) for m in modules]
    by_module = {f.module: f for f in facts}
    for n, (importer, target) in enumerate(edges, start=1):
        by_module[importer].imports.append(ImportFact(target, (), Span(n, 1, n, 2)))
    graph = ImportGraph.from_facts(facts)
    flagged = {(v.importer, v.imported) for v in find_layer_violations(graph, contract)}
    assert flagged == {edge for edge, bad in edges.items() if bad}


def test_mlaudit_audits_its_own_layers_clean() -> None:
    report = api.check([REPO / "mlaudit"], api.CheckOptions(overrides={"select": ("MLA4",)}, no_cache=True))
    assert [(f.filename, f.location.row, f.message) for f in report.findings] == []


# --- MLA403 experiment-import -----------------------------------------------------------------------


def test_production_importing_experiments_and_scripts(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "ml/__init__.py": "",
            "ml/serve.py": "from notebooks.helpers import score\n",
            "ml/train.py": "def main():\n    from scripts.backfill import run\n",
            "ml/util.py": "from sandbox import proto\nfrom experiments.ab import Variant\n",
            "notebooks/helpers.py": "score = 1\n",
            "scripts/backfill.py": "run = 1\n",
            "sandbox/proto.py": "",
            "experiments/ab.py": "Variant = 1\n",
        },
        ("MLA403",),
    )
    assert rows(findings, "MLA403") == [
        ("ml/serve.py", 1),
        ("ml/train.py", 2),
        ("ml/util.py", 1),
        ("ml/util.py", 2),
    ]
    serve = next(f for f in findings if f.filename == "ml/serve.py")
    assert "imports `notebooks.helpers`, which is experiment code" in serve.message
    train = next(f for f in findings if f.filename == "ml/train.py")
    assert "which is a script" in train.message


def test_the_right_direction_and_non_production_importers_are_quiet(tmp_path: Path) -> None:
    findings = audit(
        tmp_path,
        {
            "ml/__init__.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from scripts.run import X\n",
            "ml/features.py": "",
            "notebooks/explore.py": "from ml import features\nfrom scripts.common import banner\n",
            "scripts/common.py": "banner = 1\n",
            "scripts/run.py": "from scripts.common import banner\nfrom ml import features\nX = 1\n",
            "tests/test_run.py": "from scripts.run import X\n",
        },
        ("MLA403",),
    )
    assert findings == []


@pytest.mark.parametrize("code", ["MLA401", "MLA402", "MLA403"])
def test_rules_only_need_import_facts(code: str) -> None:
    rule = api.registry(plugins=False).by_code[code]
    assert rule.requires_facts == frozenset({"imports"})  # type: ignore[attr-defined]
