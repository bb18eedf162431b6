"""Baselines: write, match as a multiset, report stale entries, shrink-only rewrites, CI safety,
plus several reports in one run and --statistics (they share the post-processing path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlaudit import baseline
from mlaudit.model import Finding, Location, Severity
from tests.ci.conftest import check, write

LEGACY = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import shared_dep\n\n\ndef f():\n    return legacy_call(1)\n",
    "pkg/b.py": "import shared_dep\nx = legacy_call(2)\n",
    "pkg/broken.py": "def broken(:\n",
}


def _json(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.out)
    return data


def _entries(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["entries"])


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    return write(tmp_path / "proj", LEGACY)


# --- the file ---------------------------------------------------------------------------------------


def test_write_baseline_creates_a_sorted_versioned_reviewable_file(legacy: Path, run: Any) -> None:
    result = run("check", ".", "--write-baseline", cwd=legacy)
    assert result.code == 0, result.err
    assert "Wrote baseline mlaudit-baseline.json with 4 entries." in result.err
    assert "Found 0 findings in 4 files; 4 baselined." in result.out
    text = (legacy / "mlaudit-baseline.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["version"] == 1 and data["tool_version"]
    entries = data["entries"]
    assert [(e["path"], e["code"]) for e in entries] == [
        ("pkg/a.py", "XCI001"),
        ("pkg/a.py", "XCI002"),
        ("pkg/b.py", "XCI001"),
        ("pkg/broken.py", "MLA001"),
    ]
    assert set(entries[0]) == {"path", "code", "name", "fingerprint", "message"}
    assert entries == sorted(entries, key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    lines = text.splitlines()
    assert sum(1 for line in lines if line.strip().startswith('{"path"')) == 4  # one entry per line
    assert not any('"row"' in line or '"line"' in line for line in lines)  # no line numbers


def test_baselined_findings_do_not_fail_and_are_counted(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    result = run("check", ".", "--baseline", "mlaudit-baseline.json", "--output-format", "json", cwd=legacy)
    assert result.code == 0, result.err  # even the parse error: a known broken file does not fail the run
    report = _json(result)
    assert report["findings"] == [] and report["errors"] == []
    assert report["summary"]["baselined"] == 4
    assert report["summary"]["stale_baseline"] == 0
    assert report["summary"]["by_code"] == {} and report["summary"]["findings"] == 0


def test_unrelated_edits_and_moved_lines_keep_findings_baselined(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    write(
        legacy,
        {
            "pkg/a.py": '"""Docs."""\nimport os\nimport shared_dep\n\n\n\ndef f():\n    return legacy_call(1)\n'
        },
    )
    result = run("check", ".", "--baseline", "mlaudit-baseline.json", cwd=legacy)
    assert result.code == 0, result.out


def test_second_copy_in_the_same_file_is_new(legacy: Path, run: Any) -> None:
    """bandit's set-based baseline hides this (measured); a multiset does not."""
    run("check", ".", "--write-baseline", cwd=legacy)
    write(legacy, {"pkg/b.py": "import shared_dep\nx = legacy_call(2)\ny = legacy_call(2)\n"})
    result = run("check", ".", "--baseline", "mlaudit-baseline.json", "--output-format", "json", cwd=legacy)
    assert result.code == 1
    report = _json(result)
    [(path, row)] = [(f["filename"], f["location"]["row"]) for f in report["findings"]]
    assert (path, row) == ("pkg/b.py", 3)
    assert report["summary"]["baselined"] == 4


