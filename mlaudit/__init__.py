"""mlaudit: a code-quality linter and auditor for machine-learning repositories.

Kept import-light on purpose: ``mlaudit --version`` must not pay for libcst or rich.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
