"""The CLI coerces plain parameter values without typer's pydantic adapters (``mlaudit.cli_coercion``),
to the same values typer's adapters give; anything else, a bad value above all, still goes through
typer's adapter, so its error message is typer's."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer.core
import typer.main
from typer.testing import CliRunner

from mlaudit import cli, cli_coercion
from mlaudit.cli_coercion import UNHANDLED, native

pytestmark = pytest.mark.skipif(
    not (cli_coercion.AVAILABLE and hasattr(typer.core, "build_runtime_param")),
    reason="this typer coerces without adapters",
)


def _check_params() -> dict[str, Any]:
    command = typer.main.get_command(cli.app).commands["check"]  # type: ignore[attr-defined]
    return {p.name: p for p in command.params}


def _both(param: Any, value: Any) -> tuple[Any, Any]:
    """(native coercion, typer's adapter coercion) of ``value`` for the parameter."""
    ctx = typer.main.get_command(cli.app).make_context("mlaudit", ["check"], resilient_parsing=True)
    adapter = typer.core.build_runtime_param(param.type_descriptor)
    return native(param.type_descriptor, value, param, ctx), adapter.coerce(value, param=param, ctx=ctx)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("paths", ("pkg/m.py", "src")),  # list[Path] from the arguments
        ("paths", ["."]),
        ("paths", ()),
        ("cache_dir", "/tmp/some cache"),  # Path | None from MLAUDIT_CACHE_DIR
        ("config", "pyproject.toml"),
        ("config", ""),  # pydantic reads "" as Path(".")
        ("color", cli.Color.auto),  # the default member
        ("color", "never"),  # a member's value
        ("jobs", "2"),
        ("jobs", "007"),
        ("jobs", "-1"),
        ("jobs", "+3"),
        ("jobs", 4),
        ("output_format", "json"),
        ("select", ("MLA101", "MLA2")),  # list[str], repeatable
        ("fail_on", "error"),
    ],
)
def test_plain_values_are_coerced_natively_to_what_typer_gives(name: str, value: Any) -> None:
    coerced, expected = _both(_check_params()[name], value)
    assert coerced is not UNHANDLED
    assert coerced == expected and type(coerced) is type(expected)
    if isinstance(expected, list):
        assert [type(x) for x in coerced] == [type(x) for x in expected]


def test_an_existing_path_gets_typers_checks(tmp_path: Path) -> None:
    """The checks ``coerce_cli_path`` makes of an unconstrained path still run (an unreadable file)."""
    target = tmp_path / "m.py"
    target.write_text("X = 1\n")
    coerced, expected = _both(_check_params()["paths"], (str(target), str(tmp_path)))
    assert coerced == expected == [target, tmp_path]
    if os.geteuid() == 0:
        return  # root reads everything
    target.chmod(0)
    try:
        with pytest.raises(typer.BadParameter, match="is not readable"):
            native(_check_params()["paths"].type_descriptor, (str(target),), _check_params()["paths"], None)
    finally:
        target.chmod(0o644)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("jobs", "two"),
        ("jobs", " 2"),  # pydantic strips it: left to pydantic
        ("jobs", "1_000"),
        ("jobs", "2.0"),
        ("color", "bogus"),
        ("color", "NEVER"),  # case-sensitive: refused, worded by typer
        ("timeout", "1.5"),  # float: no native path
        ("respect_gitignore", "yes"),  # a bool from a string: typer's parsing
        ("paths", (1,)),
    ],
)
def test_other_values_are_left_to_typer(name: str, value: Any) -> None:
    param = _check_params()[name]
    assert native(param.type_descriptor, value, param, None) is UNHANDLED


class Mode(str, Enum):
    a = "a"


def test_constrained_or_parsed_parameters_are_left_to_typer() -> None:
    def command(
        existing: Annotated[Path, typer.Option(exists=True)],
        resolved: Annotated[Path, typer.Option(resolve_path=True)],
        folder: Annotated[Path, typer.Option(file_okay=False)],
        dash: Annotated[Path, typer.Option(allow_dash=True)],
        ranged: Annotated[int, typer.Option(min=1)],
        parsed: Annotated[str, typer.Option(parser=str.upper)],
        mode: Annotated[Mode, typer.Option()] = Mode.a,
    ) -> None:
        """A command."""

    app = typer.Typer()
    app.command()(command)
    params = {p.name: p for p in typer.main.get_command(app).params}
    for name, value in [
        ("existing", "x"),
        ("resolved", "x"),
        ("folder", "x"),
        ("dash", "-"),
        ("ranged", "3"),
        ("parsed", "x"),
    ]:
        assert native(params[name].type_descriptor, value, params[name], None) is UNHANDLED, name
    assert native(params["mode"].type_descriptor, Mode.a, params["mode"], None) is Mode.a


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--color", "bogus", "x.py"],
        ["check", "--color", "NEVER", "x.py"],
        ["check", "--jobs", "two", "x.py"],
        ["check", "--jobs", "0x10", "x.py"],
        ["check", "--timeout", "soon", "x.py"],
    ],
)
def test_a_bad_value_gives_typers_error(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    ours = runner.invoke(cli.app, args, prog_name="mlaudit")
    monkeypatch.setattr(cli_coercion, "AVAILABLE", False)  # every value through typer's adapter
    typers = runner.invoke(cli.app, args, prog_name="mlaudit")
    assert ours.exit_code == typers.exit_code == 2
    assert ours.output == typers.output and "Invalid value" in ours.output


def test_a_run_with_plain_values_builds_no_adapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_adapters: list[object]
) -> None:
    built = built_adapters
    (tmp_path / "m.py").write_text("X = 1\n")
    monkeypatch.setenv("MLAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    runner = CliRunner()
    args = ["check", str(tmp_path / "m.py"), "--jobs", "1", "--color", "never", "--select", "MLA1", "--isolated"]
    result = runner.invoke(cli._app_for("check"), args, prog_name="mlaudit")
    assert result.exit_code == 0, result.output
    assert built == []
    bad = runner.invoke(cli._app_for("check"), ["check", "--jobs", "many"], prog_name="mlaudit")
    assert bad.exit_code == 2 and built == [int]
