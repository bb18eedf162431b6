"""Where a rule's documentation lives (no pydantic, no libcst: ``mlaudit rules`` uses it)."""

from __future__ import annotations

from typing import Any

DOCS_BASE = "https://github.com/mlaudit/mlaudit/blob/main/rules"
"""Where the rule catalogue is published: a report's ``url`` must resolve wherever the report is read
(an installed wheel has no ``rules/`` folder beside the user's project)."""


def rule_doc_path(rule: Any) -> str:
    """The rule's page in the catalogue, relative to the repository root (links inside the repository)."""
    return f"rules/{rule.category}/{rule.code}-{rule.name}/README.md"


def rule_doc_url(rule: Any) -> str:
    return f"{DOCS_BASE}/{rule.category}/{rule.code}-{rule.name}/README.md"
