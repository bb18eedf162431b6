"""The audit's checks, one module per area; importing this package registers them all (in area order)."""

from mlaudit.audit.checks import boundaries, configuration, contracts, hygiene, reproducibility, separation
from mlaudit.audit.checks.base import CHECKS, Check, Outcome

__all__ = [
    "CHECKS",
    "Check",
    "Outcome",
    "boundaries",
    "configuration",
    "contracts",
    "hygiene",
    "reproducibility",
    "separation",
]
