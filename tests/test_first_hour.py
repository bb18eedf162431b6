"""The first hour with mlaudit, as a ruff user would try it: each surprise from issue 12 has a test."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import run_cli, write_files

# The purity rules are opt-in (precision on real code): this project selects them, as a team would.
DIRTY = {
    "feat.py": "import datetime\n\ndef build_features(df):\n    df['t'] = datetime.datetime.now()\n    return df\n",
    "pyproject.toml": '[tool.mlaudit]\nextend-select = ["MLA2"]\n',
}


def test_a_string_selector_is_one_selector(tmp_path: Path) -> None:
    write_files(tmp_path, {**DIRTY, "pyproject.toml": '[tool.mlaudit]\nselect = "MLA2"\n'})
    result = run_cli("check", ".", "--output-format", "concise", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "MLA202" in result.stdout


def test_command_line_errors_name_the_command_line(tmp_path: Path) -> None:
    write_files(tmp_path, {**DIRTY, "pyproject.toml": '[tool.mlaudit]\nselect = ["MLA2"]\n'})
    bad_select = run_cli("check", ".", "--select", "FOO", cwd=tmp_path)
    assert bad_select.returncode == 2
    assert "command line: --select: unknown rule selector `FOO`" in bad_select.stderr
    assert "pyproject.toml" not in bad_select.stderr
    bad_level = run_cli("check", ".", "--fail-on", "critical", cwd=tmp_path)
    assert bad_level.returncode == 2
    assert "command line: invalid value for `fail-on`" in bad_level.stderr


def test_config_errors_speak_plainly_and_all_at_once(tmp_path: Path) -> None:
    write_files(tmp_path, {**DIRTY, "pyproject.toml": '[tool.mlaudit]\nselect = 3\nfail-on = "critical"\n'})
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "`select`: expected a list of strings, got 3" in result.stderr
    assert "`fail-on`" in result.stderr  # the second error is shown too
    assert "Input should be" not in result.stderr and "Value error" not in result.stderr


def test_help_takes_dash_h_and_shows_no_python_types(tmp_path: Path) -> None:
    result = run_cli("check", "-h", cwd=tmp_path)
    assert result.returncode == 0
    assert "--select RULES" in result.stdout
    assert "list[" not in result.stdout and "<path>" not in result.stdout
    assert run_cli("-h", cwd=tmp_path).returncode == 0


def test_rule_prefix_lists_the_family(tmp_path: Path) -> None:
    result = run_cli("rule", "MLA2", cwd=tmp_path)
    assert result.returncode == 2
    assert "MLA201, MLA202, MLA203" in result.stderr


def test_output_file_creates_its_folder(tmp_path: Path) -> None:
    write_files(tmp_path, DIRTY)
    result = run_cli("check", ".", "--output-format", "json", "-o", "out/deep/report.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert json.loads((tmp_path / "out" / "deep" / "report.json").read_text())["findings"]


def test_clean_uses_the_given_path(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    write_files(project, DIRTY)
    assert run_cli("check", ".", cwd=project).returncode == 1
    assert (project / ".mlaudit_cache").is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("clean", str(project), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert not (project / ".mlaudit_cache").exists()


def test_the_default_baseline_is_applied_after_writing_it(tmp_path: Path) -> None:
    write_files(tmp_path, DIRTY)
    written = run_cli("check", ".", "--write-baseline", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert "applies it from now on" in written.stderr
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0  # the baseline hides today's finding
    everything = run_cli("check", ".", "--no-baseline", "--output-format", "concise", cwd=tmp_path)
    assert everything.returncode == 1 and "MLA202" in everything.stdout


def test_long_source_lines_are_cut_around_the_finding() -> None:
    from mlaudit.reporters.text import window

    line = "x = [" + "1, " * 500_000 + "]"
    shown = window(line, 700_000)
    assert len(shown) <= 122 and shown.startswith("…") and shown.endswith("…")
    assert window("short line", 3) == "short line"
    assert window("a" * 200, 1).endswith("…") and not window("a" * 200, 1).startswith("…")


def test_no_python_files_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    result = run_cli("check", "docs", cwd=tmp_path)
    assert result.returncode == 0
    assert "No Python files" in result.stdout + result.stderr


def test_a_file_error_is_printed_once(tmp_path: Path) -> None:
    write_files(tmp_path, {"bad.py": "def f(:\n    pass\n"})
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("bad.py:1:7") == 1


def _run_stdin(content: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import os
    import sys

    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mlaudit", "check", "-", *args],
        cwd=cwd, env=env, input=content, capture_output=True, text=True, timeout=120,
    )


def test_stdin_content_stands_in_for_the_file(tmp_path: Path) -> None:
    write_files(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "X = 1\n", "pkg/b.py": "from pkg import a\n"})
    # On disk there is no cycle; the editor's unsaved a.py closes one with b.py (a project rule).
    edited = _run_stdin("from pkg import b\n", "--stdin-filename", "pkg/a.py", "--output-format", "concise",
                        "--select", "MLA401", cwd=tmp_path)
    assert edited.returncode == 1, edited.stderr
    assert edited.stdout.startswith("pkg/a.py:1:") and "MLA401" in edited.stdout
    assert "pkg/b.py:" not in edited.stdout  # only the stdin file's findings are reported
    assert run_cli("check", ".", "--select", "MLA401", cwd=tmp_path).returncode == 0  # disk unchanged
    new_file = _run_stdin("import datetime\n\ndef build_features(df):\n    return datetime.datetime.now()\n",
                          "--stdin-filename", "pkg/new_feats.py", "--select", "MLA202", cwd=tmp_path)
    assert new_file.returncode == 1 and "MLA202" in new_file.stdout
    assert not (tmp_path / "pkg" / "new_feats.py").exists()


def test_rule_urls_resolve_outside_the_checkout(tmp_path: Path) -> None:
    write_files(tmp_path, DIRTY)
    report = json.loads(run_cli("check", ".", "--output-format", "json", cwd=tmp_path).stdout)
    assert report["findings"][0]["url"].startswith("https://")
    sarif = json.loads(run_cli("check", ".", "--output-format", "sarif", cwd=tmp_path).stdout)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules and all(r["helpUri"].startswith("https://") and r["helpUri"].endswith("/README.md") for r in rules)


def test_jinja_templates_are_skipped_with_a_warning_not_parse_errors(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "hooks/post_gen_project.py": "import {{ cookiecutter.module_name }}\n",
        "{{ cookiecutter.repo_name }}/src/app.py": "x = {\n",
        "template/run.py": "{%- if cookiecutter.use_mlflow %}\nimport mlflow\n{%- endif %}\n",
        "ok.py": "x = 1\n",
    })
    result = run_cli("check", ".", "--output-format", "concise", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "MLA001" not in result.stdout
    assert "skipped 3 Jinja/cookiecutter templates" in result.stdout + result.stderr
    write_files(tmp_path, {"broken.py": "def f(:\n    pass\n"})  # a real syntax error is still reported
    assert "MLA001" in run_cli("check", ".", "--output-format", "concise", cwd=tmp_path).stdout


def test_rule_docs_point_at_nothing_a_user_does_not_have() -> None:
    from tests.conftest import REPO

    for readme in sorted((REPO / "rules").glob("*/*/README.md")):
        text = readme.read_text(encoding="utf-8")
        assert "rules.md" not in text, readme
        assert "mlaudit/facts/" not in text and "mlaudit/project/" not in text, readme