def test_copy_inserted_above_the_old_one_is_one_new_finding(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    write(legacy, {"pkg/b.py": "import shared_dep\nw = legacy_call(2)\nx = legacy_call(2)\n"})
    report = _json(
        run("check", ".", "--baseline", "mlaudit-baseline.json", "--output-format", "json", cwd=legacy)
    )
    assert report["summary"]["findings"] == 1 and report["summary"]["baselined"] == 4


def test_fixed_finding_leaves_a_stale_entry(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    write(legacy, {"pkg/b.py": "import shared_dep\nx = new_call(2)\n"})
    result = run("check", ".", "--baseline", "mlaudit-baseline.json", cwd=legacy)
    assert result.code == 0  # stale entries are reported, they do not fail the run
    assert "1 stale entry (the finding is gone)" in result.out
    assert (
        "stale baseline entry: XCI001 legacy-call in pkg/b.py: Call to legacy_call: use new_call"
        in result.out
    )
    report = _json(
        run("check", ".", "--baseline", "mlaudit-baseline.json", "--output-format", "json", cwd=legacy)
    )
    assert report["summary"]["stale_baseline"] == 1
    assert any("stale baseline entry" in w for w in report["warnings"])


# --- rewriting ------------------------------------------------------------------------------------


def test_rewrite_only_removes_entries(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    write(legacy, {"pkg/b.py": "import shared_dep\nx = new_call(2)\n", "pkg/c.py": "legacy_call(3)\n"})
    result = run("check", ".", "--write-baseline", cwd=legacy)
    assert result.code == 1  # the new finding is still reported
    assert "Updated baseline mlaudit-baseline.json: removed 1 stale entry (3 now)." in result.err
    assert "1 new finding was not added to the baseline" in result.err
    assert "pkg/c.py:1:1: XCI001" in result.out
    paths = [e["path"] for e in _entries(legacy / "mlaudit-baseline.json")]
    assert "pkg/c.py" not in paths and paths.count("pkg/b.py") == 0


def test_allow_new_accepts_new_findings(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    write(legacy, {"pkg/c.py": "legacy_call(3)\n"})
    result = run("check", ".", "--write-baseline", "--allow-new", cwd=legacy)
    assert result.code == 0
    assert "added 1 new" in result.err
    assert "pkg/c.py" in [e["path"] for e in _entries(legacy / "mlaudit-baseline.json")]


def test_up_to_date_baseline_is_not_rewritten(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    path = legacy / "mlaudit-baseline.json"
    before = path.stat().st_mtime_ns
    result = run("check", ".", "--write-baseline", cwd=legacy, env={"CI": "true"})
    assert result.code == 0 and "is up to date (4 entries)" in result.err
    assert path.stat().st_mtime_ns == before


def test_never_rewritten_in_ci(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    path = legacy / "mlaudit-baseline.json"
    before = path.read_text(encoding="utf-8")
    write(legacy, {"pkg/b.py": "import shared_dep\n"})
    result = run("check", ".", "--write-baseline", cwd=legacy, env={"CI": "true"})
    assert result.code == 2
    assert "never rewritten in CI" in result.err and "1 stale" in result.err
    assert "Traceback" not in result.err
    assert path.read_text(encoding="utf-8") == before


def test_config_key_and_explicit_file_names(tmp_path: Path, run: Any) -> None:
    root = write(
        tmp_path / "proj",
        {
            **LEGACY,
            "mlaudit.toml": 'select = ["XCI", "MLA0"]\nbaseline = "ci/mlaudit-baseline.json"\n',
        },
    )
    created = run("check", ".", "--write-baseline", cwd=root, isolated=False)
    assert created.code == 0, created.err
    assert (root / "ci/mlaudit-baseline.json").is_file()  # relative to the config file's directory
    # From a sub-directory, the config's baseline still applies.
    result = run("check", "..", cwd=root / "pkg", isolated=False)
    assert result.code == 0, result.out
    assert "4 baselined" in result.out
    # `--write-baseline FILE.json` (space) and `--write-baseline=FILE` both name the file.
    assert run("check", ".", "--write-baseline", "other.json", cwd=root).code == 0
    assert run("check", ".", "--write-baseline=third", cwd=root).code == 0
    assert (root / "other.json").is_file() and (root / "third").is_file()
    # A bare flag before a path: the path is checked, the default file written.
    bare = run("check", "--write-baseline", "pkg", cwd=tmp_path / "proj")
    assert bare.code == 0, bare.err


# --- scope: a partial run judges only what it checked ------------------------------------------------


def test_explicit_files_do_not_make_other_entries_stale(legacy: Path, run: Any) -> None:
    """Under pre-commit only the staged files are passed (the project root comes from the config)."""
    write(legacy, {"mlaudit.toml": 'select = ["XCI", "MLA0"]\n'})
    run("check", ".", "--write-baseline", cwd=legacy, isolated=False)
    write(legacy, {"pkg/b.py": "import shared_dep\nx = legacy_call(2)\nz = legacy_call(9)\n"})
    result = run("check", "pkg/b.py", "--baseline", "mlaudit-baseline.json", cwd=legacy, isolated=False)
    assert "stale" not in result.out
    assert "pkg/b.py:3:5: XCI001" in result.out
    # A rewrite from a pre-commit style run keeps other files' entries.
    rewrite = run(
        "check",
        "pkg/b.py",
        "--write-baseline=mlaudit-baseline.json",
        "--allow-new",
        cwd=legacy,
        isolated=False,
    )
    assert rewrite.code == 0, rewrite.err
    entries = _entries(legacy / "mlaudit-baseline.json")
    assert [e["path"] for e in entries].count("pkg/b.py") == 2
    assert {"pkg/a.py", "pkg/broken.py"} <= {e["path"] for e in entries}


def test_rules_not_selected_are_out_of_scope(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    result = run(
        "check",
        ".",
        "--isolated",
        "--select",
        "XCI001,MLA001",
        "--baseline",
        "mlaudit-baseline.json",
        cwd=legacy,
        isolated=False,
    )
    assert result.code == 0 and "stale" not in result.out


# --- errors are usage errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist (create it with --write-baseline)"),
        ("{not json", "is not an mlaudit baseline: invalid JSON"),
        ('{"entries": []}', "is not an mlaudit baseline"),
        ('{"version": 99, "entries": []}', "unsupported baseline version 99"),
        ('{"version": 1, "entries": [{"path": 1}]}', "entry 0 needs string"),
    ],
)
def test_bad_baseline_files(legacy: Path, run: Any, content: str | None, message: str) -> None:
    if content is not None:
        (legacy / "b.json").write_text(content, encoding="utf-8")
    result = run("check", ".", "--baseline", "b.json", cwd=legacy)
    assert result.code == 2
    assert message in result.err and result.err.startswith("mlaudit: error:")


def test_refuses_to_overwrite_a_file_that_is_not_a_baseline(legacy: Path, run: Any) -> None:
    before = (legacy / "pkg/a.py").read_text(encoding="utf-8")
    result = run("check", ".", "--write-baseline=pkg/a.py", cwd=legacy)
    assert result.code == 2 and "is not an mlaudit baseline; refusing to overwrite" in result.err
    assert (legacy / "pkg/a.py").read_text(encoding="utf-8") == before


def test_allow_new_needs_write_baseline(legacy: Path, run: Any) -> None:
    result = run("check", ".", "--allow-new", cwd=legacy)
    assert result.code == 2 and "--allow-new only makes sense with --write-baseline" in result.err
    result = run("check", ".", "--write-baseline", "--add-ignore", cwd=legacy)
    assert result.code == 2 and "use one" in result.err
    assert not (legacy / "mlaudit-baseline.json").exists()


def test_pre_commit_style_write_baseline_before_filenames(legacy: Path, run: Any) -> None:
    """pre-commit appends the staged files after `args: [--write-baseline]`."""
    write(legacy, {"mlaudit.toml": 'select = ["XCI", "MLA0"]\nbaseline = "mlaudit-baseline.json"\n'})
    run("check", ".", "--write-baseline", cwd=legacy, isolated=False)
    write(legacy, {"pkg/b.py": "import shared_dep\nx = new_call(2)\n"})
    result = run("check", "--force-exclude", "--write-baseline", "pkg/b.py", cwd=legacy, isolated=False)
    assert result.code == 0, result.out + result.err
    assert "removed 1 stale entry (3 now)" in result.err


# --- several reports in one run, statistics ----------------------------------------------------------


def test_several_reports_in_one_run(legacy: Path, run: Any) -> None:
    run("check", ".", "--write-baseline", cwd=legacy)
    write(legacy, {"pkg/c.py": "legacy_call(3)\n"})
    result = run(
        "check",
        ".",
        "--baseline",
        "mlaudit-baseline.json",
        "--report",
        "json:out/mlaudit.json",
        "--report",
        "sarif:out/mlaudit.sarif",
        "--report",
        "gitlab:gl-code-quality-report.json",
        "--report",
        "junit:junit.xml",
        cwd=legacy,
    )
    assert result.code == 1
    assert "pkg/c.py:1:1: XCI001" in result.out  # the terminal still gets the primary format
    report = json.loads((legacy / "out/mlaudit.json").read_text(encoding="utf-8"))
    assert report["summary"]["findings"] == 1 and report["summary"]["baselined"] == 4
    sarif = json.loads((legacy / "out/mlaudit.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 1
    assert len(json.loads((legacy / "gl-code-quality-report.json").read_text(encoding="utf-8"))) == 1
    assert "<testsuites" in (legacy / "junit.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--report", "sarif"], "write it as FORMAT:PATH"),
        (["--report", "xml:out.xml"], "unknown format `xml`"),
        (["--report", "json:a.json", "--report", "sarif:a.json"], "is given twice"),
    ],
)
def test_report_spec_errors(legacy: Path, run: Any, args: list[str], message: str) -> None:
    result = run("check", ".", *args, cwd=legacy)
    assert result.code == 2 and message in result.err


def test_statistics_for_every_format(legacy: Path, run: Any) -> None:
    result = run("check", ".", "--output-format", "json", "--statistics", cwd=legacy)
    json.loads(result.out)  # stdout stays machine-readable
    assert "2  XCI001  legacy-call" in result.err
    text = run("check", ".", "--statistics", cwd=legacy)
    assert "2  XCI001  legacy-call" in text.out and "XCI001" not in text.err


# --- the module itself ------------------------------------------------------------------------------


def _f(fp: str, path: str = "a.py", code: str = "XCI001") -> Finding:
    return Finding(
        code=code,
        name="legacy-call",
        category="purity",
        severity=Severity.WARNING,
        message="m",
        filename=path,
        location=Location(row=1, column=1),
        end_location=Location(row=1, column=2),
        fingerprint=fp,
    )


def test_match_is_a_multiset() -> None:
    entries = [baseline.Entry.of(_f("x")), baseline.Entry.of(_f("x")), baseline.Entry.of(_f("y"))]
    m = baseline.match([_f("x"), _f("x"), _f("x"), _f("z")], entries)
    assert len(m.baselined) == 2 and [f.fingerprint for f in m.new] == ["x", "z"]
    assert [e.fingerprint for e in m.stale] == ["y"]
    # The same fingerprint under another code or path is another problem.
    m = baseline.match([_f("x", path="b.py"), _f("x", code="XCI002")], entries)
    assert len(m.new) == 2


def test_dumps_round_trips_and_is_stable() -> None:
    entries = [baseline.Entry.of(_f(fp, path=p)) for fp, p in [("b", "z.py"), ("a", "a.py"), ("c", "a.py")]]
    text = baseline.dumps(entries, "1.2.3")
    assert baseline.parse(text, "x") == sorted(entries)
    assert baseline.dumps(reversed(entries), "1.2.3") == text
    assert baseline.dumps([], "1") == '{\n  "version": 1,\n  "tool_version": "1",\n  "entries": []\n}\n'


def test_api_level_apply(legacy: Path) -> None:
    report = check(legacy)
    entries = [baseline.Entry.of(f) for f in report.findings if f.code != "XCI002"]
    out, _ = baseline.apply(report, entries)
    assert [f.code for f in out.findings] == ["XCI002"]
    assert out.summary.baselined == 3 and out.summary.by_code == {"XCI002": 1}
    assert out.summary.by_severity["error"] == 1 and out.errors == []
    assert report.summary.findings == 4  # the input is not modified
