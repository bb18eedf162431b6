"""Start-up and warm runs (issue 12, item 6): ``mlaudit rules`` reads the rule manifest and imports no
rule module nor libcst; the libcst-free half of the engine really is libcst-free; a warm run serves
every file from the cache in this process, without a worker pool. The timings themselves are measured
by tests/benchmarks/startup.py, not here."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlaudit import api
from mlaudit.config.loader import LoadedConfig
from mlaudit.config.schema import Settings
from mlaudit.engine import cache, lazy, manifest, registry
from mlaudit.engine.rule import ProjectRule
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
        manifest.package_stats.cache_clear()  # read once per process: this test is a new process
        assert manifest.fingerprint(plugins=False) != before
    finally:
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        manifest.package_stats.cache_clear()
    assert manifest.fingerprint(plugins=False) == before


def test_manifest_matches_the_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reg = api.registry()
    built = manifest.rules(lambda: reg)
    read = manifest.rules(lambda: pytest.fail("the stored manifest was not used"))
    assert built == read == [manifest.info(r) for r in reg.rules]
    assert {r.kind for r in read} == {"file", "project"}
    lazy_reg = manifest.registry(lambda: pytest.fail("the stored manifest was not used"))
    assert [r.code for r in lazy_reg.rules] == [r.code for r in reg.rules]
    for stand_in, real in zip(lazy_reg.rules, reg.rules, strict=True):
        assert lazy.is_stand_in(stand_in) and lazy.real(stand_in) is real
        for attr in ("code", "name", "category", "severity", "message", "fix", "applies_to", "default_enabled"):
            assert getattr(stand_in, attr) == getattr(real, attr), (real.code, attr)
        assert registry.is_file_rule(stand_in) == registry.is_file_rule(real)
        assert issubclass(stand_in, ProjectRule) == issubclass(real, ProjectRule)
    assert [lazy.real(x) for x in lazy_reg.extractors] == reg.extractors


def test_stand_ins_give_the_cache_key_of_the_real_classes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run from the manifest and a run from the classes share their cache entries."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reg = api.registry()
    manifest.registry(lambda: reg)
    lazy_reg = manifest.registry(lambda: pytest.fail("the stored manifest was not used"))
    settings = Settings.model_validate({"extend-select": ["MLA702", "MLA201"], "rules": {"hardcoded-path": {}}})
    loaded = LoadedConfig(settings=settings, root=tmp_path, path=None, raw={})
    plans = [api._plan(settings, api.resolve_rules(loaded, r), r) for r in (reg, lazy_reg)]
    assert any(lazy.is_stand_in(rule) for rule, _ in plans[1].file_rules)
    assert cache.plan_key(plans[0]) == cache.plan_key(plans[1]) == cache.plan_key(lazy.materialize(plans[1]))
    real = lazy.materialize(plans[1])
    assert [(r, o) for r, o in real.file_rules] == [(r, o) for r, o in plans[0].file_rules]


def test_engine_api_and_project_rules_import_without_libcst() -> None:
    code = (
        "import sys\n"
        "import mlaudit.api, mlaudit.gate, mlaudit.catalogue, mlaudit.fixes, mlaudit.engine.cache, mlaudit.engine.report\n"
        "from mlaudit.engine.rule import ProjectRule, RawFinding, RuleOptions\n"
        "import mlaudit.rules.architecture.import_cycle, mlaudit.rules.purity.io_in_transform\n"
        "assert 'libcst' not in sys.modules, 'libcst imported'\n"
        "from mlaudit.engine.rule import FileRule, FactExtractor\n"
        "assert 'libcst' in sys.modules and issubclass(FileRule, mlaudit.engine.rule.Rule)\n"
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


def test_a_warm_cli_check_imports_neither_libcst_nor_a_rule(tmp_path: Path) -> None:
    """The first run builds the manifest and fills the cache; the next one is served from both: no rule
    module, no extractor and no libcst is imported, and the report is the same. An edited file is
    parsed again (libcst) and its findings change."""
    project = tmp_path / "proj"
    write_files(
        project,
        {
            "pyproject.toml": '[tool.mlaudit]\nextend-select = ["MLA101"]\n',  # opt-in
            "pkg/__init__.py": "",
            "pkg/state.py": "CACHE = {}\n\n\ndef remember(key, value):\n    global CACHE\n    CACHE = {key: value}\n",
            "pkg/io.py": "import os\n\nDATA = os.environ['DATA_DIR']\n",
        },
    )
    # GitLab's JSON: the JSON and SARIF reports also describe each finding's fix, which parses the file
    xdg, args = tmp_path / "xdg", ("check", ".", "--output-format", "gitlab")
    cold = cli(*args, xdg=xdg, cwd=project)
    warm = cli(*args, xdg=xdg, cwd=project)
    assert cold.returncode == warm.returncode == 1, cold.stderr
    assert "libcst" in imported(cold.stderr)
    modules = imported(warm.stderr)
    assert "libcst" not in modules
    assert not [m for m in modules if m.startswith("mlaudit.rules.") or m.startswith("mlaudit.fixes.")]
    # nor the fact records (the pack keeps facts as text), nor typer's pydantic adapters (plain values)
    assert not [m for m in modules if m.startswith("mlaudit.facts.") and m != "mlaudit.facts.span"]
    assert "typer._adapters" not in modules
    assert "mlaudit.gitdiff" not in modules  # --diff-base's git tooling, imported when asked

    def findings(out: str) -> list[tuple[str, str, int]]:
        return [(f["check_name"], f["location"]["path"], f["location"]["lines"]["begin"]) for f in json.loads(out)]

    assert findings(warm.stdout) == findings(cold.stdout)
    assert ("global-statement", "pkg/state.py", 5) in findings(warm.stdout)
    (project / "pkg" / "state.py").write_text("CACHE: dict = {}\n\n\ndef remember(key, value):\n    CACHE[key] = value\n")
    edited = cli(*args, xdg=xdg, cwd=project)
    assert "libcst" in imported(edited.stderr)
    assert ("global-statement", "pkg/state.py", 5) not in findings(edited.stdout)
    assert findings(cli(*args, xdg=xdg, cwd=project).stdout) == findings(edited.stdout)


def test_project_findings_come_from_the_pack_until_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycle = {"pkg/a.py": "from pkg import b\n\n\ndef f():\n    return b.g()\n", "pkg/b.py": "from pkg import a\n\n\ndef g():\n    return a\n"}
    write_files(tmp_path, {"pkg/__init__.py": "", "pkg/c.py": "X = 1\n", **cycle})
    options = api.CheckOptions(
        isolated=True, jobs=1, cache_dir=tmp_path / "cache", overrides={"extend_select": ("MLA401",)}
    )
    cold = api.check([tmp_path], options)
    assert [f.code for f in cold.findings] == ["MLA401"]  # a project rule's finding (import cycle)
    runs: list[int] = []
    real = api.run_project_rules

    def counting(prules, results, settings):  # type: ignore[no-untyped-def]
        runs.append(len(results))
        return real(prules, results, settings)

    monkeypatch.setattr(api, "run_project_rules", counting)
    warm = api.check([tmp_path], options)
    assert runs == [] and warm.findings == cold.findings
    (tmp_path / "pkg" / "b.py").write_text("def g():\n    return 1\n")
    edited = api.check([tmp_path], options)
    assert runs == [4] and edited.findings == []
    assert api.check([tmp_path], options).findings == edited.findings and runs == [4]
    (pack,) = (tmp_path / "cache").rglob("pack.json")
    pack.write_text("{not json")
    assert api.check([tmp_path], options).findings == edited.findings  # a damaged pack is a miss


def test_fix_metadata_is_a_plain_table_matching_the_fix_modules() -> None:
    """``mlaudit rules`` reads a fix's availability and safety without importing its codemod; every row
    names a module defining ``propose`` and every fix module has a row."""
    import mlaudit.fixes as package
    from mlaudit.fixes import registered, table

    modules = {
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_") and info.name not in {"base", "registry", "table"}
    }
    assert {row.module for row in table.FIXES.values()} == modules
    for code, spec in registered().items():
        row = table.FIXES[code]
        assert (spec.availability, spec.applicability, spec.title, spec.notebooks) == (
            row.availability,
            row.applicability,
            row.title,
            row.notebooks,
        )
    code = (
        "import sys\nfrom mlaudit import catalogue\nfrom mlaudit.fixes import fix_info\n"
        "assert fix_info('MLA101').applicability == 'safe'\n"
        "assert 'libcst' not in sys.modules and 'mlaudit.fixes.global_statement' not in sys.modules\n"
        "from mlaudit.fixes import fix_for\nfix_for('MLA101')\nassert 'libcst' in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_a_warm_json_report_reads_the_fix_descriptions_from_the_cache(tmp_path: Path) -> None:
    """JSON and SARIF describe each finding's fix, which parses the file and may read other files: a
    warm run with nothing changed reads the stored descriptions (no libcst, no codemod) and prints the
    same report; a change anywhere in the project, or a damaged store, describes again."""
    project = tmp_path / "proj"
    write_files(
        project,
        {
            "pyproject.toml": "[tool.mlaudit]\n",
            "pkg/__init__.py": "",
            "pkg/state.py": "LIMIT = 10  # mlaudit: ignore[hardcoded-pathx]\n",  # MLA003, fixable
            "pkg/other.py": "X = 1\n",
        },
    )
    xdg, args = tmp_path / "xdg", ("check", ".", "--output-format", "json")

    def fixes(out: str) -> list[tuple[str, object]]:
        return [(f["code"], f["fix"]) for f in json.loads(out)["findings"]]

    cold = cli(*args, xdg=xdg, cwd=project)
    assert cold.returncode in (0, 1), cold.stderr
    described = fixes(cold.stdout)
    assert described and all(code == "MLA003" and fix for code, fix in described)
    warm = cli(*args, xdg=xdg, cwd=project)
    assert fixes(warm.stdout) == described
    modules = imported(warm.stderr)
    assert "libcst" not in modules and not [m for m in modules if m.startswith("mlaudit.fixes.")]
    (stored,) = (project / ".mlaudit_cache").rglob("fixes.json")
    (project / "pkg" / "other.py").write_text("X = 2\n")  # another file: a fix may read it
    again = cli(*args, xdg=xdg, cwd=project)
    assert "libcst" in imported(again.stderr) and fixes(again.stdout) == described
    stored.write_text('{"format": 1, "key": "x", "fixes": [1]}')
    damaged = cli(*args, xdg=xdg, cwd=project)
    assert "libcst" in imported(damaged.stderr) and fixes(damaged.stdout) == described
    assert "libcst" not in imported(cli(*args, xdg=xdg, cwd=project).stderr)


def _run_cli(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    from mlaudit import cli

    monkeypatch.setattr(sys, "argv", ["mlaudit", *argv])
    try:
        cli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_a_cli_check_loads_the_config_once_and_resolves_the_rules_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mlaudit import cli  # noqa: F401  (the module patched below is the one the CLI calls)

    write_files(tmp_path, {"pyproject.toml": "[tool.mlaudit]\n", "pkg/__init__.py": "", "pkg/m.py": "X = 1\n"})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for name in ("MLAUDIT_CACHE_DIR", "MLAUDIT_OUTPUT_FORMAT", "MLAUDIT_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    calls: dict[str, int] = {"load_settings": 0, "resolve_rules": 0}
    for name in calls:
        real = getattr(api, name)

        def counting(*args, _real=real, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(api, name, counting)
    for _ in range(2):  # cold, then warm
        calls.update(dict.fromkeys(calls, 0))
        assert _run_cli(["check", str(tmp_path / "pkg" / "m.py")], monkeypatch) == 0, capsys.readouterr()
        assert calls == {"load_settings": 1, "resolve_rules": 1}


def test_an_unset_option_builds_no_coercion_adapter(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, built_adapters: list[object]
) -> None:
    """typer >= 0.22 coerces each parameter through a pydantic adapter: ``check`` has 30 options, and a
    run sets two or three of them; only those are coerced (the others are None or their default), and
    plain values such as these without an adapter (``mlaudit.cli_coercion``; tests/test_cli_coercion.py)."""
    import typer.core

    if not hasattr(typer.core, "build_runtime_param"):
        pytest.skip("this typer coerces without adapters")
    built = built_adapters
    for name in ("MLAUDIT_CACHE_DIR", "MLAUDIT_OUTPUT_FORMAT", "MLAUDIT_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    write_files(tmp_path, {"m.py": "X = 1\n"})
    before = set(sys.modules)
    assert _run_cli(["check", str(tmp_path / "m.py"), "--no-cache", "--jobs", "1"], monkeypatch) == 0
    assert built == []  # the paths, --jobs and the color's default (an enum member) are plain values
    assert "typer._adapters" not in sys.modules or "typer._adapters" in before


def test_a_named_command_is_built_alone_with_the_same_help_and_errors() -> None:
    from typer.testing import CliRunner

    from mlaudit import cli

    assert cli._app_for("check") is not cli.app and len(cli._app_for("check").registered_commands) == 1
    assert cli._app_for("rules").registered_commands[0].name == "rules"
    assert cli._app_for("--help") is cli.app and cli._app_for("example") is cli.app and cli._app_for("") is cli.app
    assert len(cli.app.registered_commands) > 5  # the whole app is untouched
    runner = CliRunner()
    for args in (["check", "--help"], ["check", "--bogus"], ["rules", "--output-format", "x"], ["rule", "-h"]):
        whole = runner.invoke(cli.app, args, prog_name="mlaudit")
        alone = runner.invoke(cli._app_for(args[0]), args, prog_name="mlaudit")
        assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output), args
