"""Find and validate the configuration: nearest ``.mlaudit.toml`` > ``mlaudit.toml`` > ``pyproject.toml``
(with a ``[tool.mlaudit]`` table) walking up from the target. Errors name the file and the key."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlaudit.config.schema import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

CONFIG_FILES = (".mlaudit.toml", "mlaudit.toml", "pyproject.toml")


class ConfigError(Exception):
    """A usage error in configuration (exit code 2). The message is meant for the user as is."""


@dataclass(frozen=True)
class LoadedConfig:
    settings: Settings
    root: Path
    """The project root: the directory holding the config file, else the nearest enclosing
    version-control root of the target, else the target folder (a file's folder)."""
    path: Path | None
    raw: dict[str, Any]
    cli_keys: frozenset[str] = frozenset()
    """Settings given on the command line (they win over the file's)."""


def _read_table(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("mlaudit")
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.mlaudit] must be a table")
        return table
    return data


def find_config(start: Path) -> Path | None:
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for candidate_dir in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = candidate_dir / name
            if candidate.is_file():
                if name == "pyproject.toml" and _read_table(candidate) is None:
                    continue
                return candidate
    return None


VCS_MARKERS = (".git", ".hg", ".svn", ".jj")


def project_root_without_config(start: Path) -> Path:
    """The nearest enclosing version-control root of ``start``, else its folder (a file's folder),
    climbing out of packages so that module names stay whole (``pkg/a.py`` is ``pkg.a``)."""
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        if any((candidate / marker).exists() for marker in VCS_MARKERS):
            return candidate
    while (directory / "__init__.py").is_file() and directory != directory.parent:
        directory = directory.parent
    return directory


def _field_names(model: type[Any]) -> list[str]:
    names = []
    for name, info in model.model_fields.items():
        names.append(info.alias or name)
    return names


def _describe(exc: ValidationError, source: str, model: type[Any] = Settings) -> str:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            key = str(err["loc"][-1])
            candidates = _field_names(model) if len(err["loc"]) == 1 else []
            if len(err["loc"]) == 2 and err["loc"][0] == "transforms":
                from mlaudit.config.schema import TransformSettings

                candidates = _field_names(TransformSettings)
            hint = difflib.get_close_matches(key, candidates, n=1)
            suggestion = f"; did you mean `{hint[0]}`?" if hint else ""
            lines.append(f"{source}: unknown key `{loc}`{suggestion}")
        else:
            lines.append(f"{source}: invalid value for `{loc}`: {_plain(err)}")
    return "\n".join(lines)


_PLAIN = {
    "tuple_type": "expected a list of strings",
    "list_type": "expected a list",
    "string_type": "expected a string",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected an integer",
    "int_parsing": "expected an integer",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "dict_type": "expected a table",
    "model_type": "expected a table",
}


def _plain(err: Any) -> str:
    """A validation message in the config's words, not pydantic's ("Input should be a valid tuple")."""
    if err["type"] in _PLAIN:
        return f"{_PLAIN[err['type']]}, got {err.get('input')!r}"
    bounds = {"greater_than_equal": ("at least", "ge"), "greater_than": ("more than", "gt"),
              "less_than_equal": ("at most", "le"), "less_than": ("less than", "lt")}
    if err["type"] in bounds:
        words, key = bounds[err["type"]]
        return f"must be {words} {err.get('ctx', {}).get(key)}, got {err.get('input')!r}"
    if err["type"] == "enum" and "expected" in err.get("ctx", {}):
        return f"expected {err['ctx']['expected']}, got {err.get('input')!r}"
    return str(err["msg"]).removeprefix("Value error, ")


def validate(raw: dict[str, Any], source: str) -> Settings:
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None


def _raw_config(start: Path, config_path: Path | None, isolated: bool) -> tuple[Path | None, dict[str, Any]]:
    """The config file in effect and its table (empty when there is none)."""
    if config_path is not None:
        if not config_path.is_file():
            raise ConfigError(f"{config_path}: config file does not exist")
        pinned = config_path.resolve()
        return pinned, _read_table(pinned) or {}
    found = None if isolated else find_config(start)
    return found, (_read_table(found) or {}) if found is not None else {}


def load_settings(
    start: Path,
    *,
    config_path: Path | None = None,
    isolated: bool = False,
    overrides: dict[str, Any] | None = None,
) -> LoadedConfig:
    """Load the settings for a run rooted at ``start``; CLI ``overrides`` win over the file."""
    path, raw = _raw_config(start, config_path, isolated)
    # The result for a file must never depend on where the user stands: the root comes from the target.
    root = path.parent if path is not None else project_root_without_config(start)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if path is not None and raw:
        validate(raw, str(path))  # the file's own errors name the file...
    # ...so whatever fails now came from the command line.
    settings = validate({**raw, **given}, "command line")
    return LoadedConfig(
        settings=settings, root=root.resolve(), path=path, raw=raw, cli_keys=frozenset(given)
    )
