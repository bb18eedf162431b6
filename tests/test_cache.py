from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mlaudit import __version__, api
from tests.conftest import run_cli, write_files

FILES = {"a.py": "x = 1  # mlaudit: ignore[parse-error]\n", "b.py": "def f(:\n"}


def check(root: Path, **kw: object) -> api.Report:  # type: ignore[name-defined]
    return api.check([root], api.CheckOptions(isolated=True, jobs=1, **kw))  # type: ignore[arg-type]


def entries(root: Path) -> list[Path]:
    """Every file's own entry, and the run's pack (all of them in one file, read first)."""
    return sorted((root / ".mlaudit_cache").rglob("*.json"))


def own_entries(root: Path) -> list[Path]:
    return [p for p in entries(root) if p.name != "pack.json"]


def strip(report) -> str:  # type: ignore[no-untyped-def]
    data = report.model_dump(mode="json")
    data["summary"].pop("duration_s")
    return json.dumps(data, sort_keys=True)


def test_cache_layout_and_identical_warm_result(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    cold = check(tmp_path)
    cache = tmp_path / ".mlaudit_cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert len(own_entries(tmp_path)) == 2
    assert len(entries(tmp_path)) == 3  # and the pack
    warm = check(tmp_path)
    assert strip(cold) == strip(warm)
    assert check(tmp_path, no_cache=True).findings == cold.findings


def test_corrupt_entry_is_discarded_with_a_warning(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    cold = check(tmp_path)
    for entry in entries(tmp_path):
        entry.write_text('{"rel": "a.py", "trunc')
    warm = check(tmp_path)
    assert strip(cold).replace('"warnings": []', "") != ""
    assert warm.findings == cold.findings
    assert any("corrupt cache" in w for w in warm.warnings)
    assert not any("corrupt" in w for w in check(tmp_path).warnings)  # rewritten


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_cache_is_one_warning(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    report = check(tmp_path, cache_dir=ro)
    assert len([w for w in report.warnings if "not writable" in w]) == 1
    assert report.summary.findings == 2


def test_unwritable_cache_dir_path(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    report = check(tmp_path, cache_dir=blocker / "cache", overrides={"extend-select": ("MLA001",)})
    assert [w for w in report.warnings if "not writable" in w]
    assert report.summary.findings == 2


def test_settings_change_invalidates(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    check(tmp_path)
    report = api.check([tmp_path], api.CheckOptions(isolated=True, jobs=1, overrides={"select": ("MLA001",)}))
    assert [f.code for f in report.findings] == ["MLA001"]
    assert len(list((tmp_path / ".mlaudit_cache" / __version__).iterdir())) == 2


def test_env_cache_dir_and_clean(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    elsewhere = tmp_path / "elsewhere"
    run_cli("check", ".", cwd=tmp_path, env={"MLAUDIT_CACHE_DIR": str(elsewhere)})
    assert (elsewhere / "CACHEDIR.TAG").is_file()
    assert not (tmp_path / ".mlaudit_cache").exists()
    out = run_cli("clean", cwd=tmp_path, env={"MLAUDIT_CACHE_DIR": str(elsewhere)})
    assert out.returncode == 0 and not elsewhere.exists()
    (tmp_path / "notcache").mkdir()
    refused = run_cli("clean", "--cache-dir", "notcache", cwd=tmp_path)
    assert refused.returncode == 2 and (tmp_path / "notcache").exists()


def test_cache_key_follows_the_analysis_code(tmp_path: Path) -> None:
    """Editing a rule or extractor module must invalidate results cached by its previous version."""
    import os

    from mlaudit.config.schema import Settings
    from mlaudit.engine import cache as cache_module
    from mlaudit.engine import manifest
    from mlaudit.engine.runner import RunPlan

    def key() -> str:
        manifest.package_stats.cache_clear()  # mlaudit's own sources are read once per process
        return cache_module.plan_key(RunPlan(settings=Settings(), file_rules=(), extractors=(), rule_keys={}))

    before = key()
    target = Path(cache_module.__file__)
    st = target.stat()
    try:
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert key() != before
    finally:
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert key() == before
