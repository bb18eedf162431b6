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
