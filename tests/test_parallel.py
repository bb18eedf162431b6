"""Output is byte-identical whatever the worker count and cache state (the pool starts above 40 files)."""

from __future__ import annotations

import json
from pathlib import Path

from mlaudit import api
from mlaudit.engine.parallel import MIN_FILES_FOR_POOL
from tests.conftest import notebook, write_files


def _files(n: int) -> dict[str, str]:
    files: dict[str, str] = {"pkg/__init__.py": ""}
    for i in range(n):
        files[f"pkg/mod_{i:03d}.py"] = (
            "import os\n\n"
            f"def f_{i}(x):\n"
            f"    return x + {i}  # mlaudit: ignore[parse-error]\n"
            + ("y = (  # broken\n" if i % 17 == 0 else "")
        )
    files["notebooks/a.ipynb"] = notebook("x = 1  # mlaudit ignore", "%matplotlib inline\ny = 2")
    return files


def _report(root: Path, jobs: int, no_cache: bool) -> str:
    report = api.check([root], api.CheckOptions(isolated=True, jobs=jobs, no_cache=no_cache))
    data = report.model_dump(mode="json")
    data["summary"].pop("duration_s")
    return json.dumps(data, sort_keys=True)


def test_identical_output_for_any_worker_count_and_cache_state(tmp_path: Path) -> None:
    write_files(tmp_path, _files(MIN_FILES_FOR_POOL + 20))
    serial = _report(tmp_path, jobs=1, no_cache=True)
    pooled_cold = _report(tmp_path, jobs=2, no_cache=False)
    pooled_warm = _report(tmp_path, jobs=2, no_cache=False)
    serial_warm = _report(tmp_path, jobs=1, no_cache=False)
    assert serial == pooled_cold == pooled_warm == serial_warm
    data = json.loads(serial)
    assert data["summary"]["errors"] == 4  # files 0, 17, 34, 51 do not parse
    assert data["summary"]["by_code"]["MLA002"] == MIN_FILES_FOR_POOL + 20 - 4
