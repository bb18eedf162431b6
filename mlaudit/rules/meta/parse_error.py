from mlaudit.engine.rule import EXPERIMENT, PRODUCTION, TEST, Rule
from mlaudit.model import Severity


class ParseError(Rule):
    """Reported by the engine when a file cannot be read, decoded or parsed."""

    code = "MLA001"
    name = "parse-error"
    category = "meta"
    severity = Severity.ERROR
    message = "File could not be analysed: fix the syntax or encoding so its findings are known"
    applies_to = frozenset({PRODUCTION, TEST, EXPERIMENT})
