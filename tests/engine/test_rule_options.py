"""Rule options are declared once, as the rule's type parameter, with kebab-case keys generated from the
field names (``engine.options``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import BaseModel, Field

from mlaudit import api
from mlaudit.engine.options import RuleOptions, options_type, to_kebab
from mlaudit.engine.registry import Registry, RegistryError
from mlaudit.engine.rule import FileRule, ProjectRule, RawFinding
from mlaudit.model import Severity
from mlaudit.project.index import ProjectIndex
from mlaudit.rules.complexity.long_function import LongFunction, LongFunctionOptions
from mlaudit.rules.state.mutated_module_state import MutatedModuleState, MutatedModuleStateOptions
from tests.conftest import write_files


class _Opts(RuleOptions):
    max_depth: int = Field(default=3, ge=1)
    extend_names: tuple[str, ...] = ()


class _WithOptions(ProjectRule[_Opts]):
    code = "XOP001"
    name = "with-options"
    category = "config"
    severity = Severity.WARNING
    message = "m"

    def check(self, index: ProjectIndex) -> Iterable[RawFinding]:
        return []


class _Subclass(_WithOptions):
    code = "XOP002"
    name = "subclass-keeps-options"


class _NoOptions(FileRule):
    code = "XOP003"
    name = "no-options"
    category = "config"
    message = "m"


def test_the_options_type_is_read_from_the_type_parameter() -> None:
    assert options_type(_WithOptions) is _Opts
    assert options_type(_Subclass) is _Opts  # inherited through a subclass
    assert options_type(_NoOptions) is RuleOptions  # bare base: no options
    assert options_type(MutatedModuleState) is MutatedModuleStateOptions
    assert options_type(LongFunction) is LongFunctionOptions


def test_the_instance_holds_the_parameters_type() -> None:
    rule = _WithOptions(_Opts.model_validate({"max-depth": 5}))
    assert rule.options.max_depth == 5
    assert isinstance(rule.options, _Opts)


def test_kebab_case_aliases_are_generated_and_snake_case_is_accepted() -> None:
    assert to_kebab("extend_ignore_variables") == "extend-ignore-variables"
    assert [f.alias for f in _Opts.model_fields.values()] == ["max-depth", "extend-names"]
    assert (
        _Opts.model_validate({"max-depth": 4}) == _Opts.model_validate({"max_depth": 4}) == _Opts(max_depth=4)
    )


def _registry_with(*extra: type) -> Registry:
    base = api.registry(plugins=False)
    return Registry(rules=[*base.rules, *extra], extractors=list(base.extractors))


def test_legacy_options_attribute_is_a_registry_error_naming_the_rule() -> None:
    class Legacy(ProjectRule):
        code = "XOP004"
        name = "legacy-options"
        category = "config"
        message = "m"
        Options: ClassVar[type[RuleOptions]] = _Opts

    with pytest.raises(RegistryError) as caught:
        _registry_with(Legacy)
    assert "Legacy" in str(caught.value) and "type parameter" in str(caught.value)


def test_options_type_that_is_not_rule_options_is_a_registry_error() -> None:
    class Plain(BaseModel):
        x: int = 1

    class Wrong(ProjectRule[Plain]):  # type: ignore[type-var]
        code = "XOP005"
        name = "wrong-options"
        category = "config"
        message = "m"

    with pytest.raises(RegistryError) as caught:
        _registry_with(Wrong)
    assert "Wrong" in str(caught.value) and "must subclass" in str(caught.value)


def _check_with(tmp_path: Path, config: str) -> None:
    write_files(tmp_path, {"mlaudit.toml": config, "a.py": "x = 1\n"})
    api.check([tmp_path], api.CheckOptions(no_cache=True))


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            "[rules.long-function]\nmax-line = 50\n",
            "unknown option `rules.long-function.max-line`; did you mean `max-lines`?",
        ),
        ("[rules.MLA102]\nregistration-function = ['x']\n", "did you mean `registration-functions`?"),
        ("[rules.long-function]\nmax-lines = 0\n", "invalid value for `rules.long-function.max-lines`"),
    ],
)
def test_a_typo_in_an_option_key_is_a_clear_error(tmp_path: Path, table: str, expected: str) -> None:
    with pytest.raises(api.UsageError) as caught:
        _check_with(tmp_path, "extend-select = ['MLA602']\n" + table)
    assert expected in str(caught.value) and "mlaudit.toml" in str(caught.value)


def test_kebab_case_keys_in_a_config_file_still_load(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "mlaudit.toml": "select = ['MLA602']\n[rules.long-function]\nmax-lines = 2\n",
            "pkg/__init__.py": "",
            "pkg/m.py": "def f(x):\n    a = x + 1\n    b = a * 2\n    c = b - 3\n    return c\n",
        },
    )
    report = api.check([tmp_path], api.CheckOptions(no_cache=True))
    assert [f.code for f in report.findings] == ["MLA602"]
    write_files(tmp_path, {"mlaudit.toml": "select = ['MLA602']\n[rules.long-function]\nmax-lines = 20\n"})
    assert not api.check([tmp_path], api.CheckOptions(no_cache=True)).findings


@pytest.mark.parametrize("rule", api.registry(plugins=False).rules, ids=lambda r: r.code)
def test_every_rules_options_round_trip_with_kebab_names(rule: type) -> None:
    model = options_type(rule)
    assert issubclass(model, RuleOptions)
    assert "Options" not in vars(rule), f"{rule.__name__}: declare options as the type parameter"
    defaults = model()
    dumped = defaults.model_dump(mode="json", by_alias=True)
    assert all("_" not in key for key in dumped), dumped  # every key a user writes is kebab-case
    assert set(dumped) == {to_kebab(name) for name in model.model_fields}
    assert model.model_validate(dumped) == defaults  # kebab keys load back to the same options
    snake = defaults.model_dump(mode="json")
    assert model.model_validate(snake) == defaults  # and so do the Python names
