"""The legacy twin must stay parseable: its point is that every other rule can see it.

(Which rules fire on it is pinned by the example-audit test once the rules exist.)
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

LEGACY_DIR = Path(__file__).resolve().parents[2] / "examples" / "legacy_project"


@pytest.mark.parametrize("path", sorted(LEGACY_DIR.rglob("*.py")), ids=lambda path: path.name)
def test_python_files_parse(path: Path) -> None:
    ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_notebook_is_nbformat_4_with_parseable_cells() -> None:
    notebook = json.loads((LEGACY_DIR / "notebooks" / "explore.ipynb").read_text(encoding="utf-8"))

    assert notebook["nbformat"] == 4
    code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code_cells
    for cell in code_cells:
        assert isinstance(cell["source"], list)
        # IPython magics are not Python; blank them out as a notebook-aware parser would.
        lines = [line for line in "".join(cell["source"]).splitlines() if not line.lstrip().startswith("%")]
        ast.parse("\n".join(lines))
