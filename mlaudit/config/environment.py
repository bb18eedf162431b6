"""Environment variables mlaudit reads, in one place (mlaudit follows its own scattered-env-access rule)."""

from __future__ import annotations

import os


def color_preference() -> bool | None:
    """``NO_COLOR`` (any value) forbids colour, ``FORCE_COLOR`` forces it; None lets the terminal decide."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


CI_VARIABLES = ("CI", "GITHUB_STEP_SUMMARY", "CI_PROJECT_DIR", "GITHUB_WORKSPACE")
"""What the CI gate reacts to (``gate.CiSettings``): rewriting baselines, the step summary, code-host paths."""


def ci_environment() -> dict[str, str | None]:
    """The raw value of each of ``CI_VARIABLES`` (None when unset); ``gate.CiSettings`` interprets them."""
    return {name: os.environ.get(name) for name in CI_VARIABLES}
