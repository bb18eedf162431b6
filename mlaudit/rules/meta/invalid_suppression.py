from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, TEST, Rule
from mlaudit.model import Severity


class InvalidSuppression(Rule):
    """Reported by the engine for a malformed directive or one naming an unknown rule."""

    code = "MLA003"
    name = "invalid-suppression"
    category = "meta"
    severity = Severity.ERROR
    message = "Malformed suppression comment: write `# mlaudit: ignore[rule-name] reason`"
    applies_to = frozenset({PRODUCTION, TEST, EXPERIMENT})
