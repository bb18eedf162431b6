"""The run comparison of the real-world corpus (tests/benchmarks/realworld/compare.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "realworld" / "compare.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realworld_compare", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


compare = _load()


def write_run(folder: Path, codes: list[str], lines: int) -> Path:
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps({"repos": [{"name": "r", "lines": lines}]}), encoding="utf-8")
    rows = [json.dumps({"repo": "r", "code": c, "path": "a.py", "row": i}) for i, c in enumerate(codes)]
    (folder / "findings.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_rows_count_findings_and_density_per_rule(tmp_path: Path) -> None:
    before = compare.load_run(write_run(tmp_path / "b", ["MLA103"] * 4 + ["MLA301"] * 2, 2000))
    after = compare.load_run(write_run(tmp_path / "a", ["MLA103", "MLA501"], 2000))
    rows = compare.compare_rows(before, after)
    assert rows == [
        ("MLA103", 4, 1, 2.0, 0.5),
        ("MLA301", 2, 0, 1.0, 0.0),
        ("MLA501", 0, 1, 0.0, 0.5),
        ("all", 6, 2, 3.0, 1.0),
    ]
    text = "\n".join(compare.table(before, after))
    assert "| MLA103 | 4 | 1 | 2.00 | 0.50 | -75% |" in text
    assert "| MLA501 | 0 | 1 | 0.00 | 0.50 | new |" in text
    assert "| **all** | 6 | 2 | 3.00 | 1.00 | -67% |" in text
