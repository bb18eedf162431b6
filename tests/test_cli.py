from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema

from mlaudit import __version__
from mlaudit.model import Report
from tests.conftest import REPO, run_cli, write_files

BROKEN = {"pkg/__init__.py": "", "pkg/ok.py": "x = 1\n", "pkg/bad.py": "def f(:\n    pass\n"}


def test_version_and_python_m() -> None:
    result = run_cli("--version", cwd=REPO)
    assert result.returncode == 0
    assert result.stdout.strip() == f"mlaudit {__version__}"


def test_exit_codes(tmp_path: Path) -> None:
    write_files(tmp_path, {"clean.py": "x = 1\n"})
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0
    write_files(tmp_path, {"dirty.py": "y = 2  # mlaudit: ignore[parse-error]\n"})
    assert run_cli("check", ".", cwd=tmp_path).returncode == 1  # MLA002 is a warning
    assert run_cli("check", ".", "--fail-on", "error", cwd=tmp_path).returncode == 0
    assert run_cli("check", ".", "--exit-zero", cwd=tmp_path).returncode == 0
    assert run_cli("check", "missing_dir", cwd=tmp_path).returncode == 2
    assert run_cli("check", ".", "--select", "NOPE1", cwd=tmp_path).returncode == 2
    assert run_cli("check", ".", "--output-format", "xml", cwd=tmp_path).returncode == 2


def test_broken_file_is_reported_and_the_rest_still_analysed(tmp_path: Path) -> None:
    write_files(tmp_path, {**BROKEN, "pkg/dirty.py": "y = 2  # mlaudit: ignore[parse-error]\n"})
    result = run_cli("check", ".", "--output-format", "concise", cwd=tmp_path)
    assert result.returncode == 1
    assert "pkg/bad.py:1:7: MLA001 [parse-error] syntax error" in result.stdout
    assert "pkg/dirty.py:1:8: MLA002" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_json_report_matches_the_contract_and_its_schema(tmp_path: Path) -> None:
    write_files(tmp_path, {**BROKEN, "mlaudit.toml": "extend-exclude = []\n"})
    result = run_cli("check", "--output-format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    schema = json.loads(run_cli("schema", cwd=tmp_path).stdout)
    jsonschema.validate(data, schema)
    Report.model_validate(data)
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "mlaudit", "version": __version__}
    assert data["summary"]["errors"] == 1 and data["summary"]["by_code"] == {"MLA001": 1}
    finding = data["findings"][0]
    assert finding["filename"] == "pkg/bad.py"  # relative, forward slashes
    assert finding["location"] == {"row": 1, "column": 7}
    assert finding["url"] == "https://github.com/mlaudit/mlaudit/blob/main/rules/meta/MLA001-parse-error/README.md"
    assert data["errors"][0]["code"] == "MLA001"
    # Same input, same bytes (apart from the duration).
    again = json.loads(run_cli("check", "--output-format", "json", "--no-cache", cwd=tmp_path).stdout)
    data["summary"].pop("duration_s"), again["summary"].pop("duration_s")
    assert data == again


def test_json_lines_and_output_file(tmp_path: Path) -> None:
    write_files(tmp_path, BROKEN)
    result = run_cli("check", "--output-format", "json-lines", "-o", "out.jsonl", cwd=tmp_path)
    assert result.stdout == ""
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert [json.loads(line)["code"] for line in lines] == ["MLA001"]


def test_full_output_is_plain_without_a_terminal_and_has_a_summary(tmp_path: Path) -> None:
    write_files(tmp_path, BROKEN)
    out = run_cli("check", cwd=tmp_path).stdout
    assert "\x1b[" not in out
    assert "    1 | def f(:" in out
    assert out.rstrip().endswith("Found 1 finding (1 error) in 3 files; 1 file error.")
    colored = run_cli("check", "--color", "always", cwd=tmp_path).stdout
    assert "\x1b[" in colored


def test_rules_and_rule_commands(tmp_path: Path) -> None:
    listing = run_cli("rules", "--output-format", "json", cwd=tmp_path)
    rows = json.loads(listing.stdout)
    assert {"code", "name", "category", "summary", "default_severity", "fix_availability"} <= set(rows[0])
    by_code = run_cli("rule", "MLA002", cwd=tmp_path).stdout
    by_name = run_cli("rule", "unused-suppression", cwd=tmp_path).stdout
    assert by_code == by_name
    assert by_code.startswith("# unused-suppression (MLA002)")
    assert "## Why is this bad?" in by_code
    unknown = run_cli("rule", "unused-supresion", cwd=tmp_path)
    assert unknown.returncode == 2 and "did you mean `unused-suppression`" in unknown.stderr


def test_python_dash_m_entry_point() -> None:
    import subprocess

    out = subprocess.run(
        [sys.executable, "-m", "mlaudit", "--help"], capture_output=True, text=True, check=True
    )
    assert "check" in out.stdout
