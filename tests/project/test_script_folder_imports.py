"""A script in a plain folder imports its siblings by their name: the folder of a script run directly is
first on ``sys.path``. The import graph resolves such imports (PatchTST's `PatchTST_supervised/run_longExp.py`
doing `from exp.exp_main import Exp_Main`), preferring the script's folder over a same-named top-level
module (LTSF-Linear's `FEDformer/run.py` beside the root's own `exp/`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit import api
from mlaudit.rules.architecture._graph import import_graph
from tests.conftest import audit, rows, write_files

RUNNER = """
import warnings

import torch

warnings.filterwarnings("ignore")


class Exp_Main:
    def train(self, loader, model, optimizer):
        for epoch in range(10):
            for x, y in loader:
                loss = torch.nn.functional.mse_loss(model(x), y)
                loss.backward()
                optimizer.step()
"""
SEEDED_RUN = "import torch\nfrom exp.exp_main import Exp_Main\n\nif __name__ == '__main__':\n    torch.manual_seed(2021)\n    Exp_Main().train(*load())\n"


def edges(root: Path) -> set[tuple[str, str]]:
    facts = api.project_facts([root], api.CheckOptions(no_cache=True, isolated=True))
    return {(e.importer, e.target) for e in import_graph(facts.index).edges}


def test_a_script_imports_from_its_own_folder_first(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "exp/exp_main.py": "class Exp_Main:\n    pass\n",
            "run.py": "from exp.exp_main import Exp_Main\n",
            "FEDformer/exp/exp_main.py": "class Exp_Main:\n    pass\n",
            "FEDformer/run.py": "from exp.exp_main import Exp_Main\n",
            "PatchTST_supervised/exp/exp_main.py": "class Exp_Main:\n    pass\n",
            "PatchTST_supervised/run_longExp.py": "from exp.exp_main import Exp_Main\nimport numpy\n",
            "pkg/__init__.py": "",
            "pkg/exp/__init__.py": "",
            "pkg/exp/exp_main.py": "",
            "pkg/cli.py": "from exp.exp_main import Exp_Main\n",
        },
    )
    assert edges(tmp_path) == {
        ("run", "exp.exp_main"),
        ("FEDformer.run", "FEDformer.exp.exp_main"),
        ("PatchTST_supervised.run_longExp", "PatchTST_supervised.exp.exp_main"),
        ("pkg.cli", "exp.exp_main"),  # inside a package, absolute imports start at sys.path's root
    }


def test_a_runner_module_is_seeded_by_the_script_that_imports_it(tmp_path: Path) -> None:
    files = {
        "PatchTST_supervised/exp/exp_main.py": RUNNER,
        "PatchTST_supervised/run_longExp.py": SEEDED_RUN,
        "Informer/exp/exp_main.py": RUNNER,
        "Informer/run.py": SEEDED_RUN.replace("    torch.manual_seed(2021)\n", ""),
    }
    assert rows(audit(tmp_path, files, "MLA704")) == [("Informer/exp/exp_main.py", 13)]
