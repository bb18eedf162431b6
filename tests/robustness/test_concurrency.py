"""Concurrent runs and the cache (issue 7, item 5): processes checking one project through one cache at
the same time all produce the complete report, byte for byte the report of a cache-less run; the
cache stays valid (no half-written entry, nothing left behind); and a corrupt, truncated or foreign
entry is discarded with a warning, never trusted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlaudit import api
from mlaudit.engine import atomic as atomic_module
from mlaudit.engine import cache as cache_module
from mlaudit.engine.cache import _ADAPTER
from tests.conftest import notebook, write_files


def project(root: Path, modules: int = 60) -> Path:
    files: dict[str, str | bytes] = {
        "mlaudit.toml": 'select = ["ALL"]\n',
        "pkg/__init__.py": "",
        "pkg/state.py": "COUNT = 0\n\n\ndef bump():\n    global COUNT\n    COUNT += 1\n",
        "pkg/features.py": "import pandas as pd\n\n\ndef build_features(df):\n    return pd.read_csv('x.csv')\n",
        "pkg/broken.py": "def f(:\n",
        "nb.ipynb": notebook("import os\n", "DATA = os.environ['DATA']\n"),
    }
    for i in range(modules):
        files[f"pkg/m{i:02}.py"] = (
            f"from pkg import m{(i + 1) % modules:02}\n\n\ndef step_{i}(x, lr=0.{i + 1}):\n"
            f"    y = x * {i}\n    return y + lr\n"
        )
    return write_files(root, files)


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mlaudit", "check", ".", "--output-format", "json", *args]


def normalised(stdout: str) -> str:
    data = json.loads(stdout)
    data["summary"].pop("duration_s")
    return json.dumps(data, sort_keys=True)


def run(root: Path, *args: str) -> tuple[str, dict[str, object]]:
    proc = subprocess.run(command(*args), cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    return normalised(proc.stdout), json.loads(proc.stdout)


def entries(cache_dir: Path) -> list[Path]:
    """Every file's own entry (each run's pack, all entries in one file, is checked apart; the rule
    manifest ``rules-*.json`` sits at the top of the cache folder; ``fixes.json``, the fix descriptions
    of a JSON report, is its own store, a damaged one a silent miss: tests/test_startup.py)."""
    return sorted(
        p
        for p in cache_dir.rglob("*.json")
        if p.name not in ("pack.json", "fixes.json") and not p.name.startswith("rules-")
    )


def assert_cache_valid(cache_dir: Path) -> None:
    """Every entry parses and describes the file it claims; no temporary file is left behind."""
    assert entries(cache_dir), "the cache was written"
    for entry in entries(cache_dir):
        result = _ADAPTER.validate_json(entry.read_bytes())
        assert result.rel and result.digest
    for pack in cache_dir.rglob("pack.json"):
        assert all(e.rel and e.digest for e in cache_module._pack_adapter().validate_json(pack.read_bytes()).entries.values())
    leftovers = [p for p in cache_dir.rglob(".tmp-*")]
    assert leftovers == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_simultaneous_runs_share_a_cache_and_agree(tmp_path: Path, jobs: str) -> None:
    root = project(tmp_path)
    reference, _ = run(root, "--no-cache")
    cache_dir = tmp_path / "shared-cache"
    for _round in range(2):  # cold: all write the same entries at once; warm: all read while one rewrites
        procs = [
            subprocess.Popen(
                command("-j", jobs, "--cache-dir", str(cache_dir)),
                cwd=root,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [p.communicate(timeout=300) for p in procs]
        for proc, (stdout, stderr) in zip(procs, outputs, strict=True):
            assert proc.returncode == 1 and "Traceback" not in stderr, stderr
            assert normalised(stdout) == reference  # complete, identical to a cache-less run
        assert_cache_valid(cache_dir)
    warm, data = run(root, "--cache-dir", str(cache_dir))
    assert warm == reference and data["warnings"] == []


def test_interrupted_write_leaves_no_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails before the rename (crash, full disk) leaves neither a partial entry nor a
    temporary file: readers only ever see complete entries (temporary file + os.replace)."""
    root = project(tmp_path, modules=3)
    cache_dir = tmp_path / "cache"

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_module.os, "replace", fail)
    report = api.check([root], api.CheckOptions(jobs=1, cache_dir=cache_dir))
    assert report.summary.files == 8
    assert [p for p in cache_dir.rglob("*") if p.is_file() and p.suffix == ".json"] == []
    assert list(cache_dir.rglob(".tmp-*")) == []
    assert any("not writable" in w for w in report.warnings)


def corrupt_all(cache_dir: Path, how: str) -> int:
    """Damage every file's entry the same way, and the packs too (a damaged pack is dropped without a
    word: the entries are then read, and each damaged one is reported)."""
    for pack in cache_dir.rglob("pack.json"):
        pack.write_bytes(b"{")
    count = 0
    originals = [e.read_bytes() for e in entries(cache_dir)]
    for i, entry in enumerate(entries(cache_dir)):
        data = originals[i]
        if how == "empty":
            data = b""
        elif how == "one byte":
            data = data[:1]
        elif how == "half":
            data = data[: len(data) // 2]
        elif how == "all but the last byte":
            data = data[:-1]
        elif how == "garbage":
            data = os.urandom(64)
        elif how == "valid JSON, wrong shape":
            data = b'{"rel": 1, "findings": "none"}'
        elif how == "another file's entry":  # well-formed, but about other content
            data = originals[(i + 1) % len(originals)]
        entry.write_bytes(data)
        count += 1
    return count


@pytest.mark.parametrize(
    "how",
    [
        "empty",
        "one byte",
        "half",
        "all but the last byte",
        "garbage",
        "valid JSON, wrong shape",
        "another file's entry",
    ],
)
def test_corrupt_or_truncated_entries_are_discarded_with_a_warning(tmp_path: Path, how: str) -> None:
    root = project(tmp_path, modules=5)
    cache_dir = tmp_path / "cache"
    reference, _ = run(root, "--no-cache")
    cold, _ = run(root, "--cache-dir", str(cache_dir))
    assert cold == reference
    damaged = corrupt_all(cache_dir, how)
    assert damaged >= 5
    _, data = run(root, "--cache-dir", str(cache_dir))
    resolved = cache_dir.resolve()
    assert data.pop("warnings") == [f"discarded {damaged} corrupt cache entries in {resolved}"]
    assert normalised(json.dumps({**data, "warnings": []})) == reference, "a damaged entry is never trusted"
    again, data = run(root, "--cache-dir", str(cache_dir))
    assert again == reference and data["warnings"] == []  # recomputed and rewritten
    assert_cache_valid(cache_dir)
