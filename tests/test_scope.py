"""Project scope never depends on where the user stands: the root is the nearest config's folder, else
the nearest version-control root of the target, else the target's folder. Terminal paths are shown
relative to the current directory (absolute when the file is not under it), as ruff prints them."""

from __future__ import annotations

from pathlib import Path

from mlaudit.config.loader import load_settings, project_root_without_config
from tests.conftest import run_cli, write_files

# Two modules in a cycle: MLA401 fires only when the analysis sees the whole project.
CYCLE = {
    "proj/pkg/__init__.py": "",
    "proj/pkg/a.py": "from pkg import b\n\nX = 1\n",
    "proj/pkg/b.py": "from pkg import a\n\nY = 2\n",
    "proj/pkg/feat.py": "import datetime\n\ndef build_features(df):\n    df['t'] = datetime.datetime.now()\n    return df\n",
}


def test_root_is_the_vcs_root_else_the_target_folder(tmp_path: Path) -> None:
    write_files(tmp_path, {"repo/sub/x.py": "", "loose/y.py": ""})
    (tmp_path / "repo" / ".git").mkdir()
    assert project_root_without_config(tmp_path / "repo" / "sub" / "x.py") == (tmp_path / "repo").resolve()
    assert project_root_without_config(tmp_path / "loose" / "y.py") == (tmp_path / "loose").resolve()
    assert project_root_without_config(tmp_path / "loose") == (tmp_path / "loose").resolve()
    assert load_settings(tmp_path / "loose" / "y.py").root == (tmp_path / "loose").resolve()


def test_config_folder_wins_over_vcs_root(tmp_path: Path) -> None:
    write_files(tmp_path, {"repo/sub/mlaudit.toml": "", "repo/sub/x.py": ""})
    (tmp_path / "repo" / ".git").mkdir()
    assert load_settings(tmp_path / "repo" / "sub" / "x.py").root == (tmp_path / "repo" / "sub").resolve()


def test_same_result_from_three_directories(tmp_path: Path) -> None:
    write_files(tmp_path, CYCLE)
    (tmp_path / "proj" / ".git").mkdir()
    target = tmp_path / "proj" / "pkg" / "a.py"
    outputs = []
    for cwd in (tmp_path, tmp_path / "proj", tmp_path / "proj" / "pkg"):
        result = run_cli(
            "check", str(target), "--output-format", "json", "--no-cache", "--extend-select", "MLA401", cwd=cwd
        )
        assert result.returncode == 1, result.stderr
        outputs.append(result.stdout)
    # The duration differs between runs; everything else is byte for byte the same.
    normalised = [_without_duration(out) for out in outputs]
    assert normalised[0] == normalised[1] == normalised[2]
    assert '"MLA401"' in normalised[0] and '"filename": "pkg/a.py"' in normalised[0]


def _without_duration(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if '"duration' not in line)


def test_terminal_paths_are_relative_to_the_current_directory(tmp_path: Path) -> None:
    write_files(tmp_path, CYCLE)
    (tmp_path / "proj" / ".git").mkdir()
    feat = tmp_path / "proj" / "pkg" / "feat.py"
    from_above = run_cli("check", str(feat), "--select", "MLA202", "--output-format", "concise", cwd=tmp_path)
    assert "proj/pkg/feat.py:4:" in from_above.stdout, from_above.stdout
    from_inside = run_cli("check", "feat.py", "--select", "MLA202", "--output-format", "concise",
                          cwd=tmp_path / "proj" / "pkg")
    assert from_inside.stdout.startswith("feat.py:4:"), from_inside.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outside = run_cli("check", str(feat), "--select", "MLA202", "--output-format", "concise", cwd=elsewhere)
    assert outside.stdout.startswith(f"{feat.resolve()}:4:"), outside.stdout
    # Machine formats keep the contract's project-relative paths.
    as_json = run_cli("check", str(feat), "--select", "MLA202", "--output-format", "json", cwd=elsewhere)
    assert '"filename": "pkg/feat.py"' in as_json.stdout


def test_statistics_prints_only_the_table(tmp_path: Path) -> None:
    write_files(tmp_path, CYCLE)
    result = run_cli("check", ".", "--statistics", "--extend-select", "MLA2", cwd=tmp_path / "proj")  # opt-in rules
    assert "MLA202  nondeterministic-transform" in result.stdout
    assert "feat.py:" not in result.stdout  # no finding lines, as ruff
    assert result.stdout.rstrip().splitlines()[-1].startswith("Found ")


def test_a_package_file_is_rooted_above_its_package(tmp_path: Path) -> None:
    write_files(tmp_path, {"proj/pkg/__init__.py": "", "proj/pkg/sub/__init__.py": "", "proj/pkg/sub/m.py": ""})
    assert project_root_without_config(tmp_path / "proj" / "pkg" / "sub" / "m.py") == (tmp_path / "proj").resolve()
    assert project_root_without_config(tmp_path / "proj" / "pkg") == (tmp_path / "proj").resolve()
