from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, TEST, Rule
from mlaudit.model import Severity


class UnusedSuppression(Rule):
    """Reported by the engine for a directive that suppressed nothing."""

    code = "MLA002"
    name = "unused-suppression"
    category = "meta"
    severity = Severity.WARNING
    message = "Suppression comment suppressed nothing: remove it"
    applies_to = frozenset({PRODUCTION, TEST, EXPERIMENT})
