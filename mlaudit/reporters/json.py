"""``json`` (the schema_version 1 envelope, see report-schema.md) and ``json-lines`` (one finding per line)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlaudit.model import Report

if TYPE_CHECKING:
    from mlaudit.reporters import RenderContext


def render(report: Report, ctx: RenderContext) -> str:
    if ctx.format == "json-lines":
        return "".join(f.model_dump_json() + "\n" for f in report.findings)
    return report.model_dump_json(indent=2) + "\n"
