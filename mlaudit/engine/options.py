"""Rule options: declared once, as the rule's type parameter.

A rule with options names its options model as the parameter of its base class::

    class MutatedModuleStateOptions(RuleOptions):
        registration_functions: tuple[str, ...] = ("register*",)

    class MutatedModuleState(ProjectRule[MutatedModuleStateOptions]):
        def check(self, index):
            self.options.registration_functions  # typed: MutatedModuleStateOptions

The registry reads the options type from that parameter (``options_type``) and validates the user's
``[tool.mlaudit.rules.<name>]`` table with it. Field names are snake_case in Python and kebab-case in
configuration files (``registration-functions``); the aliases are generated, and snake_case keys are
accepted too. Unknown keys are errors. A rule without options subclasses the bare base
(``FileRule``/``ProjectRule``) and gets an empty ``RuleOptions``.

No libcst here: the project-rule half of the rule API must stay importable without it.
"""

from __future__ import annotations

from typing import get_args

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypeVar

__all__ = ["OptionsT", "RuleOptions", "options_problems", "options_type", "to_kebab"]


def to_kebab(name: str) -> str:
    """``max_lines`` -> ``max-lines``: the configuration-file spelling of an option field."""
    return name.replace("_", "-")


class RuleOptions(BaseModel):
    """Base for a rule's own options (``[tool.mlaudit.rules.<name>]``): kebab-case keys generated from
    the field names (snake_case accepted too), unknown keys are errors, values are frozen."""

    model_config = ConfigDict(alias_generator=to_kebab, populate_by_name=True, extra="forbid", frozen=True)


OptionsT = TypeVar("OptionsT", bound=RuleOptions, default=RuleOptions)
"""The options type parameter of ``FileRule`` and ``ProjectRule`` (``RuleOptions`` when omitted)."""


def options_type(rule: type) -> type[RuleOptions]:
    """The options model a rule class declares as its type parameter, inherited through subclasses;
    ``RuleOptions`` (no options) when it declares none."""
    for klass in rule.__mro__:
        for base in vars(klass).get("__orig_bases__", ()):
            for arg in get_args(base):
                if isinstance(arg, type) and issubclass(arg, RuleOptions):
                    return arg
    return RuleOptions


def options_problems(rule: type) -> list[str]:
    """Contract checks on a rule's options declaration (run at registry build, like the metadata)."""
    problems = []
    for klass in rule.__mro__:
        legacy = vars(klass).get("Options")
        if isinstance(legacy, type) and issubclass(legacy, BaseModel):
            problems.append(
                f"{rule.__qualname__}: options are declared as the type parameter, not as `Options = "
                f"{legacy.__name__}`: write `class {rule.__name__}(<FileRule|ProjectRule>[{legacy.__name__}])`"
            )
            break
    for klass in rule.__mro__:
        for base in vars(klass).get("__orig_bases__", ()):
            for arg in get_args(base):
                if isinstance(arg, type) and issubclass(arg, BaseModel) and not issubclass(arg, RuleOptions):
                    problems.append(
                        f"{rule.__qualname__}: options type {arg.__name__} must subclass "
                        "mlaudit.engine.options.RuleOptions"
                    )
    return problems
