"""The gate's inputs: its options (``GateOptions``), the CI environment it reacts to (``CiSettings``) and
the ``Plan`` that ``steps.prepare`` fills before the analysis and the other steps read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mlaudit import api, baseline
from mlaudit.config.environment import ci_environment
from mlaudit.config.loader import LoadedConfig
from mlaudit.engine.registry import EnabledRule, Registry

if TYPE_CHECKING:  # --diff-base's (``gate.diff_base`` imports it when asked)
    from mlaudit import gitdiff

_TRUE = ("1", "true", "yes", "on")


class GateError(api.UsageError):
    """A usage error of the CI options (exit 2)."""


@dataclass(frozen=True)
class CiSettings:
    """The CI environment the gate reacts to, read once (``from_environment``) and passed in."""

    ci: bool = False
    """``CI`` is set (true/1/yes/on): a baseline is then never rewritten."""
    step_summary: Path | None = None
    """``$GITHUB_STEP_SUMMARY``: where the github format appends its Markdown table."""
    checkout_dirs: tuple[Path, ...] = ()
    """``$CI_PROJECT_DIR`` (GitLab) and ``$GITHUB_WORKSPACE``: where code-host paths start."""

    @classmethod
    def from_environment(cls) -> CiSettings:
        return cls.from_variables(ci_environment())

    @classmethod
    def from_variables(cls, env: Mapping[str, str | None]) -> CiSettings:
        """Interpret the variables of ``config.environment.ci_environment`` (unset and empty alike)."""
        summary = env.get("GITHUB_STEP_SUMMARY")
        dirs = tuple(Path(v) for v in (env.get("CI_PROJECT_DIR"), env.get("GITHUB_WORKSPACE")) if v)
        return cls(
            ci=(env.get("CI") or "").strip().lower() in _TRUE,
            step_summary=Path(summary) if summary else None,
            checkout_dirs=dirs,
        )


@dataclass
class GateOptions:
    reports: Sequence[str] = ()
    """``FORMAT:PATH`` specifications of extra reports."""
    baseline: Path | None = None
    no_baseline: bool = False
    """Ignore every baseline (``--no-baseline``): the option, the config's and the default file."""
    write_baseline: str | None = None
    """None: no; ``""``: the baseline file in effect (or ``mlaudit-baseline.json``); else a path."""
    allow_new: bool = False
    diff_base: str | None = None
    add_ignore: str | None = None
    """None: no; else the reason (possibly empty)."""
    ci: CiSettings | None = None
    """None: read from the environment."""


@dataclass(frozen=True)
class ReportTarget:
    format: str
    path: Path


@dataclass
class Plan:
    paths: list[Path]
    options: api.CheckOptions
    loaded: LoadedConfig
    gate: GateOptions
    enabled: list[EnabledRule]
    targets: list[ReportTarget] = field(default_factory=list)
    baseline_path: Path | None = None
    entries: list[baseline.Entry] | None = None
    write_path: Path | None = None
    old_entries: list[baseline.Entry] | None = None
    diff: gitdiff.DiffBase | None = None
    ci: CiSettings = field(default_factory=CiSettings)
    messages: list[str] = field(default_factory=list)

    @property
    def enabled_codes(self) -> set[str]:
        return {e.rule.code for e in self.enabled}


def registry_for(options: api.CheckOptions) -> Registry:
    return options.registry if options.registry is not None else api.registry(plugins=options.plugins)
