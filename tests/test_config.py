from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit import api
from mlaudit.config.loader import ConfigError, find_config, load_settings
from tests.conftest import run_cli, write_files


def test_nearest_config_wins_and_dot_file_beats_pyproject(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": "[tool.mlaudit]\nignore = ['MLA002']\n",
            "sub/pyproject.toml": "[project]\nname = 'x'\n",  # no [tool.mlaudit]: skipped
            "sub/deeper/mlaudit.toml": "fail-on = 'error'\n",
            "sub/deeper/.mlaudit.toml": "fail-on = 'info'\n",
            "sub/deeper/x.py": "",
        },
    )
    assert find_config(tmp_path / "sub") == tmp_path / "pyproject.toml"
    loaded = load_settings(tmp_path / "sub" / "deeper" / "x.py")
    assert loaded.path == tmp_path / "sub" / "deeper" / ".mlaudit.toml"
    assert loaded.root == tmp_path / "sub" / "deeper"
    assert loaded.settings.fail_on.value == "info"


def test_cli_overrides_win(tmp_path: Path) -> None:
    write_files(tmp_path, {"mlaudit.toml": "select = ['MLA001']\n"})
    loaded = load_settings(tmp_path, overrides={"select": ("MLA002",)})
    assert loaded.settings.select == ("MLA002",)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("selct = ['MLA1']\n", "unknown key `selct`; did you mean `select`?"),
        ("fail-on = 'fatal'\n", "invalid value for `fail-on`"),
        ("[transforms]\nname = ['x']\n", "unknown key `transforms.name`; did you mean `names`?"),
        ("[roles]\ntests = ['t/']\n", "unknown role"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_invalid_config_is_a_clear_usage_error(tmp_path: Path, config: str, expected: str) -> None:
    write_files(tmp_path, {"mlaudit.toml": config, "a.py": "x = 1\n"})
    with pytest.raises(ConfigError, match=r"mlaudit\.toml") as exc:
        load_settings(tmp_path)
    assert expected in str(exc.value)
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("select = ['MLA9999']\n", "unknown rule selector `MLA9999`"),
        ("ignore = ['parse-eror']\n", "did you mean `parse-error`?"),
        ("[rules.unused-supression]\nseverity = 'info'\n", "did you mean `unused-suppression`?"),
        ("[rules.parse-error]\nseverity = 'loud'\n", "must be error, warning, info or off"),
        ("[rules.parse-error]\nthreshold = 3\n", "unknown option `rules.parse-error.threshold`"),
    ],
)
def test_invalid_selectors_and_rule_tables(tmp_path: Path, config: str, expected: str) -> None:
    write_files(tmp_path, {"mlaudit.toml": config, "a.py": "x = 1\n"})
    with pytest.raises(api.UsageError) as exc:
        api.check([tmp_path], api.CheckOptions(no_cache=True))
    assert expected in str(exc.value)
    assert "mlaudit.toml" in str(exc.value)


def test_selectors_accept_codes_prefixes_names_and_all(tmp_path: Path) -> None:
    reg = api.registry(plugins=False)
    assert [r.code for r in reg.expand("MLA00")] == ["MLA001", "MLA002", "MLA003"]
    assert [r.code for r in reg.expand("unused-suppression")] == ["MLA002"]
    assert len(reg.expand("ALL")) == len(reg.rules)


def test_severity_override_and_off(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "mlaudit.toml": (
                "extend-select = ['MLA001']\n"
                "[rules.parse-error]\nseverity = 'info'\n[rules.invalid-suppression]\nseverity = 'off'\n"
            ),
            "a.py": "def f(:\n",
            "b.py": "x = 1  # mlaudit ignore\n",
        },
    )
    report = api.check([tmp_path], api.CheckOptions(no_cache=True))
    assert {(f.code, f.severity.value) for f in report.findings} == {("MLA001", "info")}
