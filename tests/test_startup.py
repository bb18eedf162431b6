"""Start-up and warm runs (issue 12, item 6): ``mlaudit rules`` reads the rule manifest and imports no
rule module nor libcst; the libcst-free half of the engine really is libcst-free; a warm run serves
every file from the cache in this process, without a worker pool. The timings themselves are measured
by tests/benchmarks/startup.py, not here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlaudit import api
from mlaudit.engine import manifest
from tests.conftest import write_files

REPO = Path(__file__).resolve().parents[1]


def cli(*args: str, xdg: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(xdg)}
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mlaudit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def imported(importtime: str) -> set[str]:
    return {
        line.rsplit("|", 1)[-1].strip() for line in importtime.splitlines() if line.startswith("import time:")
    }


def test_rules_are_listed_from_the_manifest_without_importing_rules(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    cold = cli("rules", "--output-format", "json", xdg=xdg, cwd=tmp_path)
    assert cold.returncode == 0, cold.stderr
    assert "libcst" in imported(cold.stderr)  # the first run builds the manifest from the classes
    (stored,) = (xdg / "mlaudit").glob("rules-*.json")
    warm = cli("rules", "--output-format", "json", xdg=xdg, cwd=tmp_path)
    assert warm.returncode == 0 and warm.stdout == cold.stdout
    modules = imported(warm.stderr)
    assert "libcst" not in modules
    extractors = [m for m in modules if m.startswith("mlaudit.facts.") and m != "mlaudit.facts.model"]
    assert not [m for m in modules if m.startswith("mlaudit.rules.")] and not extractors
    doc = cli("rule", "MLA2", xdg=xdg, cwd=tmp_path)
    assert doc.returncode == 2 and "is a prefix of MLA201" in doc.stderr
    assert "libcst" not in imported(doc.stderr)
    assert stored.is_file()


@pytest.mark.parametrize("damage", [b"", b"{", b'{"format": 1, "version": "0", "rules": []}', b"[1, 2]"])
def test_a_damaged_or_foreign_manifest_is_rebuilt(tmp_path: Path, damage: bytes) -> None:
    xdg = tmp_path / "xdg"
    reference = cli("rules", xdg=xdg, cwd=tmp_path).stdout
    (stored,) = (xdg / "mlaudit").glob("rules-*.json")
    stored.write_bytes(damage)
    again = cli("rules", xdg=xdg, cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == reference
    assert "libcst" in imported(again.stderr)  # rebuilt from the classes, not trusted
    assert cli("rules", xdg=xdg, cwd=tmp_path).stdout == reference


def test_the_manifest_follows_the_code(tmp_path: Path) -> None:
    """Editing any mlaudit module (a rule's metadata) gives a new fingerprint: never a stale listing."""
    before = manifest.fingerprint(plugins=False)
    target = Path(manifest.__file__)
    st = target.stat()
    try:
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert manifest.fingerprint(plugins=False) != before
    finally:
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert manifest.fingerprint(plugins=False) == before


def test_manifest_matches_the_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    classes = api.registry().rules
    built = manifest.rules(lambda: classes)
    read = manifest.rules(lambda: pytest.fail("the stored manifest was not used"))  # type: ignore[arg-type,return-value]
    assert built == read == [manifest.info(r) for r in classes]
    assert {r.kind for r in read} == {"file", "project"}


def test_engine_api_and_project_rules_import_without_libcst() -> None:
    code = (
        "import sys\n"
        "import mlaudit.api, mlaudit.gate, mlaudit.engine.cache, mlaudit.engine.report\n"
        "from mlaudit.engine.rule import ProjectRule, RawFinding, RuleOptions\n"
        "import mlaudit.rules.architecture.import_cycle, mlaudit.rules.purity.io_in_transform\n"
        "assert 'libcst' not in sys.modules, 'libcst imported'\n"
        "from mlaudit.engine.rule import FileRule, FactExtractor\n"
        "assert 'libcst' in sys.modules and FileRule.kind == 'file' and ProjectRule.kind == 'project'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_a_warm_run_starts_no_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached results are looked up in this process: a warm run of 50 files (over the pool's
    threshold) analyses nothing; an edited file alone is analysed again."""
    files = {f"pkg/m{i:02d}.py": f"import os\n\nVALUE_{i} = os.environ['X{i}']\n" for i in range(50)}
    write_files(tmp_path, {"pkg/__init__.py": "", **files})
    options = api.CheckOptions(isolated=True, jobs=2, cache_dir=tmp_path / "cache")
    cold = api.check([tmp_path], options)
    from mlaudit.engine import parallel

    real = parallel.run_map
    calls: list[int] = []

    def counting(fn, items, jobs):  # type: ignore[no-untyped-def]
        calls.append(len(items))
        return real(fn, items, jobs)

    monkeypatch.setattr(parallel, "run_map", counting)
    warm = api.check([tmp_path], options)
    assert calls == [] and warm.findings == cold.findings and warm.summary.files == cold.summary.files
    (tmp_path / "pkg" / "m07.py").write_text("import os\n\nVALUE = os.getenv('Y')\n")
    api.check([tmp_path], options)
    assert calls == [1]
