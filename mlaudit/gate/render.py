"""Rendering support for the code-host formats: rule metadata with the catalogue README (SARIF), the
repository root, notebook line positions; the extra ``--report`` files and the GitHub step summary."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from mlaudit.gate.options import CiSettings, Plan
from mlaudit.model import Report

if TYPE_CHECKING:
    from mlaudit.reporters import RenderContext

_TEXT_FORMATS = ("full", "concise")


def rule_metadata(plan: Plan) -> list[dict[str, object]]:
    """Each enabled rule: the catalogue's ``rule_info`` with the effective severity and the README."""
    from mlaudit import catalogue

    out = []
    for e in plan.enabled:
        info = dict(catalogue.rule_info(e.rule))
        info["severity"] = e.severity.value
        info["readme"] = catalogue.readme(e.rule) or ""
        out.append(info)
    return out


def repository_root(root: Path, ci: CiSettings) -> Path | None:
    """Where the code host's paths start: ``$CI_PROJECT_DIR``/``$GITHUB_WORKSPACE`` when they hold the
    project, else the nearest directory with ``.git`` (no git process needed)."""
    root = root.resolve()
    for checkout in ci.checkout_dirs:
        base = checkout.resolve()
        if root == base or base in root.parents:
            return base
    for candidate in (root, *root.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def complete_context(ctx: RenderContext, plan: Plan, formats: Sequence[str]) -> None:
    from mlaudit.reporters._notebook_lines import notebook_source_lines

    if "sarif" in formats:
        ctx.rules = rule_metadata(plan)
    ctx.repo_root = repository_root(plan.loaded.root, plan.ci)
    root = plan.loaded.root

    @lru_cache(maxsize=256)
    def lines_of(filename: str) -> dict[int, list[int]]:
        try:
            return notebook_source_lines((root / filename).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError):
            return {}

    def notebook_line(filename: str, cell: int, row: int) -> int | None:
        rows = lines_of(filename).get(cell)
        if not rows:
            return None
        return rows[min(max(row, 1), len(rows)) - 1]

    ctx.notebook_line = notebook_line


def formats_used(primary: str, plan: Plan) -> list[str]:
    return [primary, *(t.format for t in plan.targets)]


def write_reports(report: Report, plan: Plan, ctx: RenderContext, primary: str) -> None:
    """The ``--report`` files, then the GitHub step summary. OSError is left to the caller."""
    from mlaudit import reporters

    for target in plan.targets:
        sub = dataclasses.replace(ctx, format=target.format, color=False)
        text = reporters.get(target.format).render(report, sub)
        target.path.parent.mkdir(parents=True, exist_ok=True)
        target.path.write_text(text, encoding="utf-8")
    if plan.ci.step_summary is not None and "github" in formats_used(primary, plan):
        from mlaudit.reporters import github

        with open(plan.ci.step_summary, "a", encoding="utf-8") as fh:
            fh.write(github.step_summary(report, ctx) + "\n")


def statistics(report: Report, fmt: str) -> str | None:
    """Counts per rule for stderr, for the formats whose stdout is machine-read (text formats print
    them in the report itself)."""
    from mlaudit.reporters import text

    if fmt in _TEXT_FORMATS or not report.findings:
        return None
    return text.statistics(report)
