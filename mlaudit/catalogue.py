"""The rule catalogue (top-level ``rules/``): where it is, and each rule's docs and metadata.

From a checkout the catalogue is ``<repo>/rules``; an installed wheel ships it as package data
(``mlaudit/_catalogue``), so ``mlaudit rule CODE`` works offline everywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from mlaudit.engine.rule_docs import rule_doc_path, rule_doc_url
from mlaudit.fixes.table import applicability, availability, fix_info

if TYPE_CHECKING:
    from mlaudit.engine.manifest import RuleInfo
    from mlaudit.engine.rule import Rule

AnyRule: TypeAlias = "type[Rule] | RuleInfo"
"""A rule class, or its metadata from the manifest (``mlaudit rules`` imports no rule module)."""


def catalogue_dir() -> Path | None:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_catalogue", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return None


def rule_dir(rule: AnyRule) -> Path | None:
    root = catalogue_dir()
    if root is None:
        return None
    path = root / rule.category / f"{rule.code}-{rule.name}"
    return path if path.is_dir() else None


def readme(rule: AnyRule) -> str | None:
    folder = rule_dir(rule)
    if folder is None or not (folder / "README.md").is_file():
        return None
    return (folder / "README.md").read_text(encoding="utf-8")


def rule_info(rule: AnyRule) -> dict[str, object]:
    return {
        "code": rule.code,
        "name": rule.name,
        "category": rule.category,
        "summary": rule.message,
        "default_severity": rule.severity.value,
        "severity": rule.severity.value,
        "fix_availability": fix_availability(rule),
        "fix_applicability": applicability(rule.code),
        "fix": _fix_title(rule),
        "default_enabled": rule.default_enabled,
        "applies_to": sorted(rule.applies_to),
        "kind": "project" if _is_project(rule) else "file",
        "url": rule_doc_url(rule),
    }


def fix_availability(rule: AnyRule) -> str:
    """``Always``, ``Sometimes`` or ``None``: from the fix registry (``mlaudit.fixes``), else what the
    rule declares (a rule pack's own rules)."""
    return availability(rule.code, default=rule.fix)


def _fix_title(rule: AnyRule) -> str | None:
    info = fix_info(rule.code)
    return info.title if info is not None else None


def fix_line(rule: AnyRule) -> str:
    """``Fix: Sometimes (unsafe).``: the availability and, when there is a fix, its safety."""
    safety = applicability(rule.code)
    return f"Fix: {fix_availability(rule)}" + (f" ({safety})" if safety else "") + "."


def _is_project(rule: AnyRule) -> bool:
    if not isinstance(rule, type):
        return rule.kind == "project"
    from mlaudit.engine.rule import ProjectRule

    return issubclass(rule, ProjectRule)


def render_doc(rule: AnyRule) -> str:
    doc = readme(rule)
    header = (
        f"# {rule.name} ({rule.code})\n\nCategory: {rule.category}. Default severity: {rule.severity.value}. "
    )
    header += fix_line(rule) + "\n\n"
    if doc is None:
        return header + f"{rule.message}\n"
    lines = doc.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return header + "\n".join(lines).lstrip("\n") + "\n"


def markdown_table(rules: list[AnyRule]) -> str:
    """The README's rule table, generated from the registry (a test keeps the README current)."""
    lines = ["| code | name | category | severity | what to do |", "| --- | --- | --- | --- | --- |"]
    for rule in rules:
        url = rule_doc_path(rule)
        lines.append(
            f"| {rule.code} | [{rule.name}]({url}) | {rule.category} | {rule.severity.value} | {rule.message} |"
        )
    return "\n".join(lines) + "\n"
